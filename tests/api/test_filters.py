"""Filters, cursor pagination, the illustrative flag and the number format of the API."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from engagement.models import Meeting
from funding.selectors import budget_overview
from funding.services import planned_amount_revise
from priorities.models import Indicator, IndicatorProgress, ResultsNode
from tests.engagement.factories import GoverningBodyFactory, MeetingFactory
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory, StrategyFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def _results(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_strategy_filter_narrows_a_managers_lists_to_one_strategy(
    client_manager, strategy, other_strategy
):
    mine = MeetingFactory(strategy=strategy)
    MeetingFactory(strategy=other_strategy)
    assert len(_results(client_manager, "/api/v1/meetings/")) == 2
    rows = _results(client_manager, f"/api/v1/meetings/?strategy={strategy.slug}")
    assert [row["id"] for row in rows] == [mine.pk]
    rows = _results(client_manager, f"/api/v1/strategies/?strategy={other_strategy.slug}")
    assert [row["slug"] for row in rows] == [other_strategy.slug]


def test_year_filter_reads_each_resources_own_year(client_desk, strategy):
    held_2024 = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 5, 1))
    MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 5, 1))
    assert [row["id"] for row in _results(client_desk, "/api/v1/meetings/?year=2024")] == [
        held_2024.pk
    ]
    years = _results(client_desk, "/api/v1/years/?year=2025")
    assert [row["year"] for row in years] == [2025]
    # A strategy 2023-2026 is listed for a year of its period only.
    assert len(_results(client_desk, "/api/v1/strategies/?year=2026")) == 1
    assert _results(client_desk, "/api/v1/strategies/?year=2027") == []


def test_year_filter_refuses_what_is_not_a_year(client_desk, strategy):
    response = client_desk.get("/api/v1/meetings/?year=last")
    assert response.status_code == 400
    assert "year" in response.json()


def test_modified_since_finds_an_indicator_whose_yearly_figure_changed(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    changed = indicator_in(area, node, key="changed")
    quiet = indicator_in(area, node, key="quiet")
    progress = IndicatorProgressFactory(indicator=changed)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Indicator.objects.update(updated_at=long_ago)
    IndicatorProgress.objects.update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    url = "/api/v1/indicators/?" + f"modified_since={since}".replace("+", "%2B")
    assert _results(client_desk, url) == []

    progress.actual = Decimal("19")
    progress.save()
    assert [row["id"] for row in _results(client_desk, url)] == [changed.pk]
    quiet.save()
    assert {row["id"] for row in _results(client_desk, url)} == {changed.pk, quiet.pk}


def test_modified_since_refuses_what_is_not_a_date_time(client_desk, strategy):
    response = client_desk.get("/api/v1/meetings/?modified_since=yesterday")
    assert response.status_code == 400


def test_cursor_pagination_walks_every_record_once_in_id_order(client_desk, strategy):
    meetings = [MeetingFactory(strategy=strategy) for _ in range(5)]
    url, seen = "/api/v1/meetings/?page_size=2", []
    first = True
    while url:
        page = client_desk.get(url).json()
        seen += [row["id"] for row in page["results"]]
        if first:
            # A record added while a client pages through comes at the end, not in between.
            late = MeetingFactory(strategy=strategy)
            first = False
        url = page["next"]
    assert seen == [meeting.pk for meeting in meetings] + [late.pk]
    assert len(set(seen)) == len(seen)


def test_a_page_of_more_than_the_largest_size_is_cut_to_it(client_desk, strategy):
    Meeting.objects.bulk_create(
        Meeting(strategy=strategy, kind="annual_consultation", title=f"M{n}", held_on="2024-05-01")
        for n in range(205)
    )
    page = client_desk.get("/api/v1/meetings/?page_size=1000").json()
    assert len(page["results"]) == 200
    assert page["next"]


def test_illustrative_records_say_so_and_recorded_facts_do_not(client_desk, strategy):
    demo = MeetingFactory(strategy=strategy, is_illustrative=True)
    fact = MeetingFactory(strategy=strategy, is_illustrative=False)
    flags = {row["id"]: row["illustrative"] for row in _results(client_desk, "/api/v1/meetings/")}
    assert flags == {demo.pk: True, fact.pk: False}
    risk = RiskFactory(strategy=strategy, rated=True, rating_is_illustrative=True)
    assert client_desk.get(f"/api/v1/risks/{risk.pk}/").json()["illustrative"] is True
    assert client_desk.get(f"/api/v1/strategies/{strategy.slug}/").json()["illustrative"] is False


def test_budget_line_years_are_the_budget_pages_figures_as_decimal_strings(client_desk, strategy):
    line = budget_create(strategy)["a"]
    ParliamentaryApprovalFactory(line=line, year=2024, amount=Decimal("48000000"))
    CommitmentFactory(line=line, year=2024, amount=Decimal("30000000.50"), is_illustrative=True)
    CommitmentFactory(line=line, year=2024, amount=Decimal("18000000"))
    DisbursementFactory(line=line, year=2024, amount=Decimal("24000000.25"))

    data = client_desk.get(f"/api/v1/budget-lines/{line.pk}/").json()
    page_row = next(row for row in budget_overview(strategy=strategy).rows if row.line == line)
    assert [year["year"] for year in data["years"]] == [2023, 2024, 2025, 2026]
    for year, cell in zip(data["years"], page_row.cells, strict=True):
        assert year["planned"] == f"{cell.planned:.2f}"
        assert year["committed"] == f"{cell.committed:.2f}"
        assert year["disbursed"] == f"{cell.disbursed:.2f}"
        assert year["commitment_count"] == cell.commitment_count
    y2024 = data["years"][1]
    assert y2024 == {
        "year": 2024,
        "planned": "48000000.00",
        "approved": "48000000.00",
        "approved_on": "2023-12-15",
        "committed": "48000000.50",
        "disbursed": "24000000.25",
        "commitment_count": 2,
        "disbursement_count": 1,
        "illustrative": True,
        "approved_is_illustrative": False,
        "committed_is_illustrative": True,
        "disbursed_is_illustrative": False,
    }
    assert data["years"][0]["approved"] is None
    assert data["total"]["planned"] == "192000000.00"
    assert data["total"]["committed"] == "48000000.50"


def test_budget_line_revisions_list_the_recorded_revisions_of_its_plan(
    client_desk, strategy, admin_user
):
    line = budget_create(strategy)["a"]
    planned = line.planned_amounts.get(year=2025)
    planned_amount_revise(
        planned=planned,
        amount=Decimal("45000000"),
        revised_on=datetime.date(2024, 12, 15),
        source="Finance Act 2025",
        reason="Parliament cut the line.",
        user=admin_user,
    )
    revisions = client_desk.get(f"/api/v1/budget-lines/{line.pk}/").json()["revisions"]
    assert revisions == [
        {
            "year": 2025,
            "previous_amount": "48000000.00",
            "amount": "45000000.00",
            "revised_on": "2024-12-15",
            "source": "Finance Act 2025",
            "reason": "Parliament cut the line.",
        }
    ]
    # The current figure is the revised one.
    years = client_desk.get(f"/api/v1/budget-lines/{line.pk}/").json()["years"]
    assert next(row for row in years if row["year"] == 2025)["planned"] == "45000000.00"


def test_indicator_lists_its_figures_per_year_as_decimal_strings(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node, baseline=Decimal("100"))
    IndicatorProgressFactory(indicator=indicator, target=Decimal("120"), actual=Decimal("118.5"))
    data = client_desk.get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert data["baseline"] == "100.0000"
    assert [(f["year"], f["target"], f["actual"]) for f in data["figures"]] == [
        (2024, "120.0000", "118.5000")
    ]


def test_framework_nodes_filter_by_the_strategy_of_their_partner(client_manager, strategy):
    _, node = area_with_nodes(strategy)
    other = StrategyFactory()
    area_with_nodes(other)
    rows = _results(client_manager, f"/api/v1/framework-nodes/?strategy={strategy.slug}")
    assert node.pk in {row["id"] for row in rows}
    assert {row["organisation"] for row in rows} == {strategy.organisation.name}
    ResultsNode.objects.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    node.save()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat().replace("+", "%2B")
    rows = _results(client_manager, f"/api/v1/framework-nodes/?modified_since={since}")
    assert [row["id"] for row in rows] == [node.pk]


def test_a_governing_body_session_names_its_body(client_desk, strategy):
    body = GoverningBodyFactory(organisation=strategy.organisation, name="Executive Board")
    MeetingFactory(strategy=strategy, kind="governing_body", body=body)
    MeetingFactory(strategy=strategy)
    rows = _results(client_desk, "/api/v1/meetings/")
    assert sorted(str(row["governing_body"]) for row in rows) == ["Executive Board", "None"]

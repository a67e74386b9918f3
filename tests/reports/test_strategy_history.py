"""The change log of a strategy: who changed which record, when, and old → new."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from priorities import services
from priorities.choices import Rating, TeamRole
from priorities.models import Assessment, IndicatorProgress
from strategy_monitor.changelog import strategy_history, tracked
from tests.funding.factories import BudgetLineFactory
from tests.priorities.builders import (
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
)
from tests.priorities.factories import EvidenceFactory, TeamMembershipFactory, UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def history_url(strategy) -> str:
    return reverse("reports:strategy_history", kwargs={"slug": strategy.slug})


@pytest.fixture
def indicator(strategy):
    area, node = area_with_nodes(strategy)
    return indicator_in(area, node, title="Border officials trained")


def test_history_shows_who_changed_which_field_from_what_to_what(
    client_manager, strategy, indicator, desk
):
    desk.first_name, desk.last_name = "Anna", "Holm"
    desk.save()
    services.progress_save(
        indicator=indicator, year=2024, target=Decimal("20"), actual=Decimal("18"), user=desk
    )
    services.progress_save(
        indicator=indicator, year=2024, target=Decimal("20"), actual=Decimal("25"), user=desk
    )
    area = indicator.priority_area
    services.assessment_save(
        priority_area=area, year=2024, rating=Rating.ON_TRACK, narrative="Fine", user=desk
    )
    services.assessment_save(
        priority_area=area, year=2024, rating=Rating.SOME_DELAYS, narrative="Fine", user=desk
    )
    text = client_manager.get(history_url(strategy)).text
    assert "Anna Holm" in text
    assert "Border officials trained — 2024" in text
    assert (
        '<strong>Actual:</strong> <span class="old">18</span> → <span class="new">25</span>' in text
    )
    assert (
        '<strong>Rating:</strong> <span class="old">On track</span> → '
        '<span class="new">Some delays</span>' in text
    )
    assert "Recorded " in text


def test_history_gathers_the_other_apps_records_of_the_strategy(
    client_manager, strategy, other_strategy
):
    line = BudgetLineFactory(strategy=strategy, name="Core funding")
    line.name = "Core contribution"
    line.save()
    RiskFactory(strategy=strategy, title="Weak core structure")
    RiskFactory(strategy=other_strategy, title="Someone else's risk")
    text = client_manager.get(history_url(strategy)).text
    assert 'Core funding</span> → <span class="new">Core contribution' in text
    assert "Weak core structure" in text
    assert "Someone else's risk" not in text


def test_history_shows_the_year_workflow_with_the_manager_and_comment(
    client_desk, strategy, desk, manager
):
    manager.first_name, manager.last_name = "Peter", "Krogh"
    manager.save()
    services.year_submit(strategy_year=year_of(strategy), user=desk)
    services.year_return(strategy_year=year_of(strategy), comment="Add sources", user=manager)
    text = client_desk.get(history_url(strategy)).text
    assert "Returned 2024 for changes: Add sources" in text
    assert '<span class="old">Submitted</span> → <span class="new">Draft</span>' in text
    assert "Peter Krogh" in text


def test_history_keeps_changes_of_deleted_records(client_manager, strategy, indicator, desk):
    progress = services.progress_save(
        indicator=indicator, year=2024, target=None, actual=Decimal("1"), user=desk
    )
    evidence = EvidenceFactory(progress=progress, original_name="Field report.pdf")
    services.evidence_delete(evidence=evidence, user=desk)
    text = client_manager.get(history_url(strategy)).text
    assert "Field report.pdf" in text
    assert "Deleted" in text


def test_history_filters_by_user_record_type_and_date(client_manager, strategy, indicator, desk):
    other = UserFactory(username="other")
    services.progress_save(indicator=indicator, year=2024, target=None, actual=1, user=desk)
    services.assessment_save(
        priority_area=indicator.priority_area,
        year=2025,
        rating=Rating.ON_TRACK,
        narrative="Good",
        user=other,
    )
    url = history_url(strategy)
    by_desk = client_manager.get(url, {"user": desk.pk}).context["history"].entries
    assert {entry.kind for entry in by_desk} == {"Indicator figures"}
    ratings = client_manager.get(url, {"kind": "priorities.assessment"}).context["history"]
    assert [entry.record for entry in ratings.entries] == ["Rating of priority area 3 — 2025"]
    today = timezone.localdate()
    future = client_manager.get(url, {"date_from": today + datetime.timedelta(days=1)})
    assert future.context["history"].entries == ()
    todays = client_manager.get(url, {"date_from": today, "date_to": today})
    assert len(todays.context["history"].entries) >= 2


def test_history_record_types_are_tick_boxes_in_a_group_named_for_them(
    client_manager, strategy, indicator, desk
):
    # A multiple select needs Ctrl-click to choose more than one; tick boxes need nothing.
    services.progress_save(indicator=indicator, year=2024, target=None, actual=1, user=desk)
    kinds = ["priorities.indicatorprogress", "priorities.assessment"]
    response = client_manager.get(history_url(strategy), {"kind": kinds})
    text = response.content.decode()
    assert '<select name="kind"' not in text
    group = text.split('<fieldset class="field inline filter-choices">')[1].split("</fieldset>")[0]
    assert "<legend>Record type</legend>" in group
    ticked = re.findall(r'<input type="checkbox" name="kind" value="([\w.]+)"[^>]*checked', group)
    assert ticked == kinds
    assert re.search(
        r'<label for="id_kind_\d+"><input type="checkbox"[^>]*>\s*Indicator figures', group
    )
    assert {entry.kind for entry in response.context["history"].entries} == {"Indicator figures"}


def test_history_user_filter_offers_the_team_then_and_now_and_the_managers(
    client_manager, strategy, desk, finance, manager, admin_user, outsider, other_strategy
):
    TeamMembershipFactory(strategy=other_strategy, user=finance, role=TeamRole.FINANCIAL_OFFICER)
    former = UserFactory(username="former")
    membership = services.teammembership_add(
        strategy=strategy, member=former, role=TeamRole.MISSION_STAFF, user=admin_user
    )
    services.teammembership_remove(membership=membership, user=admin_user)
    bystander = UserFactory(username="bystander")
    url = history_url(strategy)
    offered = client_manager.get(url).context["filter_form"].fields["user"].queryset
    # Each person once, however many teams or groups they are in.
    assert sorted(user.username for user in offered) == sorted(
        ["desk", "finance", "former", "manager", "administrator"]
    )
    assert bystander not in offered and outsider not in offered
    refused = client_manager.get(url, {"user": outsider.pk})
    assert "user" in refused.context["filter_form"].errors


def test_history_of_each_strategy_keeps_to_its_own_records_under_every_filter(
    strategy, other_strategy, desk
):
    # The query is compiled once per choice of kinds and filters, then reused with each
    # request's strategy, user and dates.
    other_area, other_node = area_with_nodes(other_strategy)
    other_indicator = indicator_in(other_area, other_node, title="Someone else's indicator")
    mine_area, mine_node = area_with_nodes(strategy)
    mine = indicator_in(mine_area, mine_node, title="Border officials trained")
    for indicator in (mine, other_indicator):
        services.progress_save(indicator=indicator, year=2024, target=None, actual=1, user=desk)
    today = timezone.localdate()
    for filters in (
        {},
        {"user_id": desk.pk},
        {"date_from": today},
        {"date_to": today},
        {"user_id": desk.pk, "date_from": today, "date_to": today},
    ):
        for owner, title in ((strategy, "Border"), (other_strategy, "Someone")):
            page = strategy_history(
                strategy=owner, kinds=["priorities.indicatorprogress"], **filters
            )
            assert [entry.record.split()[0] for entry in page.entries] == [title], filters
    yesterday = today - datetime.timedelta(days=1)
    assert strategy_history(strategy=strategy, date_to=yesterday).entries == ()
    assert strategy_history(strategy=strategy, user_id=desk.pk + 1000).entries == ()


def test_history_refuses_a_date_range_that_ends_before_it_starts(client_manager, strategy):
    response = client_manager.get(
        history_url(strategy), {"date_from": "2024-05-02", "date_to": "2024-05-01"}
    )
    assert response.context["filter_form"].errors.as_data()["date_to"][0].code == "date_order"


def test_every_monitored_model_reaches_its_strategy():
    assert len(tracked()) == 29
    for entry in tracked().values():
        assert hasattr(entry.model, "history"), entry.label
        if entry.path:
            entry.model.objects.filter(**{f"{entry.path}__pk": 1}).exists()


def test_history_is_paginated_newest_first(strategy, indicator, desk):
    for actual in range(30):
        services.progress_save(
            indicator=indicator, year=2024, target=None, actual=actual, user=desk
        )
    first = strategy_history(strategy=strategy, kinds=["priorities.indicatorprogress"])
    assert first.page.paginator.count == 30
    assert len(first.entries) == 25
    assert first.entries[0].changes[0].new == "29"
    second = strategy_history(
        strategy=strategy, kinds=["priorities.indicatorprogress"], page_number=2
    )
    assert [entry.action for entry in second.entries][-1] == "Created"


@pytest.mark.parametrize(
    ("asked", "shown", "first_actual"),
    [(2, 2, "4"), ("9", 2, "4"), (0, 1, "29"), ("-1", 1, "29"), ("last", 1, "29"), (None, 1, "29")],
)
def test_history_answers_the_nearest_page(strategy, indicator, desk, asked, shown, first_actual):
    for actual in range(30):
        services.progress_save(
            indicator=indicator, year=2024, target=None, actual=actual, user=desk
        )
    page = strategy_history(
        strategy=strategy, kinds=["priorities.indicatorprogress"], page_number=asked
    )
    # The nearest page: past the end the last, before the start or not a number the first.
    assert page.page.number == shown
    assert page.page.paginator.count == 30
    assert page.page.paginator.num_pages == 2
    assert len(page.entries) == (25 if shown == 1 else 5)
    assert page.entries[0].changes[0].new == first_actual
    assert page.page.has_other_pages()


def test_history_of_a_strategy_without_changes_is_one_empty_page(other_strategy):
    page = strategy_history(strategy=other_strategy, kinds=["risks.risk"], page_number=3)
    assert page.entries == ()
    assert page.page.number == 1
    assert page.page.paginator.count == 0
    assert not page.page.has_other_pages()


@pytest.mark.parametrize("rows", [2, 20])
def test_history_page_query_count_does_not_grow_with_the_history(
    client_manager, django_assert_num_queries, strategy, indicator, desk, manager, rows
):
    area = indicator.priority_area
    for number in range(rows):
        services.progress_save(
            indicator=indicator, year=2024, target=None, actual=number, user=desk
        )
        services.assessment_save(
            priority_area=area,
            year=2024,
            rating=Rating.ON_TRACK if number % 2 else Rating.OFF_TRACK,
            narrative="x",
            user=desk,
        )
        services.year_submit(strategy_year=year_of(strategy, 2025), gaps_reason="x", user=desk)
        services.year_return(strategy_year=year_of(strategy, 2025), comment="x", user=manager)
    assert IndicatorProgress.objects.count() == Assessment.objects.count() == 1
    kinds = ["priorities.indicatorprogress", "priorities.assessment", "priorities.strategyyear"]
    # session, user, strategy, user's groups; users for the filter; the page window with the
    # count of all changes (one UNION over the three historical tables); per kind on the page:
    # its rows and their previous versions (3 × 2); the users named in changed fields (state
    # changed by).
    with django_assert_num_queries(14):
        response = client_manager.get(history_url(strategy), {"kind": kinds})
    assert response.status_code == 200
    assert len(response.context["history"].entries) == min(25, rows * 4)


def test_history_reaches_records_whose_parents_were_loaded_without_history(
    client_manager, strategy, indicator, desk
):
    # A fixture loads rows with raw saves, which record no history of their own.
    indicator.history.all().delete()
    indicator.priority_area.history.all().delete()
    services.progress_save(indicator=indicator, year=2024, target=None, actual=7, user=desk)
    page = strategy_history(strategy=strategy, kinds=["priorities.indicatorprogress"])
    assert [entry.record for entry in page.entries] == ["Border officials trained — 2024"]

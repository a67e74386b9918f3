"""The strategy list and overview pages: access per role, content, and query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import BudgetLine, BudgetTotal, BudgetTotalAmount, PlannedAmount
from priorities.choices import OfficeKind, PriorityKind
from priorities.models import Office, PriorityArea, ResultsNode
from risks.models import Risk
from tests.priorities.factories import (
    AssessmentFactory,
    NodeLevel,
    PriorityAreaFactory,
    PriorityAreaNodeFactory,
    ResultsFrameworkFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def overview_url(strategy) -> str:
    return reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})


def populate(strategy, rows: int) -> None:
    """Give `strategy` `rows` priority areas, nodes, budget lines, risks and offices."""
    framework = ResultsFrameworkFactory(organisation=strategy.organisation)
    for number in range(1, rows + 1):
        area = PriorityAreaFactory(strategy=strategy, number=number)
        objective = ResultsNode.objects.create(
            framework=framework, key=str(number), code=str(number), level=1, title=f"O{number}"
        )
        outcome = ResultsNode.objects.create(
            framework=framework,
            key=f"{number}a",
            code=f"{number}a",
            level=NodeLevel.LONG_TERM_OUTCOME,
            parent=objective,
            title=f"Outcome {number}a",
        )
        PriorityAreaNodeFactory(priority_area=area, node=outcome)
        AssessmentFactory(priority_area=area, is_illustrative=True)
        line = BudgetLine.objects.create(
            strategy=strategy, code=f"l{number}", name=f"Line {number}", kind="core"
        )
        for year in strategy.years:
            PlannedAmount.objects.create(line=line, year=year, amount=Decimal("1000000"))
        Risk.objects.create(strategy=strategy, key=f"r{number}", title=f"Risk {number}")
        region = Office.objects.create(
            organisation=strategy.organisation,
            key=f"ro{number}",
            kind=OfficeKind.REGIONAL,
            name=f"City {number}",
        )
        Office.objects.create(
            organisation=strategy.organisation,
            key=f"co{number}",
            kind=OfficeKind.COUNTRY,
            name=f"Country {number}",
            regional_office=region,
        )
    total = BudgetTotal.objects.create(strategy=strategy, key="total", label="Total")
    total.lines.set(strategy.budget_lines.all())
    for year in strategy.years:
        BudgetTotalAmount.objects.create(total=total, year=year, amount=Decimal(rows * 1000000))


def test_anonymous_user_is_sent_to_login(client, strategy):
    for url in (reverse("priorities:strategy_list"), overview_url(strategy), "/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_login_page_is_open(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.parametrize(
    "client_name", ["client_desk", "client_finance", "client_mission", "client_manager"]
)
def test_team_members_and_managers_see_the_overview(request, client_name, strategy):
    client = request.getfixturevalue(client_name)
    response = client.get(overview_url(strategy))
    assert response.status_code == 200
    assert strategy.title in response.text


def test_strategy_list_shows_only_visible_strategies(client_desk, strategy, other_strategy):
    response = client_desk.get(reverse("priorities:strategy_list"))
    assert response.status_code == 200
    assert strategy.title in response.text
    assert other_strategy.title not in response.text


def test_manager_sees_every_strategy_in_the_list(client_manager, strategy, other_strategy):
    response = client_manager.get(reverse("priorities:strategy_list"))
    assert strategy.title in response.text
    assert other_strategy.title in response.text


def test_strategy_list_filters_by_active_year(client_manager, strategy):
    old = StrategyFactory(title="Old strategy", start_year=2018, end_year=2021)
    response = client_manager.get(reverse("priorities:strategy_list"), {"year": 2024})
    assert strategy.title in response.text
    assert old.title not in response.text


def test_unknown_strategy_is_not_found(client_manager):
    response = client_manager.get(reverse("priorities:strategy_detail", kwargs={"slug": "nope"}))
    assert response.status_code == 404


def test_overview_shows_budget_totals_and_labels_illustrative_data(client_desk, strategy):
    populate(strategy, 3)
    response = client_desk.get(overview_url(strategy))
    text = response.text
    # Three lines of DKK 1m a year: 3 per year in the computed total, 12 over four years.
    assert "Total of the lines" in text
    assert 'title="DKK 3,000,000">3.0<' in text
    assert 'title="DKK 12,000,000">12.0<' in text
    assert "Illustrative data" in text
    assert "Not yet rated" in text
    assert "Outcome 1a" in text


def test_overview_marks_a_printed_total_that_differs_from_its_lines(client_desk, strategy):
    populate(strategy, 2)
    BudgetTotalAmount.objects.filter(year=2024).update(amount=Decimal("5000000"))
    response = client_desk.get(overview_url(strategy))
    assert "differs from the sum of its lines" in response.text


def test_overview_marks_implied_and_under_development_nodes(client_desk, strategy):
    area = PriorityArea.objects.create(
        strategy=strategy, kind=PriorityKind.PRIORITY, number=1, slug="1", title="Area one"
    )
    framework = ResultsFrameworkFactory(organisation=strategy.organisation)
    objective = ResultsNode.objects.create(
        framework=framework, key="4", code="4", level=1, title="Objective four"
    )
    outcome = ResultsNode.objects.create(
        framework=framework, key="4a", code="4a", level=2, parent=objective, title="LTO"
    )
    implied = ResultsNode.objects.create(
        framework=framework, key="4a.2", code="4a.2", level=3, parent=outcome, is_implied=True
    )
    output = ResultsNode.objects.create(
        framework=framework,
        key="4a.2.1",
        code="4a.2.1",
        level=4,
        parent=implied,
        title="Improving capacities",
        status="under_development",
    )
    PriorityAreaNodeFactory(priority_area=area, node=output)
    response = client_desk.get(overview_url(strategy))
    assert "Implied, not listed" in response.text
    assert "Under development" in response.text
    assert response.text.index("Objective four") < response.text.index("Improving capacities")


@pytest.mark.parametrize("rows", [2, 12])
def test_overview_query_count_does_not_grow_with_the_data(
    client_desk, django_assert_num_queries, strategy, rows
):
    populate(strategy, rows)
    # session, user, strategy, user's team roles; strategy years, priority areas with
    # indicator counts, area-node links, framework nodes, assessments; budget lines, planned
    # amounts, budget totals, their amounts, their lines, revisions of planned amounts; risks;
    # offices; SDGs; key figures; chapters; user's groups (for the manager check in the
    # permission helper); issued briefs.
    with django_assert_num_queries(22):
        response = client_desk.get(overview_url(strategy))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_strategy_list_query_count_does_not_grow(client_manager, django_assert_num_queries, rows):
    StrategyFactory.create_batch(rows)
    # session, user, user's groups, paginator count, partners for the filter, page of
    # strategies with their partner
    with django_assert_num_queries(6):
        response = client_manager.get(reverse("priorities:strategy_list"))
    assert response.status_code == 200

"""What is due for whom: the items of each role, their links, and a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from engagement.choices import ActionStatus
from engagement.selectors import due_items, my_tasks
from funding.choices import Decision
from priorities.choices import DueKind, TeamRole, YearState
from priorities.models import StrategyYear
from priorities.selectors import last_whole_year
from risks.choices import RiskStatus
from tests.engagement.factories import ActionPointFactory, MilestoneFactory
from tests.funding.factories import AllocationFactory, AllocationRoundFactory, BudgetLineFactory
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 9, 25)
NOW = datetime.datetime(2024, 9, 25, 9, 0, tzinfo=datetime.UTC)


def kinds(report) -> set[tuple[str, int]]:
    return {(item.kind, item.item_id) for item in (*report.overdue, *report.upcoming)}


@pytest.fixture
def items(strategy, desk, finance, mission):
    """One item of each kind on the strategy, due or overdue on TODAY."""
    # 2023 has ended and is still a draft; 2024 ends more than 60 days after TODAY.
    year_2023 = strategy.strategy_years.get(year=2023)
    risk = RiskFactory(strategy=strategy, next_review=datetime.date(2024, 10, 15))
    finance_risk = RiskFactory(
        strategy=strategy, owner=finance, next_review=datetime.date(2024, 9, 1)
    )
    RiskFactory(
        strategy=strategy,
        next_review=datetime.date(2024, 9, 1),
        status=RiskStatus.CLOSED,
        closed_reason="Gone.",
    )
    finance_point = ActionPointFactory(
        strategy=strategy, owner=finance, due_on=datetime.date(2024, 10, 1)
    )
    ActionPointFactory(
        strategy=strategy,
        owner=finance,
        due_on=datetime.date(2024, 9, 1),
        status=ActionStatus.DONE,
        closing_note="Done.",
    )
    ActionPointFactory(strategy=strategy, owner=finance, due_on=datetime.date(2025, 3, 1))
    line = BudgetLineFactory(strategy=strategy, kind="soft_earmarked")
    allocation_round = AllocationRoundFactory(line=line, dialogue_on=datetime.date(2024, 9, 15))
    AllocationFactory(round=allocation_round)
    decided = AllocationRoundFactory(line=line, half=2, dialogue_on=datetime.date(2024, 9, 20))
    AllocationFactory(round=decided, decision=Decision.APPROVED)
    mission_milestone = MilestoneFactory(
        strategy=strategy, owner=mission, due_on=datetime.date(2024, 11, 15)
    )
    unowned = MilestoneFactory(strategy=strategy, owner=None, due_on=datetime.date(2024, 9, 15))
    MilestoneFactory(
        strategy=strategy,
        owner=mission,
        due_on=datetime.date(2024, 9, 1),
        done_on=datetime.date(2024, 9, 1),
    )
    return {
        "year": year_2023,
        "risk": risk,
        "finance_risk": finance_risk,
        "finance_point": finance_point,
        "round": allocation_round,
        "mission_milestone": mission_milestone,
        "unowned": unowned,
    }


def test_last_whole_year():
    assert last_whole_year(datetime.date(2024, 12, 30)) == 2023
    assert last_whole_year(datetime.date(2024, 12, 31)) == 2024


@time_machine.travel(NOW, tick=False)
def test_desk_officer_has_years_to_submit_risk_reviews_and_unowned_milestones(desk, items):
    report = my_tasks(user=desk, today=TODAY)
    assert kinds(report) == {
        (DueKind.YEAR, items["year"].pk),
        (DueKind.RISK_REVIEW, items["risk"].pk),
        (DueKind.RISK_REVIEW, items["finance_risk"].pk),
        (DueKind.MILESTONE, items["unowned"].pk),
    }
    overdue = {(item.kind, item.item_id) for item in report.overdue}
    assert (DueKind.YEAR, items["year"].pk) in overdue
    assert (DueKind.RISK_REVIEW, items["risk"].pk) not in overdue


@time_machine.travel(NOW, tick=False)
def test_financial_officer_has_own_action_points_and_risks_not_the_desk_officers(finance, items):
    report = my_tasks(user=finance, today=TODAY)
    assert kinds(report) == {
        (DueKind.RISK_REVIEW, items["finance_risk"].pk),
        (DueKind.ACTION_POINT, items["finance_point"].pk),
        (DueKind.MILESTONE, items["unowned"].pk),
    }


@time_machine.travel(NOW, tick=False)
def test_mission_staff_has_own_milestones(mission, items):
    report = my_tasks(user=mission, today=TODAY)
    assert kinds(report) == {
        (DueKind.MILESTONE, items["mission_milestone"].pk),
        (DueKind.MILESTONE, items["unowned"].pk),
    }
    assert [item.kind for item in report.upcoming] == [DueKind.MILESTONE]


@time_machine.travel(NOW, tick=False)
def test_manager_has_allocation_rounds_waiting_for_a_decision(manager, items):
    report = my_tasks(user=manager, today=TODAY)
    assert kinds(report) == {(DueKind.ALLOCATION_ROUND, items["round"].pk)}
    (item,) = report.overdue
    assert item.detail == "1 allocation awaiting a decision."


@time_machine.travel(NOW, tick=False)
def test_outsider_has_nothing_of_another_strategy(outsider, other_strategy, items):
    report = my_tasks(user=outsider, today=TODAY)
    # Only the outsider's own strategy: its 2023 year, still a draft.
    assert {item.strategy_title for item in report.overdue} == {other_strategy.title}
    assert {item.kind for item in report.overdue} == {DueKind.YEAR}
    assert report.upcoming == ()


@time_machine.travel(NOW, tick=False)
def test_due_items_link_to_where_each_is_done(strategy, desk, finance, manager, mission, items):
    slug = strategy.slug
    links = {
        (item.kind, item.item_id): item.url
        for user in (desk, finance, manager, mission)
        for item in due_items(user=user, until=TODAY + datetime.timedelta(days=60))
    }
    assert links[(DueKind.YEAR, items["year"].pk)] == (
        reverse("priorities:strategy_detail", args=[slug]) + "#years"
    )
    assert links[(DueKind.RISK_REVIEW, items["risk"].pk)] == reverse(
        "risks:risk_detail", args=[slug, items["risk"].pk]
    )
    point = items["finance_point"]
    assert links[(DueKind.ACTION_POINT, point.pk)] == (
        reverse("engagement:meeting_detail", args=[slug, point.meeting_id]) + f"#action-{point.pk}"
    )
    assert links[(DueKind.ALLOCATION_ROUND, items["round"].pk)] == reverse(
        "funding:allocationround_detail", args=[slug, items["round"].pk]
    )
    milestone = items["mission_milestone"]
    assert links[(DueKind.MILESTONE, milestone.pk)] == (
        reverse("engagement:milestone_list", args=[slug]) + f"?year=2024#milestone-{milestone.pk}"
    )


@time_machine.travel(datetime.datetime(2024, 11, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_year_ending_within_60_days_is_due(strategy, desk):
    StrategyYear.objects.filter(strategy=strategy, year=2023).update(state=YearState.SUBMITTED)
    report = my_tasks(user=desk, today=datetime.date(2024, 11, 15))
    years = [item for item in report.upcoming if item.kind == DueKind.YEAR]
    assert [item.due_on for item in years] == [datetime.date(2024, 12, 31)]


@time_machine.travel(NOW, tick=False)
def test_a_round_without_dialogue_date_is_due_by_the_end_of_its_half_year(manager, strategy):
    line = BudgetLineFactory(strategy=strategy, kind="soft_earmarked")
    allocation_round = AllocationRoundFactory(line=line, half=2, dialogue_on=None)
    AllocationFactory(round=allocation_round)
    assert my_tasks(user=manager, today=TODAY).count == 0
    report = my_tasks(user=manager, today=datetime.date(2024, 11, 20))
    assert [item.due_on for item in report.upcoming] == [datetime.date(2024, 12, 31)]


def populate_strategies(user, count: int) -> None:
    """Put `user` on `count` strategies as desk officer, each with one item of every kind."""
    for _ in range(count):
        strategy = StrategyFactory()
        TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.DESK_OFFICER)
        RiskFactory(strategy=strategy, next_review=datetime.date(2024, 10, 1))
        ActionPointFactory(strategy=strategy, owner=user, due_on=datetime.date(2024, 10, 1))
        MilestoneFactory(strategy=strategy, owner=user, due_on=datetime.date(2024, 10, 1))
        line = BudgetLineFactory(strategy=strategy, kind="soft_earmarked")
        AllocationFactory(round=AllocationRoundFactory(line=line))


@pytest.mark.parametrize("rows", [2, 20])
@time_machine.travel(NOW, tick=False)
def test_due_items_query_count_does_not_grow_with_strategies(django_assert_num_queries, rows):
    user = UserFactory(username="busy")
    populate_strategies(user, rows)
    user = type(user).objects.get(pk=user.pk)
    # years, risks, action points, the user's groups (manager check), milestones
    with django_assert_num_queries(5):
        report = my_tasks(user=user, today=TODAY)
    assert report.count == rows * 4


@pytest.mark.parametrize("rows", [2, 20])
@time_machine.travel(NOW, tick=False)
def test_due_items_of_a_manager_query_count_does_not_grow(manager, django_assert_num_queries, rows):
    populate_strategies(UserFactory(), rows)
    manager = type(manager).objects.get(pk=manager.pk)
    # years, risks, action points, the user's groups, allocation rounds, milestones
    with django_assert_num_queries(6):
        report = my_tasks(user=manager, today=TODAY)
    assert report.count == rows

"""My tasks: each role's queue, the empty lists, the scoping by team, the landing after login."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from engagement.choices import MilestoneKind
from funding.choices import BudgetLineKind
from priorities.choices import DefinitionStatus, Rating, TeamRole, YearState
from priorities.models import StrategyYear
from tests.engagement.factories import (
    ActionPointFactory,
    KeyMessageFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    BudgetLineFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
)
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorProgressFactory,
    PriorityAreaFactory,
    StrategyFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.reports.issued_factories import issued_brief_store
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

# Mid-year: 2026 is the year in progress of a 2023-2026 strategy.
NOW = datetime.datetime(2026, 6, 30, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 30)
URL = "/my/"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client):
    response = client.get(reverse("reports:my_tasks"))
    assert response.status_code == 200
    return response


def year_of(strategy, year: int) -> StrategyYear:
    return strategy.strategy_years.get(year=year)


def submit(strategy, year: int, user) -> None:
    StrategyYear.objects.filter(strategy=strategy, year=year).update(
        state=YearState.SUBMITTED,
        state_changed_by=user,
        state_changed_at=timezone.now() - datetime.timedelta(days=2),
    )


def area_with_indicators(strategy, *, with_actual: int, without: int, rated: bool = False):
    """Return a priority area whose 2026 has `with_actual` indicators with an actual."""
    area = PriorityAreaFactory(strategy=strategy)
    for index in range(with_actual + without):
        indicator = IndicatorFactory(priority_area=area)
        IndicatorProgressFactory(
            indicator=indicator,
            strategy_year=year_of(strategy, 2026),
            actual=Decimal("5") if index < with_actual else None,
        )
    if rated:
        AssessmentFactory(priority_area=area, strategy_year=year_of(strategy, 2026))
    return area


# --- Landing after login -----------------------------------------------------------------------


def test_login_lands_on_my_tasks(client, db):
    UserFactory(username="lands")
    response = client.post(reverse("login"), {"username": "lands", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == URL


def test_a_next_address_still_wins_over_my_tasks(client, db):
    UserFactory(username="lands")
    strategies = reverse("priorities:strategy_list")
    response = client.post(
        reverse("login") + f"?next={strategies}", {"username": "lands", "password": "pw"}
    )
    assert response["Location"] == strategies


def test_the_bare_start_address_as_next_still_lands_on_my_tasks(client, db):
    """Opening the site's address asks for a login with next=/; that is no chosen page."""
    UserFactory(username="lands")
    response = client.post(reverse("login") + "?next=/", {"username": "lands", "password": "pw"})
    assert response["Location"] == URL


def test_my_tasks_keeps_its_address():
    assert reverse("reports:my_tasks") == URL


# --- Manager -----------------------------------------------------------------------------------


def test_manager_sees_a_submitted_year_with_its_completeness(client_manager, strategy, desk):
    desk.first_name, desk.last_name = "Dorte", "Desk"
    desk.save()
    area_with_indicators(strategy, with_actual=2, without=1, rated=True)
    area_with_indicators(strategy, with_actual=1, without=0)
    # An indicator under development needs no actual.
    IndicatorFactory(
        priority_area=PriorityAreaFactory(strategy=strategy),
        status=DefinitionStatus.UNDER_DEVELOPMENT,
        title="",
    )
    submit(strategy, 2026, desk)
    response = page(client_manager)
    row = response.context["queue"].manager.submitted_years[0]
    assert (row.year, row.submitted_by) == (2026, "Dorte Desk")
    assert row.completeness == "3 of 4 indicators with an actual, 1 of 3 areas rated"
    review = reverse("priorities:strategyyear_review", args=[strategy.slug, 2026])
    assert f'href="{review}"' in response.text
    assert "Submitted by Dorte Desk on 28 June 2026" in response.text
    assert "You submitted this year yourself" not in response.text


def test_manager_is_told_that_another_manager_approves_their_own_submission(
    client_manager, strategy, manager
):
    submit(strategy, 2025, manager)
    response = page(client_manager)
    assert response.context["queue"].manager.submitted_years[0].is_own
    assert "You submitted this year yourself, so another manager approves it." in response.text


def test_manager_sees_allocations_waiting_and_overdue_reviews(client_manager, strategy):
    line = BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
    allocation_round = AllocationRoundFactory(line=line, year=2026)
    AllocationFactory(round=allocation_round, amount=Decimal("2500000"))
    RiskFactory(strategy=strategy, title="Funding gap", next_review=datetime.date(2026, 5, 1))
    RiskFactory(strategy=strategy, title="Not yet due", next_review=datetime.date(2026, 7, 1))
    response = page(client_manager)
    queue = response.context["queue"].manager
    assert [row.pending for row in queue.allocation_rounds] == [1]
    assert [row.title for row in queue.overdue_reviews] == ["Funding gap"]
    url = reverse("funding:allocationround_detail", args=[strategy.slug, allocation_round.pk])
    assert f'href="{url}"' in response.text
    assert "1 proposal awaiting a decision" in response.text
    assert "Not yet due" not in response.text.split('id="dated-heading"')[0]


def test_manager_lists_say_when_they_are_empty(client_manager, strategy):
    text = page(client_manager).text
    assert "No year is waiting for your approval." in text
    assert "No allocation proposal is waiting for your decision." in text
    assert "No risk review is overdue on your strategies." in text
    assert "As desk officer" not in text


def test_a_team_manager_sees_only_their_strategies(client, strategy, other_strategy, desk):
    """A manager named on one team is not asked to approve another team's years."""
    lead = UserFactory(username="lead")
    TeamMembershipFactory(strategy=other_strategy, user=lead, role=TeamRole.MANAGER)
    TeamMembershipFactory(strategy=strategy, user=UserFactory(), role=TeamRole.MANAGER)
    submit(strategy, 2026, desk)
    submit(other_strategy, 2025, desk)
    client.force_login(lead)
    rows = page(client).context["queue"].manager.submitted_years
    assert [(row.strategy_title, row.year) for row in rows] == [(other_strategy.title, 2025)]


# --- Desk officer ------------------------------------------------------------------------------


def test_desk_officer_sees_a_returned_year_with_the_reason_in_full(client_desk, strategy, manager):
    reason = "Add the 2026 actual for the returns indicator.\nRate priority area 2 as well."
    StrategyYear.objects.filter(strategy=strategy, year=2025).update(
        state=YearState.DRAFT,
        state_changed_by=manager,
        state_changed_at=timezone.now(),
        state_comment=reason,
    )
    response = page(client_desk)
    row = response.context["queue"].desk.returned_years[0]
    assert (row.year, row.reason) == (2025, reason)
    assert "Add the 2026 actual for the returns indicator.<br>Rate priority area 2 as well." in (
        response.text
    )
    submit_url = reverse("priorities:strategyyear_review", args=[strategy.slug, 2025])
    assert f'href="{submit_url}"' in response.text


def test_desk_officer_sees_indicators_without_actual_per_area(client_desk, strategy):
    incomplete = area_with_indicators(strategy, with_actual=2, without=3, rated=True)
    area_with_indicators(strategy, with_actual=2, without=0, rated=True)
    response = page(client_desk)
    rows = response.context["queue"].desk.areas_missing_actuals
    assert [(row.area_label, row.missing_actual, row.indicator_count) for row in rows] == [
        (incomplete.label, 3, 5)
    ]
    grid = reverse("priorities:progress_bulk_edit", args=[strategy.slug, incomplete.pk, 2026])
    assert f'href="{grid}"' in response.text
    label = f"{strategy.organisation.acronym} 2023-2026"
    assert f"{incomplete.label}: 3 of 5 indicators have no 2026 actual" in response.text
    assert label in response.text
    assert "No priority area is waiting for a rating in the year in progress." in response.text


def test_desk_officer_sees_areas_without_a_rating(client_desk, strategy):
    unrated = area_with_indicators(strategy, with_actual=1, without=0)
    not_assessed = PriorityAreaFactory(strategy=strategy)
    AssessmentFactory(
        priority_area=not_assessed,
        strategy_year=year_of(strategy, 2026),
        rating=Rating.NOT_ASSESSED,
        narrative="",
    )
    response = page(client_desk)
    rows = response.context["queue"].desk.areas_unrated
    assert [row.area_label for row in rows] == [unrated.label, not_assessed.label]
    rating = reverse("priorities:assessment_edit", args=[strategy.slug, unrated.pk, 2026])
    assert f'href="{rating}"' in response.text


def test_desk_officer_sees_risks_due_and_own_action_points(client_desk, strategy, desk):
    risk = RiskFactory(strategy=strategy, title="Staff safety", next_review=TODAY)
    RiskFactory(strategy=strategy, title="Later", next_review=datetime.date(2026, 9, 1))
    ActionPointFactory(strategy=strategy, owner=desk, text="Send the figures", due_on=None)
    ActionPointFactory(strategy=strategy, text="Someone else's point")
    response = page(client_desk)
    queue = response.context["queue"].desk
    assert [row.title for row in queue.risk_reviews] == ["Staff safety"]
    assert [row.text for row in queue.action_points] == ["Send the figures"]
    assert f'href="{reverse("risks:risk_rate", args=[strategy.slug, risk.pk])}"' in response.text
    assert "Someone else" not in response.text


def test_desk_officer_lists_say_when_they_are_empty(client_desk, strategy):
    StrategyYear.objects.filter(strategy=strategy, year=2026).update(state=YearState.SUBMITTED)
    text = page(client_desk).text
    assert "No year has been returned to you." in text
    assert "No indicator is waiting for an actual in the year in progress." in text
    assert "No priority area is waiting for a rating in the year in progress." in text
    assert "No risk is due for review." in text
    assert "You have no open action points." in text
    assert "As manager" not in text


# --- Financial officer -------------------------------------------------------------------------


def test_financial_officer_sees_approvals_plans_and_pace(client_finance, strategy):
    core = BudgetLineFactory(strategy=strategy, code="a", name="Core funding")
    PlannedAmountFactory(line=core, year=2026, amount=Decimal("48000000"))
    PlannedAmountFactory(line=core, year=2025, amount=Decimal("48000000"))
    ParliamentaryApprovalFactory(line=core, year=2025)
    DisbursementFactory(line=core, year=2025, amount=Decimal("40000000"))
    personnel = BudgetLineFactory(strategy=strategy, code="c", name="Personnel")
    PlannedAmountFactory(line=personnel, year=2026, amount=Decimal("2000000"))
    ParliamentaryApprovalFactory(line=personnel, year=2026, amount=Decimal("2000000"))
    DisbursementFactory(line=personnel, year=2026, amount=Decimal("2500000"))
    CommitmentFactory(line=personnel, year=2024, amount=Decimal("1000000"))
    response = page(client_finance)
    queue = response.context["queue"].finance
    assert [(row.line_label, row.year) for row in queue.approvals_due] == [
        ("a) Core funding", 2026)
    ]
    assert [(row.line_label, row.year) for row in queue.commitments_without_plan] == [
        ("c) Personnel", 2024)
    ]
    assert [(row.line_label, row.year, row.pace) for row in queue.off_pace] == [
        ("a) Core funding", 2025, "behind"),
        ("c) Personnel", 2026, "ahead"),
    ]
    create = reverse("funding:parliamentaryapproval_create", args=[strategy.slug])
    assert f'href="{create}?year=2026"' in response.text
    assert "Record the approval of a) Core funding for 2026" in response.text
    assert "c) Personnel, 2026: ahead of plan" in response.text


def test_financial_officer_lists_say_when_they_are_empty(client_finance, strategy):
    text = page(client_finance).text
    assert "No parliamentary approval is waiting to be recorded for this year or next." in text
    assert "Every commitment has a planned amount to disburse against." in text
    assert "Disbursements follow the plan on every line." in text


# --- Mission staff -----------------------------------------------------------------------------


def test_mission_staff_see_the_next_consultation_and_what_it_needs(
    client_mission, strategy, mission
):
    MeetingFactory(strategy=strategy, title="Consultation 2025", held_on=datetime.date(2025, 5, 1))
    meeting = MeetingFactory(
        strategy=strategy, title="Consultation 2026", held_on=datetime.date(2026, 9, 10)
    )
    KeyMessageFactory(meeting=meeting)
    ActionPointFactory(strategy=strategy, text="Open point")
    response = page(client_mission)
    row = response.context["queue"].mission.consultations[0]
    assert (row.consultation.title, row.consultation.key_message_count) == ("Consultation 2026", 1)
    assert row.consultation.open_action_points == 1
    assert "Brief not issued yet" in response.text
    assert "1 key message drafted" in response.text
    assert "1 open action point" in response.text

    brief = issued_brief_store(strategy=strategy, user=mission, year=2025, meeting=meeting)
    response = page(client_mission)
    download = reverse("reports:issuedbrief_download", args=[strategy.slug, brief.pk])
    assert f'Brief issued: <a href="{download}">{brief.reference}</a>' in response.text


def test_mission_staff_are_asked_to_log_a_consultation_planned_only_as_a_milestone(
    client_mission, strategy
):
    MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2026",
        due_on=datetime.date(2026, 10, 1),
    )
    response = page(client_mission)
    create = reverse("engagement:meeting_create", args=[strategy.slug])
    assert f'href="{create}"' in response.text
    assert "Log the Annual consultation 2026 as a meeting" in response.text


def test_mission_staff_are_told_when_no_consultation_is_planned(client_mission, strategy):
    assert "no consultation is planned yet" in page(client_mission).text


# --- Scope -------------------------------------------------------------------------------------


def test_a_user_of_another_strategy_sees_none_of_it(client_outsider, strategy, desk, manager):
    submit(strategy, 2024, desk)
    area_with_indicators(strategy, with_actual=0, without=2)
    RiskFactory(strategy=strategy, title="Hidden risk", next_review=TODAY)
    ActionPointFactory(strategy=strategy, owner=desk, text="Hidden point")
    line = BudgetLineFactory(strategy=strategy, name="Hidden line")
    PlannedAmountFactory(line=line, year=2026)
    MeetingFactory(strategy=strategy, title="Hidden consultation", held_on=TODAY)
    response = page(client_outsider)
    queue = response.context["queue"]
    assert queue.roles == (TeamRole.DESK_OFFICER,)
    assert queue.desk.areas_missing_actuals == ()
    assert queue.desk.risk_reviews == ()
    for hidden in ("Hidden", strategy.title, strategy.slug):
        assert hidden not in response.text


def test_an_administrator_without_team_roles_sees_only_the_dated_list(client_admin):
    response = page(client_admin)
    assert response.context["queue"].roles == ()
    assert "As manager" not in response.text
    assert "Nothing is overdue." in response.text


# --- Query counts ------------------------------------------------------------------------------


def strategies_for(user, role: str, count: int) -> None:
    """Give `user` `role` on `count` strategies, each with something in every queue."""
    for _ in range(count):
        strategy = StrategyFactory()
        if role != TeamRole.MANAGER:
            TeamMembershipFactory(strategy=strategy, user=user, role=role)
        area_with_indicators(strategy, with_actual=1, without=1)
        submit(strategy, 2025, user)
        StrategyYear.objects.filter(strategy=strategy, year=2024).update(
            state_changed_at=timezone.now(), state_comment="Add the figures."
        )
        RiskFactory(strategy=strategy, owner=user, next_review=datetime.date(2026, 1, 1))
        ActionPointFactory(strategy=strategy, owner=user, due_on=TODAY)
        line = BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
        PlannedAmountFactory(line=line, year=2026)
        CommitmentFactory(line=line, year=2024)
        DisbursementFactory(line=line, year=2026, amount=Decimal("99000000"))
        AllocationFactory(round=AllocationRoundFactory(line=line, year=2026))
        meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2026, 9, 1))
        KeyMessageFactory(meeting=meeting)
        MilestoneFactory(strategy=strategy, owner=user, due_on=TODAY)


# session, user, the dated list (years, risks, action points, user's groups, milestones, and
# for a manager the allocation rounds),
# then per role: the user's team roles, and
#   manager: submitted years with counts, allocation rounds, overdue reviews;
#   desk officer: returned years, years in progress, their areas, risks due, action points;
#   financial officer: lines, planned amounts, approvals, commitments, disbursements;
#   mission staff: strategies, coming consultations, milestones, open action points, briefs.
QUERIES = {
    TeamRole.MANAGER: 12,
    TeamRole.DESK_OFFICER: 13,
    TeamRole.FINANCIAL_OFFICER: 13,
    TeamRole.MISSION_STAFF: 13,
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("role", list(QUERIES))
def test_my_tasks_query_count_does_not_grow_with_strategies(
    client, django_assert_num_queries, manager, role, count
):
    user = manager if role == TeamRole.MANAGER else UserFactory(username="member")
    strategies_for(user, role, count)
    client.force_login(user)
    with django_assert_num_queries(QUERIES[role]):
        response = client.get(reverse("reports:my_tasks"))
    assert response.context["queue"].roles == (role,)

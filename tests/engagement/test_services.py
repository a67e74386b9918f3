"""Writes: meetings with action points, closing them, milestones and their generation."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, CalendarToken, GoverningBody, Meeting, Milestone
from engagement.rhythm import PLANNING_NOTE, Body, high_level_years, rhythm_plan, session_dates
from engagement.services import (
    ActionPointInput,
    actionpoint_close,
    actionpoint_create,
    actionpoint_update,
    calendar_token_get,
    calendar_token_renew,
    meeting_create,
    meeting_update,
    milestone_create,
    milestone_delete,
    milestone_set_done,
    milestone_update,
    milestones_generate,
)
from funding.choices import BudgetLineKind
from priorities.choices import TeamRole
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.forms import error_codes
from tests.engagement.factories import (
    ActionPointFactory,
    EngagementChannelFactory,
    GoverningBodyFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.funding.factories import BudgetLineFactory
from tests.priorities.factories import (
    PriorityAreaFactory,
    StrategyFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HELD = datetime.date(2024, 6, 12)


def codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.value.error_dict[field]}


# --- Meetings and action points ---------------------------------------------------------------


def test_meeting_create_records_meeting_areas_and_action_points_with_history(
    strategy, mission, desk, finance
):
    area = PriorityAreaFactory(strategy=strategy)
    meeting = meeting_create(
        strategy=strategy,
        kind=MeetingKind.ANNUAL_CONSULTATION,
        held_on=HELD,
        participants="Mission, department; IOM senior management",
        summary="Reviewed 2023.",
        priority_areas=[area],
        action_points=[
            ActionPointInput("Send the brief", desk, datetime.date(2024, 9, 1), area),
            ActionPointInput("Agree the format", finance, datetime.date(2024, 10, 1)),
            ActionPointInput("Draft the terms of reference", mission, datetime.date(2024, 11, 1)),
        ],
        user=mission,
    )
    assert meeting.title == "Annual consultation 2024"
    assert list(meeting.priority_areas.all()) == [area]
    points = list(meeting.action_points.order_by("due_on"))
    assert [point.owner for point in points] == [desk, finance, mission]
    assert all(point.strategy == strategy and point.status == ActionStatus.OPEN for point in points)
    record = meeting.history.first()
    assert record.history_user == mission
    assert record.history_change_reason == "Meeting logged"
    assert points[0].history.first().history_user == mission


def test_meeting_create_refuses_owner_outside_the_team_and_saves_nothing(strategy, mission):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.ANNUAL_CONSULTATION,
            held_on=HELD,
            action_points=[
                ActionPointInput("Fine", mission, datetime.date(2024, 9, 1)),
                ActionPointInput("Refused", stranger, datetime.date(2024, 9, 1)),
            ],
            user=mission,
        )
    assert codes(error, "action_points.1.owner") == {"not_on_team"}
    assert not Meeting.objects.exists()
    assert not ActionPoint.objects.exists()


def test_meeting_create_refuses_action_point_without_owner_or_due_date(strategy, mission):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.ANNUAL_CONSULTATION,
            held_on=HELD,
            action_points=[ActionPointInput("Who and when?", None, None)],
            user=mission,
        )
    assert codes(error, "action_points.0.owner") == {"owner_required"}
    assert codes(error, "action_points.0.due_on") == {"due_required"}


def test_action_point_cannot_fall_due_before_its_meeting(strategy, mission):
    meeting = MeetingFactory(strategy=strategy, held_on=HELD)
    with pytest.raises(ValidationError) as error:
        actionpoint_create(
            meeting=meeting,
            text="Backdated",
            owner=mission,
            due_on=HELD - datetime.timedelta(days=1),
            user=mission,
        )
    assert codes(error, "due_on") == {"before_meeting"}


def test_meeting_refuses_priority_area_of_another_strategy(strategy, mission):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.WORKING_GROUP,
            held_on=HELD,
            priority_areas=[PriorityAreaFactory()],
            user=mission,
        )
    assert codes(error, "priority_areas") == {"other_strategy"}


def test_meeting_update_refuses_a_stale_copy(strategy, mission):
    meeting = MeetingFactory(strategy=strategy, held_on=HELD)
    stale = version_token(meeting)
    meeting_update(
        meeting=Meeting.objects.get(pk=meeting.pk),
        kind=meeting.kind,
        held_on=HELD,
        title="First edit",
        location="Geneva",
        participants="",
        summary="",
        priority_areas=[],
        version=stale,
        user=mission,
    )
    with pytest.raises(ValidationError) as error:
        meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk),
            kind=meeting.kind,
            held_on=HELD,
            title="Second edit from the old copy",
            location="Geneva",
            participants="",
            summary="",
            priority_areas=[],
            version=stale,
            user=mission,
        )
    assert STALE_CODE in error_codes(error.value)
    assert Meeting.objects.get(pk=meeting.pk).title == "First edit"


def test_actionpoint_close_records_status_and_note(strategy, desk):
    point = ActionPointFactory(strategy=strategy, owner=desk)
    actionpoint_close(
        action_point=point,
        status=ActionStatus.DONE,
        closing_note="Brief sent on 2 September.",
        version=version_token(point),
        user=desk,
    )
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE
    assert point.closing_note == "Brief sent on 2 September."
    assert point.history.first().history_change_reason == "Action point done"


def test_actionpoint_close_needs_a_note(strategy, desk):
    point = ActionPointFactory(strategy=strategy, owner=desk)
    with pytest.raises(ValidationError) as error:
        actionpoint_close(
            action_point=point,
            status=ActionStatus.DROPPED,
            closing_note=" ",
            version=None,
            user=desk,
        )
    assert codes(error, "closing_note") == {"note_required"}


def test_actionpoint_close_refuses_open_as_a_closing_status(strategy, desk):
    point = ActionPointFactory(strategy=strategy, owner=desk)
    with pytest.raises(ValidationError) as error:
        actionpoint_close(
            action_point=point, status=ActionStatus.OPEN, closing_note="x", version=None, user=desk
        )
    assert codes(error, "status") == {"invalid_status"}


def test_actionpoint_close_refuses_an_action_point_already_closed(strategy, desk):
    point = ActionPointFactory(strategy=strategy, status=ActionStatus.DONE, closing_note="Done.")
    with pytest.raises(ValidationError) as error:
        actionpoint_close(
            action_point=point,
            status=ActionStatus.DONE,
            closing_note="Again",
            version=None,
            user=desk,
        )
    assert error.value.code == "already_closed"


def test_actionpoint_update_refuses_closed_and_stale_action_points(strategy, desk):
    closed = ActionPointFactory(strategy=strategy, status=ActionStatus.DONE, closing_note="Done.")
    with pytest.raises(ValidationError) as error:
        actionpoint_update(
            action_point=closed,
            text="Changed",
            owner=desk,
            due_on=datetime.date(2024, 9, 1),
            priority_area=None,
            version=None,
            user=desk,
        )
    assert error.value.code == "closed"

    point = ActionPointFactory(strategy=strategy, owner=desk)
    stale = version_token(point)
    ActionPoint.objects.filter(pk=point.pk).update(
        updated_at=point.updated_at + datetime.timedelta(seconds=5)
    )
    with pytest.raises(ValidationError) as error:
        actionpoint_update(
            action_point=point,
            text="Changed",
            owner=desk,
            due_on=datetime.date(2024, 9, 1),
            priority_area=None,
            version=stale,
            user=desk,
        )
    assert STALE_CODE in error_codes(error.value)


# --- Milestones ------------------------------------------------------------------------------


def test_milestone_owner_must_be_on_the_team(strategy, desk):
    with pytest.raises(ValidationError) as error:
        milestone_create(
            strategy=strategy,
            kind=MilestoneKind.OTHER,
            title="Field visit",
            due_on=datetime.date(2025, 3, 1),
            owner=UserFactory(),
            user=desk,
        )
    assert codes(error, "owner") == {"not_on_team"}


@time_machine.travel(datetime.datetime(2024, 7, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_milestone_cannot_be_reached_in_the_future(strategy, desk):
    milestone = MilestoneFactory(strategy=strategy)
    with pytest.raises(ValidationError) as error:
        milestone_update(
            milestone=milestone,
            kind=milestone.kind,
            title=milestone.title,
            due_on=milestone.due_on,
            owner=None,
            done_on=datetime.date(2024, 7, 2),
            note="",
            version=version_token(milestone),
            user=desk,
        )
    assert codes(error, "done_on") == {"future"}
    milestone_set_done(milestone=milestone, done_on=datetime.date(2024, 7, 1), user=desk)
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2024, 7, 1)
    with pytest.raises(ValidationError) as error:
        milestone_set_done(milestone=milestone, done_on=datetime.date(2024, 7, 1), user=desk)
    assert error.value.code == "already_done"
    milestone_set_done(milestone=milestone, done_on=None, user=desk)
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_rhythm_places_high_level_consultations_in_alternate_years():
    assert high_level_years(range(2023, 2027), 2023) == {2023, 2025}
    assert high_level_years(range(2023, 2027), 2024) == {2024, 2026}
    assert high_level_years(range(2023, 2028), 2025) == {2025, 2027}


def test_rhythm_spreads_sessions_without_usual_dates_evenly():
    assert session_dates(2, 2024, ((6, 30), (10, 31))) == [
        datetime.date(2024, 6, 30),
        datetime.date(2024, 10, 31),
    ]
    assert session_dates(2, 2024) == [datetime.date(2024, 6, 30), datetime.date(2024, 12, 31)]
    assert session_dates(3, 2024) == [
        datetime.date(2024, 4, 30),
        datetime.date(2024, 8, 31),
        datetime.date(2024, 12, 31),
    ]


BODIES = (
    Body(key="council", name="IOM Council", sessions=1),
    Body(key="standing-committee", name="Standing Committee on Programmes and Finance", sessions=2),
)


def test_rhythm_plan_for_a_four_year_period():
    plan = rhythm_plan(
        start_year=2023,
        end_year=2026,
        high_level=high_level_years(range(2023, 2027), 2023),
        partner="IOM",
        bodies=BODIES,
        allocation_dialogues=2,
        approval_years={2023, 2024, 2025, 2026},
        mid_term_review_year=2024,
        mid_term_review_half=2,
    )
    by_key = {item.key: item for item in plan}
    # Per year: a consultation, a parliamentary approval, two allocation dialogues, a Council
    # session, two Standing Committee sessions, the annual report and the approval of the
    # year's progress; plus the mid-term review.
    assert len(plan) == 4 * 9 + 1
    assert plan == sorted(plan, key=lambda item: (item.due_on, item.key))
    assert by_key["consultation-2023"].kind == MilestoneKind.HIGH_LEVEL_CONSULTATION
    assert by_key["consultation-2024"].kind == MilestoneKind.ANNUAL_CONSULTATION
    assert by_key["consultation-2024"].title == "Annual consultation 2024"
    assert by_key["consultation-2025"].kind == MilestoneKind.HIGH_LEVEL_CONSULTATION
    assert by_key["consultation-2026"].kind == MilestoneKind.ANNUAL_CONSULTATION
    approval = by_key["parliamentary-approval-2024"]
    assert approval.due_on == datetime.date(2023, 12, 15)
    assert approval.title == "Parliamentary approval of the 2024 funds"
    review = by_key["mid-term-review"]
    assert review.due_on == datetime.date(2024, 12, 31)
    assert review.title == "Mid-term review (second half of 2024)"
    assert by_key["annual-report-2026"].title == "IOM annual report 2026"
    assert by_key["annual-report-2026"].due_on == datetime.date(2027, 6, 30)
    assert by_key["standing-committee-2025-2"].due_on == datetime.date(2025, 10, 31)
    assert by_key["standing-committee-2025-2"].kind == MilestoneKind.GOVERNING_BODY
    assert by_key["standing-committee-2025-2"].body_key == "standing-committee"
    assert by_key["council-2025-1"].due_on == datetime.date(2025, 11, 30)
    assert by_key["council-2025-1"].title == "IOM Council: 2025 session"
    assert all(PLANNING_NOTE in item.note for item in plan)


def test_rhythm_plan_due_date_of_a_first_half_mid_term_review():
    plan = rhythm_plan(
        start_year=2023,
        end_year=2025,
        high_level={2023, 2025},
        mid_term_review_year=2024,
        mid_term_review_half=1,
    )
    review = next(item for item in plan if item.kind == MilestoneKind.MID_TERM_REVIEW)
    assert review.due_on == datetime.date(2024, 6, 30)


def iom_shaped(**kwargs):
    """Return a strategy whose partner has two bodies and whose budget has a dialogue line."""
    strategy = StrategyFactory(**kwargs)
    GoverningBodyFactory(organisation=strategy.organisation, key="council", name="Council")
    GoverningBodyFactory(
        organisation=strategy.organisation,
        key="standing-committee",
        name="Standing Committee on Programmes and Finance",
        sessions_per_year=2,
    )
    BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
    return strategy


def team(strategy):
    """Put one member of each role on the strategy's team and return them by role."""
    return {
        role: TeamMembershipFactory(strategy=strategy, role=role).user
        for role in (TeamRole.DESK_OFFICER, TeamRole.FINANCIAL_OFFICER, TeamRole.MISSION_STAFF)
    }


def test_milestones_generate_plans_the_period_with_owners_by_role():
    strategy = iom_shaped(mid_term_review_year=2024, mid_term_review_half=2)
    members = team(strategy)
    result = milestones_generate(strategy=strategy, user=members[TeamRole.DESK_OFFICER])
    # The plan above: nine a year and the mid-term review.
    assert len(result.created) == 37
    milestones = {m.key: m for m in Milestone.objects.filter(strategy=strategy)}
    assert milestones["consultation-2023"].owner == members[TeamRole.MISSION_STAFF]
    assert milestones["parliamentary-approval-2025"].owner == members[TeamRole.FINANCIAL_OFFICER]
    assert milestones["allocation-dialogue-2024-1"].owner == members[TeamRole.FINANCIAL_OFFICER]
    assert milestones["mid-term-review"].owner == members[TeamRole.DESK_OFFICER]
    assert milestones["mid-term-review"].due_on == datetime.date(2024, 12, 31)
    assert milestones["annual-report-2023"].owner == members[TeamRole.DESK_OFFICER]
    assert milestones["year-approved-2023"].owner == members[TeamRole.DESK_OFFICER]
    # Planning data, not facts, and not demo data either.
    assert not any(m.is_illustrative for m in milestones.values())
    assert all(m.done_on is None for m in milestones.values())
    record = milestones["mid-term-review"].history.first()
    assert record.history_change_reason == "Generated from the engagement rhythm"


def test_milestones_generate_leaves_milestones_unowned_without_a_team_member_of_the_role():
    strategy = StrategyFactory()
    milestones_generate(strategy=strategy)
    assert not Milestone.objects.filter(strategy=strategy, owner__isnull=False).exists()


def test_milestones_generate_twice_creates_nothing_and_keeps_moved_dates():
    strategy = StrategyFactory()
    milestones_generate(strategy=strategy)
    moved = Milestone.objects.get(strategy=strategy, key="consultation-2024")
    moved.due_on = datetime.date(2024, 5, 14)
    moved.title = "Annual consultations, Copenhagen"
    moved.save()
    count = Milestone.objects.count()

    result = milestones_generate(strategy=strategy)

    assert result.created == ()
    assert result.existing == count
    assert Milestone.objects.count() == count
    moved.refresh_from_db()
    assert moved.due_on == datetime.date(2024, 5, 14)
    assert moved.title == "Annual consultations, Copenhagen"


def test_milestones_generate_does_not_bring_back_a_deleted_milestone_unless_asked(desk):
    strategy = iom_shaped()
    milestones_generate(strategy=strategy)
    council = Milestone.objects.get(strategy=strategy, key="council-2025-1")
    milestone_delete(milestone=council, user=desk)

    result = milestones_generate(strategy=strategy)
    assert result.created == ()
    assert result.deleted_keys == ("council-2025-1",)
    assert not Milestone.objects.filter(key="council-2025-1").exists()

    result = milestones_generate(strategy=strategy, restore_deleted=True)
    assert [m.key for m in result.created] == ["council-2025-1"]


def test_milestones_generate_with_another_first_high_level_year_plans_no_second_consultation():
    strategy = StrategyFactory()
    milestones_generate(strategy=strategy, first_high_level_year=2023)
    milestones_generate(strategy=strategy, first_high_level_year=2024)
    consultations = Milestone.objects.filter(
        strategy=strategy,
        kind__in=[MilestoneKind.ANNUAL_CONSULTATION, MilestoneKind.HIGH_LEVEL_CONSULTATION],
    )
    assert consultations.count() == 4


def test_milestones_generate_refuses_a_first_high_level_year_outside_the_period():
    strategy = StrategyFactory()
    with pytest.raises(ValidationError) as error:
        milestones_generate(strategy=strategy, first_high_level_year=2030)
    assert codes(error, "first_high_level_year") == {"outside_period"}
    assert not Milestone.objects.exists()


def test_milestones_generate_names_bodies_after_recorded_channels_and_counts_their_sessions():
    strategy = iom_shaped(start_year=2023, end_year=2025)
    council, committee = GoverningBody.objects.filter(organisation=strategy.organisation)
    committee.sessions_per_year = 3
    committee.save()
    EngagementChannelFactory(
        strategy=strategy,
        kind=MeetingKind.GOVERNING_BODY,
        body=council,
        name="IOM Council",
        per_year=Decimal("1"),
    )
    milestones_generate(strategy=strategy)
    titles = set(Milestone.objects.filter(strategy=strategy).values_list("title", flat=True))
    assert "IOM Council: 2024 session" in titles
    assert "Standing Committee on Programmes and Finance: session 3 of 2024" in titles
    assert Milestone.objects.filter(strategy=strategy, body=committee).count() == 9
    assert set(
        Milestone.objects.filter(strategy=strategy, body__isnull=False).values_list(
            "kind", flat=True
        )
    ) == {MilestoneKind.GOVERNING_BODY}


# --- Calendar tokens -------------------------------------------------------------------------


def test_calendar_token_is_created_once_and_renewal_replaces_it(desk):
    first = calendar_token_get(user=desk)
    assert calendar_token_get(user=desk).token == first.token
    assert len(first.selector) == 12
    assert len(first.secret) >= 43
    renewed = calendar_token_renew(user=desk)
    assert renewed.token != first.token
    assert CalendarToken.objects.filter(user=desk).count() == 1
    assert renewed.matches(renewed.secret)
    assert not renewed.matches(first.secret)


def test_meeting_update_refuses_priority_area_of_another_strategy(strategy, mission):
    own = PriorityAreaFactory(strategy=strategy)
    meeting = MeetingFactory(strategy=strategy, held_on=HELD, title="Council")
    meeting.priority_areas.set([own])
    with pytest.raises(ValidationError) as error:
        meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk),
            kind=meeting.kind,
            held_on=HELD,
            title="Council, renamed",
            location="Geneva",
            participants="",
            summary="",
            priority_areas=[own, PriorityAreaFactory()],
            version=None,
            user=mission,
        )
    assert codes(error, "priority_areas") == {"other_strategy"}
    meeting.refresh_from_db()
    assert meeting.title == "Council"
    assert list(meeting.priority_areas.all()) == [own]


def test_action_point_without_a_meeting_belongs_to_the_strategy(strategy, desk, mission):
    point = actionpoint_create(
        meeting=None,
        strategy=strategy,
        text="Follow up on the audit.",
        owner=desk,
        due_on=datetime.date(2024, 9, 1),
        user=mission,
    )
    assert (point.strategy, point.meeting) == (strategy, None)
    assert point.history.get().history_change_reason == "Action point added"

"""The admin writes meetings, action points and milestones through the engagement services.

Each refused input shows as an error on the admin form, with its code, and nothing is saved.
"""

import datetime

import pytest

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, Meeting, Milestone
from tests.engagement.factories import ActionPointFactory, MeetingFactory
from tests.priorities.admin_forms import (
    admin_post,
    admin_url,
    client_for,
    form_error_codes,
    inline_error_codes,
    superuser_create,
)
from tests.priorities.factories import PriorityAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return superuser_create()


@pytest.fixture
def client_super(superuser):
    return client_for(superuser)


PREFIX = "action_points"


def meeting_values(strategy, **values) -> dict:
    return {
        "strategy": strategy.pk,
        "kind": MeetingKind.ANNUAL_CONSULTATION,
        "title": "Annual consultation 2024",
        "held_on": "2024-05-14",
        **values,
    }


def action_point_rows(*rows: dict) -> dict:
    """Return the inline data of new action points `rows` on a meeting's add form."""
    data = {f"{PREFIX}-TOTAL_FORMS": str(len(rows)), f"{PREFIX}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        values = {"status": ActionStatus.OPEN, **row}
        data.update({f"{PREFIX}-{index}-{name}": value for name, value in values.items()})
    return data


# --- Meetings and their priority areas -------------------------------------------------------


def test_admin_refuses_a_meeting_with_a_priority_area_of_another_strategy(
    client_super, strategy, other_strategy
):
    foreign = PriorityAreaFactory(strategy=other_strategy)
    response = admin_post(
        client_super, Meeting, "add", **meeting_values(strategy, priority_areas=[foreign.pk])
    )
    assert form_error_codes(response, "priority_areas") == {"other_strategy"}
    assert not Meeting.objects.exists()


def test_admin_refuses_adding_a_priority_area_of_another_strategy_to_a_meeting(
    client_super, strategy, other_strategy
):
    own = PriorityAreaFactory(strategy=strategy)
    meeting = MeetingFactory(strategy=strategy)
    meeting.priority_areas.set([own])
    foreign = PriorityAreaFactory(strategy=other_strategy)
    response = admin_post(
        client_super, Meeting, "change", meeting.pk, priority_areas=[own.pk, foreign.pk]
    )
    assert form_error_codes(response, "priority_areas") == {"other_strategy"}
    assert list(meeting.priority_areas.all()) == [own]


def test_admin_does_not_move_a_meeting_to_another_strategy(client_super, strategy):
    meeting = MeetingFactory(strategy=strategy)
    response = client_super.get(admin_url(Meeting, "change", meeting.pk))
    assert "strategy" not in response.context["adminform"].form.fields


def test_admin_logs_a_meeting_and_its_action_points_through_the_services(
    client_super, superuser, strategy, desk
):
    area = PriorityAreaFactory(strategy=strategy)
    response = admin_post(
        client_super,
        Meeting,
        "add",
        **meeting_values(strategy, priority_areas=[area.pk]),
        **action_point_rows(
            {
                "text": "Share the revised results framework.",
                "owner": desk.pk,
                "due_on": "2024-09-01",
            }
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get()
    assert list(meeting.priority_areas.all()) == [area]
    assert meeting.history.get().history_change_reason == "Meeting logged"
    point = ActionPoint.objects.get()
    assert (point.strategy, point.meeting, point.owner) == (strategy, meeting, desk)
    record = point.history.get()
    assert (record.history_user, record.history_change_reason) == (
        superuser,
        "Action point of Annual consultation 2024",
    )


def test_admin_refuses_an_action_point_owned_by_someone_off_the_team(client_super, strategy):
    stranger = UserFactory()
    response = admin_post(
        client_super,
        Meeting,
        "add",
        **meeting_values(strategy),
        **action_point_rows({"text": "Follow up.", "owner": stranger.pk, "due_on": "2024-09-01"}),
    )
    assert inline_error_codes(response)["owner"] == {"not_on_team"}
    assert not Meeting.objects.exists()
    assert not ActionPoint.objects.exists()


def test_admin_refuses_an_action_point_due_before_its_meeting(client_super, strategy, desk):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 5, 14))
    response = admin_post(
        client_super,
        Meeting,
        "change",
        meeting.pk,
        **{
            f"{PREFIX}-TOTAL_FORMS": "1",
            f"{PREFIX}-0-text": "Follow up.",
            f"{PREFIX}-0-owner": str(desk.pk),
            f"{PREFIX}-0-due_on": "2024-05-01",
            f"{PREFIX}-0-status": ActionStatus.OPEN,
        },
    )
    assert inline_error_codes(response)["due_on"] == {"before_meeting"}
    assert not ActionPoint.objects.exists()


# --- Action points ---------------------------------------------------------------------------


def test_admin_refuses_an_action_point_without_owner(client_super, strategy):
    meeting = MeetingFactory(strategy=strategy)
    response = admin_post(
        client_super,
        ActionPoint,
        "add",
        strategy=strategy.pk,
        meeting=meeting.pk,
        text="Follow up.",
        due_on="2024-09-01",
        status=ActionStatus.OPEN,
    )
    assert form_error_codes(response, "owner") == {"owner_required"}
    assert not ActionPoint.objects.exists()


def test_admin_refuses_changing_a_closed_action_point(client_super, strategy, desk):
    point = ActionPointFactory(
        strategy=strategy,
        owner=desk,
        status=ActionStatus.DONE,
        closing_note="Shared on 1 June.",
    )
    response = admin_post(client_super, ActionPoint, "change", point.pk, text="Something else.")
    assert form_error_codes(response) == {"closed"}
    point.refresh_from_db()
    assert point.text != "Something else."


def test_admin_closes_an_action_point_through_the_service(client_super, superuser, strategy, desk):
    point = ActionPointFactory(strategy=strategy, owner=desk)
    response = admin_post(
        client_super,
        ActionPoint,
        "change",
        point.pk,
        status=ActionStatus.DONE,
        closing_note="Shared on 1 June.",
    )
    assert response.status_code == 302, response.context["errors"]
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE
    record = point.history.first()
    assert (record.history_user, record.history_change_reason) == (superuser, "Action point done")


# --- Milestones ------------------------------------------------------------------------------


def test_admin_refuses_a_milestone_owned_by_someone_off_the_team(client_super, strategy):
    response = admin_post(
        client_super,
        Milestone,
        "add",
        strategy=strategy.pk,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2025",
        due_on="2025-05-14",
        owner=UserFactory().pk,
    )
    assert form_error_codes(response, "owner") == {"not_on_team"}
    assert not Milestone.objects.exists()


def test_admin_adds_a_milestone_through_the_service(client_super, superuser, strategy, mission):
    response = admin_post(
        client_super,
        Milestone,
        "add",
        strategy=strategy.pk,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2025",
        due_on="2025-05-14",
        owner=mission.pk,
        source="Chapter 7",
    )
    assert response.status_code == 302, response.context["errors"]
    milestone = Milestone.objects.get()
    assert (milestone.owner, milestone.source) == (mission, "Chapter 7")
    record = milestone.history.get()
    assert (record.history_user, record.history_change_reason) == (superuser, "Milestone added")


def test_admin_closes_an_action_point_that_has_no_owner(client_super, strategy):
    # Closing asks only for a closing note; the owner and due date rules are for taking it on.
    point = ActionPointFactory(strategy=strategy, owner=None, due_on=None)
    response = admin_post(
        client_super,
        ActionPoint,
        "change",
        point.pk,
        status=ActionStatus.DROPPED,
        closing_note="Overtaken by the new strategy.",
    )
    assert response.status_code == 302, response.context["errors"]
    point.refresh_from_db()
    assert point.status == ActionStatus.DROPPED

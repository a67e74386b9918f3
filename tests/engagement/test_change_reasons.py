"""A long meeting title never breaks a save: the change reason built from it is shortened."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import MeetingKind
from engagement.services import ActionPointInput, actionpoint_create, meeting_create
from strategy_monitor.history import CHANGE_REASON_LENGTH
from tests.engagement.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# 85 characters and more: "Action point of " + the title no longer fits the change log.
LONG_TITLE = (
    "High-level consultation on the strategic results framework, migration governance "
    "and the humanitarian-development-peace nexus in the Horn of Africa"
)


def test_the_title_is_long_enough_to_have_broken_the_change_log():
    assert len(f"Action point of {LONG_TITLE}") > CHANGE_REASON_LENGTH


def test_adding_an_action_point_to_a_meeting_with_a_long_title(strategy, desk):
    meeting = MeetingFactory(strategy=strategy, title=LONG_TITLE)
    point = actionpoint_create(
        meeting=meeting,
        text="Send the figures",
        owner=desk,
        due_on=datetime.date(2024, 9, 1),
        user=desk,
    )
    reason = point.history.get().history_change_reason
    assert len(reason) <= CHANGE_REASON_LENGTH
    assert reason.startswith("Action point of High-level consultation")
    assert reason.endswith("…")


def test_logging_a_meeting_with_a_long_title_and_its_action_points(strategy, mission, desk):
    meeting = meeting_create(
        strategy=strategy,
        kind=MeetingKind.HIGH_LEVEL_CONSULTATION,
        held_on=datetime.date(2024, 6, 12),
        title=LONG_TITLE,
        action_points=[
            ActionPointInput(text="Follow up", owner=desk, due_on=datetime.date(2024, 9, 1))
        ],
        user=mission,
    )
    assert meeting.title == LONG_TITLE
    [point] = meeting.action_points.all()
    assert point.history.get().history_change_reason.endswith("…")


def test_the_page_adds_an_action_point_to_a_meeting_with_a_long_title(client_desk, strategy, desk):
    meeting = MeetingFactory(strategy=strategy, title=LONG_TITLE)
    response = client_desk.post(
        reverse("engagement:actionpoint_create", args=[strategy.slug, meeting.pk]),
        {"text": "Send the figures", "owner": desk.pk, "due_on": "2024-10-01"},
    )
    assert response.status_code == 302
    assert meeting.action_points.count() == 1

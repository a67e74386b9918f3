"""Writes and reads of a meeting's key messages: drafting, the outcome, and the action point."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagement.models import ActionPoint, KeyMessage
from engagement.selectors import key_messages_grouped, key_messages_of_meeting
from engagement.services import (
    KeyMessageInput,
    KeyMessageOutcome,
    key_message_to_action_point,
    key_messages_outcome_record,
    key_messages_save,
)
from strategy_monitor.concurrency import STALE_CODE, version_token
from tests.engagement.factories import ActionPointFactory, KeyMessageFactory, MeetingFactory
from tests.priorities.factories import PriorityAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

HELD = datetime.date(2024, 5, 14)
AFTER = datetime.date(2024, 5, 20)


@pytest.fixture
def meeting(strategy):
    return MeetingFactory(strategy=strategy, held_on=HELD, title="Annual consultation 2024")


def codes(error, key: str) -> set[str]:
    return {item.code for item in error.value.error_dict[key]}


# --- Drafting --------------------------------------------------------------------------------


def test_key_messages_save_adds_messages_in_order_with_drafter_and_history(meeting, desk):
    area = PriorityAreaFactory(strategy=meeting.strategy)

    saved = key_messages_save(
        meeting=meeting,
        rows=[
            KeyMessageInput(text="  Ask for the MOPAN follow-up  "),
            KeyMessageInput(text="Welcome the new data strategy", priority_area=area),
        ],
        user=desk,
    )

    assert [m.text for m in saved] == [
        "Ask for the MOPAN follow-up",
        "Welcome the new data strategy",
    ]
    assert [m.order for m in saved] == [1, 2]
    assert saved[1].priority_area == area
    assert {m.drafted_by for m in saved} == {desk}
    record = saved[0].history.get()
    assert record.history_user == desk
    assert record.history_change_reason == "Key message drafted for Annual consultation 2024"


def test_key_messages_save_edits_reorders_and_removes_in_one_save(meeting, desk):
    first = KeyMessageFactory(meeting=meeting, text="First", order=1)
    second = KeyMessageFactory(meeting=meeting, text="Second", order=2)
    third = KeyMessageFactory(meeting=meeting, text="Third", order=3)

    key_messages_save(
        meeting=meeting,
        rows=[
            KeyMessageInput(key_message=first, text="First", order=2, version=version_token(first)),
            KeyMessageInput(key_message=second, text="Second, sharper", order=1),
            KeyMessageInput(key_message=third, text="Third", remove=True),
            KeyMessageInput(text="Fourth"),
        ],
        user=desk,
    )

    assert [m.text for m in key_messages_of_meeting(meeting=meeting)] == [
        "Second, sharper",
        "First",
        "Fourth",
    ]
    assert not KeyMessage.objects.filter(pk=third.pk).exists()


def test_key_messages_save_leaves_a_message_added_meanwhile(meeting, desk):
    mine = KeyMessageFactory(meeting=meeting, text="Mine")
    theirs = KeyMessageFactory(meeting=meeting, text="Added by a colleague meanwhile")

    key_messages_save(
        meeting=meeting, rows=[KeyMessageInput(key_message=mine, text="Mine, edited")], user=desk
    )

    assert KeyMessage.objects.get(pk=theirs.pk).text == "Added by a colleague meanwhile"


def test_key_messages_save_refuses_a_stale_row_and_saves_nothing(meeting, desk, mission):
    message = KeyMessageFactory(meeting=meeting, text="Before")
    version = version_token(message)
    key_messages_save(
        meeting=meeting,
        rows=[KeyMessageInput(key_message=message, text="By mission")],
        user=mission,
    )

    with pytest.raises(ValidationError) as error:
        key_messages_save(
            meeting=meeting,
            rows=[
                KeyMessageInput(text="A new one"),
                KeyMessageInput(key_message=message, text="By desk", version=version),
            ],
            user=desk,
        )

    assert STALE_CODE in codes(error, "key_messages.1.__all__")
    assert list(meeting.key_messages.values_list("text", flat=True)) == ["By mission"]


def test_key_messages_save_refuses_overlong_text_with_the_row(meeting, desk):
    with pytest.raises(ValidationError) as error:
        key_messages_save(
            meeting=meeting,
            rows=[KeyMessageInput(text="Fine"), KeyMessageInput(text="x" * 1001)],
            user=desk,
        )

    assert "max_length" in codes(error, "key_messages.1.text")
    assert not meeting.key_messages.exists()


def test_key_messages_save_refuses_a_priority_area_of_another_strategy(
    meeting, other_strategy, desk
):
    foreign = PriorityAreaFactory(strategy=other_strategy)

    with pytest.raises(ValidationError) as error:
        key_messages_save(
            meeting=meeting, rows=[KeyMessageInput(text="A", priority_area=foreign)], user=desk
        )

    assert "other_strategy" in codes(error, "key_messages.0.priority_area")


def test_key_messages_save_refuses_a_message_of_another_meeting(meeting, desk):
    other = KeyMessageFactory(meeting=MeetingFactory(strategy=meeting.strategy))

    with pytest.raises(ValidationError) as error:
        key_messages_save(
            meeting=meeting, rows=[KeyMessageInput(key_message=other, text="Taken")], user=desk
        )

    assert "other_meeting" in codes(error, "key_messages.0.__all__")


# --- After the meeting -----------------------------------------------------------------------


def test_outcome_record_marks_raised_with_answer_and_not_raised(meeting, desk):
    raised = KeyMessageFactory(meeting=meeting)
    skipped = KeyMessageFactory(meeting=meeting)

    key_messages_outcome_record(
        meeting=meeting,
        outcomes=[
            KeyMessageOutcome(raised, raised=True, answer=" IOM will report in June. "),
            KeyMessageOutcome(skipped, raised=False),
        ],
        user=desk,
        today=AFTER,
    )

    raised.refresh_from_db()
    skipped.refresh_from_db()
    assert (raised.raised, raised.answer) == (True, "IOM will report in June.")
    assert (skipped.raised, skipped.outcome_label) == (False, "Not raised")
    assert raised.history.first().history_change_reason.startswith("Outcome of a key message")


def test_outcome_record_refuses_before_the_meeting_is_held(meeting, desk):
    message = KeyMessageFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        key_messages_outcome_record(
            meeting=meeting,
            outcomes=[KeyMessageOutcome(message, raised=True)],
            user=desk,
            today=HELD - datetime.timedelta(days=1),
        )

    assert error.value.code == "meeting_ahead"
    message.refresh_from_db()
    assert message.raised is None


def test_outcome_record_refuses_an_answer_to_a_point_not_raised(meeting, desk):
    message = KeyMessageFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        key_messages_outcome_record(
            meeting=meeting,
            outcomes=[KeyMessageOutcome(message, raised=False, answer="They said no")],
            user=desk,
            today=AFTER,
        )

    assert "answer_not_raised" in codes(error, "key_messages.0.answer")


@pytest.mark.parametrize("raised", [False, None])
def test_database_refuses_an_answer_to_a_point_not_raised(meeting, raised):
    message = KeyMessageFactory(meeting=meeting)

    with pytest.raises(IntegrityError), transaction.atomic():
        KeyMessage.objects.filter(pk=message.pk).update(raised=raised, answer="No")


def test_outcome_record_refuses_a_stale_outcome(meeting, desk, mission):
    message = KeyMessageFactory(meeting=meeting)
    version = version_token(message)
    key_messages_outcome_record(
        meeting=meeting,
        outcomes=[KeyMessageOutcome(message, raised=False)],
        user=mission,
        today=AFTER,
    )

    with pytest.raises(ValidationError) as error:
        key_messages_outcome_record(
            meeting=meeting,
            outcomes=[KeyMessageOutcome(message, raised=True, answer="Yes", version=version)],
            user=desk,
            today=AFTER,
        )

    assert STALE_CODE in codes(error, "key_messages.0.__all__")


# --- Into an action point --------------------------------------------------------------------


def test_key_message_to_action_point_copies_area_and_links_back(meeting, desk, mission):
    area = PriorityAreaFactory(strategy=meeting.strategy)
    message = KeyMessageFactory(meeting=meeting, priority_area=area, raised=True, answer="Later")

    action_point = key_message_to_action_point(
        key_message=message,
        text="Follow up on the data strategy",
        owner=mission,
        due_on=datetime.date(2024, 9, 1),
        version=version_token(message),
        user=desk,
        today=AFTER,
    )

    assert action_point.meeting == meeting
    assert action_point.priority_area == area
    assert action_point.owner == mission
    message.refresh_from_db()
    assert message.action_point == action_point
    assert message.history.first().history_change_reason.endswith("became an action point")


def test_key_message_to_action_point_refuses_a_second_conversion(meeting, desk):
    message = KeyMessageFactory(meeting=meeting)
    key_message_to_action_point(
        key_message=message, text="Once", owner=desk, due_on=AFTER, user=desk, today=AFTER
    )

    with pytest.raises(ValidationError) as error:
        key_message_to_action_point(
            key_message=message, text="Twice", owner=desk, due_on=AFTER, user=desk, today=AFTER
        )

    assert error.value.code == "already_action_point"
    assert ActionPoint.objects.filter(meeting=meeting).count() == 1


def test_key_message_to_action_point_refuses_an_owner_off_the_team_and_saves_nothing(meeting, desk):
    message = KeyMessageFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        key_message_to_action_point(
            key_message=message,
            text="Follow up",
            owner=UserFactory(),
            due_on=AFTER,
            user=desk,
            today=AFTER,
        )

    assert "not_on_team" in codes(error, "owner")
    message.refresh_from_db()
    assert message.action_point is None
    assert not ActionPoint.objects.exists()


def test_key_message_to_action_point_refuses_before_the_meeting(meeting, desk):
    message = KeyMessageFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        key_message_to_action_point(
            key_message=message,
            text="Early",
            owner=desk,
            due_on=AFTER,
            user=desk,
            today=HELD - datetime.timedelta(days=3),
        )

    assert error.value.code == "meeting_ahead"


# --- Reads -----------------------------------------------------------------------------------


def test_key_messages_of_meeting_loads_area_and_action_point_in_one_query(
    meeting, django_assert_num_queries
):
    area = PriorityAreaFactory(strategy=meeting.strategy)
    for _ in range(3):
        KeyMessageFactory(
            meeting=meeting,
            priority_area=area,
            action_point=ActionPointFactory(strategy=meeting.strategy, meeting=meeting),
        )

    with django_assert_num_queries(1):
        messages = key_messages_of_meeting(meeting=meeting)
        labels = [(m.priority_area.label, m.action_point.text) for m in messages]

    assert len(labels) == 3


def test_key_messages_grouped_puts_strategy_wide_first_then_areas_in_order(meeting):
    second = PriorityAreaFactory(strategy=meeting.strategy, number=2)
    first = PriorityAreaFactory(strategy=meeting.strategy, number=1)
    KeyMessageFactory(meeting=meeting, priority_area=second, text="On area 2")
    KeyMessageFactory(meeting=meeting, text="Strategy-wide")
    KeyMessageFactory(meeting=meeting, priority_area=first, text="On area 1")

    groups = key_messages_grouped(key_messages_of_meeting(meeting=meeting))

    assert [(g.area, [m.text for m in g.messages]) for g in groups] == [
        (None, ["Strategy-wide"]),
        (first, ["On area 1"]),
        (second, ["On area 2"]),
    ]

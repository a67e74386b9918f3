"""The rules the engagement models keep: in clean() for forms, and in the database as well."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.choices import ActionStatus, ReminderStage
from engagement.models import (
    ActionPoint,
    CalendarToken,
    EngagementChannel,
    GoverningBody,
    Reminder,
    Rhythm,
)
from priorities.choices import DueKind
from strategy_monitor.models import NaturalKeyModel
from tests.engagement.factories import (
    ActionPointFactory,
    EngagementChannelFactory,
    GoverningBodyFactory,
    MeetingFactory,
    MilestoneFactory,
    RhythmFactory,
)
from tests.priorities.factories import PriorityAreaFactory, StrategyFactory, UserFactory
from tests.validation import clean_errors, constraint_codes, constraint_messages

pytestmark = pytest.mark.django_db


def test_action_point_refuses_meeting_of_another_strategy():
    point = ActionPointFactory.build(strategy=StrategyFactory(), meeting=MeetingFactory())
    errors = clean_errors(point)
    assert errors["meeting"][0].code == "other_strategy"
    assert errors["meeting"][0].messages == ["The meeting belongs to another strategy."]


def test_action_point_refuses_priority_area_of_another_strategy():
    point = ActionPointFactory()
    point.priority_area = PriorityAreaFactory()
    errors = clean_errors(point)
    assert errors["priority_area"][0].code == "other_strategy"


def test_action_point_accepts_meeting_and_priority_area_of_its_strategy():
    point = ActionPointFactory()
    point.priority_area = PriorityAreaFactory(strategy=point.strategy)
    point.full_clean()


def test_action_point_may_stand_without_a_meeting():
    ActionPointFactory.build(strategy=StrategyFactory(), meeting=None).full_clean()


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED])
def test_closing_an_action_point_needs_a_closing_note(status):
    point = ActionPointFactory()
    point.status = status
    errors = clean_errors(point)
    assert errors["closing_note"][0].code == "note_required"
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPoint.objects.filter(pk=point.pk).update(status=status)


def test_closing_an_action_point_refuses_blank_closing_note():
    point = ActionPointFactory(status=ActionStatus.DONE, closing_note="Sent on 3 June.")
    point.closing_note = "  "
    assert clean_errors(point)["closing_note"][0].code == "note_required"


def test_closed_action_point_with_closing_note_is_accepted():
    point = ActionPointFactory()
    point.status, point.closing_note = ActionStatus.DONE, "Sent the note to the mission."
    point.full_clean()
    point.save()


@pytest.mark.parametrize("per_year", [Decimal("0"), Decimal("-1")])
def test_engagement_channel_refuses_rhythm_that_is_not_positive(per_year):
    channel = EngagementChannelFactory.build(strategy=StrategyFactory(), per_year=per_year)
    assert constraint_messages(channel) == ["A rhythm is a positive number of meetings a year."]
    assert constraint_codes(channel) == ["not_positive"]
    with pytest.raises(IntegrityError), transaction.atomic():
        channel.save()


def test_engagement_channel_every_second_year_or_unstated():
    for per_year in [Decimal("0.5"), None]:
        EngagementChannelFactory.build(strategy=StrategyFactory(), per_year=per_year).full_clean()


def test_engagement_channel_key_is_unique_per_strategy():
    channel = EngagementChannelFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementChannelFactory(strategy=channel.strategy, key=channel.key)


def test_milestone_refuses_being_reached_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    milestone = MilestoneFactory.build(strategy=StrategyFactory(), done_on=tomorrow)
    errors = clean_errors(milestone)
    assert errors["done_on"][0].code == "future"
    assert errors["done_on"][0].messages == ["A milestone cannot be reached in the future."]


def test_milestone_may_be_reached_today():
    MilestoneFactory.build(strategy=StrategyFactory(), done_on=timezone.localdate()).full_clean()


def test_generated_milestone_key_is_unique_per_strategy():
    milestone = MilestoneFactory(key="annual-consultation-2024")
    duplicate = MilestoneFactory.build(strategy=milestone.strategy, key=milestone.key)
    assert constraint_messages(duplicate) == ["This milestone has already been generated."]
    assert constraint_codes(duplicate) == ["already_generated"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert milestone.is_generated


def test_milestones_entered_by_hand_need_no_key():
    milestone = MilestoneFactory()
    MilestoneFactory(strategy=milestone.strategy).full_clean()
    assert not milestone.is_generated


def test_reminder_is_sent_once_per_item_and_stage():
    fields = {
        "user": UserFactory(),
        "item_type": DueKind.ACTION_POINT,
        "item_id": 7,
        "stage": ReminderStage.DUE_SOON,
        "due_on": datetime.date(2024, 9, 1),
    }
    Reminder.objects.create(**fields)
    duplicate = Reminder(**fields)
    assert constraint_messages(duplicate) == ["This reminder has already been sent."]
    assert constraint_codes(duplicate) == ["already_sent"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    Reminder.objects.create(**{**fields, "stage": ReminderStage.OVERDUE})


def test_calendar_token_selector_is_unique():
    token = CalendarToken.objects.create(user=UserFactory(), selector="abcdefghijkl", secret="s")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarToken.objects.create(user=UserFactory(), selector=token.selector, secret="t")


def test_calendar_token_matches_only_its_own_secret():
    token = CalendarToken(user=UserFactory(), selector="abcdefghijkl", secret="right")
    assert token.token == "abcdefghijklright"
    assert token.matches("right")
    assert not token.matches("wrong")


def test_milestone_is_done_once_it_has_a_date():
    milestone = MilestoneFactory()
    assert not milestone.is_done
    milestone.done_on = datetime.date(2024, 5, 14)
    assert milestone.is_done


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (MeetingFactory, "summary", "Agreed on the reporting format."),
        (ActionPointFactory, "due_on", datetime.date(2024, 10, 1)),
        (MilestoneFactory, "done_on", datetime.date(2024, 5, 14)),
        (EngagementChannelFactory, "frequency", "Twice a year"),
    ],
    ids=["meeting", "action-point", "milestone", "channel"],
)
def test_saving_records_a_change_in_history(make, field, value):
    obj = make()
    before = obj.history.count()
    setattr(obj, field, value)
    obj.save()
    assert obj.history.count() == before + 1
    assert getattr(obj.history.first(), field) == value


def test_every_engagement_model_with_a_natural_key_is_round_tripped():
    models = apps.get_app_config("engagement").get_models()
    assert {model for model in models if issubclass(model, NaturalKeyModel)} == {
        EngagementChannel,
        GoverningBody,
        Rhythm,
    }


def test_governing_body_and_rhythm_natural_keys_find_the_rows_again():
    body = GoverningBodyFactory()
    GoverningBodyFactory(key=body.key)
    assert GoverningBody.objects.get_by_natural_key(*body.natural_key()) == body
    rhythm = RhythmFactory()
    assert Rhythm.objects.get_by_natural_key(*rhythm.natural_key()) == rhythm


def test_engagement_channel_natural_key_finds_the_row_again():
    channel = EngagementChannelFactory()
    EngagementChannelFactory(key=channel.key)
    assert EngagementChannel.objects.get_by_natural_key(*channel.natural_key()) == channel

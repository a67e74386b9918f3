"""Meeting and action point texts are bounded; titles and places are one line."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from engagement.models import ActionPoint, Meeting
from strategy_monitor.validators import TEXT_MAX_LENGTH
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


def test_full_clean_rejects_a_meeting_summary_over_10000_characters(strategy):
    meeting = MeetingFactory(strategy=strategy)
    meeting.summary = TOO_LONG
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert field_codes(caught.value, "summary") == {"max_length"}


def test_database_refuses_a_long_meeting_summary(strategy):
    meeting = MeetingFactory(strategy=strategy)
    meeting.summary = TOO_LONG
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(participants=TOO_LONG)


def test_database_refuses_a_long_action_point(strategy):
    point = ActionPointFactory(strategy=strategy)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPoint.objects.filter(pk=point.pk).update(text=TOO_LONG)


@pytest.mark.parametrize("field", ["title", "location"])
def test_meeting_line_with_a_line_break_is_refused(strategy, field):
    meeting = MeetingFactory(strategy=strategy)
    setattr(meeting, field, "Geneva\r\nSubject: urgent")
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert field_codes(caught.value, field) == {"line_break"}


def test_milestone_title_with_a_line_break_is_refused(strategy):
    milestone = MilestoneFactory(strategy=strategy)
    milestone.title = "Annual consultations\nand more"
    with pytest.raises(ValidationError) as caught:
        milestone.full_clean()
    assert field_codes(caught.value, "title") == {"line_break"}


def test_meeting_form_shows_counters(client_mission, strategy):
    response = client_mission.get(
        reverse("engagement:meeting_create", kwargs={"slug": strategy.slug})
    )
    content = response.content.decode()
    assert 'data-counter-for="id_summary"' in content
    assert "0 of 10,000 characters" in content
    assert 'aria-live="polite"' in content

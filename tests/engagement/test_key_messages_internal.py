"""Key messages, the partner's answers and the minutes never leave through IATI or a calendar."""

import datetime

import pytest
from django.urls import reverse

from engagement.services import calendar_token_get
from reports.builders import iati_build
from reports.render.iati import iati_xml
from tests.engagement.factories import KeyMessageFactory, MeetingFactory
from tests.funding.factories import budget_create

pytestmark = pytest.mark.django_db

MESSAGE = "Internal key message 5c1e: press on the audit"
ANSWER = "Internal answer 9d2b: the partner will report"
MINUTES = "Internal minutes 3f7a: both sides agreed"


@pytest.fixture
def meeting(strategy):
    meeting = MeetingFactory(
        strategy=strategy,
        held_on=datetime.date(2024, 6, 12),
        title="Annual consultation 2024",
        minutes=MINUTES,
        is_illustrative=True,
    )
    KeyMessageFactory(meeting=meeting, text=MESSAGE, raised=True, answer=ANSWER)
    KeyMessageFactory(meeting=meeting, text=MESSAGE + " (illustrative)", is_illustrative=True)
    return meeting


def assert_none_of_it(content: bytes) -> None:
    for text in (MESSAGE, ANSWER, MINUTES, "5c1e", "9d2b", "3f7a"):
        assert text.encode() not in content


def test_calendar_feeds_hold_the_meeting_but_no_key_message_answer_or_minutes(
    client, strategy, desk, meeting
):
    token = calendar_token_get(user=desk).token
    for url in (
        reverse("engagement:user_calendar", args=[token]),
        reverse("engagement:strategy_calendar", args=[strategy.slug, token]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Annual consultation 2024" in response.content
        assert_none_of_it(response.content)


def test_iati_export_holds_no_key_message_answer_or_minutes(strategy, meeting):
    budget_create(strategy)
    for include_illustrative in (False, True):
        activity = iati_build(strategy=strategy, include_illustrative=include_illustrative)
        content = iati_xml(activity)
        assert b"<iati-activity" in content
        assert_none_of_it(content)

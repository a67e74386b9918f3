"""The meetings, milestones and calendar pages in Danish, for a browser that asks for it.

These read the compiled Danish catalogue (`make install`, or `msgfmt` on locale/da).
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from engagement.choices import ActionStatus, MeetingKind
from engagement.services import calendar_token_get, reminders_send
from priorities.models import StrategyYear
from strategy_monitor.models import UserPreference
from tests.engagement.factories import (
    ActionPointFactory,
    KeyMessageFactory,
    MeetingFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db

DANISH = {"HTTP_ACCEPT_LANGUAGE": "da"}


@pytest.fixture
def meeting(strategy, desk):
    meeting = MeetingFactory(
        strategy=strategy,
        kind=MeetingKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2024",
        held_on=datetime.date(2024, 6, 7),
    )
    ActionPointFactory(
        strategy=strategy,
        meeting=meeting,
        owner=desk,
        due_on=datetime.date(2024, 9, 3),
        status=ActionStatus.OPEN,
        text="Send the brief to the department",
    )
    return meeting


def test_meeting_list_reads_in_danish(client_desk, strategy, meeting):
    page = client_desk.get(
        reverse("engagement:meeting_list", args=[strategy.slug]), **DANISH
    ).content.decode()
    assert "<h1>Møder</h1>" in page
    assert "Registrer et møde" in page
    assert "Log a meeting" not in page
    # The table's headers and its kind column, and the date in Danish.
    assert "Åbne opfølgningspunkter" in page
    assert "Open action points" not in page
    assert "Årlig konsultation" in page
    assert "7. jun. 2024" in page
    # Strategy content stays as it was written.
    assert "Annual consultation 2024" in page


def test_meeting_detail_reads_in_danish(client_desk, strategy, meeting):
    page = client_desk.get(
        reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk]), **DANISH
    ).content.decode()
    assert "Opfølgningspunkter" in page
    assert "Internt — deles ikke med partneren" in page
    assert "Internal — not shared with the partner" not in page
    assert "7. juni 2024" in page
    assert "7 June 2024" not in page
    assert "3. sept. 2024" in page
    assert "Send the brief to the department" in page


def test_meeting_detail_stays_english_by_default(client_desk, strategy, meeting):
    page = client_desk.get(
        reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk])
    ).content.decode()
    assert "Internal — not shared with the partner" in page
    assert "7 June 2024" in page
    assert "Opfølgningspunkter" not in page


def test_milestone_list_reads_in_danish(client_desk, strategy):
    MilestoneFactory(strategy=strategy, title="Board session", due_on=datetime.date(2025, 3, 5))
    page = client_desk.get(
        reverse("engagement:milestone_list", args=[strategy.slug]), **DANISH
    ).content.decode()
    assert "<h1>Milepæle</h1>" in page
    assert "Abonner i din kalender" in page
    assert "Subscribe in your calendar" not in page
    assert "Midtvejsgennemgang" in page
    assert "Filtrer milepæle" in page
    assert "5. mar. 2025" in page


def test_generated_milestones_are_planned_in_the_users_language(client_desk, strategy):
    response = client_desk.post(
        reverse("engagement:milestone_generate", args=[strategy.slug]), {}, follow=True, **DANISH
    )
    page = response.content.decode()
    assert "Årlig konsultation 2023" in page or "Konsultation på højt niveau 2023" in page
    assert "Dannede " in page


def test_calendar_page_and_feed_read_in_danish(client_desk, desk, strategy, meeting):
    page = client_desk.get(reverse("engagement:calendar"), **DANISH).content.decode()
    assert "Kalenderabonnementer" in page
    assert "Calendar feeds" not in page
    assert "Forny mine kalenderadresser" in page

    # The feed is read by a calendar client: it follows the owner's setting, not the browser.
    UserPreference.objects.create(user=desk, language="da")
    token = calendar_token_get(user=desk)
    feed = client_desk.get(
        reverse("engagement:user_calendar", args=[token.token]), **DANISH
    ).content
    events = {str(event["UID"]): event for event in Calendar.from_ical(feed).walk("VEVENT")}
    point = next(event for uid, event in events.items() if uid.startswith("action-point-"))
    assert str(point["SUMMARY"]) == "Frist for opfølgningspunkt: Send the brief to the department"
    assert "Aftalt ved: Annual consultation 2024" in str(point["DESCRIPTION"])


def test_form_errors_read_in_danish(client_desk, strategy):
    response = client_desk.post(
        reverse("engagement:meeting_create", args=[strategy.slug]),
        {
            "kind": MeetingKind.ANNUAL_CONSULTATION,
            "held_on": "2040-01-01",
            "action_points-TOTAL_FORMS": "0",
            "action_points-INITIAL_FORMS": "0",
        },
        **DANISH,
    )
    page = response.content.decode()
    assert "Angiv en dato fra 1. januar 2021 til 31. december 2031" in page
    assert "Give a date from" not in page


def test_api_docs_read_in_danish(client_desk):
    page = client_desk.get(reverse("api:docs"), **DANISH).content.decode()
    assert "API (version 1)" in page
    assert "Læseadgang for andre systemer" in page
    assert "Read-only access" not in page


def test_key_messages_and_rhythm_pages_read_in_danish(client_desk, client_admin, strategy, meeting):
    KeyMessageFactory(meeting=meeting, text="Ask for the gender results")
    page = client_desk.get(
        reverse("engagement:keymessage_list", args=[strategy.slug, meeting.pk]), **DANISH
    ).content.decode()
    assert "Danske budskaber til Annual consultation 2024" in page
    assert "Gem budskaberne" in page
    assert "Save key messages" not in page

    page = client_admin.get(
        reverse("engagement:rhythm_setup", args=[strategy.slug]), **DANISH
    ).content.decode()
    assert "Strategiens rytme" in page
    assert "Konsultationer på højt niveau" in page
    assert "Gem rytmen" in page
    assert "Save the rhythm" not in page


def test_the_reminder_reads_in_danish_for_a_user_who_reads_danish(strategy, desk, meeting):
    UserPreference.objects.create(user=desk, language="da")
    StrategyYear.objects.update(state="submitted")
    # The command runs in English; the desk officer still reads Danish.
    with time_machine.travel(datetime.datetime(2024, 8, 30, 6, 0, tzinfo=datetime.UTC), tick=False):
        reminders_send(today=datetime.date(2024, 8, 30), base_url="https://monitor.example.org")
    [message] = mail.outbox
    assert message.subject == "Strategy Monitor: 1 med frist inden for 7 dage"
    assert "Dette punkt i Strategy Monitor har nået sin frist" in message.body
    assert "Frist 3. september 2024" in message.body
    assert "Due 3 September 2024" not in message.body


def test_each_reminder_is_in_its_recipients_language_whoever_runs_it(
    strategy, desk, mission, meeting
):
    UserPreference.objects.create(user=desk, language="da")
    ActionPointFactory(
        strategy=strategy,
        meeting=meeting,
        owner=mission,
        due_on=datetime.date(2024, 9, 3),
        status=ActionStatus.OPEN,
        text="Ask for the figures",
    )
    StrategyYear.objects.update(state="submitted")
    with (
        time_machine.travel(datetime.datetime(2024, 8, 30, 6, 0, tzinfo=datetime.UTC), tick=False),
        translation.override("da"),
        CaptureQueriesContext(connection) as queries,
    ):
        reminders_send(today=datetime.date(2024, 8, 30), base_url="https://monitor.example.org")
    mails = {message.to[0]: message for message in mail.outbox}
    assert "Frist 3. september 2024" in mails[desk.email].body
    assert "Due 3 September 2024" in mails[mission.email].body
    assert "Frist" not in mails[mission.email].body
    # The languages are read once for all the recipients.
    preference_table = UserPreference._meta.db_table
    assert sum(preference_table in query["sql"] for query in queries.captured_queries) == 1


def _feed_strings(client, url: str) -> tuple[str, str, dict]:
    response = client.get(url, **DANISH)
    calendar = Calendar.from_ical(response.content)
    events = {str(event["UID"]): str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    return response["Content-Language"], str(calendar["X-WR-CALDESC"]), events


def test_a_feed_is_written_in_its_owners_language_not_the_calendar_clients(
    client, desk, strategy, meeting
):
    token = calendar_token_get(user=desk).token
    own = reverse("engagement:user_calendar", args=[token])
    shared = reverse("engagement:strategy_calendar", args=[strategy.slug, token])

    # The owner has chosen no language: the feed is English, whatever the client asks for.
    language, description, events = _feed_strings(client, own)
    assert language == "en-gb"
    assert description.startswith("Your action points")
    point = next(summary for uid, summary in events.items() if uid.startswith("action-point-"))
    assert point == "Action point due: Send the brief to the department"
    language, description, _events = _feed_strings(client, shared)
    assert language == "en-gb"
    assert description.startswith("Milestones, meetings and open action points")

    UserPreference.objects.create(user=desk, language="da")
    language, description, events = _feed_strings(client, own)
    assert language == "da"
    assert "Your action points" not in description
    point = next(summary for uid, summary in events.items() if uid.startswith("action-point-"))
    assert point == "Frist for opfølgningspunkt: Send the brief to the department"
    language, description, _events = _feed_strings(client, shared)
    assert language == "da"
    assert "Milestones, meetings" not in description


def test_api_schema_reads_in_danish_and_keeps_its_keys(client_desk):
    schema = client_desk.get(reverse("api:schema"), **DANISH).content.decode()
    assert "Liste over strategier" in schema
    assert "List strategies" not in schema
    assert "modified_since" in schema
    english = client_desk.get(reverse("api:schema")).content.decode()
    assert "List strategies" in english

"""The iCalendar feeds: valid, parsed back, refused with a wrong or renewed token, no login."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from engagement.choices import ActionStatus
from engagement.services import calendar_token_get, calendar_token_renew
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_feed_url(token: str) -> str:
    return reverse("engagement:user_calendar", args=[token])


def strategy_feed_url(strategy, token: str) -> str:
    return reverse("engagement:strategy_calendar", args=[strategy.slug, token])


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def assert_valid(calendar: Calendar) -> None:
    """Check what RFC 5545 requires of a calendar and its events, and our all-day dates."""
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert "Strategy Monitor" in str(calendar["PRODID"])
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in calendar.walk("VEVENT"):
        stamp = event["DTSTAMP"].dt
        assert isinstance(stamp, datetime.datetime)
        assert stamp.utcoffset() == datetime.timedelta(0)
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is datetime.date
        assert end == start + datetime.timedelta(days=1)
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert str(event["SUMMARY"])
        assert str(event["URL"]).startswith("http://testserver/strategies/")
        assert str(event["UID"]).endswith("@strategy-monitor")


@pytest.fixture
def agenda(strategy, other_strategy, desk, finance):
    meeting = MeetingFactory(
        strategy=strategy, title="Annual consultation 2024", held_on=datetime.date(2024, 6, 12)
    )
    return {
        "meeting": meeting,
        "desk_point": ActionPointFactory(
            strategy=strategy,
            meeting=meeting,
            owner=desk,
            text="Send the brief to the department",
            due_on=datetime.date(2024, 9, 1),
        ),
        "finance_point": ActionPointFactory(
            strategy=strategy, meeting=meeting, owner=finance, due_on=datetime.date(2024, 10, 1)
        ),
        "closed_point": ActionPointFactory(
            strategy=strategy,
            meeting=meeting,
            owner=desk,
            status=ActionStatus.DONE,
            closing_note="Done.",
        ),
        "desk_milestone": MilestoneFactory(
            strategy=strategy,
            owner=desk,
            title="Mid-term review",
            due_on=datetime.date(2024, 12, 31),
        ),
        "unowned_milestone": MilestoneFactory(strategy=strategy, owner=None),
        "finance_milestone": MilestoneFactory(strategy=strategy, owner=finance),
        "other_meeting": MeetingFactory(strategy=other_strategy),
    }


def test_user_feed_holds_own_action_points_milestones_and_strategy_meetings(client, desk, agenda):
    token = calendar_token_get(user=desk).token
    calendar = parse(client.get(user_feed_url(token)))
    assert_valid(calendar)
    found = events(calendar)
    assert set(found) == {
        f"meeting-{agenda['meeting'].pk}@strategy-monitor",
        f"action-point-{agenda['desk_point'].pk}@strategy-monitor",
        f"milestone-{agenda['desk_milestone'].pk}@strategy-monitor",
        f"milestone-{agenda['unowned_milestone'].pk}@strategy-monitor",
    }
    point = found[f"action-point-{agenda['desk_point'].pk}@strategy-monitor"]
    assert str(point["SUMMARY"]) == "Action point due: Send the brief to the department"
    assert point["DTSTART"].dt == datetime.date(2024, 9, 1)
    assert "Agreed at: Annual consultation 2024" in str(point["DESCRIPTION"])
    assert str(point["URL"]) == (
        "http://testserver"
        + reverse("engagement:meeting_detail", args=["test-2023-2026", agenda["meeting"].pk])
        + f"#action-{agenda['desk_point'].pk}"
    )
    meeting = found[f"meeting-{agenda['meeting'].pk}@strategy-monitor"]
    assert str(meeting["LOCATION"]) == "Geneva"
    assert str(meeting["TRANSP"]) == "OPAQUE"
    assert str(point["TRANSP"]) == "TRANSPARENT"


def test_uids_stay_the_same_when_a_date_moves(client, desk, agenda):
    token = calendar_token_get(user=desk).token
    before = set(events(parse(client.get(user_feed_url(token)))))
    milestone = agenda["desk_milestone"]
    milestone.due_on = datetime.date(2024, 11, 30)
    milestone.save()
    after = events(parse(client.get(user_feed_url(token))))
    assert set(after) == before
    assert after[f"milestone-{milestone.pk}@strategy-monitor"]["DTSTART"].dt == milestone.due_on


def test_strategy_feed_holds_all_milestones_meetings_and_open_action_points(
    client, strategy, mission, agenda
):
    token = calendar_token_get(user=mission).token
    calendar = parse(client.get(strategy_feed_url(strategy, token)))
    assert_valid(calendar)
    uids = set(events(calendar))
    assert f"action-point-{agenda['finance_point'].pk}@strategy-monitor" in uids
    assert f"milestone-{agenda['finance_milestone'].pk}@strategy-monitor" in uids
    assert f"action-point-{agenda['closed_point'].pk}@strategy-monitor" not in uids
    assert f"meeting-{agenda['other_meeting'].pk}@strategy-monitor" not in uids
    assert strategy.title in str(calendar["X-WR-CALNAME"])


def test_manager_may_subscribe_to_any_strategy(client, strategy, manager, agenda):
    token = calendar_token_get(user=manager).token
    assert client.get(strategy_feed_url(strategy, token)).status_code == 200


def test_strategy_feed_is_refused_to_a_user_who_may_not_see_the_strategy(
    client, strategy, outsider, agenda
):
    token = calendar_token_get(user=outsider).token
    assert client.get(strategy_feed_url(strategy, token)).status_code == 404


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:12],
        lambda token: token[:12] + "x" * 43,
        lambda token: "x" * 12 + token[12:],
        lambda token: "nothing",
    ],
)
def test_feed_is_refused_with_a_wrong_token(client, strategy, desk, mangle):
    token = calendar_token_get(user=desk).token
    assert client.get(user_feed_url(mangle(token))).status_code == 404
    assert client.get(strategy_feed_url(strategy, mangle(token))).status_code == 404


def test_feed_is_refused_with_a_renewed_token(client, strategy, desk):
    old = calendar_token_get(user=desk).token
    new = calendar_token_renew(user=desk).token
    assert client.get(user_feed_url(old)).status_code == 404
    assert client.get(strategy_feed_url(strategy, old)).status_code == 404
    assert client.get(user_feed_url(new)).status_code == 200


def test_feed_of_a_deactivated_user_is_refused(client, desk):
    token = calendar_token_get(user=desk).token
    desk.is_active = False
    desk.save()
    assert client.get(user_feed_url(token)).status_code == 404


def test_feed_of_an_unknown_strategy_is_not_found(client, desk):
    token = calendar_token_get(user=desk).token
    url = reverse("engagement:strategy_calendar", args=["no-such-strategy", token])
    assert client.get(url).status_code == 404


def test_feeds_work_without_a_session_login(strategy, desk):
    anonymous = Client()
    token = calendar_token_get(user=desk).token
    assert anonymous.get(user_feed_url(token)).status_code == 200
    assert anonymous.get(strategy_feed_url(strategy, token)).status_code == 200
    # The pages around the feeds still need a login.
    assert anonymous.get(reverse("engagement:calendar")).status_code == 302


def test_calendar_page_shows_the_addresses_and_renews_them(client_desk, strategy, desk):
    response = client_desk.get(reverse("engagement:calendar"))
    token = calendar_token_get(user=desk).token
    assert f"http://testserver{user_feed_url(token)}" in response.text
    assert f"http://testserver{strategy_feed_url(strategy, token)}" in response.text

    response = client_desk.post(reverse("engagement:calendar_renew"), follow=True)
    new = calendar_token_get(user=desk).token
    assert new != token
    assert "The old ones no longer work" in response.text
    assert f"http://testserver{user_feed_url(new)}" in response.text
    assert user_feed_url(token) not in response.text


def test_calendar_renewal_needs_a_post(client_desk, desk):
    token = calendar_token_get(user=desk).token
    assert client_desk.get(reverse("engagement:calendar_renew")).status_code == 405
    assert calendar_token_get(user=desk).token == token


def test_calendar_renewal_needs_a_login(client):
    response = client.post(reverse("engagement:calendar_renew"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rows", [2, 20])
def test_user_feed_query_count(client, strategy, desk, django_assert_num_queries, rows):
    for _ in range(rows):
        meeting = MeetingFactory(strategy=strategy)
        ActionPointFactory(strategy=strategy, meeting=meeting, owner=desk)
        MilestoneFactory(strategy=strategy, owner=desk)
    token = calendar_token_get(user=desk).token
    # token with its user; the user's groups (which strategies they may see today);
    # milestones, meetings, action points
    with django_assert_num_queries(5):
        calendar = parse(client.get(user_feed_url(token)))
    assert len(calendar.walk("VEVENT")) == rows * 3


@pytest.mark.parametrize("rows", [2, 20])
def test_strategy_feed_query_count(client, strategy, desk, django_assert_num_queries, rows):
    for _ in range(rows):
        meeting = MeetingFactory(strategy=strategy)
        ActionPointFactory(strategy=strategy, meeting=meeting, owner=UserFactory())
        MilestoneFactory(strategy=strategy, owner=UserFactory())
    token = calendar_token_get(user=desk).token
    # token with its user; strategy; user's team roles (may the user see it: a team member's
    # groups are not read); milestones, meetings, action points
    with django_assert_num_queries(6):
        calendar = parse(client.get(strategy_feed_url(strategy, token)))
    assert len(calendar.walk("VEVENT")) == rows * 3

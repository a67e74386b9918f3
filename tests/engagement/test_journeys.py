"""Browser journey in headless Chromium: a consultation logged, its action points followed up."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

from engagement.models import ActionPoint
from priorities.models import StrategyYear
from tests.priorities.factories import PriorityAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = [
    ("desk", "Send the consultation brief to the department", "2024-09-30"),
    ("finance", "Agree a reporting format for the softly earmarked funds", "2024-10-15"),
    ("mission", "Draft the terms of reference for the mid-term review", "2024-11-29"),
]


def test_mission_logs_the_2024_consultation_and_owners_follow_up(
    page, live_server, browser_login, playwright, strategy, desk, finance, mission
):
    PriorityAreaFactory(strategy=strategy, number=1, title="Organizational effectiveness")
    StrategyYear.objects.update(state="submitted")

    # Mission staff log the consultation with three action points.
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Log a meeting").click()
    page.get_by_label("Kind").select_option(label="Annual consultation")
    page.locator("#id_held_on").fill("2024-06-12")
    page.get_by_label("Location").fill("Geneva")
    page.get_by_label("Participants").fill("Permanent Mission in Geneva; IOM senior management")
    page.get_by_label("Summary").fill(
        "Progress in 2023 and the preparation of the mid-term review."
    )
    page.get_by_label("Priority area 1: Organizational effectiveness").check()
    for index, (owner, text, due) in enumerate(POINTS):
        page.locator(f"#id_action_points-{index}-text").fill(text)
        page.locator(f"#id_action_points-{index}-owner").select_option(label=owner)
        page.locator(f"#id_action_points-{index}-due_on").fill(due)
    page.get_by_role("button", name="Log the meeting").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Logged “Annual consultation 2024” with 3 action points."
    )
    expect(page.get_by_role("heading", name="Annual consultation 2024")).to_be_visible()
    expect(page.locator("table.action-points tbody tr")).to_have_count(3)
    assert ActionPoint.objects.filter(owner=desk).count() == 1

    # The desk officer sees the point on "My tasks" and follows its link to the meeting.
    page.get_by_role("button", name="Log out").click()
    browser_login(page, "desk")
    page.get_by_role("link", name="My tasks").click()
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    link = page.get_by_role("link", name=POINTS[0][1]).first
    expect(link).to_be_visible()
    expect(page.get_by_role("link", name=POINTS[1][1])).to_have_count(0)
    link.click()
    expect(page.get_by_role("heading", name="Annual consultation 2024")).to_be_visible()

    # ... and in the calendar feed, which a calendar program reads without logging in.
    page.get_by_role("link", name="My tasks").click()
    page.get_by_role("link", name="Subscribe in your calendar").click()
    address = page.get_by_label("Address of your feed").input_value()
    assert address.startswith(f"{live_server.url}/calendar/")
    calendar_program = playwright.request.new_context()
    response = calendar_program.get(address)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert f"Action point due: {POINTS[0][1]}" in summaries
    assert "Annual consultation 2024" in summaries
    calendar_program.dispose()

    # The daily reminder tells each owner when their point falls due, and only once.
    with time_machine.travel(datetime.datetime(2024, 9, 25, 6, 0, tzinfo=datetime.UTC)):
        call_command("send_reminders", base_url=live_server.url)
        call_command("send_reminders", base_url=live_server.url)
    assert [message.to for message in mail.outbox] == [["desk@example.org"]]
    assert POINTS[0][1] in mail.outbox[0].body
    with time_machine.travel(datetime.datetime(2024, 10, 10, 6, 0, tzinfo=datetime.UTC)):
        call_command("send_reminders", base_url=live_server.url)
    assert [message.to for message in mail.outbox] == [
        ["desk@example.org"],
        ["desk@example.org"],
        ["finance@example.org"],
    ]
    assert "OVERDUE" in mail.outbox[1].body

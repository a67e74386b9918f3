"""Browser journey: key messages drafted, their outcome recorded, one made an action point."""

import datetime

import pytest
from playwright.sync_api import expect

from engagement.models import ActionPoint, KeyMessage
from tests.engagement.factories import MeetingFactory
from tests.priorities.factories import PriorityAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Ask IOM how the internal audit findings will be followed up"
SECOND = "Welcome the new data strategy and ask for its first results"
ANSWER = "IOM will share the follow-up plan with donors in September."


def test_mission_drafts_key_messages_records_the_outcome_and_makes_an_action_point(
    page, live_server, browser_login, strategy, desk, mission
):
    area = PriorityAreaFactory(strategy=strategy, number=1, title="Organizational effectiveness")
    meeting = MeetingFactory(
        strategy=strategy, held_on=datetime.date(2024, 6, 12), title="Annual consultation 2024"
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # Before the meeting: the mission drafts two key messages, one of them for a priority area.
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/meetings/{meeting.pk}/")
    expect(page.get_by_text("No key messages drafted for this meeting.")).to_be_visible()
    page.get_by_role("link", name="Draft key messages").click()
    # One blank row shows; the next comes with "Add another row", without inline script.
    expect(page.locator("#id_new-1-text")).to_be_hidden()
    page.locator("#id_new-0-text").fill(FIRST)
    page.get_by_role("button", name="Add another row").click()
    page.locator("#id_new-1-text").fill(SECOND)
    page.locator("#id_new-1-priority_area").select_option(label=area.label)
    page.get_by_role("button", name="Save key messages").click()

    expect(page.get_by_role("status")).to_contain_text("Saved the key messages")
    section = page.locator("section", has=page.locator("#key-messages"))
    expect(section.get_by_text("Internal — not shared with the partner")).to_be_visible()
    expect(section.get_by_text(FIRST)).to_be_visible()
    expect(section.get_by_text(SECOND)).to_be_visible()
    expect(section.get_by_text("Not yet recorded")).to_have_count(2)
    first = KeyMessage.objects.get(text=FIRST)
    second = KeyMessage.objects.get(text=SECOND)
    assert second.priority_area == area

    # After the meeting: the first point was raised and answered, the second not.
    page.get_by_role("link", name="Record the outcome").click()
    page.locator(f"#id_message-{first.pk}-raised_1").check()
    page.locator(f"#id_message-{first.pk}-answer").fill(ANSWER)
    page.locator(f"#id_message-{second.pk}-raised_2").check()
    page.get_by_role("button", name="Save the outcome").click()

    expect(page.get_by_role("status")).to_contain_text("Recorded what came of the key messages")
    item = page.locator(f"#key-message-{first.pk}")
    expect(item.get_by_text("Raised", exact=True)).to_be_visible()
    expect(item.get_by_text(ANSWER)).to_be_visible()
    expect(page.locator(f"#key-message-{second.pk}").get_by_text("Not raised")).to_be_visible()

    # The raised point becomes an action point in one step, its text filled in already.
    item.get_by_role("link", name="Make an action point").click()
    expect(page.get_by_label("Action point")).to_have_value(FIRST)
    page.get_by_label("Action point").fill("Follow up on the internal audit findings with IOM")
    page.get_by_label("Owner").select_option(label="desk")
    page.get_by_label("Due date").fill("2024-09-30")
    page.get_by_role("button", name="Make the action point").click()

    expect(page.get_by_role("status")).to_contain_text("The key message is now an action point.")
    point = ActionPoint.objects.get()
    assert point.owner == desk
    first.refresh_from_db()
    assert first.action_point == point
    link = page.locator(f"#key-message-{first.pk}").get_by_role("link", name="Follow up")
    expect(link).to_be_visible()

    # It is on the strategy's list of action points.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/action-points/")
    expect(page.get_by_text("Follow up on the internal audit findings with IOM")).to_be_visible()
    assert not [error for error in errors if "Content Security Policy" in error], errors

"""Browser journey in headless Chromium: a partner's board and a strategy's rhythm set up."""

import pytest
from playwright.sync_api import expect

from engagement.models import Meeting, Milestone, Rhythm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_sets_the_rhythm_and_mission_logs_a_board_session(
    page, live_server, browser_login, strategy, admin_user, mission
):
    # The administrator adds the partner's board and sets the consultations on the set-up tab.
    browser_login(page, "administrator")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/setup/rhythm/")
    expect(page.get_by_role("link", name="Rhythm")).to_have_attribute("aria-current", "page")
    expect(page.locator("#dialogue-state")).to_contain_text("no allocation dialogue is planned")
    page.locator("#id_new-body-name").fill("Executive Board")
    page.locator("#id_new-body-sessions_per_year").fill("2")
    page.locator("#id_new-body-session_dates").fill("02-01, 05-31")
    page.get_by_label("In the years listed").check()
    page.locator("#id_rhythm-high_level_years").fill("2024, 2026")
    page.get_by_label("the years are an assumption").uncheck()
    page.get_by_role("button", name="Save the rhythm").click()
    expect(page.get_by_role("status")).to_contain_text("Governing bodies and rhythm saved")
    expect(page.get_by_role("heading", name="Executive Board")).to_be_visible()
    rhythm = Rhythm.objects.get(strategy=strategy)
    assert [body.name for body in rhythm.bodies.all()] == ["Executive Board"]

    # Mission staff generate the milestones: the board's sessions are among them.
    page.get_by_role("button", name="Log out").click()
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/milestones/")
    page.get_by_role("button", name="Generate milestones").click()
    expect(page.get_by_role("status")).to_contain_text("Generated")
    assert Milestone.objects.filter(strategy=strategy, body__name="Executive Board").count() == 8
    expect(page.locator(".rhythm-assumption")).to_contain_text("2024, 2026")

    # ... and log a session of the board, chosen among the partner's bodies.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/meetings/new/")
    page.get_by_label("Kind").select_option(label="Governing body session")
    page.get_by_label("Governing body").select_option(label="Executive Board")
    page.locator("#id_held_on").fill("2024-02-01")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Logged “Executive Board 2024”")
    assert Meeting.objects.get(strategy=strategy).body.name == "Executive Board"

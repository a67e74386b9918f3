"""Browser journey in headless Chromium: a refused form's error summary takes the focus, and
each of its links puts the cursor in the field it names, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_error_summary_takes_the_focus_and_leads_to_each_field(
    width, page, live_server, browser_login, mission, strategy
):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/meetings/new/")
    page.get_by_label("Action point", exact=True).first.fill("Send the figures")
    page.get_by_role("button", name="Log the meeting").click()

    summary = page.locator("[data-error-summary]")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # The main form's problems come first, then the action-point row's, named by its row.
    links = summary.get_by_role("link")
    expect(links.first).to_have_text("Kind: This field is required.")
    summary.get_by_role("link", name="Row 1 · Owner: Choose who owns the action point.").click()
    expect(page.locator("#id_action_points-0-owner")).to_be_focused()
    summary.get_by_role("link", name="Date: This field is required.").click()
    expect(page.locator("#id_held_on")).to_be_focused()

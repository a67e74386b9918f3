"""Browser journeys in headless Chromium: logging in and reading a strategy."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_officer_logs_in_and_reads_the_overview(
    page, live_server, browser_login, desk, strategy
):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    browser_login(page, "desk")
    # The login lands on the desk officer's own queue; the portfolio is one click away.
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Organisation strategies")).to_be_visible()
    page.get_by_role("link", name=strategy.title).click()
    expect(page.get_by_role("heading", name="Front page")).to_be_visible()
    expect(page.get_by_role("heading", name=strategy.title)).to_be_visible()
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_wrong_password_is_refused_with_a_message(page, live_server, desk):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill("desk")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert").first).to_contain_text("correct username and password")

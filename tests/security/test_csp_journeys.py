"""In Chromium, the pages, the charts and the admin keep to the Content Security Policy.

Chromium reports every refused inline script, style, frame or connection on the console; a
page that needs something the policy forbids would show it there, or fail to draw its charts.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.priorities.factories import UserFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:
    """Collect console errors and uncaught page errors, CSP refusals among them."""
    problems: list[str] = []

    def console(message) -> None:
        # The admin's pages name no icon, so Chromium asks for /favicon.ico, which is absent.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_chart_pages_draw_their_charts_within_the_policy(
    page, live_server, browser_login, desk, strategy
):
    risk = RiskFactory(strategy=strategy, rated=True)
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2024, 3, 1), likelihood=4, impact=4)
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2024, 9, 1), likelihood=2, impact=3)
    problems = watch(page)
    browser_login(page, "desk")
    for path in (
        f"/strategies/{strategy.slug}/dashboard/",
        f"/strategies/{strategy.slug}/risks/{risk.pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("div.chart.chart-ready").first).to_be_visible(timeout=20_000)
    assert not problems, problems


def test_the_admin_works_within_the_policy(page, live_server, strategy):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    problems = watch(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    for path in (
        "/admin/priorities/strategy/",
        f"/admin/priorities/strategy/{strategy.pk}/change/",
        "/admin/priorities/office/add/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    # The admin's own scripts run: the date widget's calendar link is added by JavaScript.
    expect(page.locator(".datetimeshortcuts").first).to_be_attached()
    assert not problems, problems

"""Smoke journeys against the production set-up: gunicorn, DEBUG off, PostgreSQL.

They run only where E2E_BASE_URL names a running server holding the IOM strategy and the demo
users (with E2E_PASSWORD), as .ci/run provides; the other browser journeys build their own
data in the test database, which an outside server cannot see, and run against live_server.
"""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

SLUG = os.environ.get("E2E_STRATEGY", "iom-2023-2026")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def watched(page, e2e_url):
    """Return what went wrong in the browser: console errors, page errors, requests leaving."""
    seen: dict[str, list[str]] = {"errors": [], "outside": []}
    page.on(
        "console",
        lambda message: seen["errors"].append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(e2e_url) else seen["outside"].append(request.url)
        ),
    )
    return seen


def login(page, e2e_url: str, username: str, password: str) -> None:
    page.goto(f"{e2e_url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def visit(page, url: str, heading: str | None = None):
    """Open `url`, check it answered 200 with the security headers, and return the response."""
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"], url
    assert headers["x-frame-options"] == "DENY", url
    assert headers["x-content-type-options"] == "nosniff", url
    assert headers["referrer-policy"] == "same-origin", url
    if heading:
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    return response


def test_health_check_reports_the_database(page, e2e_url):
    response = page.request.get(f"{e2e_url}/healthz")
    assert response.status == 200
    assert response.json() == {"status": "ok", "database": "ok", "maintenance": False}


def test_desk_officer_walks_the_key_pages(page, e2e_url, e2e_password, watched):
    login(page, e2e_url, "desk", e2e_password)
    pages = [
        reverse("priorities:strategy_detail", args=[SLUG]),
        reverse("priorities:priorityarea_detail", args=[SLUG, 1]),
        reverse("funding:budget", args=[SLUG]),
        reverse("risks:risk_list", args=[SLUG]),
        reverse("engagement:meeting_list", args=[SLUG]),
        reverse("reports:my_tasks"),
    ]
    for path in pages:
        visit(page, e2e_url + path)
        expect(page.locator("main h1").first).to_be_visible()
    # The heat map is a table coloured by band; the charts draw within the policy.
    visit(page, e2e_url + reverse("risks:heatmap", args=[SLUG]))
    expect(page.locator("table.heatmap").first).to_be_visible()
    visit(page, e2e_url + reverse("reports:strategy_dashboard", args=[SLUG]))
    expect(page.locator("div.chart.chart-ready").first).to_be_visible(timeout=30_000)
    assert not watched["errors"], watched["errors"]
    assert not watched["outside"], watched["outside"]


def test_downloads_arrive_with_their_type(page, e2e_url, e2e_password):
    login(page, e2e_url, "mission", e2e_password)
    table = page.request.get(e2e_url + reverse("risks:risk_list", args=[SLUG]) + "?_export=csv")
    assert table.status == 200
    assert table.headers["content-type"].startswith("text/csv")
    workbook = page.request.get(e2e_url + reverse("reports:workbook_download", args=[SLUG]))
    assert workbook.status == 200
    assert workbook.headers["content-type"] == XLSX
    assert workbook.headers["content-disposition"].startswith("attachment")
    assert workbook.body()[:2] == b"PK"


def test_manager_reads_the_portfolio(page, e2e_url, e2e_password, watched):
    login(page, e2e_url, "manager", e2e_password)
    visit(page, e2e_url + reverse("home"))
    expect(page.locator("div.chart.chart-ready").first).to_be_visible(timeout=30_000)
    assert not watched["errors"], watched["errors"]


def test_outsiders_are_sent_to_the_login_and_a_wrong_role_is_refused(page, e2e_url, e2e_password):
    response = page.goto(e2e_url + reverse("funding:budget", args=[SLUG]))
    assert "/login/" in page.url and response.status == 200
    login(page, e2e_url, "mission", e2e_password)
    refused = page.goto(e2e_url + reverse("funding:commitment_create", args=[SLUG]))
    assert refused.status == 403
    expect(page.get_by_role("heading", name="You may not open this page")).to_be_visible()

"""Browser journey in headless Chromium: a desk officer rates, re-rates and closes risks."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.risks.factories import RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_officer_rates_re_rates_and_closes_risks_and_the_heat_map_shows_it(
    page, live_server, browser_login, desk, strategy
):
    weak_core = RiskFactory(strategy=strategy, title="Weak core structure", category="")
    RiskFactory(strategy=strategy, title="Budget reform may fail", category="")
    today = timezone.localdate()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    browser_login(page, "desk")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/risks/")
    expect(page.get_by_role("heading", name="Risk register")).to_be_visible()
    expect(page.locator("table.register")).to_contain_text("Not yet rated")

    # Rate the unrated risk.
    page.get_by_role("link", name="Weak core structure").click()
    expect(page.locator("#current-inherent")).to_contain_text("Not yet rated")
    page.get_by_role("link", name="Rate this risk").click()
    page.get_by_label("Date of rating").fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_role("combobox", name="Likelihood", exact=True).select_option("4")
    page.get_by_role("combobox", name="Impact", exact=True).select_option("3")
    page.get_by_label("Residual likelihood").select_option("2")
    page.get_by_label("Residual impact").select_option("3")
    page.get_by_label("Note").fill("First rating under the strategy.")
    page.get_by_label("Next review").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Record rating").click()
    expect(page.get_by_role("status")).to_contain_text("It is the current rating")
    expect(page.locator("#current-inherent")).to_contain_text("4 × 3 = 12")

    # Re-rate it: a new dated record, the first one kept.
    page.get_by_role("link", name="Re-rate").click()
    page.get_by_label("Date of rating").fill(today.isoformat())
    page.get_by_role("combobox", name="Likelihood", exact=True).select_option("5")
    page.get_by_role("combobox", name="Impact", exact=True).select_option("4")
    page.get_by_label("Residual likelihood").select_option("4")
    page.get_by_label("Residual impact").select_option("3")
    page.get_by_label("Note").fill("Budget reform postponed.")
    page.get_by_role("button", name="Record rating").click()
    expect(page.locator("#current-inherent")).to_contain_text("5 × 4 = 20")
    history = page.locator("#rating-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Budget reform postponed.")
    expect(history.nth(1)).to_contain_text("First rating under the strategy.")
    expect(
        page.locator('div.chart[data-figure="risk-score-chart"] .main-svg').first
    ).to_be_visible()

    # Close the other risk: the reason is required.
    page.get_by_role("link", name="Risk register").first.click()
    page.get_by_role("link", name="Budget reform may fail").click()
    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_role("button", name="Close risk").click()
    expect(page.locator(".errorlist")).to_contain_text("Give the reason for closing the risk.")
    page.get_by_label("Reason for closing").fill("The reform was adopted by the Council.")
    page.get_by_role("button", name="Close risk").click()
    expect(page.get_by_role("status")).to_contain_text("closed")
    expect(page.locator(".facts")).to_contain_text("The reform was adopted by the Council.")

    # The heat map places the re-rated risk and leaves the closed one out.
    page.get_by_role("link", name="Risk register").first.click()
    page.get_by_role("link", name="Heat map").click()
    expect(page.locator("#matrix-inherent")).to_be_visible()
    expect(page.locator("#inherent-5-4")).to_have_class(re.compile(r"band-fill-critical"))
    expect(page.locator("#inherent-5-4")).to_contain_text("Weak core structure")
    expect(page.locator("#residual-4-3")).to_contain_text("Weak core structure")
    expect(page.locator("#not-placed")).to_contain_text("Every open risk is rated")
    expect(page.locator(".matrix-tables")).not_to_contain_text("Budget reform may fail")
    expect(page.locator("#inherent-5-4 a")).to_have_attribute(
        "href", re.compile(rf"/risks/{weak_core.pk}/$")
    )

    assert requested, "the browser made no requests"
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert not outside, outside

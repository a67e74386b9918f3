"""Browser journeys in headless Chromium: a manager reads both dashboards, fully offline."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Plotly draws bars as `.bars .point` inside a `.trace`, lines and markers as `.trace`, and
# heat maps as `.hm` groups; every chart must hold at least one of them.
TRACE_SELECTOR = ".plot .trace, .bars .point, .heatmaplayer .hm"


@pytest.fixture
def iom_with_demo():
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    # A fixed day inside the period, so the journey sees the same data whatever the date.
    call_command("load_demo", password="pw", as_of=datetime.date(2026, 6, 30), stdout=io.StringIO())


def watch(page, live_server) -> dict[str, list[str]]:
    """Record requests leaving the application, console errors and uncaught page errors."""
    seen: dict[str, list[str]] = {"outside": [], "errors": []}
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else seen["outside"].append(request.url)
        ),
    )
    page.on(
        "console",
        lambda message: seen["errors"].append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def expect_every_chart_drawn(page, count: int) -> None:
    charts = page.locator("div.chart[data-figure]")
    expect(charts).to_have_count(count)
    expect(page.locator("div.chart.chart-ready")).to_have_count(count, timeout=20_000)
    for index in range(count):
        chart = charts.nth(index)
        expect(chart.locator(".main-svg").first).to_be_attached()
        expect(chart.locator(TRACE_SELECTOR).first).to_be_attached()


def test_manager_reads_the_portfolio_and_the_strategy_dashboard_offline(
    page, live_server, browser_login, iom_with_demo
):
    seen = watch(page, live_server)
    browser_login(page, "manager")

    # Logging in lands on My tasks; the portfolio is one click away in the header.
    assert page.url == f"{live_server.url}/my/"
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Portfolio dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".illustrative-banner")).to_be_visible()
    expect_every_chart_drawn(page, 2)
    expect(page.locator("#chart-money-caption")).to_contain_text("DKK million")
    expect(
        page.locator(
            'div.chart[data-figure="chart-money"] .annotation-text', has_text="Illustrative data"
        )
    ).to_be_attached()
    expect(page.locator("table.rating-matrix")).to_contain_text("Some delays")

    page.get_by_role("link", name="Dashboard of IOM 2023-2026").click()
    expect(page.get_by_role("heading", name="Budget execution")).to_be_visible()
    expect_every_chart_drawn(page, 6)
    expect(page.locator("#home-rank")).to_contain_text("4 of 15 donors")
    expect(page.locator("#unearmarked-share")).to_contain_text("1.7 %")

    # The plain-table alternative opens under its chart.
    page.locator("#chart-budget-caption ~ details summary").click()
    expect(page.locator("table.budget-execution")).to_be_visible()

    assert seen["outside"] == []
    assert seen["errors"] == []


def test_desk_officer_of_another_strategy_cannot_open_the_dashboard(
    page, live_server, browser_login, desk, strategy, other_strategy
):
    browser_login(page, "desk")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name=strategy.title)).to_be_visible()
    expect(page.get_by_text(other_strategy.title)).to_have_count(0)
    response = page.goto(f"{live_server.url}/strategies/{other_strategy.slug}/dashboard/")
    assert response.status == 403


def test_strategy_heat_map_fills_placed_cells_in_their_band_and_prints_count_and_band(
    page, live_server, browser_login, iom_with_demo
):
    browser_login(page, "manager")
    page.goto(f"{live_server.url}/strategies/iom-2023-2026/dashboard/")
    chart = page.locator('div.chart[data-figure="chart-heatmap"]')
    expect(chart).to_have_class(re.compile(r"chart-ready"), timeout=20_000)
    # Inherent: 4×4 and 3×4 high, 3×3 (two risks) medium, 5×3 high; the cell text is the
    # count over the band's name, and cells without risks print nothing.
    cell_texts = chart.locator(".heatmaplayer text")
    expect(cell_texts.filter(has_text="High").first).to_be_attached()
    expect(cell_texts.filter(has_text="Medium").first).to_be_attached()
    texts = [text for text in cell_texts.all_text_contents() if text]
    # Four placed cells in each panel, and no other text in the matrices.
    assert sorted(texts) == sorted(
        ["1High", "1High", "2Medium", "1High", "1High", "1Medium", "2Medium", "1Low"]
    )
    key = page.get_by_role("list", name="Score bands")
    expect(key).to_contain_text("Low (1-4)")
    expect(key).to_contain_text("Critical (20-25)")
    expect(key.locator(".band-swatch.band-fill-high")).to_have_count(1)

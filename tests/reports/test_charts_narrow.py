"""Charts on a phone and a tablet, in headless Chromium: drawn to fit, nothing cut or covered.

At 320 px (WCAG's reflow width) and 768 px every chart of the portfolio, of a strategy's
dashboard and of its heat map keeps its title inside the figure, never under the "Illustrative
data" label, its legend below the plot, and its category labels inside the figure, not cut at
the left edge.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each drawn chart, what a reader would see wrong: measured on the SVG plotly draws.
PROBLEMS = """
() => {
    const box = (element) => element && element.getBoundingClientRect();
    const overlap = (a, b) =>
        a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const problems = [];
    for (const chart of document.querySelectorAll("div.chart.chart-ready")) {
        const name = chart.dataset.figure;
        const frame = box(chart.querySelector(".main-svg"));
        const title = box(chart.querySelector(".gtitle"));
        if (title && (title.left < frame.left - 1 || title.right > frame.right + 1
                      || title.top < frame.top - 1)) {
            problems.push(`${name}: the title runs out of the figure`);
        }
        for (const note of chart.querySelectorAll(".annotation")) {
            if (title && note.textContent.includes("Illustrative data")
                && overlap(box(note), title)) {
                problems.push(`${name}: the illustrative label covers the title`);
            }
        }
        const legend = box(chart.querySelector(".legend"));
        const plots = [...chart.querySelectorAll(".cartesianlayer .bg, .subplot .bg")].map(box);
        const lowest = Math.max(...plots.map((plot) => plot.bottom));
        if (legend && plots.length && legend.top < lowest - 1) {
            problems.push(`${name}: the legend is not below the plot`);
        }
        for (const tick of chart.querySelectorAll(".ytick text, .yaxislayer-above text")) {
            if (box(tick).left < frame.left - 1) {
                problems.push(`${name}: the label "${tick.textContent}" is cut at the left`);
            }
        }
    }
    return problems;
}
"""


@pytest.fixture
def iom_with_demo():
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    call_command("load_demo", password="pw", as_of=datetime.date(2026, 6, 30), stdout=io.StringIO())


@pytest.mark.parametrize("width", [320, 768])
def test_charts_fit_a_narrow_screen(page, live_server, browser_login, iom_with_demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "manager")
    problems = []
    # Each page, its charts, and how many of them carry the "Illustrative data" label (the
    # demo's records are illustrative; the donors' reference figures and the heat map are not).
    for path, count, labelled in (
        ("/", 2, 2),
        ("/strategies/iom-2023-2026/dashboard/", 6, 5),
    ):
        page.goto(live_server.url + path)
        expect(page.locator("div.chart.chart-ready")).to_have_count(count, timeout=20_000)
        expect(page.locator(".annotation", has_text="Illustrative data")).to_have_count(labelled)
        problems += page.evaluate(PROBLEMS)
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert problems == []

"""Journeys made with the keyboard alone, the focus seen at every step, and text at 200 %.

Tab moves the focus, the keys type, Space ticks and Enter submits: no click. At every element
the focus lands on, its ring must be drawn (an outline, not none) in a colour with 3:1 contrast
against the background it is drawn on, as the browser computes both (WCAG 2.4.7 and 1.4.11).
Then a few key pages with the text made twice as large (1.4.4) must still fit the screen, as
the page walk's reflow check measures it.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engagement.models import ActionPoint, Meeting
from priorities.choices import YearState
from priorities.models import IndicatorProgress, StrategyYear
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory
from tests.security.test_page_walk import OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Tab presses allowed to reach a field from the one before: the header, the strategy's tabs and
# a page of fields lie between.
MOST_TABS = 120
# The focused element, its ring, and the background the ring is drawn on: the first opaque
# background of the element's parents (the ring is drawn outside the element).
FOCUS = """
() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    let background = "rgb(255, 255, 255)";
    for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") {
            background = colour;
            break;
        }
    }
    const label = element.labels && element.labels.length ? element.labels[0].textContent : "";
    return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        name: (element.getAttribute("aria-label") || label || element.textContent || "").trim(),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        colour: style.outlineColor,
        background: background,
    };
}
"""


def _rgb(colour: str) -> tuple[float, ...]:
    parts = colour[colour.index("(") + 1 : colour.index(")")].split(",")
    return tuple(float(part) for part in parts[:3])


def _luminance(colour: str) -> float:
    channels = [value / 255 for value in _rgb(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class Keyboard:
    """Moves through a page with Tab and checks the focus wherever it lands."""

    def __init__(self, page):
        self.page = page
        self.visited: list[str] = []

    def focused(self) -> dict:
        focus = self.page.evaluate(FOCUS)
        if focus["tag"] == "body":
            # The focus has left the page (the browser's own controls) between its two ends.
            return focus
        where = f"{focus['tag']}#{focus['id']} “{focus['name'][:60]}”"
        assert focus["outline"] != "none" and focus["width"] >= 2, f"No focus ring on {where}"
        ratio = contrast(focus["colour"], focus["background"])
        assert ratio >= 3, (
            f"The focus ring of {where} ({focus['colour']} on {focus['background']}) has "
            f"{ratio:.2f}:1 contrast"
        )
        self.visited.append(where)
        return focus

    def tab_to(self, wanted) -> dict:
        """Press Tab until `wanted(focus)` holds; return the focused element."""
        for _ in range(MOST_TABS):
            self.page.keyboard.press("Tab")
            focus = self.focused()
            if wanted(focus):
                return focus
        raise AssertionError(f"Tab never reached it; last: {self.visited[-5:]}")

    def tab_to_id(self, element_id: str) -> dict:
        return self.tab_to(lambda focus: focus["id"] == element_id)

    def tab_to_name(self, name: str) -> dict:
        return self.tab_to(lambda focus: focus["name"] == name)


@pytest.fixture
def area_and_indicator(strategy):
    area, node = area_with_nodes(strategy, number=3)
    area.title = "Supporting capacity building of governments"
    area.save()
    indicator = indicator_in(
        area, node, code="3b.4.a", title="Border officials trained", unit="number of officials"
    )
    IndicatorProgressFactory(indicator=indicator, target=Decimal("4000"), actual=None)
    return area, indicator


def test_a_desk_officer_logs_a_figure_in_the_grid_and_submits_the_year_by_keyboard(
    page, live_server, browser_login, strategy, desk, area_and_indicator
):
    area, indicator = area_and_indicator
    browser_login(page, "desk")
    keys = Keyboard(page)

    # The grid of 2024 figures: the actual of 3b.4.a, named by its indicator for the reader.
    page.goto(
        live_server.url
        + reverse(
            "priorities:progress_bulk_edit",
            kwargs={"slug": strategy.slug, "pk": area.pk, "year": 2024},
        )
    )
    actual = keys.tab_to(lambda focus: "2024 actual for 3b.4.a" in focus["name"])
    assert "Border officials trained" in actual["name"]
    page.keyboard.type("4450")
    keys.tab_to_name("Save 2024 figures")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()
    progress = IndicatorProgress.objects.get(indicator=indicator, strategy_year__year=2024)
    assert progress.actual == Decimal("4450")

    # The year's review: the reason for its gaps, then Submit.
    page.goto(
        live_server.url
        + reverse("priorities:strategyyear_review", kwargs={"slug": strategy.slug, "year": 2024})
    )
    # The figure logged has no evidence: the year goes with a gap, and says why.
    reason = page.locator("[name$=gaps_reason]")
    keys.tab_to_id(reason.get_attribute("id"))
    page.keyboard.type("The annual report follows in March")
    keys.tab_to_name("Submit 2024")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("2024 submitted for approval")
    assert StrategyYear.objects.get(strategy=strategy, year=2024).state == YearState.SUBMITTED
    assert len(keys.visited) > 10


def test_mission_staff_log_a_meeting_with_action_points_by_keyboard(
    browser, live_server, browser_login, strategy, desk, mission, area_and_indicator
):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    browser_login(page, "mission")
    keys = Keyboard(page)
    page.goto(
        live_server.url + reverse("engagement:meeting_create", kwargs={"slug": strategy.slug})
    )
    keys.tab_to_id("id_kind")
    page.keyboard.type("Annual consultation")
    keys.tab_to_id("id_held_on")
    page.keyboard.type("06122024")
    keys.tab_to_id("id_location")
    page.keyboard.type("Geneva")
    keys.tab_to_id("id_summary")
    page.keyboard.type("Progress in 2023 and the preparation of the mid-term review.")
    area_box = keys.tab_to(lambda focus: "Supporting capacity building" in focus["name"])
    assert area_box["tag"] == "input"
    page.keyboard.press("Space")
    for index, (owner, text, due) in enumerate(
        [
            ("desk", "Send the consultation brief", "09302024"),
            ("mission", "Draft the terms", "11292024"),
        ]
    ):
        keys.tab_to_id(f"id_action_points-{index}-text")
        page.keyboard.type(text)
        keys.tab_to_id(f"id_action_points-{index}-owner")
        page.keyboard.type(owner)
        keys.tab_to_id(f"id_action_points-{index}-due_on")
        page.keyboard.type(due)
    keys.tab_to_name("Log the meeting")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("with 2 action points")
    meeting = Meeting.objects.get(strategy=strategy)
    assert meeting.held_on == datetime.date(2024, 6, 12)
    assert meeting.location == "Geneva"
    assert [area.number for area in meeting.priority_areas.all()] == [3]
    points = ActionPoint.objects.filter(meeting=meeting).order_by("due_on")
    assert [(point.owner.username, point.due_on) for point in points] == [
        ("desk", datetime.date(2024, 9, 30)),
        ("mission", datetime.date(2024, 11, 29)),
    ]
    context.close()


# A tablet's and a desktop's screen: WCAG asks text to grow to 200 % at the width a user has;
# reflow at 320 px (1.4.10) is the page walk's own check, with the text at its size.
@pytest.mark.parametrize("width", [768, 1440])
def test_key_pages_keep_to_the_screen_with_text_at_200_percent(
    browser, live_server, browser_login, strategy, desk, area_and_indicator, width
):
    area, _ = area_and_indicator
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    browser_login(page, "desk")
    slug = {"slug": strategy.slug}
    paths = [
        reverse("priorities:strategy_detail", kwargs=slug),
        reverse("priorities:priorityarea_detail", kwargs={**slug, "number": area.number}),
        reverse("priorities:progress_bulk_edit", kwargs={**slug, "pk": area.pk, "year": 2024}),
        reverse("engagement:meeting_create", kwargs=slug),
        reverse("reports:my_tasks"),
    ]
    problems = []
    for path in paths:
        page.goto(live_server.url + path)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"]:
            problems.append(
                f"{path} at 200 % is {fit['scroll']} px wide on a {fit['width']} px screen: "
                f"{', '.join(fit['wide'])}"
            )
    context.close()
    assert not problems, "\n".join(problems)


DRAWINGS = """
() => Array.from(document.querySelectorAll("div.chart.chart-ready")).map((chart) => {
    const drawing = chart.querySelector("svg.main-svg");
    const described = document.getElementById(drawing.getAttribute("aria-describedby") || "");
    return {
        chart_role: chart.getAttribute("role"),
        role: drawing.getAttribute("role"),
        label: drawing.getAttribute("aria-label"),
        table: described ? described.querySelectorAll("table").length : 0,
        hidden_layers: Array.from(chart.querySelectorAll("svg.main-svg"))
            .slice(1)
            .every((layer) => layer.getAttribute("aria-hidden") === "true"),
        buttons: chart.querySelectorAll(".modebar-btn").length,
        transition: (chart.layout.transition || {}).duration,
    };
})
"""


def test_charts_are_images_named_for_screen_readers_who_are_sent_to_their_table(
    browser, live_server, browser_login, world
):
    # Less motion asked for: the charts change without a transition, too.
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1440, "height": 800})
    page = context.new_page()
    browser_login(page, "desk")
    page.goto(
        live_server.url
        + reverse("reports:strategy_dashboard", kwargs={"slug": world.strategy.slug})
    )
    page.wait_for_selector("div.chart.chart-ready")
    page.wait_for_function(
        "() => document.querySelectorAll('div.chart.chart-ready').length"
        " === document.querySelectorAll('div.chart').length"
    )
    drawings = page.evaluate(DRAWINGS)
    assert len(drawings) >= 3
    for drawing in drawings:
        # The image is the drawing; plotly's buttons beside it are reachable as buttons.
        assert drawing["chart_role"] is None
        assert drawing["role"] == "img"
        assert drawing["label"].endswith(". The same data follows as a table.")
        assert drawing["table"] >= 1
        assert drawing["hidden_layers"]
        assert drawing["buttons"] >= 1
        assert drawing["transition"] == 0
    context.close()

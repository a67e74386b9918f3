"""Browser journey: a desk officer logs the year in progress through the grid, by keyboard.

From the overview, "Log 2026" opens the grid of the first priority area; the Tab key walks each
row in order (target, actual, narrative, evidence) before the next; the page never scrolls
sideways on a phone; the figures are saved together and the desk officer is back on the area.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from priorities.models import IndicatorProgress
from tests.priorities.builders import area_with_nodes, indicator_in, year_of
from tests.priorities.factories import EvidenceFactory, IndicatorProgressFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def screenshot(page, name: str) -> None:
    """Keep a picture of the page where SCREENSHOT_DIR asks for one, to be looked at."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def focused_id(page) -> str:
    return page.evaluate(
        "() => document.activeElement.id || document.activeElement.textContent.trim()"
    )


def test_desk_officer_logs_2026_through_the_grid_by_keyboard_at_both_widths(
    page, live_server, browser_login, strategy, desk
):
    area, node = area_with_nodes(strategy, number=2)
    first = indicator_in(area, node, code="2a.1.1", title="Migrants assisted to return")
    second = indicator_in(area, node, code="2a.1.2", title="Share of returns voluntary", unit="%")
    IndicatorProgressFactory(
        indicator=first, strategy_year=year_of(strategy, 2025), actual=Decimal("1800")
    )
    EvidenceFactory(
        progress=IndicatorProgressFactory(
            indicator=second,
            strategy_year=year_of(strategy, 2026),
            target=Decimal("80"),
            actual=None,
        ),
        original_name="Returns 2026 Q1.pdf",
    )
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC), tick=True):
        page.set_viewport_size(WIDE)
        browser_login(page, "desk")
        page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
        page.get_by_role("link", name="Log 2026").click()
        expect(page.get_by_role("heading", name="2026 figures for")).to_be_visible()
        screenshot(page, "grid-1440")

        # Tab order by row: target, actual, narrative, evidence, then the next row.
        prefix = f"id_indicator-{first.pk}"
        page.locator(f"#{prefix}-target").focus()
        order = [focused_id(page)]
        for _ in range(7):
            page.keyboard.press("Tab")
            order.append(focused_id(page))
        assert order == [
            f"{prefix}-target",
            f"{prefix}-actual",
            f"{prefix}-comment",
            f"{prefix}-files",
            f"id_indicator-{second.pk}-target",
            f"id_indicator-{second.pk}-actual",
            f"id_indicator-{second.pk}-comment",
            f"id_indicator-{second.pk}-files",
        ]
        assert page.get_by_label("2026 actual for 2a.1.2 Share of returns voluntary (%)").count()

        # On a phone the rows become cards: the page itself never scrolls sideways.
        page.set_viewport_size(PHONE)
        width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
        screenshot(page, "grid-390")

        page.get_by_label("2026 target for 2a.1.1 Migrants assisted to return").fill("2000")
        page.get_by_label("2026 actual for 2a.1.1 Migrants assisted to return").fill("2150")
        page.get_by_label("2026 narrative for 2a.1.1 Migrants assisted to return").fill(
            "More returns than planned after the spring caseload."
        )
        page.get_by_label("2026 actual for 2a.1.2 Share of returns voluntary (%)").fill("130")
        page.get_by_role("button", name="Save 2026 figures").click()
        expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
        screenshot(page, "grid-390-error")
        assert not IndicatorProgress.objects.filter(
            indicator=first, strategy_year__year=2026
        ).exists()

        page.get_by_label("2026 actual for 2a.1.2 Share of returns voluntary (%)").fill("83")
        page.get_by_role("button", name="Save 2026 figures").click()
        expect(page.get_by_role("status").first).to_contain_text(
            "Figures for 2026 saved for 2 indicators"
        )
        assert page.url.endswith(f"/strategies/{strategy.slug}/priorities/2/")
        saved = IndicatorProgress.objects.get(indicator=first, strategy_year__year=2026)
        assert (saved.target, saved.actual) == (Decimal("2000"), Decimal("2150"))
        assert IndicatorProgress.objects.get(
            indicator=second, strategy_year__year=2026
        ).actual == Decimal("83")

        page.set_viewport_size(WIDE)
        page.goto(
            f"{live_server.url}/strategies/{strategy.slug}/priority-areas/{area.pk}/ratings/2026/"
        )
        expect(page.get_by_role("heading", name="2026 figures of")).to_be_visible()
        screenshot(page, "rating-1440")

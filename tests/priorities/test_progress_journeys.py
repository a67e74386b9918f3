"""Browser journey in headless Chromium: a desk officer logs 2024, a manager approves it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from priorities.choices import Rating, YearState
from priorities.models import Assessment, IndicatorProgress, StrategyYear
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_officer_logs_2024_and_after_approval_cannot_change_it(
    page, browser, live_server, browser_login, strategy, desk, manager
):
    area, node = area_with_nodes(strategy, number=3)
    area.title = "Supporting capacity building of governments"
    area.save()
    indicator = indicator_in(
        area, node, code="3b.4.a", title="Border officials trained", unit="number of officials"
    )
    IndicatorProgressFactory(indicator=indicator, target=Decimal("4000"), actual=None)
    progress_path = f"/strategies/{strategy.slug}/indicators/{indicator.pk}/years/2024/"

    # The desk officer enters the 2024 actual from the indicator table of priority area 3.
    browser_login(page, "desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name=strategy.title).click()
    page.get_by_role("navigation", name="Strategy").get_by_role(
        "link", name="Priority areas"
    ).click()
    page.get_by_role("link", name="Supporting capacity building of governments").click()
    expect(page.get_by_role("heading", name="Indicators")).to_be_visible()
    page.get_by_role("link", name="Enter 2024 figures for 3b.4.a").click()
    page.get_by_label("Actual (number of officials)").fill("4450")
    page.get_by_label("Source of the figures").fill("IOM annual report 2024")
    page.get_by_role("button", name="Save 2024").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Figures for 2024 saved: 3b.4.a Border officials trained."
    )
    expect(page.locator("table.indicators")).to_contain_text("4,450")

    # A second tab keeps the 2024 form open, as a desk officer might.
    stale_tab = page.context.new_page()
    stale_tab.goto(live_server.url + progress_path)
    expect(stale_tab.get_by_role("button", name="Save 2024")).to_be_visible()

    # The desk officer rates priority area 3 and submits 2024.
    page.get_by_role("link", name="Rate 2024").click()
    page.get_by_label("Some delays").check()
    page.get_by_label("Narrative").fill(
        "Procurement delays held back the border management information systems."
    )
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("status")).to_contain_text("for 2024 saved: Some delays.")
    page.get_by_role("navigation", name="Strategy").get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Review and submit 2024").click()
    expect(page.locator(".review-gaps")).to_contain_text(
        "the 2024 actual of “Border officials trained” has no evidence."
    )
    page.get_by_label("Why submit with these gaps").fill("The annual report follows in March")
    page.get_by_role("button", name="Submit 2024").click()
    expect(page.get_by_role("status")).to_contain_text("2024 submitted for approval")
    expect(page.locator("#year-2024")).to_contain_text("Submitted")
    expect(page.get_by_role("link", name="Approve or return 2024")).to_have_count(0)

    # The manager reviews 2024, reads why it went with a gap, and approves it.
    manager_context = browser.new_context()
    manager_page = manager_context.new_page()
    browser_login(manager_page, "manager")
    manager_page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    expect(manager_page.get_by_role("link", name="Review and submit 2024")).to_have_count(0)
    manager_page.get_by_role("link", name="Approve or return 2024").click()
    expect(manager_page.locator(".gaps-reason")).to_contain_text(
        "The annual report follows in March"
    )
    manager_page.get_by_role("button", name="Approve 2024").click()
    expect(manager_page.get_by_role("status")).to_contain_text("2024 approved and locked.")
    expect(manager_page.locator("#year-2024")).to_contain_text("Approved")
    manager_context.close()

    # The desk officer's next edit of 2024, from the tab opened before, is refused.
    stale_tab.get_by_label("Actual (number of officials)").fill("4500")
    stale_tab.get_by_role("button", name="Save 2024").click()
    expect(stale_tab.get_by_role("alert")).to_contain_text(
        "2024 is approved and locked, so this change was not saved. "
        "A manager can reopen the year if it must change."
    )
    expect(stale_tab.get_by_role("button", name="Save 2024")).to_have_count(0)

    # The area page no longer offers to enter 2024 figures or to rate 2024.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/priorities/3/")
    expect(page.get_by_role("link", name="Enter 2024 figures for 3b.4.a")).to_have_count(0)
    expect(page.get_by_role("link", name="Rate 2024")).to_have_count(0)
    expect(page.get_by_role("link", name="Enter 2025 figures for 3b.4.a")).to_be_visible()

    progress = IndicatorProgress.objects.get(indicator=indicator, strategy_year__year=2024)
    assert progress.actual == Decimal("4450")
    assert Assessment.objects.get(priority_area=area).rating == Rating.SOME_DELAYS
    assert StrategyYear.objects.get(strategy=strategy, year=2024).state == YearState.APPROVED

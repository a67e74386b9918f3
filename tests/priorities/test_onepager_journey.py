"""Browser journey: an administrator sets up a strategy from its one-pager, then its lists."""

import pytest
from playwright.sync_api import expect

from priorities.models import PriorityArea, Strategy
from tests.priorities.test_onepager import FIVE_YEARS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_sets_up_a_strategy_from_its_one_pager(
    page, live_server, browser_login, admin_user
):
    browser_login(page, "administrator")
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="New strategy from its one-pager").click()
    page.get_by_label("The one-pager's text").fill(FIVE_YEARS)
    page.get_by_role("button", name="Read the one-pager").click()
    expect(page.get_by_role("heading", name="Review and confirm")).to_be_visible()
    expect(page.get_by_label("New partner: acronym")).to_have_value("OCHA")
    expect(page.get_by_label("Commitment 2024")).to_have_value("62.5")
    expect(page.get_by_label("Commitment 2028")).to_have_value("")
    assert not Strategy.objects.exists()
    page.get_by_label("Commitment 2028").fill("12,5")
    page.get_by_role("button", name="Confirm and set up the strategy").click()
    expect(page.get_by_role("heading", name="Ready to be monitored?")).to_be_visible()
    strategy = Strategy.objects.get(slug="ocha-2024-2028")
    assert strategy.strategy_years.get(year=2028).planned_commitment == 12_500_000
    assert PriorityArea.objects.filter(strategy=strategy).count() == 3

    page.locator("#setup-checklist").get_by_role("link", name="Priority areas").click()
    page.locator('[name="new-number"]').fill("4")
    page.locator('[name="new-title"]').fill("Localisation")
    # The next blank row shows when asked for.
    expect(page.locator('[name="new-1-title"]')).to_be_hidden()
    page.get_by_role("button", name="Add another row").click()
    page.locator('[name="new-1-number"]').fill("5")
    page.locator('[name="new-1-title"]').fill("Pooled funds")
    page.get_by_role("button", name="Save priority areas").click()
    expect(page.get_by_text("Priority areas saved.")).to_be_visible()
    assert PriorityArea.objects.filter(strategy=strategy).count() == 5

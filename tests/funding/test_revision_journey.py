"""Browser journey: 75 for 2023 recorded as a revision of 100, both seen, 75 used."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funding.models import PlannedAmount
from tests.funding.factories import BudgetLineFactory, PlannedAmountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

M = Decimal(1_000_000)


def test_financial_officer_revises_a_planned_amount(page, live_server, browser_login, finance):
    strategy = finance.memberships.get().strategy
    line = BudgetLineFactory(strategy=strategy, code="a", name="Core funding", order=1)
    PlannedAmountFactory(line=line, year=2023, amount=100 * M, source="draft strategy, section 5")
    browser_login(page, "finance")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/funding/")
    page.get_by_role("link", name="Revise the plan of 2023").first.click()
    page.get_by_label("Revised amount (DKK million)").fill("75")
    page.get_by_label("Date").fill(datetime.date(2023, 3, 1).isoformat())
    page.get_by_label(re.compile(r"^Stated in\b")).fill("final one-pager")
    page.get_by_role("button", name="Record revision").click()
    expect(page.get_by_text("revised to 75 million")).to_be_visible()
    expect(page.get_by_text("revised, was 100").first).to_be_visible()
    expect(
        page.get_by_text("Originally 100 (draft strategy, section 5); revised to 75").first
    ).to_be_visible()
    assert PlannedAmount.objects.get(line=line, year=2023).amount == 75 * M

"""Browser journeys in headless Chromium: recording the money of a year and deciding a round."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funding.choices import Decision
from funding.models import Allocation, Commitment, Disbursement, ParliamentaryApproval
from priorities.choices import OfficeKind
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    OfficeFactory,
    budget_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def funded_strategy(strategy):
    lines = budget_create(strategy)
    dakar = OfficeFactory(
        organisation=strategy.organisation,
        kind=OfficeKind.REGIONAL,
        name="Dakar",
        region="West and Central Africa",
    )
    niger = OfficeFactory(organisation=strategy.organisation, name="Niger", regional_office=dakar)
    allocation_round = AllocationRoundFactory(
        line=lines["b"], year=2025, half=1, dialogue_on=datetime.date(2025, 3, 10)
    )
    AllocationFactory(
        round=allocation_round,
        office=niger,
        theme="Border management along the Central Mediterranean route",
        amount=Decimal("20000000"),
    )
    return strategy


def record(page, button: str, fields: dict[str, str], selects: dict[str, str], submit: str):
    page.get_by_role("link", name=button).first.click()
    for label, value in selects.items():
        page.get_by_label(label).select_option(label=value)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=submit).click()


def test_financial_officer_records_a_year_and_a_manager_decides_a_round(
    page, live_server, browser_login, finance, manager, funded_strategy
):
    strategy = funded_strategy
    browser_login(page, "finance")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    page.get_by_role("navigation", name="Strategy").get_by_role("link", name="Funding").click()
    expect(page.get_by_role("heading", name="Budget, approval and payments")).to_be_visible()

    # Parliament's approval of 2025, every line at once, prefilled from the plan in DKK million.
    page.get_by_role("link", name="Record parliamentary approval").click()
    page.get_by_label("Budget year").select_option("2025")
    expect(page.get_by_label("a. Core funding")).to_have_value("48")
    page.get_by_label("Approved on").fill("2024-12-12")
    page.get_by_label("Reference").fill("Finance Act 2025, § 06.32.10.14")
    page.get_by_role("button", name="Record approval").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Parliamentary approval of 2025 recorded for 3 budget lines: DKK 100,000,000."
    )

    # A commitment from line a, then two payments against it.
    page.get_by_role("navigation", name="Funding").get_by_role("link", name="Budget").click()
    record(
        page,
        "Record commitment",
        {"Amount": "20,000,000", "Committed on": "2025-01-15", "Reference": "2022-18394 a"},
        {"Budget line": "a. Core funding", "Budget year": "2025"},
        "Record commitment",
    )
    expect(page.get_by_role("status")).to_contain_text("Commitment of DKK 20,000,000")
    for paid_on, amount in (("2025-02-03", "8,000,000"), ("2025-06-02", "4000000.00")):
        page.get_by_role("navigation", name="Funding").get_by_role("link", name="Budget").click()
        record(
            page,
            "Record disbursement",
            {"Paid on": paid_on, "Amount": amount},
            {"Budget line": "a. Core funding"},
            "Record disbursement",
        )
        expect(page.get_by_role("status")).to_contain_text("Disbursement of DKK")

    # A third payment above what is committed is refused next to the amount; nothing is saved.
    page.get_by_role("link", name="Record disbursement").click()
    page.get_by_label("Budget line").select_option(label="a. Core funding")
    page.get_by_label("Paid on").fill("2025-09-01")
    page.get_by_label("Amount").fill("8000000.01")
    page.get_by_role("button", name="Record disbursement").click()
    expect(page.locator("#id_amount_errors")).to_contain_text("DKK 8,000,000 is left to disburse")

    # The budget page shows the new figures: 20 committed, 12 paid, 8 remaining, 25 %.
    page.get_by_role("navigation", name="Funding").get_by_role("link", name="Budget").click()
    grid = page.locator("#by-line + .table-scroll table")
    expect(grid.locator('[title="DKK 20,000,000"]').first).to_be_visible()
    expect(grid.locator('[title="DKK 12,000,000"]').first).to_be_visible()
    expect(grid.locator('[title="DKK 8,000,000"]').first).to_be_visible()
    expect(grid).to_contain_text("25.0 %")
    expect(grid).to_contain_text("12 Dec 2024")
    assert ParliamentaryApproval.objects.filter(year=2025).count() == 3
    assert Commitment.objects.get().amount == Decimal("20000000")
    assert sorted(d.amount for d in Disbursement.objects.all()) == [
        Decimal("4000000"),
        Decimal("8000000"),
    ]

    # The manager decides the round's proposal.
    browser_login(page, "manager")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/funding/")
    page.get_by_role("navigation", name="Funding").get_by_role(
        "link", name="Allocation rounds"
    ).click()
    page.get_by_role("link", name="2025 first half").click()
    expect(page.get_by_role("heading", name=re.compile("Allocation round 2025"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Decide on Border management")).click()
    page.get_by_label("Approve").check()
    page.get_by_label("Reason").fill("Along the migratory routes, as the strategy asks.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("status")).to_contain_text("Approved:")
    regions = page.locator("#regions + .table-scroll table")
    expect(regions).to_contain_text("West and Central Africa")
    allocation = Allocation.objects.get()
    assert allocation.decision == Decision.APPROVED
    assert allocation.decided_by == manager

    # The budget page shows the approved allocation of 2025.
    page.get_by_role("navigation", name="Funding").get_by_role("link", name="Budget").click()
    expect(page.locator("#soft-earmarked").locator("xpath=ancestor::section")).to_contain_text(
        "40.0 %"
    )


def test_a_form_s_button_disables_itself_so_a_second_click_sends_nothing(
    page, live_server, browser_login, finance, funded_strategy
):
    strategy = funded_strategy
    browser_login(page, "finance")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/funding/disbursements/new/")
    # Count the sendings the page lets through, and keep the page where it is: this listener
    # runs after the page's own (it sits on the window, they on the document).
    page.evaluate(
        """() => {
            window.sendings = 0;
            window.addEventListener("submit", (event) => {
                window.sendings += 1;
                event.preventDefault();
            });
        }"""
    )
    button = page.locator("main form[method=post] button[type=submit]")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Sending…")
    button.dispatch_event("click")
    button.evaluate("element => element.click()")
    assert page.evaluate("window.sendings") == 1

"""A Danish user's day in the browser: the header's switch, figures and amounts typed in Danish.

A desk officer chooses Dansk with the header's switch, lands on Mine opgaver, logs the year's
figures with decimal commas (an ambiguous "1.234" is refused with both readings), and reads the
review page with Danish dates; a financial officer records a disbursement as "48,5 mio." and
sees it echoed and saved in Danish. No English interface word shows on any page visited.

They need the Danish catalogue compiled (make install).
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from funding.models import Disbursement
from priorities.choices import YearState
from priorities.models import IndicatorProgress, StrategyYear
from tests.funding.factories import CommitmentFactory, budget_create
from tests.priorities.factories import IndicatorFactory, PriorityAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 900}
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
YEAR = 2026
# Interface words that must not show on a Danish page (strategy content is not among them).
ENGLISH_WORDS = (
    "Save",
    "Cancel",
    "Priority area",
    "Overview",
    "Submit",
    "Approved",
    "Budget line",
    "Actual",
)


def english_left(page) -> list[str]:
    """Return the English interface words in the page's visible text, as whole words."""
    text = page.locator("body").inner_text()
    return [
        word for word in ENGLISH_WORDS if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
    ]


def reads_danish(page) -> None:
    assert page.locator("html").get_attribute("lang") == "da"
    assert english_left(page) == [], page.url


def switch_to_danish(page) -> None:
    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=True):
        yield


def test_a_desk_officer_logs_figures_in_danish(
    page, live_server, browser_login, strategy, desk, today
):
    page.set_viewport_size(WIDE)
    area = PriorityAreaFactory(strategy=strategy, title="Safe migration")
    first = IndicatorFactory(priority_area=area, title="Officials trained", unit="")
    second = IndicatorFactory(priority_area=area, title="Returns assisted", unit="")

    # The switch on the login page, before logging in; the choice holds after it.
    page.goto(f"{live_server.url}/login/")
    switch_to_danish(page)
    reads_danish(page)
    page.get_by_label("Brugernavn").fill("desk")
    page.get_by_label("Adgangskode").fill("pw")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.url.endswith("/my/")
    expect(page.get_by_role("heading", name="Mine opgaver", exact=True)).to_be_visible()
    reads_danish(page)

    # The year's grid, from the strategy's page.
    page.get_by_role("link", name=f"2 af 2 indikatorer har ingen opnået værdi for {YEAR}").click()
    expect(page.get_by_role("heading", name=f"Tal for {YEAR}")).to_be_visible()
    reads_danish(page)
    grid_url = page.url
    first_actual = page.get_by_label(f"Opnået {YEAR} for {first.code} {first.title}")
    second_actual = page.get_by_label(f"Opnået {YEAR} for {second.code} {second.title}")
    first_actual.fill("12,5")
    second_actual.fill("1.234")
    page.get_by_role("button", name=f"Gem tal for {YEAR}").click()
    # Refused, with both readings: a thousand and more to a Danish reader, just over one to an
    # English one; nothing is saved.
    refusal = "“1.234” kan betyde 1,234 eller 1.234 — skriv 1,234 eller 1234."
    expect(page.get_by_text(refusal, exact=True)).to_be_visible()
    reads_danish(page)
    assert not IndicatorProgress.objects.filter(actual__isnull=False).exists()

    second_actual.fill("1.234,5")
    page.get_by_role("button", name=f"Gem tal for {YEAR}").click()
    page.wait_for_url(lambda url: "/figures/" not in url)
    expect(page.get_by_role("status")).to_contain_text("gemt")
    reads_danish(page)
    saved = IndicatorProgress.objects.filter(strategy_year__year=YEAR)
    actuals = dict(saved.values_list("indicator_id", "actual"))
    assert actuals == {first.pk: Decimal("12.5"), second.pk: Decimal("1234.5")}

    # Back in the grid, the figures read as they were typed.
    page.goto(grid_url)
    expect(first_actual).to_have_value("12,5")
    expect(second_actual).to_have_value("1234,5")

    # The review page: Danish words; once the year is submitted, the day it changed in Danish.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/years/{YEAR}/review/")
    expect(page.get_by_role("heading", name="Hvad der mangler")).to_be_visible()
    reads_danish(page)
    page.get_by_role("button", name=f"Indsend {YEAR}").click()
    expect(page.locator("#error-summary")).to_be_focused()
    reads_danish(page)
    reason = page.get_by_label("Hvorfor indsende med disse mangler")
    reason.fill("Vurderingen følger konsultationen.")
    page.get_by_role("button", name=f"Indsend {YEAR}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{YEAR} er indsendt til godkendelse.")
    reads_danish(page)
    assert StrategyYear.objects.get(strategy=strategy, year=YEAR).state == YearState.SUBMITTED
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/years/{YEAR}/review/")
    expect(page.locator("main")).to_contain_text("senest ændret 7. december 2026")
    reads_danish(page)


def test_a_financial_officer_records_a_disbursement_in_danish(
    page, live_server, browser_login, strategy, finance, today
):
    page.set_viewport_size(WIDE)
    lines = budget_create(strategy)
    CommitmentFactory(line=lines["a"], year=YEAR, amount=Decimal("60000000"))

    # Logged in first, the switch after: the page stays, now in Danish.
    browser_login(page, "finance")
    switch_to_danish(page)
    assert page.url.endswith("/my/")
    reads_danish(page)

    page.goto(f"{live_server.url}/strategies/{strategy.slug}/funding/")
    reads_danish(page)
    page.get_by_role("link", name="Registrér udbetaling").first.click()
    reads_danish(page)
    page.get_by_label("Budgetlinje").select_option(label="a. Core funding")
    page.get_by_label("Udbetalt den").fill("2026-12-01")
    page.get_by_label("Beløb").fill("48,5 mio.")
    expect(page.locator("#id_amount_exact")).to_have_text("= 48.500.000 kr.")
    page.get_by_role("button", name="Registrér udbetaling").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Udbetaling på 48.500.000 kr. fra linje a (budgetår 2026) er gemt."
    )
    reads_danish(page)
    assert Disbursement.objects.get().amount == Decimal("48500000")

    # The budget page shows it in millions, the exact amount on hover, all in Danish.
    page.get_by_role("navigation", name="Finansiering").get_by_role("link", name="Budget").click()
    paid = page.locator('#by-line + .table-scroll table [title="48.500.000 kr."]')
    expect(paid.first).to_have_text("48,5")
    expect(page.locator("#by-line + .table-scroll table")).to_contain_text("mio. kr.")
    reads_danish(page)

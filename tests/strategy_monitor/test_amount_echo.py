"""While an amount is typed, the page echoes the exact DKK it will be saved as, or why not.

The echo asks the server (`amount_exact`), which reads the figure with the form's own field, so
the echo can never disagree with what saving does.
"""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from strategy_monitor.forms import UNIT_DKK, UNIT_MILLION, AmountField
from tests.funding.factories import budget_create

URL = reverse("amount_exact")


def ask(client, value, unit=UNIT_DKK):
    response = client.get(URL, {"value": value, "unit": unit})
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_the_echo_needs_a_login(client):
    response = client.get(URL, {"value": "48"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "unit", "exact"),
    [
        ("48.000.000", UNIT_DKK, "DKK 48,000,000"),
        ("48,000,000", UNIT_DKK, "DKK 48,000,000"),
        ("48.000.000,00", UNIT_DKK, "DKK 48,000,000"),
        ("48,5 mio.", UNIT_DKK, "DKK 48,500,000"),
        ("48,5", UNIT_MILLION, "DKK 48,500,000"),
        ("0.75", UNIT_MILLION, "DKK 750,000"),
        ("1,000.50", UNIT_DKK, "DKK 1,000.50"),
        ("", UNIT_DKK, ""),
    ],
)
def test_the_echo_reads_the_figure_as_saving_does(client, desk, value, unit, exact):
    client.force_login(desk)
    assert ask(client, value, unit) == (200, {"exact": exact})


@pytest.mark.django_db
def test_a_figure_read_two_ways_is_explained_not_guessed(client, desk):
    client.force_login(desk)
    status, answer = ask(client, "48,500")
    assert status == 200
    assert answer == {"error": "“48,500” could mean 48.5 or 48,500 — write 48.5 or 48500."}


@pytest.mark.django_db
def test_an_unreadable_figure_says_how_to_write_it(client, desk):
    client.force_login(desk)
    assert ask(client, "forty", UNIT_MILLION)[1]["error"].startswith(
        "Enter the amount in DKK million as printed"
    )
    assert ask(client, "48", "EUR")[0] == 400


def test_every_amount_field_asks_for_the_echo_in_its_unit():
    html = str(AmountField().widget.render("amount", None, {"id": "id_amount"}))
    assert 'data-amount-unit="DKK"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_echo_follows_the_typing(page, live_server, browser_login, finance, strategy):
    budget_create(strategy)
    browser_login(page, "finance")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    page.get_by_role("navigation", name="Strategy").get_by_role("link", name="Funding").click()
    page.get_by_role("link", name="Record parliamentary approval").click()
    # The page's scripts run once it has loaded; a person types after that too.
    page.wait_for_load_state("load")
    core = page.get_by_label("a. Core funding")
    core.fill("48,5")
    echo = page.locator(f"#{core.get_attribute('id')}_exact")
    expect(echo).to_have_text("= DKK 48,500,000")
    core.fill("48,5 mio.")
    expect(echo).to_have_text("= DKK 48,500,000")
    core.fill("")
    expect(echo).to_have_text("")
    core.fill("forty")
    expect(echo).to_contain_text("Enter the amount in DKK million as printed")
    assert "is-problem" in echo.get_attribute("class")

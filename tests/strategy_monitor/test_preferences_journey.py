"""In Chromium, by keyboard: switch to Danish before login, choose a start page, switch back."""

import pytest
from playwright.sync_api import expect

from tests.priorities.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, name: str, *, presses: int = 15) -> None:
    """Press Tab until the element named `name` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def test_a_user_switches_language_and_chooses_a_start_page_by_keyboard(page, live_server):
    UserFactory(username="anna", password="pw")
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")

    tab_to(page, "Dansk")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", name="Log ind", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Dansk")).to_have_attribute("aria-current", "true")

    page.get_by_label("Brugernavn").fill("anna")
    page.get_by_label("Adgangskode").fill("pw")
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url(f"{live_server.url}/my/")
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_role("link", name="Dine indstillinger").click()
    page.get_by_role("radio", name="Strategier").check()
    page.get_by_role("button", name="Gem indstillinger").press("Enter")
    expect(page.get_by_text("Dine indstillinger er gemt.")).to_be_visible()

    tab_to(page, "English")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("User name").fill("anna")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/strategies/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")

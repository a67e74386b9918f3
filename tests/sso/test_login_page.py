"""The login page says what went wrong once, in the error summary, as every refused form does."""

import re

import pytest
from django.urls import reverse

from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Please enter a correct username and password."


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", password="pw")


def test_a_wrong_password_is_said_once_in_the_error_summary(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    page = client.post(reverse("login"), {"username": "colleague", "password": "wrong"})
    assert page.status_code == 200
    text = page.text
    assert text.count(WRONG_PASSWORD) == 1
    assert len(re.findall(r'role="alert"', text)) == 1
    summary = text[
        text.index('class="error-summary"') : text.index("</ul>", text.index("error-summary-list"))
    ]
    assert WRONG_PASSWORD in summary
    # The problem links to the first field, the user name.
    assert 'href="#id_username"' in summary
    assert "<title>Error: Log in · Strategy Monitor</title>" in text


def test_a_missing_field_is_said_next_to_it_and_in_the_summary(client, settings):
    settings.LOCAL_LOGIN = "all"
    page = client.post(reverse("login"), {"username": "colleague", "password": ""})
    text = page.text
    assert len(re.findall(r'role="alert"', text)) == 1
    assert 'href="#id_password"' in text
    # The field's own message stays where it was, under the field.
    field = text[text.index('id="id_password"') :]
    assert "This field is required." in field[: field.index("</div>")]


def test_with_password_logins_off_the_refusal_is_said_once(client, settings, colleague):
    settings.LOCAL_LOGIN = "off"
    page = client.post(reverse("login"), {"username": "colleague", "password": "pw"})
    assert page.text.count("Logging in with a password is switched off.") == 1
    assert len(re.findall(r'role="alert"', page.text)) == 1


def test_the_login_page_is_danish_for_a_danish_browser(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    page = client.post(
        reverse("login"),
        {"username": "colleague", "password": "wrong"},
        headers={"Accept-Language": "da"},
    )
    text = page.text
    assert '<html lang="da">' in text
    # Django's own message, from its Danish catalogue, once.
    assert text.count("Indtast venligst korrekt") == 1
    assert "<h1>Log ind</h1>" in text
    assert ">Adgangskode</label>" in text


def test_a_locked_out_user_name_is_said_once(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    for _ in range(5):
        page = client.post(reverse("login"), {"username": "colleague", "password": "wrong"})
    assert page.status_code == 429
    text = page.text
    assert text.count("Too many failed log-in attempts") == 1
    assert len(re.findall(r'role="alert"', text)) == 1

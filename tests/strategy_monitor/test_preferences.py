"""Each user's settings: the start pages on offer, the settings page, and the language."""

import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from priorities.choices import TeamRole
from strategy_monitor.models import UserPreference
from strategy_monitor.preferences.services import (
    LANGUAGE_SESSION_KEY,
    start_page_options,
    start_page_url,
    user_language,
    user_preference_update,
    users_languages,
)
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/my/settings/"
DANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "da"}


def checked(text: str, name: str) -> list[str]:
    """Return the values of the radio buttons named `name` that are checked in `text`."""
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*\bchecked>', text)


def option_keys(user) -> list[str]:
    return [page.key for page, _url in start_page_options(user=user)]


# --- Start pages ---------------------------------------------------------------------------


def test_every_user_is_offered_my_tasks_the_dashboard_and_the_strategies(outsider):
    assert option_keys(UserFactory()) == ["my_tasks", "portfolio", "strategies"]


def test_a_user_on_exactly_one_team_is_offered_that_strategys_overview(desk, strategy):
    assert option_keys(desk) == ["my_tasks", "portfolio", "strategies", "own_strategy"]
    assert dict((page.key, url) for page, url in start_page_options(user=desk))[
        "own_strategy"
    ] == reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})


def test_two_roles_on_one_team_are_still_one_strategy(desk, strategy):
    TeamMembershipFactory(strategy=strategy, user=desk, role=TeamRole.MISSION_STAFF)
    assert "own_strategy" in option_keys(desk)


def test_a_user_on_two_teams_is_not_offered_a_strategys_overview(desk, other_strategy):
    TeamMembershipFactory(strategy=other_strategy, user=desk, role=TeamRole.OBSERVER)
    assert "own_strategy" not in option_keys(desk)


def test_without_a_setting_a_user_starts_on_my_tasks(desk):
    assert start_page_url(user=desk) == "/my/"
    assert not UserPreference.objects.exists()


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("my_tasks", "/my/"),
        ("portfolio", "/"),
        ("strategies", "/strategies/"),
        ("own_strategy", "/strategies/test-2023-2026/"),
    ],
)
def test_the_chosen_start_page_is_where_the_user_starts(desk, key, url):
    user_preference_update(user=desk, start_page=key)
    assert start_page_url(user=desk) == url


def test_a_start_page_the_user_may_no_longer_open_falls_back_to_my_tasks(desk, other_strategy):
    user_preference_update(user=desk, start_page="own_strategy")
    TeamMembershipFactory(strategy=other_strategy, user=desk, role=TeamRole.OBSERVER)
    assert start_page_url(user=desk) == "/my/"


def test_a_start_page_no_app_offers_any_more_falls_back_to_my_tasks(desk):
    UserPreference.objects.create(user=desk, start_page="gone")
    assert start_page_url(user=desk) == "/my/"


def test_a_start_page_that_does_not_apply_is_refused(client_manager, manager):
    with pytest.raises(ValidationError) as refused:
        user_preference_update(user=manager, start_page="own_strategy")
    assert refused.value.error_dict["start_page"][0].code == "unknown_start_page"


def test_an_unknown_language_is_refused(desk):
    with pytest.raises(ValidationError) as refused:
        user_preference_update(user=desk, language="fr")
    assert refused.value.error_dict["language"][0].code == "unknown_language"


# --- The settings page ---------------------------------------------------------------------


def test_the_user_menu_links_to_the_settings_page(client_desk):
    page = client_desk.get("/my/")
    assert f'href="{SETTINGS_URL}"' in page.text
    assert "Your settings" in page.text


def test_the_settings_page_offers_the_start_pages_that_apply_as_radio_buttons(client_desk):
    page = client_desk.get(SETTINGS_URL)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Your settings</h1>" in text
    for key in ("my_tasks", "portfolio", "strategies", "own_strategy"):
        assert f'type="radio" name="start_page" value="{key}"' in text
    # Without a setting, My tasks is chosen, and the language follows the browser.
    assert checked(text, "start_page") == ["my_tasks"]
    assert checked(text, "language") == [""]
    # The languages are named in their own language, marked as such.
    assert '<label class="choice" lang="da">' in text
    assert "Dansk" in text and "English" in text


def test_the_settings_page_shows_the_current_choice(client_desk, desk):
    user_preference_update(user=desk, start_page="strategies", language="da")
    page = client_desk.get(SETTINGS_URL, headers={"Accept-Language": "en"})
    assert checked(page.text, "start_page") == ["strategies"]
    assert checked(page.text, "language") == ["da"]


def test_saving_the_settings_keeps_them_says_so_and_applies_the_language_at_once(client_desk, desk):
    response = client_desk.post(SETTINGS_URL, {"language": "da", "start_page": "strategies"})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    preference = UserPreference.objects.get(user=desk)
    assert (preference.language, preference.start_page) == ("da", "strategies")

    page = client_desk.get(SETTINGS_URL)
    assert page.headers["Content-Language"] == "da"
    assert '<html lang="da">' in page.text
    # The success message is worded in the language just chosen.
    assert "Dine indstillinger er gemt." in page.text


def test_saving_again_changes_the_one_row(client_desk, desk):
    client_desk.post(SETTINGS_URL, {"language": "da", "start_page": "strategies"})
    client_desk.post(SETTINGS_URL, {"language": "", "start_page": "my_tasks"})
    assert UserPreference.objects.get(user=desk).start_page == "my_tasks"
    assert UserPreference.objects.count() == 1
    assert LANGUAGE_SESSION_KEY not in client_desk.session


def test_a_start_page_not_offered_is_refused_in_the_error_summary(client_manager, manager):
    page = client_manager.post(SETTINGS_URL, {"language": "", "start_page": "own_strategy"})
    assert page.status_code == 200
    assert 'class="error-summary"' in page.text
    assert 'href="#id_start_page_0"' in page.text
    assert not UserPreference.objects.exists()


def test_a_start_page_that_no_longer_applies_shows_as_my_tasks(client_desk, desk, other_strategy):
    user_preference_update(user=desk, start_page="own_strategy")
    TeamMembershipFactory(strategy=other_strategy, user=desk, role=TeamRole.OBSERVER)
    page = client_desk.get(SETTINGS_URL)
    assert 'value="own_strategy"' not in page.text
    assert checked(page.text, "start_page") == ["my_tasks"]


def test_the_settings_page_needs_a_login(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@time_machine.travel("2026-12-07 12:00+01:00")
def test_a_danish_user_sees_a_danish_date_on_the_settings_page(client_desk, desk):
    client_desk.post(SETTINGS_URL, {"language": "da", "start_page": "my_tasks"})
    page = client_desk.get(SETTINGS_URL)
    assert "7. december 2026" in page.text
    english = client_desk.post(SETTINGS_URL, {"language": "en-gb", "start_page": "my_tasks"})
    assert english.status_code == 302
    assert "7 December 2026" in client_desk.get(SETTINGS_URL).text


# --- The language ---------------------------------------------------------------------------


def log_in(client: Client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": "pw"})
    assert response.status_code == 302


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", password="pw")


def test_without_a_choice_the_interface_is_english(client):
    page = client.get(reverse("login"))
    assert '<html lang="en-gb">' in page.text
    assert page.headers["Content-Language"] == "en-gb"


def test_the_browsers_language_beats_the_default(client):
    page = client.get(reverse("login"), headers={"Accept-Language": "da"})
    assert '<html lang="da">' in page.text
    assert page.headers["Content-Language"] == "da"


def test_a_user_who_chose_no_language_gets_the_browsers(client, colleague):
    log_in(client, colleague)
    page = client.get("/my/", headers={"Accept-Language": "da"})
    assert '<html lang="da">' in page.text


def test_the_users_setting_beats_the_browser(client, colleague):
    UserPreference.objects.create(user=colleague, language="en-gb")
    log_in(client, colleague)
    page = client.get("/my/", headers={"Accept-Language": "da"})
    assert '<html lang="en-gb">' in page.text
    assert page.headers["Content-Language"] == "en-gb"


def test_a_danish_user_gets_danish_whatever_the_browser_asks(client, colleague):
    UserPreference.objects.create(user=colleague, language="da")
    log_in(client, colleague)
    page = client.get("/my/", headers={"Accept-Language": "en"})
    assert '<html lang="da">' in page.text
    assert page.wsgi_request.LANGUAGE_CODE == "da"


def test_after_logging_out_the_users_language_no_longer_applies(client, colleague):
    UserPreference.objects.create(user=colleague, language="da")
    log_in(client, colleague)
    client.post(reverse("logout"))
    assert '<html lang="en-gb">' in client.get(reverse("login")).text


def test_the_danish_catalogue_is_active_on_a_danish_page(client, colleague):
    # Django's own message for a wrong password, in Danish, proves the catalogue is used.
    page = client.post(
        reverse("login"), {"username": "colleague", "password": "wrong"}, **DANISH_BROWSER
    )
    assert page.status_code == 200
    assert "Indtast venligst korrekt" in page.text
    assert "Please enter a correct" not in page.text


# --- The header's switch --------------------------------------------------------------------


def test_the_switch_is_on_every_page_including_the_login_page(client, client_desk):
    for page in (client.get(reverse("login")), client_desk.get("/my/")):
        assert 'action="/language/"' in page.text
        assert 'name="language" value="da" lang="da"' in page.text
        assert ">Dansk</button>" in page.text
        assert 'name="language" value="en-gb" lang="en" aria-current="true">English</button>' in (
            page.text
        )


def test_before_login_the_switch_sets_the_language_cookie(client):
    response = client.post("/language/", {"language": "da", "next": "/login/?next=/strategies/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/strategies/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"
    page = client.get(response["Location"])
    assert '<html lang="da">' in page.text
    assert 'value="da" lang="da" aria-current="true">Dansk</button>' in page.text


def test_for_a_signed_in_user_the_switch_saves_the_setting(client_desk, desk):
    response = client_desk.post("/language/", {"language": "da", "next": "/strategies/"})
    assert response["Location"] == "/strategies/"
    assert UserPreference.objects.get(user=desk).language == "da"
    assert '<html lang="da">' in client_desk.get("/strategies/").text

    client_desk.post("/language/", {"language": "en-gb", "next": "/strategies/"})
    assert UserPreference.objects.get(user=desk).language == "en-gb"
    assert '<html lang="en-gb">' in client_desk.get("/strategies/").text


def test_the_switch_ignores_an_unknown_language_and_a_foreign_next(client_desk, desk):
    response = client_desk.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not UserPreference.objects.exists()


def test_the_switch_takes_only_a_post(client):
    assert client.get("/language/?language=da").status_code == 405


def test_a_danish_user_sees_the_switch_and_the_settings_link_in_danish(client_desk, desk):
    user_preference_update(user=desk, language="da")
    client_desk.post("/language/", {"language": "da", "next": "/my/"})
    page = client_desk.get("/my/")
    assert 'aria-label="Sprog"' in page.text
    assert "Dine indstillinger" in page.text


def test_a_user_with_a_language_in_another_session_gets_it_at_the_next_login(client, colleague):
    other = Client()
    log_in(other, colleague)
    other.post("/language/", {"language": "da", "next": "/my/"})
    log_in(client, colleague)
    assert '<html lang="da">' in client.get("/my/").text


def test_a_users_settings_show_on_their_admin_page(client, desk):
    user_preference_update(user=desk, language="da", start_page="strategies")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_user_change", args=[desk.pk]))
    assert page.status_code == 200
    assert 'name="preference-0-start_page"' in page.text
    assert '<option value="strategies" selected>' in page.text


def test_the_settings_of_a_user_are_kept_in_one_row(desk):
    user_preference_update(user=desk, language="da")
    user_preference_update(user=desk, start_page="portfolio")
    preference = UserPreference.objects.get(user=desk)
    assert (preference.language, preference.start_page) == ("da", "portfolio")
    assert settings.LANGUAGE_CODE == "en-gb"


def test_a_users_language_is_their_choice_else_the_sites(desk, manager, outsider):
    UserPreference.objects.create(user=desk, language="da")
    UserPreference.objects.create(user=manager, language="")
    assert user_language(desk) == "da"
    assert user_language(manager) == settings.LANGUAGE_CODE == "en-gb"
    assert user_language(outsider) == "en-gb"


def test_the_languages_of_many_users_are_read_in_one_query(
    desk, manager, outsider, django_assert_num_queries
):
    UserPreference.objects.create(user=desk, language="da")
    UserPreference.objects.create(user=outsider, language="en-gb")
    with django_assert_num_queries(1):
        languages = users_languages([desk, manager, outsider])
    assert languages == {desk.pk: "da", manager.pk: "en-gb", outsider.pk: "en-gb"}


def test_a_language_no_longer_offered_falls_back_to_the_sites(desk):
    UserPreference.objects.create(user=desk, language="fr")
    assert user_language(desk) == "en-gb"


def test_settings_loaded_with_the_user_answer_without_a_query(
    desk, manager, django_assert_num_queries
):
    UserPreference.objects.create(user=desk, language="da")
    users = get_user_model().objects.select_related("preference")
    loaded_desk, loaded_manager = users.get(pk=desk.pk), users.get(pk=manager.pk)
    with django_assert_num_queries(0):
        assert user_language(loaded_desk) == "da"
        assert user_language(loaded_manager) == "en-gb"

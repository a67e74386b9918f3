"""After logging in, a page asked for wins; without one the user lands on their start page."""

import pytest
from django.urls import reverse

from priorities.choices import TeamRole
from strategy_monitor.models import ExternalIdentity
from strategy_monitor.preferences.services import user_preference_update
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory
from tests.sso.conftest import entra_claims, sign_in

pytestmark = pytest.mark.django_db

OID = "5a1e7c00-2222-4c6e-9a1b-5d2f0e4c7a02"
START_PAGES = [
    ("my_tasks", "/my/"),
    ("portfolio", "/"),
    ("strategies", "/strategies/"),
    ("own_strategy", "/strategies/own-2023-2026/"),
]


def with_start_page(user, key: str):
    """Put `user` on one strategy's team and give them the start page `key`."""
    strategy = StrategyFactory(slug="own-2023-2026")
    TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.DESK_OFFICER)
    user_preference_update(user=user, start_page=key)
    return user


def log_in(client, next_url: str | None = None):
    data = {"username": "colleague", "password": "pw"}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", password="pw")


@pytest.mark.parametrize(("key", "url"), START_PAGES)
def test_the_login_form_leads_to_the_users_start_page(client, settings, colleague, key, url):
    settings.LOCAL_LOGIN = "all"
    with_start_page(colleague, key)
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("key", "url"), START_PAGES)
def test_the_sites_bare_address_as_next_leads_to_the_start_page(
    client, settings, colleague, key, url
):
    settings.LOCAL_LOGIN = "all"
    with_start_page(colleague, key)
    assert log_in(client, next_url="/")["Location"] == url


def test_a_page_asked_for_wins_over_the_start_page(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    with_start_page(colleague, "strategies")
    assert log_in(client, next_url="/my/")["Location"] == "/my/"


def test_without_a_setting_the_login_form_leads_to_my_tasks(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    assert log_in(client)["Location"] == "/my/"


def test_a_start_page_that_no_longer_applies_leads_to_my_tasks(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    with_start_page(colleague, "own_strategy")
    TeamMembershipFactory(user=colleague, role=TeamRole.OBSERVER)
    assert log_in(client)["Location"] == "/my/"


def sso_user(client, sso):
    """Sign the account in once, so that its user exists, and sign it out again."""
    sign_in(client, sso, "anna", entra_claims(OID))
    client.logout()
    return ExternalIdentity.objects.get(subject=OID).user


@pytest.mark.parametrize(("key", "url"), START_PAGES)
def test_single_sign_on_leads_to_the_users_start_page(client, sso, key, url):
    with_start_page(sso_user(client, sso), key)
    response = sign_in(client, sso, "anna", entra_claims(OID))
    assert response.status_code == 302
    assert response["Location"] == url


def test_single_sign_on_from_the_bare_address_leads_to_the_start_page(client, sso):
    with_start_page(sso_user(client, sso), "strategies")
    response = sign_in(client, sso, "anna", entra_claims(OID), next_url="/")
    assert response["Location"] == "/strategies/"


def test_single_sign_on_returns_to_a_page_asked_for_whatever_the_start_page(client, sso):
    with_start_page(sso_user(client, sso), "strategies")
    response = sign_in(client, sso, "anna", entra_claims(OID), next_url="/my/")
    assert response["Location"] == "/my/"


def test_single_sign_on_brings_the_users_language(client, sso):
    user = sso_user(client, sso)
    user_preference_update(user=user, language="da")
    sign_in(client, sso, "anna", entra_claims(OID))
    page = client.get("/my/", headers={"Accept-Language": "en"})
    assert '<html lang="da">' in page.text

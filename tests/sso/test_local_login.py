"""Password logins as LOCAL_LOGIN allows them, and the login page that says which ways in exist."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from strategy_monitor.sso.forms import LOCAL_LOGIN_OFF_CODE
from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", password="pw")


@pytest.fixture
def administrator(db):
    user = UserFactory(username="breakglass", password="pw")
    user.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    return user


def log_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": "pw"})


def test_all_lets_every_user_log_in_with_a_password(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    response = log_in(client, "colleague")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_admins_lets_an_administrator_log_in_with_a_password(client, settings, administrator):
    settings.LOCAL_LOGIN = "admins"
    assert log_in(client, "breakglass").status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)


def test_admins_lets_a_superuser_log_in_with_a_password(client, settings):
    settings.LOCAL_LOGIN = "admins"
    UserFactory(username="root", password="pw", is_superuser=True, is_staff=True)
    assert log_in(client, "root").status_code == 302


def test_admins_refuses_a_password_login_of_anyone_else(client, settings, colleague):
    settings.LOCAL_LOGIN = "admins"
    response = log_in(client, "colleague")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"]


def test_admins_also_closes_the_admin_sites_login_to_anyone_else(client, settings):
    settings.LOCAL_LOGIN = "admins"
    UserFactory(username="staffer", password="pw", is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "staffer", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admins_ends_an_existing_password_session_of_anyone_else(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    log_in(client, "colleague")
    settings.LOCAL_LOGIN = "admins"
    assert client.get(reverse("home")).status_code == 302


def test_off_refuses_every_password_login(client, settings, administrator):
    settings.LOCAL_LOGIN = "off"
    response = log_in(client, "breakglass")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].has_error("__all__", code=LOCAL_LOGIN_OFF_CODE)
    assert "switched off" in response.content.decode()


def test_login_page_without_single_sign_on_shows_only_the_password_form(client, settings):
    settings.OIDC_ISSUER = ""
    settings.LOCAL_LOGIN = "all"
    text = client.get(reverse("login")).content.decode()
    assert 'name="password"' in text
    assert "Sign in with your ministry account" not in text


def test_login_page_with_single_sign_on_leads_with_the_ministry_account(client, settings):
    settings.OIDC_ISSUER = "https://login.example/tenant/v2.0"
    settings.OIDC_RP_CLIENT_ID = "strategy-monitor"
    settings.LOCAL_LOGIN = "admins"
    text = client.get(reverse("login") + "?next=/strategies/").content.decode()
    assert "Sign in with your ministry account" in text
    assert reverse("oidc_authentication_init") + "?next=/strategies/" in text
    assert text.index("Sign in with your ministry account") < text.index('name="password"')
    assert "Administrators: log in with a password" in text


def test_login_page_hides_the_password_form_when_local_login_is_off(client, settings):
    settings.OIDC_ISSUER = "https://login.example/tenant/v2.0"
    settings.OIDC_RP_CLIENT_ID = "strategy-monitor"
    settings.LOCAL_LOGIN = "off"
    text = client.get(reverse("login")).content.decode()
    assert "Sign in with your ministry account" in text
    assert 'name="password"' not in text


def test_failed_password_logins_are_still_throttled(client, settings, colleague):
    settings.LOCAL_LOGIN = "all"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "colleague", "password": "wrong"})
    response = log_in(client, "colleague")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

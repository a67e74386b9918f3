"""Login throttling: five failures for a user name from one address lock that pair out."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from strategy_monitor.auth import LOCKED_OUT_CODE, client_ip

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def attempt(password: str, *, username: str = "desk", address: str = ADDRESS):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_settings_lock_out_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_fifth_failure_locks_out_even_the_right_password_with_a_message(desk):
    for _ in range(4):
        response = attempt("wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    locked = attempt("wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    # The lockout page replaces the refused form's page: its form carries the lockout error.
    forms = [context["form"] for context in locked.context if "form" in context]
    assert [error.code for error in forms[-1].non_field_errors().as_data()] == [LOCKED_OUT_CODE]
    page = locked.content.decode()
    assert "correct username and password" not in page
    assert "Too many failed log-in attempts" in page
    assert "15 minutes" in page
    assert 'role="alert"' in page

    refused = attempt("pw")
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session


def test_lockout_is_per_user_name_and_address(desk, finance):
    for _ in range(5):
        attempt("wrong")
    assert attempt("pw").status_code == 429
    # The same user from another address, and another user from the same address, log in.
    assert attempt("pw", address="198.51.100.2").status_code == 302
    assert attempt("pw", username="finance").status_code == 302


def test_lockout_ends_after_the_cool_off(desk):
    with time_machine.travel(datetime.datetime(2024, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(5):
            attempt("wrong")
        assert attempt("pw").status_code == 429
    later = datetime.datetime(2024, 5, 1, 9, 16, tzinfo=datetime.UTC)
    with time_machine.travel(later, tick=False):
        assert attempt("pw").status_code == 302


def test_a_success_before_the_limit_clears_the_count(desk):
    for _ in range(4):
        attempt("wrong")
    assert attempt("pw").status_code == 302
    for _ in range(4):
        assert attempt("wrong").status_code == 200
    assert attempt("pw").status_code == 302


def test_the_admin_login_is_throttled_too(admin_user):
    url = reverse("admin:login")
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(5):
        client.post(url, {"username": admin_user.username, "password": "wrong"})
    response = client.post(url, {"username": admin_user.username, "password": "pw"})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.5"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # a forged first entry is ignored
        (2, "198.51.100.9, 10.0.0.7", "198.51.100.9"),
        (2, "198.51.100.9", "10.0.0.5"),  # fewer entries than proxies: the connection
    ],
)
def test_client_address_looks_through_trusted_proxies_only(
    settings, rf, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected

"""The health check: one query, JSON, no login, 200 or 503."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.strategy_monitor.outage import database_down

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_with_one_query_and_no_login(django_assert_num_queries):
    # SELECT 1; nothing else, not even for a client that sends a session cookie.
    with django_assert_num_queries(1):
        response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "maintenance": False}
    assert "no-store" in response["Cache-Control"]


def test_health_check_reads_no_session_of_a_logged_in_browser(
    client_desk, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert client_desk.get(reverse("healthz")).status_code == 200


def test_health_check_answers_503_in_json_while_the_database_is_gone(client_desk):
    with database_down():
        response = client_desk.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "maintenance": False,
    }


def test_health_check_answers_any_host_name():
    # A load balancer may address the server by its IP address.
    response = Client(HTTP_HOST="10.1.2.3").get(reverse("healthz"))
    assert response.status_code == 200
    assert Client(HTTP_HOST="10.1.2.3").get(reverse("login")).status_code == 400


def test_health_check_takes_only_get_and_head():
    assert Client().head(reverse("healthz")).status_code == 200
    assert Client().post(reverse("healthz")).status_code == 405

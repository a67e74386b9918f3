"""Request rates: each user, and each anonymous address, is held to the configured rate."""

import pytest
from django.test import Client

from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_a_user_over_the_rate_gets_429_with_retry_after(settings, client_desk, desk):
    settings.API_THROTTLE_RATES = {"api_user": "3/minute", "api_anon": "100/minute"}
    _, text = api_token_create(user=desk, name="sync")
    token = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    # The session and the token are the same user, so they share one count.
    assert client_desk.get("/api/v1/strategies/").status_code == 200
    assert Client().get("/api/v1/meetings/", **token).status_code == 200
    assert client_desk.get("/api/v1/risks/").status_code == 200
    refused = Client().get("/api/v1/strategies/", **token)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_another_user_keeps_their_own_count(settings, client_desk, client_manager):
    settings.API_THROTTLE_RATES = {"api_user": "1/minute", "api_anon": "100/minute"}
    assert client_desk.get("/api/v1/strategies/").status_code == 200
    assert client_desk.get("/api/v1/strategies/").status_code == 429
    assert client_manager.get("/api/v1/strategies/").status_code == 200


def test_anonymous_requests_are_counted_per_address(settings, db):
    settings.API_THROTTLE_RATES = {"api_user": "100/minute", "api_anon": "2/minute"}
    # Requests without credentials are counted before they are refused.
    statuses = [Client().get("/api/v1/strategies/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]

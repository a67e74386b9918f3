"""API tokens: only a hash is kept, the secret is shown once, and revoked tokens stop working."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_check, api_token_create, api_token_revoke, api_token_touch

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_the_hash_of_the_secret(desk):
    token, text = api_token_create(user=desk, name="sync")
    prefix, secret = text.split(".")
    assert prefix == token.prefix
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())


def test_token_check_refuses_revoked_expired_and_deactivated(desk):
    token, text = api_token_create(user=desk, name="sync")
    assert api_token_check(text=text) == token
    assert api_token_check(text=text[:-1]) is None
    assert api_token_check(text=token.prefix) is None
    api_token_revoke(token=token)
    assert api_token_check(text=text) is None

    soon = timezone.now() + datetime.timedelta(days=1)
    expiring, text = api_token_create(user=desk, name="until tomorrow", expires_at=soon)
    assert api_token_check(text=text) == expiring
    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        assert api_token_check(text=text) is None

    _, text = api_token_create(user=desk, name="sync")
    desk.is_active = False
    desk.save()
    assert api_token_check(text=text) is None


def test_last_used_is_written_at_most_once_a_minute(desk):
    token, text = api_token_create(user=desk, name="sync")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Client().get("/api/v1/strategies/", **headers)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        Client().get("/api/v1/strategies/", **headers)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        Client().get("/api/v1/strategies/", **headers)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_touch_by_a_stale_copy_does_not_write_again(desk):
    token, _ = api_token_create(user=desk, name="sync")
    copy = ApiToken.objects.get(pk=token.pk)
    api_token_touch(token=token)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    api_token_touch(token=copy)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_admin_issues_a_token_and_shows_its_secret_once(client_admin, admin_user, desk):
    admin_user.is_superuser = True
    admin_user.save()
    response = client_admin.post(
        reverse("admin:api_apitoken_add"),
        {"user": desk.pk, "name": "Data warehouse"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    found = re.search(rf"{token.prefix}\.[A-Za-z0-9_-]+", response.content.decode())
    assert found, "the new token is shown on the page after adding it"
    assert api_token_check(text=found.group()) == token
    # Once shown, the secret (and its hash) never show again.
    page = client_admin.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert found.group().split(".")[1] not in page
    assert token.secret_hash not in page
    assert token.prefix in page


def test_admin_revokes_selected_tokens(client_admin, admin_user, desk):
    admin_user.is_superuser = True
    admin_user.save()
    token, text = api_token_create(user=desk, name="sync")
    response = client_admin.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    history = client_admin.get(reverse("admin:api_apitoken_history", args=[token.pk]))
    assert "Changed revoked at." in history.content.decode()
    assert (
        Client().get("/api/v1/strategies/", HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 401
    )


def test_admin_list_tells_usable_expired_and_revoked_tokens_apart(client_admin, admin_user, desk):
    admin_user.is_superuser = True
    admin_user.save()
    api_token_create(user=desk, name="usable")
    past = timezone.now() - datetime.timedelta(days=1)
    api_token_create(user=desk, name="expired", expires_at=past)
    api_token_revoke(token=api_token_create(user=desk, name="revoked")[0])
    page = client_admin.get(reverse("admin:api_apitoken_changelist")).content.decode()
    for state in ("usable", "expired", "revoked"):
        assert f'<td class="field-state">{state}</td>' in page


def test_desk_officer_cannot_reach_the_token_admin(client_desk):
    response = client_desk.get(reverse("admin:api_apitoken_changelist"))
    assert response.status_code == 302

"""The daily purge deletes login records and sessions past their retention, and finds leavers."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from strategy_monitor.personal_data import departed_users
from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def attempt(model, *, days_ago: int, username: str):
    row = model.objects.create(
        username=username,
        ip_address="198.51.100.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/login/",
        **(
            {"get_data": "", "post_data": "", "failures_since_start": 1}
            if model is AccessAttempt
            else {}
        ),
    )
    # attempt_time is set on creation; move it back as if the attempt were that old.
    model.objects.filter(pk=row.pk).update(attempt_time=NOW - datetime.timedelta(days=days_ago))
    return row


def session(*, expires_in_days: int) -> str:
    store = SessionStore()
    store["note"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=NOW + datetime.timedelta(days=expires_in_days)
    )
    return store.session_key


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_login_attempts_past_their_retention_are_deleted_and_recent_ones_kept(settings):
    settings.LOGIN_ATTEMPT_RETENTION_DAYS = 90
    old = [
        attempt(AccessAttempt, days_ago=91, username="a"),
        attempt(AccessLog, days_ago=200, username="b"),
    ]
    recent = [
        attempt(AccessAttempt, days_ago=89, username="c"),
        attempt(AccessLog, days_ago=1, username="d"),
    ]
    output = purge()
    assert "Deleted 2 login attempt record(s) older than 90 days" in output
    for row in old:
        assert not type(row).objects.filter(pk=row.pk).exists()
    for row in recent:
        assert type(row).objects.filter(pk=row.pk).exists()


def test_expired_sessions_are_deleted_and_live_ones_kept():
    expired = session(expires_in_days=-1)
    live = session(expires_in_days=1)
    assert "and 1 expired session(s)" in purge()
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


def test_departed_users_past_the_retention_are_listed_not_changed(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    long_gone = UserFactory(
        username="longgone", is_active=False, last_login=NOW - datetime.timedelta(days=400)
    )
    never_logged_in = UserFactory(username="neverin", is_active=False)
    type(never_logged_in).objects.filter(pk=never_logged_in.pk).update(
        date_joined=NOW - datetime.timedelta(days=500)
    )
    UserFactory(username="justleft", is_active=False, last_login=NOW - datetime.timedelta(days=30))
    UserFactory(username="stillhere", last_login=NOW - datetime.timedelta(days=900))
    assert list(departed_users()) == [long_gone, never_logged_in]
    output = purge()
    assert f"Departed user {long_gone.pk} (longgone)" in output
    assert "justleft" not in output and "stillhere" not in output
    long_gone.refresh_from_db()
    assert long_gone.username == "longgone"


def test_with_anonymise_the_departed_users_past_the_retention_are_anonymised(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    long_gone = UserFactory(
        username="longgone", is_active=False, last_login=NOW - datetime.timedelta(days=400)
    )
    output = purge("--anonymise")
    assert f"Anonymised user {long_gone.pk}." in output
    long_gone.refresh_from_db()
    assert long_gone.username == f"former-user-{long_gone.pk}"
    # Once anonymised, a user is not listed again.
    assert "No departed user is past the retention of 365 days." in purge()

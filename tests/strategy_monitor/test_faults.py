"""Faults: the database gone and back, a write failing halfway, a download failing.

The outage is simulated on every database (connections refused); on PostgreSQL it is also
real: the application's connection runs through a relay that is cut and restored, and the
requests go through Django's WSGI handler as gunicorn sends them.
"""

import datetime
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection
from django.db.utils import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from engagement.choices import MeetingKind
from engagement.models import ActionPoint, Meeting
from engagement.services import ActionPointInput, meeting_create
from funding.models import ParliamentaryApproval
from funding.services import approval_year_record
from priorities.models import Strategy, StrategyYear
from priorities.services import strategy_create
from reports.views import exports
from tests.funding.factories import budget_create
from tests.priorities.factories import OrganisationFactory
from tests.risks.factories import RiskFactory
from tests.strategy_monitor.outage import Relay, database_down

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def strategy_url(strategy) -> str:
    return reverse("priorities:strategy_detail", args=[strategy.slug])


# --- The database gone and back ----------------------------------------------------------------


@pytest.mark.django_db
def test_pages_answer_503_at_once_while_the_database_is_gone_and_recover(desk, strategy):
    client = Client(raise_request_exception=False)
    client.force_login(desk)
    url = strategy_url(strategy)
    assert client.get(url).status_code == 200
    with database_down():
        started = time.monotonic()
        response = client.get(url)
        elapsed = time.monotonic() - started
        health = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert elapsed < 1
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "cannot reach its database" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert health.status_code == 503
    assert health.json()["database"] == "unavailable"
    # Back again: the same client is served as before.
    assert client.get(url).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_a_database_error_inside_a_view_answers_503(client_desk, strategy):
    with mock.patch(
        "priorities.views.strategy.strategy_overview", side_effect=OperationalError("server closed")
    ):
        response = client_desk.get(strategy_url(strategy))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_the_login_page_still_shows_while_the_database_is_gone():
    # Showing the form needs no query; logging in does, and gets the 503 page.
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get(reverse("login")).status_code == 200
        response = client.post(reverse("login"), {"username": "desk", "password": "pw"})
    assert response.status_code == 503


def _wsgi_get(path: str, session: str) -> tuple[int, dict, bytes]:
    """GET `path` through Django's WSGI handler, as gunicorn calls it."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="GET",
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}",
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    body = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): a SQLite file cannot go away; "
    "the simulated outage above covers SQLite",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_outage_answers_503_fast_and_recovers_when_it_returns(desk, strategy):
    client = Client()
    client.force_login(desk)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = strategy_url(strategy)
    relay = Relay(
        connection.settings_dict["HOST"] or "127.0.0.1",
        int(connection.settings_dict["PORT"] or 5432),
    )
    saved = dict(connection.settings_dict)
    connection.close()
    # Persistent connections with health checks, as in production: the open connection breaks.
    connection.settings_dict.update(
        HOST="127.0.0.1", PORT=str(relay.start().port), CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True
    )
    try:
        assert _wsgi_get(url, session)[0] == 200
        assert connection.connection is not None  # kept open for the next request

        relay.stop()  # the server goes away: the open connection breaks, new ones are refused
        for _ in range(2):
            started = time.monotonic()
            status, headers, body = _wsgi_get(url, session)
            assert status == 503
            assert time.monotonic() - started < 2
            assert headers["Retry-After"] == "30"
            assert b"cannot reach its database" in body
        assert _wsgi_get(reverse("healthz"), session)[0] == 503

        relay.start()  # the server is back, on the same address
        assert _wsgi_get(reverse("healthz"), session)[0] == 200
        assert _wsgi_get(url, session)[0] == 200
    finally:
        relay.stop()
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


# --- A write failing halfway leaves nothing behind ----------------------------------------------


def fail_on_call(model, number: int):
    """Patch `model.save` to raise a database error on its `number`-th call."""
    original = model.save
    calls = []

    def save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == number:
            raise DatabaseError("could not write: no space left on device")
        return original(self, *args, **kwargs)

    return mock.patch.object(model, "save", save)


@pytest.mark.django_db
def test_approving_a_year_for_all_lines_saves_all_or_nothing(strategy, finance):
    lines = budget_create(strategy)
    amounts = {line.pk: Decimal("1000000") for line in lines.values()}
    with fail_on_call(ParliamentaryApproval, 2), pytest.raises(DatabaseError):
        approval_year_record(
            strategy=strategy,
            year=2024,
            approved_on=datetime.date(2023, 12, 15),
            amounts=amounts,
            user=finance,
        )
    assert not ParliamentaryApproval.objects.exists()
    assert not ParliamentaryApproval.history.exists()
    # Nothing half-written stands in the way of doing it again.
    approval_year_record(
        strategy=strategy,
        year=2024,
        approved_on=datetime.date(2023, 12, 15),
        amounts=amounts,
        user=finance,
    )
    assert ParliamentaryApproval.objects.count() == 3


@pytest.mark.django_db
def test_a_meeting_with_action_points_saves_all_or_nothing(strategy, desk):
    points = [
        ActionPointInput(text=f"Follow up {n}", owner=desk, due_on=datetime.date(2024, 9, 1))
        for n in range(3)
    ]
    with fail_on_call(ActionPoint, 2), pytest.raises(DatabaseError):
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.ANNUAL_CONSULTATION,
            held_on=datetime.date(2024, 5, 14),
            action_points=points,
            user=desk,
        )
    assert not Meeting.objects.exists()
    assert not ActionPoint.objects.exists()
    assert not Meeting.history.exists()


@pytest.mark.django_db
def test_a_new_strategy_and_its_years_save_all_or_nothing(admin_user):
    values = {
        "organisation": OrganisationFactory(),
        "title": "New strategy 2025-2028",
        "slug": "new-2025-2028",
        "start_year": 2025,
        "end_year": 2028,
    }
    with fail_on_call(StrategyYear, 3), pytest.raises(DatabaseError):
        strategy_create(user=admin_user, **values)
    assert not Strategy.objects.filter(slug="new-2025-2028").exists()
    assert not StrategyYear.objects.filter(strategy__slug="new-2025-2028").exists()


@pytest.mark.django_db
def test_a_failed_save_through_a_page_shows_the_error_page_and_keeps_nothing(client_desk, strategy):
    client = Client(raise_request_exception=False)
    client.cookies = client_desk.cookies
    with fail_on_call(ActionPoint, 2):
        response = client.post(
            reverse("engagement:meeting_create", args=[strategy.slug]),
            {
                "kind": MeetingKind.ANNUAL_CONSULTATION,
                "held_on": "2024-05-14",
                "title": "Annual consultations 2024",
                "actions-TOTAL_FORMS": "2",
                "actions-INITIAL_FORMS": "0",
                "actions-0-text": "First",
                "actions-0-due_on": "2024-09-01",
                "actions-1-text": "Second",
                "actions-1-due_on": "2024-09-01",
            },
        )
    assert response.status_code in (200, 500)
    assert "Traceback" not in response.content.decode()
    assert not Meeting.objects.exists()
    assert not ActionPoint.objects.exists()


# --- A download that fails says so -------------------------------------------------------------


@pytest.mark.django_db
def test_a_table_download_that_fails_sends_the_user_back_with_a_message(client_desk, strategy):
    RiskFactory(strategy=strategy)
    url = reverse("risks:risk_list", args=[strategy.slug])
    with mock.patch(
        "strategy_monitor.exports.SafeTableExport.table_to_dataset",
        side_effect=ValueError("renderer broke"),
    ):
        response = client_desk.get(url + "?_export=xlsx&status=open")
    assert response.status_code == 302
    assert response["Location"] == url + "?status=open"
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [
        "The download could not be made. Nothing was downloaded; please try again, and tell "
        "the administrator if it fails again."
    ]
    page = client_desk.get(response["Location"]).content.decode()
    assert "The download could not be made" in page
    assert "renderer broke" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "renderer", "kwargs"),
    [
        ("brief_download", "brief_pdf", {"year": 2024}),
        ("workbook_download", "workbook_xlsx", {}),
        ("iati_download", "iati_xml", {}),
    ],
)
def test_a_report_download_that_fails_gives_a_message_not_a_trace(
    client_desk, strategy, name, renderer, kwargs
):
    # The download views look their renderer up in reports.views.exports.
    with mock.patch.object(exports, renderer, side_effect=RuntimeError("layout failed")):
        response = client_desk.get(
            reverse(f"reports:{name}", kwargs={"slug": strategy.slug, **kwargs}), follow=True
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be produced" in page
    assert "layout failed" not in page
    assert "Traceback" not in page

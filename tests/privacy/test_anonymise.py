"""Anonymising a departed user leaves no trace of who they were, and the change log its shape."""

import datetime
import io
import json
import logging

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from api.services import api_token_check, api_token_create
from engagement.models import CalendarToken, Reminder
from engagement.services import actionpoint_create, calendar_token_get
from priorities.choices import TeamRole
from priorities.services.strategy import teammembership_add
from strategy_monitor.changes import person_text
from strategy_monitor.formats import person_name
from strategy_monitor.history import recorded_save
from strategy_monitor.logging import JsonFormatter, RequestIdFilter
from strategy_monitor.models import ExternalIdentity
from strategy_monitor.personal_data import user_anonymise
from tests.engagement.factories import MeetingFactory
from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db

USERNAME = "ikjeldsen"
FIRST, LAST = "Ingeborg", "Kjeldsen"
EMAIL = "ingeborg.kjeldsen@um.example"
TRACES = (USERNAME, FIRST, LAST, EMAIL)


def history_row_count() -> int:
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    # Read back as JSON and written out plainly, so no escaping hides a name.
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False).casefold()


@pytest.fixture
def departed(strategy, admin_user):
    """Return a desk officer who worked on the strategy, left a trail, and was deactivated."""
    person = UserFactory(username=USERNAME, first_name=FIRST, last_name=LAST, email=EMAIL)
    teammembership_add(
        strategy=strategy, member=person, role=TeamRole.DESK_OFFICER, user=admin_user
    )
    strategy.desk_officer = f"{FIRST} {LAST}"
    recorded_save(strategy, user=admin_user, reason="Changed the front page")
    meeting = MeetingFactory(strategy=strategy)
    actionpoint_create(
        meeting=meeting,
        text=f"{FIRST} {LAST} to send the minutes ({EMAIL})",
        owner=person,
        due_on=datetime.date(2024, 6, 30),
        user=person,
    )
    calendar_token_get(user=person)
    Reminder.objects.create(
        user=person,
        item_type="action_point",
        item_id=1,
        stage="due_soon",
        due_on=meeting.held_on,
        title="Send the minutes",
    )
    AccessAttempt.objects.create(
        username=USERNAME,
        ip_address="198.51.100.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data=f"username={USERNAME}",
        failures_since_start=1,
    )
    # The admin's own log names the user, and the membership after them.
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=[person, *strategy.team.filter(user=person)],
        action_flag=CHANGE,
        change_message="Changed e-mail.",
    )
    person.is_active = False
    person.save()
    return person


def test_anonymising_leaves_no_trace_of_the_person_and_keeps_every_history_row(
    departed, admin_user
):
    before = database_dump()
    assert all(trace.casefold() in before for trace in TRACES)
    rows = history_row_count()

    user_anonymise(user=departed, acting_user=admin_user)

    after = database_dump()
    left = [trace for trace in TRACES if trace.casefold() in after]
    assert not left, f"Still in the database: {left}"
    assert history_row_count() == rows
    assert f"former user {departed.pk}" in after


def test_the_anonymised_user_keeps_their_team_role_and_changes_under_a_former_user_name(
    departed, admin_user, strategy
):
    user_anonymise(user=departed, acting_user=admin_user)
    departed.refresh_from_db()
    assert departed.username == f"former-user-{departed.pk}"
    assert (departed.first_name, departed.last_name, departed.email) == ("", "", "")
    assert not departed.has_usable_password()
    assert not departed.is_active
    assert strategy.team.filter(user=departed, role=TeamRole.DESK_OFFICER).exists()
    assert person_name(departed) == f"Former user {departed.pk}"
    action_point = departed.action_points.get()
    [created] = action_point.history.all()
    assert person_text(created.history_user) == f"Former user {departed.pk}"
    strategy.refresh_from_db()
    assert strategy.desk_officer == f"Former user {departed.pk}"


def test_anonymising_removes_the_calendar_feed_reminders_and_login_attempts(departed, admin_user):
    user_anonymise(user=departed, acting_user=admin_user)
    assert not CalendarToken.objects.filter(user=departed).exists()
    assert not Reminder.objects.filter(user=departed).exists()
    assert not AccessAttempt.objects.exists()


def test_anonymising_unlinks_the_ministry_account_and_revokes_the_api_tokens(departed, admin_user):
    ExternalIdentity.objects.create(
        issuer="72f988bf-0000-4000-8000-00000000c0de", subject="oid-departed", user=departed
    )
    token, text = api_token_create(user=departed, name="Data warehouse")
    user_anonymise(user=departed, acting_user=admin_user)
    assert not ExternalIdentity.objects.filter(user=departed).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_check(text=text) is None


def test_an_active_user_is_refused(desk, admin_user):
    with pytest.raises(ValidationError) as refused:
        user_anonymise(user=desk, acting_user=admin_user)
    assert refused.value.code == "active_user"
    desk.refresh_from_db()
    assert desk.username == "desk"


def test_a_superuser_is_refused_even_when_inactive(admin_user):
    chief = UserFactory(username="chief", is_superuser=True, is_active=False)
    with pytest.raises(ValidationError) as refused:
        user_anonymise(user=chief, acting_user=admin_user)
    assert refused.value.code == "superuser"


@pytest.fixture
def client_superuser(db, client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


def test_the_admin_action_refuses_active_users_and_changes_nothing(
    client_superuser, departed, desk
):
    response = client_superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "anonymise_departed_users", "_selected_action": [departed.pk, desk.pk]},
        follow=True,
    )
    assert "only departed users can be anonymised" in response.content.decode()
    departed.refresh_from_db()
    assert departed.username == USERNAME


def test_the_admin_action_asks_then_anonymises_and_logs_without_personal_data(
    client_superuser, departed
):
    changelist = reverse("admin:auth_user_changelist")
    form = {"action": "anonymise_departed_users", "_selected_action": [departed.pk]}
    confirm = client_superuser.post(changelist, form)
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    departed.refresh_from_db()
    assert departed.username == USERNAME

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("strategy_monitor.personal_data")
    logger.addHandler(handler)
    try:
        done = client_superuser.post(
            changelist, {**form, "post": "yes"}, headers={"X-Request-ID": "gdpr-1"}, follow=True
        )
    finally:
        logger.removeHandler(handler)
    assert f"Former user {departed.pk}" in done.content.decode()
    departed.refresh_from_db()
    assert departed.username == f"former-user-{departed.pk}"
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "gdpr-1"
    assert line["message"].startswith(f"Anonymised user {departed.pk} (by user ")
    assert line["user_id"] is not None
    assert not any(trace.casefold() in stream.getvalue().casefold() for trace in TRACES)

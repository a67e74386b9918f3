"""Key messages in the strategy's change log, in the admin, and when their drafter leaves."""

import datetime

import pytest
from django.urls import reverse

from engagement.models import KeyMessage
from engagement.services import (
    KeyMessageInput,
    KeyMessageOutcome,
    key_messages_outcome_record,
    key_messages_save,
)
from strategy_monitor.personal_data import user_anonymise
from tests.engagement.factories import MeetingFactory
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(strategy):
    return MeetingFactory(
        strategy=strategy, held_on=datetime.date(2024, 6, 12), title="Annual consultation 2024"
    )


def test_key_message_changes_show_in_the_strategys_change_log(
    client_manager, meeting, desk, mission
):
    (message,) = key_messages_save(
        meeting=meeting, rows=[KeyMessageInput(text="Ask about the audit follow-up")], user=desk
    )
    key_messages_outcome_record(
        meeting=meeting,
        outcomes=[KeyMessageOutcome(message, raised=True, answer="In September")],
        user=mission,
        today=datetime.date(2024, 6, 20),
    )

    url = reverse("reports:strategy_history", kwargs={"slug": meeting.strategy.slug})
    response = client_manager.get(url)

    text = response.text
    assert "Key message" in text
    assert "Ask about the audit follow-up" in text
    assert "Key message drafted for Annual consultation 2024" in text
    assert "Outcome of a key message of Annual consultation 2024" in text
    filtered = client_manager.get(url, {"kind": "engagement.keymessage"})
    assert filtered.status_code == 200
    assert "Ask about the audit follow-up" in filtered.text


def test_admin_shows_key_messages_and_their_history_but_changes_none(client, meeting, desk):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client_admin = client
    (message,) = key_messages_save(
        meeting=meeting, rows=[KeyMessageInput(text="Raise the audit")], user=desk
    )
    change = reverse("admin:engagement_keymessage_change", args=[message.pk])
    history = reverse("admin:engagement_keymessage_history", args=[message.pk])
    assert client_admin.get(reverse("admin:engagement_keymessage_changelist")).status_code == 200
    page = client_admin.get(change)
    assert page.status_code == 200
    assert "Raise the audit" in page.text
    assert client_admin.get(history).status_code == 200
    assert client_admin.post(change, {"text": "Changed in the admin"}).status_code == 403
    assert client_admin.get(reverse("admin:engagement_keymessage_add")).status_code == 403
    message.refresh_from_db()
    assert message.text == "Raise the audit"


def test_anonymising_a_drafter_keeps_the_message_and_removes_their_name(meeting, admin_user):
    person = UserFactory(
        username="ikjeldsen", first_name="Ingeborg", last_name="Kjeldsen", email="ik@um.example"
    )
    TeamMembershipFactory(strategy=meeting.strategy, user=person)
    (message,) = key_messages_save(
        meeting=meeting,
        rows=[KeyMessageInput(text="Ingeborg Kjeldsen to raise the audit (ik@um.example)")],
        user=person,
    )
    person.is_active = False
    person.save()

    user_anonymise(user=person, acting_user=admin_user)

    message = KeyMessage.objects.get(pk=message.pk)
    assert message.drafted_by_id == person.pk
    assert "Kjeldsen" not in message.text and "ik@um.example" not in message.text
    for row in message.history.all():
        assert "Kjeldsen" not in row.text
        assert row.history_user_id == person.pk

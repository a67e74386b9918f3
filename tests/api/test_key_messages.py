"""Key messages are internal: the meeting endpoint gives them to the team and administrators."""

import datetime

import pytest
from django.urls import reverse

from tests.engagement.factories import ActionPointFactory, KeyMessageFactory, MeetingFactory
from tests.priorities.factories import PriorityAreaFactory

pytestmark = pytest.mark.django_db

SECRET = "Press IOM on the audit follow-up: internal 7f3a"


@pytest.fixture
def meeting(strategy):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 6, 12))
    area = PriorityAreaFactory(strategy=strategy)
    point = ActionPointFactory(strategy=strategy, meeting=meeting)
    KeyMessageFactory(
        meeting=meeting,
        priority_area=area,
        text=SECRET,
        raised=True,
        answer="IOM will report in September.",
        action_point=point,
        order=1,
    )
    KeyMessageFactory(meeting=meeting, text="Welcome the data strategy", order=2)
    return meeting


def detail(client, meeting):
    response = client.get(reverse("api:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("client_name", ["client_desk", "client_mission", "client_admin"])
def test_team_and_administrators_read_key_messages_with_their_outcome(
    request, client_name, meeting
):
    client = request.getfixturevalue(client_name)
    data = detail(client, meeting).json()
    first, second = data["key_messages"]
    message = meeting.key_messages.get(order=1)
    assert first == {
        "id": message.pk,
        "text": SECRET,
        "priority_area": message.priority_area_id,
        "order": 1,
        "raised": True,
        "answer": "IOM will report in September.",
        "action_point": message.action_point_id,
    }
    assert (second["text"], second["raised"], second["action_point"]) == (
        "Welcome the data strategy",
        None,
        None,
    )


def test_a_manager_off_the_team_sees_the_meeting_but_not_its_key_messages(client_manager, meeting):
    response = detail(client_manager, meeting)
    assert response.json()["key_messages"] is None
    assert SECRET not in response.text
    listing = client_manager.get(reverse("api:meeting-list"))
    assert SECRET not in listing.text
    assert [row["key_messages"] for row in listing.json()["results"]] == [None]


def test_a_user_of_another_strategy_gets_neither_meeting_nor_key_messages(client_outsider, meeting):
    assert client_outsider.get(reverse("api:meeting-detail", args=[meeting.pk])).status_code == 404
    listing = client_outsider.get(reverse("api:meeting-list"))
    assert SECRET not in listing.text


def test_a_team_member_reads_only_their_strategys_key_messages(
    client_desk, manager, meeting, other_strategy, client_admin
):
    other = MeetingFactory(strategy=other_strategy)
    KeyMessageFactory(meeting=other, text="Another team's point")
    # The desk officer does not see the other strategy at all; the administrator sees both.
    assert "Another team's point" not in client_desk.get(reverse("api:meeting-list")).text
    assert "Another team's point" in client_admin.get(reverse("api:meeting-list")).text

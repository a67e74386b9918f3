"""Someone taken off a strategy's team no longer sees its records on /my/ or in their feed."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from engagement.selectors import calendar_items_for_user, my_tasks
from engagement.services import calendar_token_get
from priorities.models import TeamMembership
from risks.choices import RiskStatus
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.priorities.factories import TeamMembershipFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 8, 1)


@pytest.fixture
def owned(strategy, other_strategy, desk):
    """What `desk` owns on their strategy, and on a second one they join and then leave."""
    TeamMembershipFactory(strategy=other_strategy, user=desk)
    records = {}
    for key, chosen in (("kept", strategy), ("left", other_strategy)):
        meeting = MeetingFactory(strategy=chosen, title=f"Meeting {key}")
        records[key] = {
            "point": ActionPointFactory(
                strategy=chosen,
                meeting=meeting,
                owner=desk,
                text=f"Point {key}",
                due_on=datetime.date(2024, 8, 10),
            ),
            "milestone": MilestoneFactory(
                strategy=chosen,
                owner=desk,
                title=f"Milestone {key}",
                due_on=datetime.date(2024, 8, 12),
            ),
            "risk": RiskFactory(
                strategy=chosen,
                owner=desk,
                title=f"Risk {key}",
                status=RiskStatus.OPEN,
                next_review=datetime.date(2024, 8, 15),
            ),
        }
    TeamMembership.objects.filter(strategy=other_strategy, user=desk).delete()
    return records


def titles(report) -> set[str]:
    return {item.title for item in (*report.overdue, *report.upcoming)}


def test_my_tasks_leave_out_the_strategy_the_user_left(owned, desk):
    shown = titles(my_tasks(user=desk, today=TODAY))
    assert {"Point kept", "Milestone kept", "Review the risk: Risk kept"} <= shown
    assert not {t for t in shown if t.endswith("left")}


@time_machine.travel(datetime.datetime(2024, 8, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_my_page_leaves_out_the_strategy_the_user_left(owned, client_desk):
    response = client_desk.get(reverse("reports:my_tasks"))
    assert response.status_code == 200
    assert "Point kept" in response.text
    assert "Point left" not in response.text
    assert "Milestone left" not in response.text


def test_the_feed_leaves_out_the_strategy_the_user_left(owned, desk):
    items = calendar_items_for_user(user=desk)
    assert {p.text for p in items.action_points} == {"Point kept"}
    assert {m.title for m in items.milestones} == {"Milestone kept"}
    assert {m.title for m in items.meetings} == {"Meeting kept"}
    token = calendar_token_get(user=desk).token
    response = Client().get(reverse("engagement:user_calendar", args=[token]))
    summaries = " ".join(
        str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")
    )
    assert "Milestone kept" in summaries
    assert "left" not in summaries


def test_the_strategy_feed_of_the_strategy_left_is_gone(owned, desk, other_strategy):
    token = calendar_token_get(user=desk).token
    url = reverse("engagement:strategy_calendar", args=[other_strategy.slug, token])
    assert Client().get(url).status_code == 404


def test_a_manager_still_sees_what_they_own_on_any_strategy(other_strategy, manager):
    meeting = MeetingFactory(strategy=other_strategy)
    ActionPointFactory(
        strategy=other_strategy,
        meeting=meeting,
        owner=manager,
        text="Manager's point",
        due_on=datetime.date(2024, 8, 10),
    )
    assert "Manager's point" in titles(my_tasks(user=manager, today=TODAY))

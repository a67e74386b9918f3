"""Every reader of a milestone's state counts a fulfilling record as done, not only `done_on`.

A consultation logged ahead of its milestone's date reaches the milestone, though nobody closed
it by hand: the filter, the API, the dashboards, the brief, the feed and the queues say so.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from engagement.choices import MeetingKind, MilestoneKind
from engagement.filtersets import MilestoneFilterSet
from engagement.models import Milestone
from engagement.selectors import (
    consultations_queue,
    milestone_done_q,
    milestone_fulfilled_ids,
    milestones_open_owned_by,
)
from engagement.services import calendar_token_get
from reports.builders.brief import brief_build
from reports.dashboards.portfolio import portfolio_build
from reports.dashboards.strategy import strategy_dashboard_build
from tests.engagement.factories import MeetingFactory, MilestoneFactory
from tests.engagement.test_calendar import events, parse, strategy_feed_url

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
HELD = datetime.date(2025, 6, 5)


@pytest.fixture
def logged(strategy, mission):
    """The 2025 consultation held and logged before its milestone's date; a session to come."""
    meeting = MeetingFactory(
        strategy=strategy,
        kind=MeetingKind.ANNUAL_CONSULTATION,
        title="Annual consultation held in Geneva",
        held_on=HELD,
    )
    consultation = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2025",
        due_on=datetime.date(2025, 6, 15),
        owner=mission,
    )
    council = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.GOVERNING_BODY,
        title="Council 2025",
        due_on=datetime.date(2025, 11, 30),
        owner=mission,
    )
    assert consultation.done_on is None
    return {"meeting": meeting, "consultation": consultation, "council": council}


def titles(rows) -> list[str]:
    return [row.title for row in rows]


@time_machine.travel(NOW, tick=False)
def test_the_selector_finds_the_fulfilled_ids_in_a_query_and_one_per_source(
    strategy, logged, django_assert_num_queries
):
    milestones = Milestone.objects.filter(strategy=strategy)
    # the milestones of kinds a record fulfils, the consultations logged
    with django_assert_num_queries(2):
        ids = milestone_fulfilled_ids(milestones)
    assert ids == {logged["consultation"].pk}
    assert set(milestones.exclude(milestone_done_q(ids)).values_list("title", flat=True)) == {
        "Council 2025"
    }
    # Kinds no record fulfils ask no source.
    with django_assert_num_queries(1):
        assert (
            milestone_fulfilled_ids(milestones.filter(kind=MilestoneKind.GOVERNING_BODY)) == set()
        )


@time_machine.travel(NOW, tick=False)
def test_a_record_after_the_date_asked_does_not_count(strategy, logged):
    milestones = Milestone.objects.filter(strategy=strategy)
    assert milestone_fulfilled_ids(milestones, as_of=HELD) == {logged["consultation"].pk}
    assert milestone_fulfilled_ids(milestones, as_of=HELD - datetime.timedelta(days=1)) == set()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("state", "expected"),
    [("done", ["Annual consultation 2025"]), ("open", ["Council 2025"]), ("overdue", [])],
)
def test_the_state_filter_counts_the_logged_consultation_done(strategy, logged, state, expected):
    filterset = MilestoneFilterSet(
        {"state": state}, queryset=Milestone.objects.filter(strategy=strategy), strategy=strategy
    )
    assert sorted(filterset.qs.values_list("title", flat=True)) == expected


@time_machine.travel(NOW, tick=False)
def test_the_api_gives_the_state_and_the_record_that_fulfils_it(client_manager, logged):
    consultation = logged["consultation"]
    answer = client_manager.get(reverse("api:milestone-detail", args=[consultation.pk])).json()
    assert answer["state"] == "done"
    assert answer["done_on"] is None
    meeting_url = reverse(
        "engagement:meeting_detail", args=[consultation.strategy.slug, logged["meeting"].pk]
    )
    assert answer["fulfilled_by"] == {
        "label": "Annual consultation logged",
        "done_on": "2025-06-05",
        "url": f"http://testserver{meeting_url}",
    }
    listed = {
        row["title"]: row
        for row in client_manager.get(reverse("api:milestone-list")).json()["results"]
    }
    assert listed["Annual consultation 2025"]["state"] == "done"
    assert listed["Council 2025"]["state"] == "open"
    assert listed["Council 2025"]["fulfilled_by"] is None


@time_machine.travel(NOW, tick=False)
def test_the_dashboards_list_only_what_is_still_to_come(strategy, manager, logged):
    dashboard = strategy_dashboard_build(strategy=strategy, today=TODAY)
    assert titles(dashboard.milestones) == ["Council 2025"]
    portfolio = portfolio_build(user=manager, today=TODAY)
    assert titles(portfolio.milestones) == ["Council 2025"]
    [card] = [card for card in portfolio.cards if card.slug == strategy.slug]
    assert card.next_milestone == "Council 2025"


@time_machine.travel(NOW, tick=False)
def test_the_brief_counts_the_consultation_as_of_its_date(strategy, logged):
    after = brief_build(strategy=strategy, year=2024, today=TODAY, as_of=TODAY)
    assert titles(after.milestones) == ["Council 2025"]
    before = brief_build(
        strategy=strategy, year=2024, today=TODAY, as_of=HELD - datetime.timedelta(days=1)
    )
    assert titles(before.milestones) == ["Annual consultation 2025", "Council 2025"]


@time_machine.travel(NOW, tick=False)
def test_the_feed_says_the_logged_consultation_is_done(client, strategy, mission, logged):
    token = calendar_token_get(user=mission).token
    feed = events(parse(client.get(strategy_feed_url(strategy, token))))
    event = feed[f"milestone-{logged['consultation'].pk}@strategy-monitor"]
    assert str(event["SUMMARY"]) == "Annual consultation 2025 (done)"
    assert "Done: Annual consultation logged 5 June 2025." in str(event["DESCRIPTION"])
    council = feed[f"milestone-{logged['council'].pk}@strategy-monitor"]
    assert str(council["SUMMARY"]) == "Council 2025"


@time_machine.travel(NOW, tick=False)
def test_the_queues_pass_over_the_logged_consultation(strategy, mission, logged):
    MeetingFactory(
        strategy=strategy, kind=MeetingKind.DONOR_GROUP, held_on=datetime.date(2025, 7, 1)
    )
    MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        title="Annual consultation 2026",
        due_on=datetime.date(2026, 6, 15),
    )
    [row] = consultations_queue(user=mission, today=TODAY)
    assert row.title == "Annual consultation 2026"
    owned = milestones_open_owned_by(user=mission)
    assert titles(owned) == ["Council 2025"]

"""Engagement dates stay within the strategy period widened by two years before and five after.

A stray date (9999-12-31, 0001-01-01) is refused by the services, and so by the pages, the
admin and the importer; one already stored still gives a valid calendar feed.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from engagement.choices import MeetingKind, MilestoneKind
from engagement.models import ActionPoint, Meeting, Milestone
from engagement.services import (
    ActionPointInput,
    actionpoint_create,
    dates_in_range_check,
    meeting_create,
    meeting_update,
    milestone_create,
    milestone_set_done,
    strategy_date_bounds,
)
from reports import layout
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.reports.test_import import export, full_strategy, refusal

pytestmark = pytest.mark.django_db

STRAY_DATES = [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)]


def codes(error, field: str) -> set[str]:
    return {item.code for item in error.value.error_dict[field]}


def test_the_range_runs_from_two_years_before_to_five_after_the_period(strategy):
    assert strategy_date_bounds(strategy) == (
        datetime.date(2021, 1, 1),
        datetime.date(2031, 12, 31),
    )


@pytest.mark.parametrize(
    "day", [datetime.date(2021, 1, 1), datetime.date(2024, 6, 12), datetime.date(2031, 12, 31)]
)
def test_dates_within_the_range_pass(strategy, day):
    dates_in_range_check(strategy=strategy, dates={"held_on": day})


@pytest.mark.parametrize(
    "day", [datetime.date(2020, 12, 31), datetime.date(2032, 1, 1), *STRAY_DATES]
)
def test_dates_outside_the_range_are_refused_with_their_code(strategy, day):
    with pytest.raises(ValidationError) as error:
        dates_in_range_check(strategy=strategy, dates={"held_on": day, "done_on": None})
    assert codes(error, "held_on") == {"date_out_of_range"}
    assert "done_on" not in error.value.error_dict


@pytest.mark.parametrize("day", STRAY_DATES)
def test_meeting_create_refuses_a_stray_date(strategy, mission, day):
    with pytest.raises(ValidationError) as error:
        meeting_create(strategy=strategy, kind=MeetingKind.OTHER, held_on=day, user=mission)
    assert codes(error, "held_on") == {"date_out_of_range"}
    assert not Meeting.objects.exists()


def test_meeting_update_refuses_a_stray_date(strategy, mission):
    meeting = MeetingFactory(strategy=strategy)
    with pytest.raises(ValidationError) as error:
        meeting_update(
            meeting=meeting,
            kind=meeting.kind,
            held_on=datetime.date(9999, 12, 31),
            title=meeting.title,
            location="",
            participants="",
            summary="",
            priority_areas=[],
            version=None,
            user=mission,
        )
    assert codes(error, "held_on") == {"date_out_of_range"}


@pytest.mark.parametrize("day", STRAY_DATES)
def test_an_action_point_of_a_meeting_refuses_a_stray_due_date(strategy, mission, desk, day):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.OTHER,
            held_on=datetime.date(2024, 6, 12),
            action_points=[ActionPointInput(text="Follow up", owner=desk, due_on=day)],
            user=mission,
        )
    # 0001-01-01 falls before the meeting too; that is the first thing to fix.
    assert codes(error, "action_points.0.due_on") <= {"date_out_of_range", "before_meeting"}
    assert not ActionPoint.objects.exists()


def test_actionpoint_create_refuses_a_stray_due_date(strategy, desk):
    meeting = MeetingFactory(strategy=strategy)
    with pytest.raises(ValidationError) as error:
        actionpoint_create(
            meeting=meeting,
            text="Follow up",
            owner=desk,
            due_on=datetime.date(9999, 12, 31),
            user=desk,
        )
    assert codes(error, "due_on") == {"date_out_of_range"}


@pytest.mark.parametrize("day", STRAY_DATES)
def test_milestone_create_refuses_a_stray_due_date(strategy, desk, day):
    with pytest.raises(ValidationError) as error:
        milestone_create(
            strategy=strategy, kind=MilestoneKind.OTHER, title="Visit", due_on=day, user=desk
        )
    assert codes(error, "due_on") == {"date_out_of_range"}
    assert not Milestone.objects.exists()


def test_milestone_set_done_refuses_a_stray_date(strategy, desk):
    milestone = MilestoneFactory(strategy=strategy)
    with pytest.raises(ValidationError) as error:
        milestone_set_done(milestone=milestone, done_on=datetime.date(1, 1, 1), user=desk)
    assert codes(error, "done_on") == {"date_out_of_range"}


# --- Pages and admin ---------------------------------------------------------------------------


def test_the_action_point_form_shows_the_refusal_next_to_the_date(client_desk, strategy, desk):
    meeting = MeetingFactory(strategy=strategy)
    response = client_desk.post(
        reverse("engagement:actionpoint_create", args=[strategy.slug, meeting.pk]),
        {"text": "Follow up", "owner": desk.pk, "due_on": "9999-12-31"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["due_on"]
    assert [error.code for error in errors] == ["date_out_of_range"]
    assert not ActionPoint.objects.exists()


def test_the_meeting_form_shows_the_refusal_next_to_the_date(client_mission, strategy):
    response = client_mission.post(
        reverse("engagement:meeting_create", args=[strategy.slug]),
        {
            "kind": MeetingKind.OTHER,
            "held_on": "9999-12-31",
            "title": "Far away",
            "action_points-TOTAL_FORMS": "0",
            "action_points-INITIAL_FORMS": "0",
            "action_points-MIN_NUM_FORMS": "0",
            "action_points-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["held_on"]
    assert [error.code for error in errors] == ["date_out_of_range"]
    assert not Meeting.objects.exists()


def test_the_admin_adds_no_meeting_past_the_pages_rules(strategy, admin_user):
    client = Client()
    client.force_login(admin_user)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    response = client.post(
        reverse("admin:engagement_meeting_add"),
        {
            "strategy": strategy.pk,
            "kind": MeetingKind.OTHER,
            "title": "Far away",
            "held_on": "9999-12-31",
        },
    )
    # Meetings are logged on their pages only, where the date range is checked.
    assert response.status_code == 403
    assert not Meeting.objects.exists()


# --- Feeds survive any stored date -------------------------------------------------------------


@pytest.fixture
def stray_records(strategy, desk):
    """Records with the extreme dates a date column can hold, stored past the services."""
    meeting = MeetingFactory(strategy=strategy)
    point = ActionPointFactory(strategy=strategy, meeting=meeting, owner=desk)
    early = MilestoneFactory(strategy=strategy, owner=desk)
    late = MilestoneFactory(strategy=strategy, owner=desk)
    Meeting.objects.filter(pk=meeting.pk).update(held_on=datetime.date(9999, 12, 31))
    ActionPoint.objects.filter(pk=point.pk).update(due_on=datetime.date(9999, 12, 31))
    Milestone.objects.filter(pk=early.pk).update(due_on=datetime.date(1, 1, 1))
    Milestone.objects.filter(pk=late.pk).update(due_on=datetime.date(9999, 12, 31))
    return {"meeting": meeting, "point": point, "early": early, "late": late}


def _feed_urls(strategy, desk) -> list[str]:
    from engagement.services import calendar_token_get

    token = calendar_token_get(user=desk).token
    return [
        reverse("engagement:user_calendar", args=[token]),
        reverse("engagement:strategy_calendar", args=[strategy.slug, token]),
    ]


def test_feeds_stay_valid_with_stray_stored_dates(strategy, desk, stray_records):
    for url in _feed_urls(strategy, desk):
        response = Client().get(url)
        assert response.status_code == 200, url
        calendar = Calendar.from_ical(response.content)
        starts = {event["DTSTART"].dt for event in calendar.walk("VEVENT")}
        assert {datetime.date(9999, 12, 31), datetime.date(1, 1, 1)} <= starts
        for event in calendar.walk("VEVENT"):
            if "DTEND" in event:
                assert event["DTEND"].dt == event["DTSTART"].dt + datetime.timedelta(days=1)
            else:
                # No day follows the last one: an all-day event without an end lasts its day.
                assert event["DTSTART"].dt == datetime.date.max


def test_the_lists_and_tasks_stay_up_with_stray_stored_dates(client_desk, strategy, stray_records):
    for name in ("meeting_list", "actionpoint_list", "milestone_list"):
        assert (
            client_desk.get(reverse(f"engagement:{name}", args=[strategy.slug])).status_code == 200
        )
    assert client_desk.get(reverse("reports:my_tasks")).status_code == 200


# --- The workbook importer ---------------------------------------------------------------------


def _every_cell_set(content: bytes, sheet: str, old, new) -> bytes:
    """Return the workbook with every cell of `sheet` that holds `old` set to `new`."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    found = 0
    for row in workbook[sheet].iter_rows():
        for cell in row:
            if cell.value == old:
                cell.value = new
                found += 1
    assert found, f"no cell holds {old!r} in {sheet}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "stored", [datetime.datetime(2024, 9, 1), datetime.datetime(2024, 6, 12)], ids=["due", "held"]
)
def test_the_importer_refuses_a_date_out_of_range(strategy, stored):
    content = export(full_strategy(strategy))
    content = _every_cell_set(content, layout.ACTIONS, stored, datetime.datetime(2040, 1, 1))
    assert "date_out_of_range" in refusal(content).codes

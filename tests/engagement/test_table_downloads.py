"""Meetings, action points and milestones download as plain values, states as words."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.security.markup import download_cells, escaped_markup, marked_cells

pytestmark = pytest.mark.django_db

LISTS = ("meeting_list", "actionpoint_list", "milestone_list")
TODAY = datetime.date(2024, 6, 1)


def list_url(name: str, strategy) -> str:
    return reverse(f"engagement:{name}", args=[strategy.slug])


def by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("name", LISTS)
def test_engagement_lists_show_the_illustrative_label_as_a_label(client_desk, strategy, name):
    MeetingFactory(strategy=strategy, title='Council & "SCPF"', is_illustrative=True)
    MilestoneFactory(strategy=strategy, title='Brief & "messages"', is_illustrative=True)

    html = client_desk.get(list_url(name, strategy)).content.decode()

    assert escaped_markup(html) == []


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", LISTS)
def test_engagement_downloads_hold_no_markup_or_entities(
    client_desk, strategy, name, export_format
):
    meeting = MeetingFactory(
        strategy=strategy,
        title='Council & "SCPF" consultation',
        location="Geneva & online",
        is_illustrative=True,
    )
    ActionPointFactory(
        strategy=strategy,
        meeting=meeting,
        text='Follow up on "core" funding & reporting',
        is_illustrative=True,
    )
    MilestoneFactory(
        strategy=strategy,
        key="consultation-2024",
        title='Consultation & "brief"',
        is_illustrative=True,
    )

    response = client_desk.get(list_url(name, strategy), {"_export": export_format})
    rows = download_cells(response)

    assert marked_cells(rows) == []
    assert len(rows) == 2
    assert by_header(rows)[0]["Illustrative"] == "Yes"


def test_meeting_csv_holds_the_title_as_typed(client_desk, strategy):
    MeetingFactory(strategy=strategy, title='Council & "SCPF" consultation', is_illustrative=True)

    rows = by_header(
        download_cells(client_desk.get(list_url("meeting_list", strategy), {"_export": "csv"}))
    )

    assert rows[0]["Meeting"] == 'Council & "SCPF" consultation'
    assert rows[0]["Location"] == "Geneva"


@time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_milestone_csv_gives_the_state_as_a_word_and_the_day_done_apart(client_desk, strategy):
    MilestoneFactory(
        strategy=strategy,
        title="Done",
        due_on=datetime.date(2024, 5, 1),
        done_on=datetime.date(2024, 5, 3),
    )
    MilestoneFactory(strategy=strategy, title="Late", due_on=datetime.date(2024, 5, 10))
    MilestoneFactory(strategy=strategy, title="Ahead", due_on=datetime.date(2024, 9, 1))

    rows = by_header(
        download_cells(client_desk.get(list_url("milestone_list", strategy), {"_export": "csv"}))
    )

    states = {row["Milestone"]: (row["State"], row["Done on"]) for row in rows}
    assert states == {
        "Done": ("Done", "2024-05-03"),
        "Late": ("Overdue", ""),
        "Ahead": ("To come", ""),
    }

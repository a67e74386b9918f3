"""A generated milestone's date is a planning default until a user sets it, and says so."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import MilestoneKind
from engagement.models import Milestone
from engagement.selectors import consultation_rhythm
from engagement.services import milestone_update, milestones_generate
from strategy_monitor.concurrency import version_token
from tests.engagement.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

ASSUMPTION = "This rhythm is an assumption until a user sets it"


def update(milestone: Milestone, user, **changes) -> Milestone:
    values = {
        "kind": milestone.kind,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "owner": milestone.owner,
        "done_on": milestone.done_on,
        "note": milestone.note,
        **changes,
    }
    return milestone_update(
        milestone=milestone, version=version_token(milestone), user=user, **values
    )


def consultation(strategy, year: int) -> Milestone:
    return Milestone.objects.get(strategy=strategy, key=f"consultation-{year}")


def test_generated_milestone_date_is_a_planning_default_and_a_hand_made_one_is_not(strategy):
    milestones_generate(strategy=strategy)

    assert consultation(strategy, 2024).date_is_planning_default
    assert not MilestoneFactory(strategy=strategy).date_is_planning_default


def test_moving_a_generated_milestone_date_makes_it_the_user_s(strategy, desk):
    milestones_generate(strategy=strategy)
    milestone = consultation(strategy, 2024)

    update(milestone, desk, due_on=datetime.date(2024, 6, 20))

    milestone.refresh_from_db()
    assert milestone.date_confirmed
    assert not milestone.date_is_planning_default


def test_confirming_a_generated_milestone_date_keeps_the_date(strategy, desk):
    milestones_generate(strategy=strategy)
    milestone = consultation(strategy, 2024)

    update(milestone, desk, date_confirmed=True)

    milestone.refresh_from_db()
    assert milestone.due_on == datetime.date(2024, 6, 15)
    assert not milestone.date_is_planning_default


def test_editing_other_fields_leaves_the_date_a_planning_default(strategy, desk):
    milestones_generate(strategy=strategy)
    milestone = consultation(strategy, 2024)

    update(milestone, desk, note="Agenda to follow.")

    milestone.refresh_from_db()
    assert milestone.date_is_planning_default


def test_edit_form_confirms_the_date_and_says_it_is_a_planning_default(client_desk, strategy, desk):
    milestones_generate(strategy=strategy)
    milestone = consultation(strategy, 2024)
    url = reverse("engagement:milestone_update", args=[strategy.slug, milestone.pk])

    page = client_desk.get(url).text
    assert "Its date is a planning default" in page
    assert 'name="date_confirmed"' in page

    response = client_desk.post(
        url,
        {
            "kind": milestone.kind,
            "title": milestone.title,
            "due_on": "2024-06-15",
            "date_confirmed": "on",
            "owner": "",
            "done_on": "",
            "note": "",
            "version": version_token(milestone),
        },
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert not milestone.date_is_planning_default
    assert 'name="date_confirmed"' not in client_desk.get(url).text


def test_milestone_list_states_the_consultation_rhythm_is_an_assumption(client_desk, strategy):
    milestones_generate(strategy=strategy)

    page = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug])).text

    assert "planning default date" in page
    assert "alternate years from 2023 (2023, 2025)" in page
    assert ASSUMPTION in page


def test_rhythm_is_no_assumption_once_every_consultation_date_is_set(client_desk, strategy, desk):
    milestones_generate(strategy=strategy, first_high_level_year=2024)
    for year in strategy.years:
        update(consultation(strategy, year), desk, date_confirmed=True)

    rhythm = consultation_rhythm(strategy=strategy)
    page = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug])).text

    assert rhythm.high_level_years == (2024, 2026)
    assert not rhythm.is_assumed
    assert "alternate years from 2024 (2024, 2026)" in page
    assert ASSUMPTION not in page


def test_consultation_rhythm_is_none_before_any_consultation_is_planned(strategy):
    MilestoneFactory(strategy=strategy, kind=MilestoneKind.ANNUAL_CONSULTATION)

    assert consultation_rhythm(strategy=strategy) is None

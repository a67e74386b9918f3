"""The milestone of each year's progress approved: planned by the rhythm, done by the approval."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from engagement.choices import MilestoneKind
from engagement.models import Milestone, Rhythm
from engagement.rhythm import rhythm_plan
from engagement.selectors import milestones_fulfil
from engagement.services import milestones_generate
from priorities import services as priority_services
from priorities.choices import TeamRole
from priorities.registry import YEAR_APPROVED_KIND, fulfilments_get
from priorities.selectors import year_fulfilments
from strategy_monitor.concurrency import version_token
from tests.engagement.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 20, 9, 0, tzinfo=datetime.UTC)


def fulfilled(milestone: Milestone):
    return milestones_fulfil([Milestone.objects.get(pk=milestone.pk)])[0].fulfilment


def approve(strategy, year: int, *, desk, manager):
    strategy_year = strategy.strategy_years.get(year=year)
    strategy_year = priority_services.year_submit(
        strategy_year=strategy_year, gaps_reason="Figures follow.", user=desk
    )
    return priority_services.year_approve(strategy_year=strategy_year, user=manager)


def test_the_year_approved_kind_is_the_milestone_kind():
    assert YEAR_APPROVED_KIND == MilestoneKind.YEAR_APPROVED
    assert MilestoneKind.YEAR_APPROVED.label == "Year's progress approved"


def test_the_rhythm_plans_the_approval_of_each_years_progress_by_31_march_after():
    plan = rhythm_plan(start_year=2023, end_year=2026, high_level=set())
    approvals = [item for item in plan if item.kind == MilestoneKind.YEAR_APPROVED]
    assert [(item.key, item.title, item.year, item.due_on) for item in approvals] == [
        (
            f"year-approved-{year}",
            f"Progress of {year} approved",
            year,
            datetime.date(year + 1, 3, 31),
        )
        for year in range(2023, 2027)
    ]
    assert approvals[0].owner_role == TeamRole.DESK_OFFICER
    assert "approved by a manager" in approvals[0].note
    assert "Planning default" in approvals[0].note


def test_the_rhythm_plans_no_year_approvals_when_told_not_to():
    plan = rhythm_plan(start_year=2023, end_year=2026, high_level=set(), year_approvals=False)
    assert not [item for item in plan if item.kind == MilestoneKind.YEAR_APPROVED]


def test_generating_plans_the_year_approvals_for_the_desk_officer(strategy, desk):
    milestones_generate(strategy=strategy, user=desk)
    milestones = Milestone.objects.filter(strategy=strategy, kind=MilestoneKind.YEAR_APPROVED)
    assert sorted(milestones.values_list("key", "year", "owner__username")) == [
        (f"year-approved-{year}", year, "desk") for year in range(2023, 2027)
    ]


def test_a_rhythm_without_year_approvals_generates_none(strategy, desk):
    Rhythm.objects.create(strategy=strategy, year_approvals=False)
    milestones_generate(strategy=strategy, user=desk)
    assert not Milestone.objects.filter(strategy=strategy, kind=MilestoneKind.YEAR_APPROVED)


def test_the_rhythm_page_sets_whether_year_approvals_are_planned(client_admin, strategy):
    url = reverse("engagement:rhythm_setup", args=[strategy.slug])
    assert "Plan the approval of each year&#x27;s progress" in client_admin.get(url).text
    data = {
        "rhythm-high_level_pattern": "alternate",
        "rhythm-first_high_level_year": "",
        "rhythm-high_level_years": "",
        "rhythm-allocation_dialogues_per_year": "2",
        "rhythm-source": "",
    }
    response = client_admin.post(url, data)
    assert response.status_code == 302, [form.errors for form in response.context["forms"]]
    assert Rhythm.objects.get(strategy=strategy).year_approvals is False
    rhythm = Rhythm.objects.get(strategy=strategy)
    response = client_admin.post(
        url, {**data, "rhythm-year_approvals": "on", "rhythm-version": version_token(rhythm)}
    )
    assert response.status_code == 302, [form.errors for form in response.context["forms"]]
    assert Rhythm.objects.get(strategy=strategy).year_approvals is True


@time_machine.travel(NOW, tick=False)
def test_the_approved_year_fulfils_its_milestone_only(strategy, other_strategy, desk, manager):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.YEAR_APPROVED,
        due_on=datetime.date(2025, 3, 31),
        year=2024,
    )
    approve(strategy, 2023, desk=desk, manager=manager)
    other = other_strategy.strategy_years.get(year=2024)
    other.state = "approved"
    other.save()
    assert fulfilled(milestone) is None

    approve(strategy, 2024, desk=desk, manager=manager)
    fulfilment = fulfilled(milestone)
    assert fulfilment.label == "Year approved"
    assert fulfilment.done_on == datetime.date(2025, 3, 20)
    assert fulfilment.url == reverse("priorities:strategyyear_review", args=[strategy.slug, 2024])


@time_machine.travel(datetime.datetime(2025, 3, 20, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_the_approval_counts_on_the_local_day(strategy, desk, manager):
    approve(strategy, 2024, desk=desk, manager=manager)
    # 23:30 UTC is past midnight in Copenhagen.
    [fulfilment] = year_fulfilments([strategy.pk])
    assert fulfilment.done_on == datetime.date(2025, 3, 21)


@time_machine.travel(NOW, tick=False)
def test_a_reopened_year_opens_its_milestone_again(client_desk, strategy, desk, manager):
    milestones_generate(strategy=strategy, user=desk)
    milestone = Milestone.objects.get(strategy=strategy, key="year-approved-2024")
    year = approve(strategy, 2024, desk=desk, manager=manager)
    assert fulfilled(milestone) is not None
    url = reverse("engagement:milestone_list", args=[strategy.slug])
    done = client_desk.get(url, {"state": "done"}).context["table"]
    assert [row.record.title for row in done.page.object_list] == ["Progress of 2024 approved"]

    priority_services.year_reopen(strategy_year=year, reason="A figure was wrong.", user=manager)
    assert fulfilled(milestone) is None
    done = client_desk.get(url, {"state": "done"}).context["table"]
    assert not list(done.page.object_list)


def test_the_approved_years_of_every_strategy_take_one_query(
    strategy, other_strategy, django_assert_num_queries
):
    strategy.strategy_years.filter(year__lte=2024).update(state="approved")
    other_strategy.strategy_years.update(state="approved")
    with django_assert_num_queries(1):
        found = fulfilments_get([strategy.pk, other_strategy.pk], kinds={YEAR_APPROVED_KIND})
    assert len(found) == 6

"""The demo's illustrative history as of a date: a strategy in normal health on that date.

The module loads the IOM strategy and the demo as of 30 June 2026 twice from the same starting
point (to compare the two), in a transaction rolled back after its last test.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.urls import reverse

from demo.loader import demo_as_of
from engagement.choices import ActionStatus, MilestoneKind
from engagement.models import ActionPoint, Meeting, MidTermReview, Milestone
from engagement.selectors import milestone_done_q, milestone_fulfilled_ids, my_tasks
from funding.models import Disbursement
from priorities.choices import YearState
from priorities.models import Assessment, IndicatorProgress, Strategy
from priorities.registry import fulfilled_kinds
from risks.models import Risk

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)
LATER = datetime.date(2026, 12, 7)
# However long after the period the suite runs, these dates stay in the past.
AFTER_THE_PERIOD = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
# "Not more than a handful": what a strategy in normal health has late on a given day.
HANDFUL = 3
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "password", "last_login", "date_joined"}


def load_demo(as_of, *args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--as-of", str(as_of), "--password", "pw", *args, stdout=out)
    return out.getvalue()


def demo_models() -> list[type[models.Model]]:
    """Return the models the demo writes or completes (history models left out)."""
    labels = {"priorities.strategyyear", "risks.risk", "engagement.milestone"}
    return [
        model
        for model in apps.get_models()
        if not model._meta.label_lower.split(".")[1].startswith("historical")
        and (
            model._meta.label_lower in labels
            or any(f.name == "is_illustrative" for f in model._meta.fields)
        )
    ]


def row_values(obj: models.Model) -> tuple:
    """Return a row's values, related rows by their text, so ids do not matter."""
    values = []
    for f in obj._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS:
            continue
        value = str(getattr(obj, f.name)) if f.is_relation else f.value_from_object(obj)
        values.append((f.name, value))
    return tuple(values)


def snapshot() -> dict[str, list[tuple]]:
    """Return every demo row's values, by model, in a stable order."""
    return {
        model._meta.label_lower: sorted(
            (row_values(obj) for obj in model._default_manager.all()), key=repr
        )
        for model in demo_models()
    }


def rows_by_pk() -> dict[tuple[str, int], tuple]:
    """Return every demo row's values, with `updated_at`, under its model and primary key."""
    return {
        (model._meta.label_lower, obj.pk): (*row_values(obj), getattr(obj, "updated_at", None))
        for model in demo_models()
        for obj in model._default_manager.all()
    }


@dataclass(frozen=True)
class Loaded:
    first: dict
    second: dict


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the strategy, then the demo as of 30 June 2026 twice from the same point."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "iom_2023_2026", verbosity=0)
        before = transaction.savepoint()
        load_demo(AS_OF)
        first = snapshot()
        transaction.savepoint_rollback(before)
        load_demo(AS_OF)
        yield Loaded(first=first, second=snapshot())
        transaction.set_rollback(True)


@pytest.fixture
def iom(loaded, db) -> Strategy:
    return Strategy.objects.get(slug="iom-2023-2026")


def users() -> dict[str, models.Model]:
    return {user.username: user for user in get_user_model().objects.all()}


# --- The as-of date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "today", "expected"),
    [
        (datetime.date(2026, 6, 30), datetime.date(2026, 12, 7), datetime.date(2026, 6, 30)),
        (None, datetime.date(2026, 12, 7), datetime.date(2026, 12, 7)),
        (None, datetime.date(2028, 5, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2031, 1, 1), datetime.date(2028, 5, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2020, 6, 1), datetime.date(2026, 12, 7), datetime.date(2023, 1, 1)),
        (None, datetime.date(2022, 8, 1), datetime.date(2023, 1, 1)),
        # A history of what has happened never runs ahead of today.
        (datetime.date(2026, 11, 1), datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
    ],
)
def test_demo_as_of_is_kept_inside_the_period_and_never_after_today(requested, today, expected):
    strategy = Strategy(start_year=2023, end_year=2026)

    assert demo_as_of(strategy=strategy, requested=requested, today=today) == expected


@time_machine.travel(AFTER_THE_PERIOD, tick=False)
def test_load_demo_moves_a_date_after_the_period_to_its_last_day(iom):
    output = load_demo(datetime.date(2031, 1, 1))

    assert "as of 2026-12-31:" in output


# --- The same date, the same data ---------------------------------------------------------------


def test_load_demo_gives_the_same_data_for_the_same_date(loaded):
    assert loaded.first == loaded.second
    assert loaded.first["engagement.milestone"]


@time_machine.travel(AFTER_THE_PERIOD, tick=False)
def test_load_demo_at_a_later_date_adds_records_and_changes_none(iom):
    before = rows_by_pk()

    load_demo(LATER)

    after = rows_by_pk()
    changed = [key for key, values in before.items() if after.get(key) != values]
    assert changed == []
    added = after.keys() - before.keys()
    # The autumn brought the second soft payment, the second allocation round and more.
    assert any(label == "funding.disbursement" for label, _ in added)
    assert any(label == "funding.allocationround" for label, _ in added)


# --- A strategy in normal health on 30 June 2026 ------------------------------------------------


def test_load_demo_approves_the_ended_years_and_leaves_the_year_of_the_date_in_progress(iom):
    states = dict(iom.strategy_years.values_list("year", "state"))

    assert states == {
        2023: YearState.APPROVED,
        2024: YearState.APPROVED,
        2025: YearState.APPROVED,
        2026: YearState.DRAFT,
    }
    approved = iom.strategy_years.get(year=2025)
    assert approved.state_changed_by.username == "manager"
    assert approved.state_changed_at.date() == datetime.date(2026, 2, 28)
    assert "Illustrative" in approved.state_comment


def test_load_demo_reports_the_ended_years_and_leaves_the_year_in_progress_open(iom):
    progress = IndicatorProgress.objects.filter(indicator__priority_area__strategy=iom)

    assert not progress.filter(strategy_year__year__lt=2026, actual__isnull=True).exists()
    assert not progress.filter(strategy_year__year=2026, actual__isnull=False).exists()
    assessed = set(
        Assessment.objects.filter(priority_area__strategy=iom).values_list(
            "strategy_year__year", flat=True
        )
    )
    # The mid-year view of 2026 is written from 1 July.
    assert assessed == {2023, 2024, 2025}


def test_load_demo_funds_the_year_in_progress(iom):
    paid = Disbursement.objects.filter(line__strategy=iom, year=2026)

    assert paid.exists()
    assert all(row.paid_on <= AS_OF and row.is_illustrative for row in paid)
    # Core and personnel paid in February, the first half of the softly earmarked line in March.
    assert sum(row.amount for row in paid) == Decimal("75000000")


def test_load_demo_holds_each_year_s_consultation_up_to_the_date(iom):
    meetings = list(Meeting.objects.filter(strategy=iom).order_by("held_on"))

    assert [(m.held_on.year, m.kind) for m in meetings] == [
        (2023, "high_level_consultation"),
        (2024, "annual_consultation"),
        (2025, "high_level_consultation"),
        (2026, "annual_consultation"),
    ]
    assert all(m.is_illustrative for m in meetings)


def late_milestones_of(strategy: Strategy):
    """Return the milestones due before the as-of date that are not done by it, by either rule."""
    milestones = Milestone.objects.filter(strategy=strategy)
    done = milestone_done_q(milestone_fulfilled_ids(milestones, as_of=AS_OF), as_of=AS_OF)
    return milestones.filter(due_on__lt=AS_OF).exclude(done)


@time_machine.travel(AFTER_THE_PERIOD, tick=False)
def test_load_demo_leaves_only_a_handful_of_items_late(iom):
    late_milestones = late_milestones_of(iom)
    late_actions = ActionPoint.objects.filter(
        strategy=iom, status=ActionStatus.OPEN, due_on__lt=AS_OF
    )
    late_reviews = Risk.objects.filter(strategy=iom, next_review__lt=AS_OF)

    assert late_milestones.count() + late_actions.count() + late_reviews.count() <= HANDFUL
    assert late_reviews.count() <= 1
    held = Milestone.objects.filter(strategy=iom, due_on__lt=AS_OF, done_on__isnull=False)
    assert held.count() > 15
    assert all(m.is_illustrative and m.done_on <= AS_OF for m in held)


@time_machine.travel(AFTER_THE_PERIOD, tick=False)
def test_load_demo_leaves_milestones_a_record_fulfils_to_their_records(iom):
    by_record = Milestone.objects.filter(strategy=iom, kind__in=fulfilled_kinds())
    past = by_record.filter(due_on__lt=AS_OF)
    assert set(past.values_list("kind", flat=True)) == set(fulfilled_kinds())
    # None is closed by hand: a consultation, an approval or a review shows each one held.
    assert not by_record.filter(done_on__isnull=False).exists()
    fulfilled = milestone_fulfilled_ids(by_record, as_of=AS_OF)
    assert set(past.values_list("pk", flat=True)) <= set(fulfilled)
    assert not late_milestones_of(iom).filter(kind__in=fulfilled_kinds()).exists()

    review = MidTermReview.objects.get(strategy=iom)
    milestone = past.get(kind=MilestoneKind.MID_TERM_REVIEW)
    assert review.is_illustrative
    assert review.completed_on <= milestone.due_on < AS_OF


def test_my_tasks_of_every_demo_user_show_only_a_handful_overdue(iom):
    for username, user in users().items():
        report = my_tasks(user=user, today=AS_OF)
        assert len(report.overdue) <= HANDFUL, (username, report.overdue)


@time_machine.travel(datetime.datetime(2026, 6, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_milestones_page_shows_no_wall_of_overdue(client, iom):
    client.force_login(users()["desk"])

    response = client.get(reverse("engagement:milestone_list", args=[iom.slug]))

    assert response.status_code == 200
    assert response.content.decode().count(">Overdue<") <= HANDFUL

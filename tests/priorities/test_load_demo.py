"""The demo data: labelled illustrative, loaded once however often it runs, and within the rules.

Loading the IOM strategy and the demo data takes about a second, so the module does it once, in
a transaction rolled back after its last test; each test runs in a savepoint inside it. Every
load is as of a fixed date inside the period, so the tests hold whatever today's date.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.test import Client

from engagement.models import Meeting
from funding.choices import Decision
from funding.models import (
    Allocation,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.choices import TeamRole
from priorities.models import IndicatorProgress, Strategy, TeamMembership
from risks.models import Risk

pytestmark = pytest.mark.django_db

STRATEGY = "iom-2023-2026"
AS_OF = "2026-06-30"
ROLES = {
    "desk": ("Desk officer", TeamRole.DESK_OFFICER),
    "finance": ("Financial officer", TeamRole.FINANCIAL_OFFICER),
    "mission": ("Mission staff", TeamRole.MISSION_STAFF),
    "manager": ("Manager", TeamRole.MANAGER),
    "admin": ("Administrator", None),
}
# Rows of these models carry no illustrative flag: the demo users and their team places, and
# the meeting's links to priority areas (the meeting itself is flagged).
UNFLAGGED = {
    "auth.user",
    "auth.group",
    "auth.user_groups",
    "priorities.teammembership",
    "engagement.meeting_priority_areas",
}
FLAGGED = {
    "priorities.indicator",
    "priorities.indicatorprogress",
    "priorities.assessment",
    "funding.parliamentaryapproval",
    "funding.commitment",
    "funding.disbursement",
    "funding.allocationround",
    "funding.allocation",
    "risks.riskrating",
    "engagement.meeting",
    "engagement.actionpoint",
}


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


def all_models():
    return apps.get_models(include_auto_created=True)


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in all_models()}


def row_ids() -> dict[str, set]:
    return {
        model._meta.label_lower: set(model._default_manager.values_list("pk", flat=True))
        for model in all_models()
    }


def is_history(label: str) -> bool:
    return label.split(".")[1].startswith("historical")


def has_flag(model) -> bool:
    return any(field.name == "is_illustrative" for field in model._meta.fields)


def printed_passwords(output: str) -> dict[str, str]:
    """Read username → password from the logins table at the end of the output."""
    passwords = {}
    for line in output.splitlines():
        match = re.match(r"^\s+(desk|finance|mission|manager|admin)\s+.+\s(\S+)$", line)
        if match:
            passwords[match[1]] = match[2]
    return passwords


@dataclass(frozen=True)
class Loaded:
    before: dict[str, set]  # primary keys of every table after the fixture, before the demo
    after: dict[str, set]  # ... and after the demo data
    output: str


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the IOM strategy and then the demo data once; roll both back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "iom_2023_2026", verbosity=0)
        before = row_ids()
        output = load_demo()
        yield Loaded(before=before, after=row_ids(), output=output)
        transaction.set_rollback(True)


@pytest.fixture
def iom(loaded, db) -> Strategy:
    """Return the IOM strategy with the demo data."""
    return Strategy.objects.get(slug=STRATEGY)


def test_load_demo_flags_every_record_it_adds_as_illustrative(loaded, iom):
    added = {label: ids - loaded.before[label] for label, ids in loaded.after.items()}

    assert {label for label, ids in added.items() if ids} >= FLAGGED
    for label, ids in added.items():
        if not ids or label in UNFLAGGED or is_history(label):
            continue
        model = apps.get_model(label)
        assert has_flag(model), f"{label} rows added without an illustrative flag"
        rows = model._default_manager.filter(pk__in=ids)
        if label == "engagement.milestone":
            # The rhythm's plan is not illustrative; what the demo says was held is.
            rows = rows.filter(done_on__isnull=False)
        flags = rows.values_list("is_illustrative", flat=True)
        assert all(flags), f"{label} has rows not flagged illustrative"
    assert iom.risks.exists()
    assert not iom.risks.filter(rating_is_illustrative=False).exists()


def test_load_demo_records_pass_model_validation(iom):
    for model in apps.get_models():
        if has_flag(model) and not is_history(model._meta.label_lower):
            for row in model._default_manager.filter(is_illustrative=True):
                row.full_clean()
    for risk in iom.risks.all():
        risk.full_clean()


def test_load_demo_twice_leaves_every_row_count_unchanged(iom):
    counts = row_counts()

    output = load_demo()

    assert row_counts() == counts
    assert "Nothing new to create." in output


def test_load_demo_users_have_their_groups_and_team_roles(iom):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}

    assert set(users) == set(ROLES)
    for username, (group, role) in ROLES.items():
        user = users[username]
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.email == f"{username}@example.org"
        assert user.get_full_name()
        memberships = TeamMembership.objects.filter(user=user, strategy=iom)
        assert set(memberships.values_list("role", flat=True)) == ({role} if role else set())
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(
        users[name].is_superuser or users[name].is_staff for name in ROLES.keys() - {"admin"}
    )


def test_load_demo_users_log_in_with_the_password_printed_after_every_run(loaded, iom):
    first = printed_passwords(loaded.output)

    second = printed_passwords(load_demo())

    assert set(first) == set(second) == set(ROLES)
    assert len(set(first.values())) == len(set(second.values())) == 1
    assert first != second
    for username, password in second.items():
        assert Client().login(username=username, password=password), username
        assert not Client().login(username=username, password=first[username]), username


def test_load_demo_users_log_in_with_the_given_password(iom):
    output = load_demo("--password", "chosen-demo-password")

    assert set(printed_passwords(output).values()) == {"chosen-demo-password"}
    for username in ROLES:
        assert Client().login(username=username, password="chosen-demo-password"), username


def test_load_demo_commits_only_approved_years_and_pays_no_more_than_committed(iom):
    approved = set(ParliamentaryApproval.objects.values_list("line_id", "year"))
    committed = {
        (row["line_id"], row["year"]): row["total"]
        for row in Commitment.objects.values("line_id", "year").annotate(total=Sum("amount"))
    }
    paid = {
        (row["line_id"], row["year"]): row["total"]
        for row in Disbursement.objects.values("line_id", "year").annotate(total=Sum("amount"))
    }

    assert approved and committed and paid
    assert set(committed) <= approved
    for line_year, total in paid.items():
        assert total <= committed.get(line_year, 0), line_year
    for commitment in Commitment.objects.all():
        assert commitment.committed_on.year in iom.years
    for disbursement in Disbursement.objects.all():
        assert disbursement.paid_on.year in iom.years


def test_load_demo_allocates_no_more_than_the_softly_earmarked_line(iom):
    allocations = list(Allocation.objects.select_related("round__line", "office"))

    assert {allocation.office.name for allocation in allocations} == {
        "Niger",
        "Ethiopia",
        "Somalia",
    }
    # Rounds after each dialogue up to 30 June 2026: two halves in 2023-2025, the first of 2026.
    rounds = {(a.round.year, a.round.half) for a in allocations}
    assert len(rounds) == 7
    for year in iom.years:
        line = allocations[0].round.line
        planned = PlannedAmount.objects.get(line=line, year=year).amount
        approved = sum(
            a.amount
            for a in allocations
            if a.round.year == year and a.decision == Decision.APPROVED
        )
        assert approved <= planned, year
    assert all(a.decision == Decision.APPROVED for a in allocations)
    assert all(a.decided_by.username == "manager" and a.decided_at for a in allocations)


def test_load_demo_sets_each_risk_to_its_latest_re_rating(iom):
    fields = ("likelihood", "impact", "residual_likelihood", "residual_impact")
    risks = Risk.objects.filter(strategy=iom).prefetch_related("ratings")

    assert risks
    for risk in risks:
        ratings = sorted(risk.ratings.all(), key=lambda rating: rating.rated_on)
        # One annual review on 1 March of each year up to 30 June 2026.
        assert [rating.rated_on.year for rating in ratings] == [2023, 2024, 2025, 2026]
        assert all(rating.is_illustrative for rating in ratings)
        latest = ratings[-1]
        assert [getattr(risk, f) for f in fields] == [getattr(latest, f) for f in fields]
        assert risk.category
        assert risk.owner.username == "desk"
        assert risk.next_review > latest.rated_on


def test_load_demo_again_keeps_what_users_changed(iom):
    progress = IndicatorProgress.objects.filter(indicator__priority_area__strategy=iom).first()
    progress.actual = Decimal("7")
    progress.save()
    risk = iom.risks.order_by("key").first()
    Risk.objects.filter(pk=risk.pk).update(
        likelihood=1, impact=1, rating_is_illustrative=False, category="contextual"
    )
    meeting_title = "Annual consultations 2024, as renamed"
    Meeting.objects.filter(strategy=iom, held_on__year=2024).update(title=meeting_title)

    load_demo("--password", "again-pw-1")

    progress.refresh_from_db()
    risk.refresh_from_db()
    assert progress.actual == Decimal("7")
    assert (risk.likelihood, risk.impact, risk.rating_is_illustrative) == (1, 1, False)
    assert Meeting.objects.get(strategy=iom, held_on__year=2024).title == meeting_title


def test_load_demo_without_the_strategy_asks_to_load_it_first(db):
    with pytest.raises(CommandError, match="Load the strategy first"):
        load_demo("--strategy", "no-such-strategy")

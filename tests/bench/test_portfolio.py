"""The generated portfolio: valid records, the money rules kept, illustrative, reproducible."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from demo.portfolio import SOURCE, TEAM_ROLES, PortfolioSizes, portfolio_generate, strategy_plan
from engagement.choices import ActionStatus
from engagement.models import ActionPoint, Meeting, Milestone
from funding.choices import BudgetLineKind, Decision
from funding.models import (
    Allocation,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.choices import TeamRole
from priorities.models import Indicator, IndicatorProgress, Strategy, TeamMembership
from risks.models import Risk, RiskRating

AS_OF = datetime.date(2026, 11, 29)
SMALL = ["--areas-min", "2", "--areas-max", "5", "--indicators", "8", "--risks", "4"]
SMALL += ["--disbursements", "12", "--meetings", "3", "--as-of", AS_OF.isoformat()]
SIZES = PortfolioSizes(
    areas_min=2, areas_max=5, indicators=8, risks=4, disbursements=12, meetings=3
)
# Every model the generator writes, but the join tables of many-to-many fields.
MODELS = [
    "priorities.Organisation",
    "priorities.Office",
    "priorities.Strategy",
    "priorities.StrategyYear",
    "priorities.TeamMembership",
    "priorities.RelevantSDG",
    "priorities.ResultsFramework",
    "priorities.PriorityArea",
    "priorities.ResultsNode",
    "priorities.PriorityAreaNode",
    "priorities.Indicator",
    "priorities.IndicatorProgress",
    "priorities.Assessment",
    "funding.BudgetLine",
    "funding.PlannedAmount",
    "funding.ParliamentaryApproval",
    "funding.Commitment",
    "funding.Disbursement",
    "funding.AllocationRound",
    "funding.Allocation",
    "risks.Risk",
    "risks.RiskRating",
    "engagement.Meeting",
    "engagement.ActionPoint",
    "engagement.Milestone",
]


@pytest.fixture
def generated(db):
    call_command("generate_portfolio", "--strategies", "2", "--seed", "7", *SMALL, stdout=None)
    return list(Strategy.objects.order_by("slug"))


def test_generate_portfolio_adds_strategies_until_the_portfolio_holds_the_number(db, strategy):
    call_command("generate_portfolio", "--strategies", "3", *SMALL)

    assert Strategy.objects.count() == 3
    assert sorted(Strategy.objects.exclude(pk=strategy.pk).values_list("slug", flat=True)) == [
        "generated-01",
        "generated-02",
    ]


def test_generate_portfolio_again_adds_nothing(generated):
    call_command("generate_portfolio", "--strategies", "2", "--seed", "7", *SMALL)

    assert Strategy.objects.count() == 2


def test_generate_portfolio_grows_a_portfolio_with_the_strategies_a_larger_run_makes(generated):
    call_command("generate_portfolio", "--strategies", "3", "--seed", "7", *SMALL)
    grown = Strategy.objects.get(slug="generated-03")
    plan = strategy_plan(index=3, seed=7, sizes=SIZES, as_of=AS_OF)

    titles = [row.fields["title"] for row in plan if row.model == "priorities.Strategy"]
    assert grown.title == titles[0]


def test_generated_records_pass_full_clean(generated):
    checked = 0
    for label in MODELS:
        model = apps.get_model(label)
        # A sample: the first, a middle and the last record of each model.
        rows = list(model.objects.order_by("pk"))
        assert rows, f"no {label} generated"
        for row in {rows[0], rows[len(rows) // 2], rows[-1]}:
            row.full_clean()
            checked += 1
    assert checked >= len(MODELS)


def test_generated_strategies_have_the_sizes_asked_for(generated):
    for strategy in generated:
        areas = strategy.priority_areas.count()
        assert 2 <= areas <= 5
        assert Indicator.objects.filter(priority_area__strategy=strategy).count() == 8
        assert IndicatorProgress.objects.filter(strategy_year__strategy=strategy).count() == 8 * 4
        assert Risk.objects.filter(strategy=strategy).count() == 4
        assert RiskRating.objects.filter(risk__strategy=strategy).count() >= 4
        assert Disbursement.objects.filter(line__strategy=strategy).count() == 12
        assert Meeting.objects.filter(strategy=strategy).count() == 3
        assert ActionPoint.objects.filter(strategy=strategy).count() >= 6
        roles = set(TeamMembership.objects.filter(strategy=strategy).values_list("role", flat=True))
        assert roles == set(TeamRole.values)


def _totals(model, **filters) -> dict:
    rows = model.objects.filter(**filters).values("line_id", "year").annotate(total=Sum("amount"))
    return {(row["line_id"], row["year"]): row["total"] for row in rows}


def test_generated_disbursements_stay_within_commitments_within_approvals(generated):
    approved = _totals(ParliamentaryApproval)
    committed = _totals(Commitment)
    disbursed = _totals(Disbursement)

    assert disbursed
    for key, total in disbursed.items():
        assert total <= committed[key]
    for key, total in committed.items():
        assert total <= approved[key]
    for commitment in Commitment.objects.select_related("line"):
        approval = ParliamentaryApproval.objects.get(line=commitment.line, year=commitment.year)
        assert commitment.committed_on >= approval.approved_on


def test_generated_approved_allocations_stay_within_line_b_of_their_year(generated):
    approved = (
        Allocation.objects.filter(decision=Decision.APPROVED)
        .values("round__line_id", "round__year")
        .annotate(total=Sum("amount"))
    )

    assert approved
    for row in approved:
        planned = PlannedAmount.objects.get(line_id=row["round__line_id"], year=row["round__year"])
        assert planned.line.kind == BudgetLineKind.SOFT_EARMARKED
        assert row["total"] <= planned.amount
    rejected = Allocation.objects.filter(decision=Decision.REJECTED)
    assert all(allocation.decision_reason for allocation in rejected)


def test_generated_risks_never_rate_residual_above_inherent(generated):
    for row in [*Risk.objects.all(), *RiskRating.objects.all()]:
        assert row.residual_score <= row.score
    for risk in Risk.objects.all():
        latest = risk.ratings.order_by("-rated_on").first()
        assert (risk.likelihood, risk.impact) == (latest.likelihood, latest.impact)


def test_generated_records_are_flagged_illustrative(generated):
    for label in MODELS:
        model = apps.get_model(label)
        names = {field.name for field in model._meta.get_fields()}
        if "is_illustrative" in names:
            assert not model.objects.filter(is_illustrative=False).exists(), label
        if "rating_is_illustrative" in names:
            assert not model.objects.filter(rating_is_illustrative=False).exists(), label
        if "source" in names:
            assert set(model.objects.values_list("source", flat=True)) == {SOURCE}, label
    for strategy in generated:
        assert "(illustrative)" in strategy.organisation.name


def test_generated_users_cannot_log_in(generated):
    users = get_user_model().objects.filter(username__startswith="generated-")

    assert users.count() == 2 * len(TEAM_ROLES)
    assert not any(user.has_usable_password() for user in users)


def test_generated_action_points_and_milestones_say_how_they_closed(generated):
    closed = ActionPoint.objects.exclude(status=ActionStatus.OPEN)
    assert all(point.closing_note for point in closed)
    assert not Milestone.objects.filter(done_on__gt=AS_OF).exists()


def test_generated_records_keep_a_change_history(generated):
    strategy = generated[0]

    assert strategy.history.count() == 1
    assert strategy.history.first().history_change_reason == "Illustrative portfolio generated"
    assert Indicator.history.filter(priority_area__strategy=strategy).count() == 8


def test_strategy_plan_is_the_same_for_the_same_seed():
    first = strategy_plan(index=4, seed=11, sizes=SIZES, as_of=AS_OF)
    again = strategy_plan(index=4, seed=11, sizes=SIZES, as_of=AS_OF)
    other = strategy_plan(index=4, seed=12, sizes=SIZES, as_of=AS_OF)

    assert first == again
    assert first != other


def _figures(prefix: str) -> list[tuple]:
    strategy = Strategy.objects.get(slug=f"{prefix}-01")
    progress = IndicatorProgress.objects.filter(strategy_year__strategy=strategy).order_by(
        "indicator__key", "strategy_year__year"
    )
    payments = Disbursement.objects.filter(line__strategy=strategy).order_by("pk")
    ratings = RiskRating.objects.filter(risk__strategy=strategy).order_by("risk__key", "rated_on")
    return [
        *progress.values_list("indicator__key", "strategy_year__year", "target", "actual"),
        *payments.values_list("line__code", "year", "amount", "paid_on"),
        *ratings.values_list("risk__key", "rated_on", "likelihood", "impact"),
    ]


def test_generate_portfolio_writes_the_same_data_for_the_same_seed(db):
    portfolio_generate(strategies=1, seed=3, sizes=SIZES, as_of=AS_OF, prefix="alpha")
    portfolio_generate(strategies=2, seed=3, sizes=SIZES, as_of=AS_OF, prefix="beta")
    portfolio_generate(strategies=3, seed=4, sizes=SIZES, as_of=AS_OF, prefix="gamma")

    assert _figures("alpha") == _figures("beta")
    assert _figures("alpha") != _figures("gamma")
    assert all(isinstance(row[2], Decimal | int) for row in _figures("alpha"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--prefix", "Bad Prefix"], "--prefix"),
        (["--areas-min", "6", "--areas-max", "4"], "Priority areas"),
        (["--as-of", "29 November"], "--as-of"),
        (["--risks", "-1"], "cannot be negative"),
    ],
)
def test_generate_portfolio_refuses_bad_arguments(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_portfolio", "--strategies", "1", *arguments)

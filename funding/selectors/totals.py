"""Totals of one budget line in one year, as the funding rules check them."""

import datetime
from decimal import Decimal

from django.db.models import Min

from funding.choices import Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from funding.querysets import decimal_sum
from priorities.models import StrategyYear


def approval_for(*, line: BudgetLine, year: int) -> ParliamentaryApproval | None:
    """Return parliament's approval of `line` for `year`, if recorded."""
    return ParliamentaryApproval.objects.filter(line=line, year=year).first()


def committed_total(*, line: BudgetLine, year: int, exclude_pk: int | None = None) -> Decimal:
    """Return what is committed from `line` for `year`, leaving out the record `exclude_pk`."""
    return Commitment.objects.filter(line=line, year=year).exclude(pk=exclude_pk).total()


def disbursed_total(*, line: BudgetLine, year: int, exclude_pk: int | None = None) -> Decimal:
    """Return what is disbursed from `line` against `year`, leaving out the record `exclude_pk`."""
    return Disbursement.objects.filter(line=line, year=year).exclude(pk=exclude_pk).total()


def earliest_commitment_date(*, line: BudgetLine, year: int) -> datetime.date | None:
    """Return the date of the first commitment from `line` for `year`."""
    return Commitment.objects.filter(line=line, year=year).aggregate(first=Min("committed_on"))[
        "first"
    ]


def planned_amount(*, line: BudgetLine, year: int) -> Decimal | None:
    """Return the amount planned for `line` in `year`, if the budget gives one."""
    return (
        PlannedAmount.objects.filter(line=line, year=year).values_list("amount", flat=True).first()
    )


def approved_allocation_total(
    *, line: BudgetLine, year: int, exclude_pk: int | None = None
) -> Decimal:
    """Return the approved allocations of `line` in `year`, over all of that year's rounds."""
    return (
        Allocation.objects.filter(round__line=line, round__year=year, decision=Decision.APPROVED)
        .exclude(pk=exclude_pk)
        .aggregate(total=decimal_sum())["total"]
    )


def year_funding_held(strategy_year: StrategyYear) -> list[str]:
    """Return what the money side holds in a strategy's year: its budget, its funding records."""
    strategy, year = strategy_year.strategy, strategy_year.year
    checks = (
        (PlannedAmount.objects.filter(line__strategy=strategy, year=year).exists(), "budget"),
        (
            ParliamentaryApproval.objects.filter(line__strategy=strategy, year=year).exists()
            or Commitment.objects.filter(line__strategy=strategy, year=year).exists()
            or Disbursement.objects.filter(line__strategy=strategy, year=year).exists()
            or AllocationRound.objects.filter(line__strategy=strategy, year=year).exists(),
            "funding records",
        ),
    )
    return [label for found, label in checks if found]

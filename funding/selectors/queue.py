"""What waits for a financial officer or a manager on "My tasks": approvals, plans, pace, rounds.

Each reader takes a fixed number of queries, however many strategies or lines the user follows:
the amounts are summed in the database per budget line and year and compared in Python.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from funding.choices import Decision
from funding.models import (
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from funding.querysets import ZERO, decimal_sum
from priorities.choices import TeamRole
from priorities.selectors import link, role_strategy_ids, strategy_label

from .allocations import half_year_end

AHEAD = "ahead"
BEHIND = "behind"


@dataclass(frozen=True)
class LineYearRow:
    """A budget line in one year that needs the financial officer, with the page to act on."""

    strategy_label: str
    strategy_title: str
    line_code: str
    line_name: str
    year: int
    planned: Decimal | None
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    pace: str = ""
    url: str = ""

    @property
    def line_label(self) -> str:
        """Return the line as the budget names it, e.g. "a) Core funding"."""
        return f"{self.line_code}) {self.line_name}" if self.line_code else self.line_name


@dataclass(frozen=True)
class FundingQueue:
    """A financial officer's lists: approvals to record, commitments without plan, pace."""

    approvals_due: tuple[LineYearRow, ...]
    commitments_without_plan: tuple[LineYearRow, ...]
    off_pace: tuple[LineYearRow, ...]


def funding_queue(*, user, today: datetime.date) -> FundingQueue:
    """Return the money work waiting for `user` as financial officer, in five queries.

    - Parliamentary approvals to record: a line with a planned amount this year or next whose
      year has no approval yet (the Finance Act for next year is passed in December).
    - Commitments without a disbursement plan: a line and year with commitments but no planned
      amount to disburse against.
    - Disbursement off plan: a line and year whose disbursements exceed its planned amount
      (ahead), or fall short of it once the year has ended (behind).
    """
    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(
            strategy_id__in=role_strategy_ids(user=user, role=TeamRole.FINANCIAL_OFFICER)
        ).select_related("strategy__organisation")
    }
    if not lines:
        return FundingQueue((), (), ())
    planned = {
        (row["line_id"], row["year"]): row["amount"]
        for row in PlannedAmount.objects.filter(line_id__in=lines).values(
            "line_id", "year", "amount"
        )
    }
    approved = set(
        ParliamentaryApproval.objects.filter(line_id__in=lines).values_list("line_id", "year")
    )
    committed = {
        (row["line_id"], row["year"]): row["total"]
        for row in Commitment.objects.filter(line_id__in=lines).totals_by_line_year()
    }
    disbursed = {
        (row["line_id"], row["year"]): row["total"]
        for row in Disbursement.objects.filter(line_id__in=lines).totals_by_line_year()
    }

    def row(line_id: int, year: int, url: str, pace: str = "") -> LineYearRow:
        line = lines[line_id]
        return LineYearRow(
            strategy_label=strategy_label(line.strategy),
            strategy_title=line.strategy.title,
            line_code=line.code,
            line_name=line.name,
            year=year,
            planned=planned.get((line_id, year)),
            committed=committed.get((line_id, year), ZERO),
            disbursed=disbursed.get((line_id, year), ZERO),
            pace=pace,
            url=url,
        )

    def order(key: tuple[int, int]) -> tuple:
        line = lines[key[0]]
        return (line.strategy.title, line.strategy_id, key[1], line.order, line.code)

    approvals_due = [
        row(
            line_id,
            year,
            link("funding:parliamentaryapproval_create", lines[line_id].strategy.slug)
            + f"?year={year}",
        )
        for line_id, year in sorted(planned, key=order)
        if year in (today.year, today.year + 1)
        and year in lines[line_id].strategy.years
        and (line_id, year) not in approved
    ]
    without_plan = [
        row(
            line_id,
            year,
            link("funding:commitment_list", lines[line_id].strategy.slug)
            + f"?line={line_id}&year={year}",
        )
        for line_id, year in sorted(committed, key=order)
        if (line_id, year) not in planned
    ]
    off_pace = []
    for key in sorted(planned, key=order):
        spent = disbursed.get(key, ZERO)
        if spent > planned[key]:
            pace = AHEAD
        elif spent < planned[key] and key[1] < today.year:
            pace = BEHIND
        else:
            continue
        strategy = lines[key[0]].strategy
        off_pace.append(
            row(
                *key,
                link("funding:disbursement_list", strategy.slug) + f"?line={key[0]}&year={key[1]}",
                pace=pace,
            )
        )
    return FundingQueue(tuple(approvals_due), tuple(without_plan), tuple(off_pace))


@dataclass(frozen=True)
class AllocationRoundRow:
    """An allocation round with proposals waiting for a manager's decision."""

    strategy_label: str
    strategy_title: str
    title: str
    due_on: datetime.date
    pending: int
    pending_amount: Decimal
    url: str


def allocations_queue(*, user) -> list[AllocationRoundRow]:
    """Return the allocation rounds of the manager's strategies with proposals to decide."""
    rounds = (
        AllocationRound.objects.filter(
            line__strategy_id__in=role_strategy_ids(user=user, role=TeamRole.MANAGER)
        )
        .annotate(
            pending=Count("allocations", filter=Q(allocations__decision=Decision.PENDING)),
            pending_amount=decimal_sum(
                "allocations__amount", allocations__decision=Decision.PENDING
            ),
        )
        .filter(pending__gt=0)
        .select_related("line__strategy__organisation")
        .order_by("year", "half", "line__strategy__title", "pk")
    )
    return [
        AllocationRoundRow(
            strategy_label=strategy_label(allocation_round.line.strategy),
            strategy_title=allocation_round.line.strategy.title,
            title=_("%(half)s of %(year)s, %(line)s")
            % {
                "half": allocation_round.get_half_display(),
                "year": allocation_round.year,
                "line": allocation_round.line.name,
            },
            due_on=allocation_round.dialogue_on
            or half_year_end(allocation_round.year, allocation_round.half),
            pending=allocation_round.pending,
            pending_amount=allocation_round.pending_amount,
            url=link(
                "funding:allocationround_detail",
                allocation_round.line.strategy.slug,
                allocation_round.pk,
            ),
        )
        for allocation_round in rounds
    ]

"""The money of one strategy year, as its review page shows it beside the year's results."""

from dataclasses import dataclass
from decimal import Decimal

from funding.models import Commitment, Disbursement, ParliamentaryApproval, PlannedAmount
from funding.querysets import ZERO
from priorities.models import StrategyYear

from .budget import BudgetCell, cell_sum
from .lists import line_list


@dataclass(frozen=True)
class YearMoneyRow:
    """A budget line's money in the year: planned, approved, committed and disbursed."""

    code: str
    name: str
    cell: BudgetCell


@dataclass(frozen=True)
class YearMoney:
    """The money of a strategy year per budget line, with the year's total."""

    year: int
    rows: tuple[YearMoneyRow, ...]
    total: BudgetCell
    has_illustrative: bool

    @property
    def unapproved_lines(self) -> tuple[str, ...]:
        """Return the codes of the lines with money planned but no parliamentary approval."""
        return tuple(
            row.code
            for row in self.rows
            if row.cell.approved is None and (row.cell.planned or ZERO) > 0
        )


def _by_line(rows) -> dict[int, dict]:
    return {row["line_id"]: row for row in rows}


def year_money(*, strategy_year: StrategyYear) -> YearMoney:
    """Gather the year's money per budget line in five queries, however much is recorded."""
    strategy, year = strategy_year.strategy, strategy_year.year
    lines = list(line_list(strategy=strategy))
    planned: dict[int, Decimal] = dict(
        PlannedAmount.objects.filter(line__strategy=strategy, year=year).values_list(
            "line_id", "amount"
        )
    )
    approvals = _by_line(
        ParliamentaryApproval.objects.for_strategy(strategy)
        .filter(year=year)
        .values("line_id", "amount", "approved_on", "is_illustrative")
    )
    committed = _by_line(
        Commitment.objects.for_strategy(strategy).filter(year=year).totals_by_line_year()
    )
    disbursed = _by_line(
        Disbursement.objects.for_strategy(strategy).filter(year=year).totals_by_line_year()
    )
    empty: dict = {}
    rows = []
    for line in lines:
        approval = approvals.get(line.pk, empty)
        commitments = committed.get(line.pk, empty)
        disbursements = disbursed.get(line.pk, empty)
        rows.append(
            YearMoneyRow(
                code=line.code,
                name=line.name,
                cell=BudgetCell.from_sums(
                    line_id=line.pk,
                    year=year,
                    planned=planned.get(line.pk),
                    approval=approval,
                    commitments=commitments,
                    disbursements=disbursements,
                ),
            )
        )
    total = cell_sum(row.cell for row in rows)
    return YearMoney(
        year=year, rows=tuple(rows), total=total, has_illustrative=total.is_illustrative
    )

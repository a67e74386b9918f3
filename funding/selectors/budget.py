"""The budget page: planned, approved, committed and disbursed money by line and year.

Every report object is a frozen dataclass of plain values, gathered with a fixed number of
queries whatever the number of lines, years or records: amounts are summed in the database,
grouped by budget line and year, and combined in Python with `Decimal` only.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from funding.choices import BudgetLineKind
from funding.models import (
    AllocationRound,
    BudgetLine,
    BudgetTotal,
    BudgetTotalAmount,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
    PlannedAmountRevision,
)
from funding.querysets import ZERO
from priorities.models import Strategy
from priorities.selectors import front_page_total_warnings
from strategy_monitor.formats import amount_in_millions, total_mismatch

from ._common import percent
from .lists import allocationround_list, line_list


@dataclass(frozen=True)
class PlanRevision:
    """A later figure for a planned amount, with the figure it replaced."""

    previous: Decimal
    amount: Decimal
    revised_on: datetime.date
    source: str
    reason: str

    @property
    def text(self) -> str:
        """Return the revision as a sentence part: 75 from 1 March 2023 (final one-pager)."""
        why = f": {self.reason}" if self.reason else ""
        return _("%(amount)s from %(day)s (%(source)s)") % {
            "amount": amount_in_millions(self.amount, 2),
            "day": date_format(self.revised_on, "DATE_FORMAT"),
            "source": f"{self.source}{why}",
        }


@dataclass(frozen=True)
class PlanHistory:
    """A revised planned amount: its original figure and source, and each revision since."""

    planned_id: int
    line_id: int
    line_code: str
    year: int
    original: Decimal
    original_source: str
    current: Decimal
    revisions: tuple[PlanRevision, ...]

    @property
    def text(self) -> str:
        """Return the history in one line, figures in DKK million, oldest first."""
        source = f" ({self.original_source})" if self.original_source else ""
        steps = _("; revised to ").join(revision.text for revision in self.revisions)
        return _("Originally %(original)s%(source)s; revised to %(steps)s") % {
            "original": amount_in_millions(self.original, 2),
            "source": source,
            "steps": steps,
        }

    @property
    def label(self) -> str:
        """Return which figure it is: line and year."""
        return f"{self.line_code} {self.year}"


def plan_histories(*, strategy: Strategy) -> dict[tuple[int, int], PlanHistory]:
    """Return the revised planned amounts of `strategy` by (line id, year), in one query."""
    revisions: dict[int, list[PlannedAmountRevision]] = defaultdict(list)
    for revision in (
        PlannedAmountRevision.objects.filter(planned_amount__line__strategy=strategy)
        .select_related("planned_amount__line")
        .order_by("revised_on", "pk")
    ):
        revisions[revision.planned_amount_id].append(revision)
    histories = {}
    for items in revisions.values():
        planned = items[0].planned_amount
        histories[(planned.line_id, planned.year)] = PlanHistory(
            planned_id=planned.pk,
            line_id=planned.line_id,
            line_code=planned.line.code,
            year=planned.year,
            original=items[0].previous_amount,
            original_source=planned.source,
            current=planned.amount,
            revisions=tuple(
                PlanRevision(
                    previous=item.previous_amount,
                    amount=item.amount,
                    revised_on=item.revised_on,
                    source=item.source,
                    reason=item.reason,
                )
                for item in items
            ),
        )
    return dict(sorted(histories.items(), key=lambda item: (item[1].line_code, item[1].year)))


@dataclass(frozen=True)
class BudgetCell:
    """The money of one budget line (or of all lines) in one year (or over all years)."""

    planned: Decimal | None = None
    approved: Decimal | None = None
    approved_on: datetime.date | None = None
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    commitment_count: int = 0
    disbursement_count: int = 0
    is_illustrative: bool = False
    line_id: int | None = None
    year: int | None = None
    # Which figures rest on illustrative records, so each can be labelled on its own.
    approved_is_illustrative: bool = False
    committed_is_illustrative: bool = False
    disbursed_is_illustrative: bool = False

    @classmethod
    def from_sums(
        cls,
        *,
        line_id: int,
        year: int,
        planned: Decimal | None,
        approval: dict,
        commitments: dict,
        disbursements: dict,
        **extra,
    ) -> "BudgetCell":
        """Return the cell of a line and year from its approval and its summed money flows.

        `approval` holds the approval's `amount`, `approved_on` and `is_illustrative`;
        `commitments` and `disbursements` their `total`, `count` and `illustrative`; an empty
        dict where there is none. `extra` sets the cell's other fields (its planned amount's
        row and revision).
        """
        return cls(
            planned=planned,
            approved=approval.get("amount"),
            approved_on=approval.get("approved_on"),
            committed=commitments.get("total", ZERO),
            disbursed=disbursements.get("total", ZERO),
            commitment_count=commitments.get("count", 0),
            disbursement_count=disbursements.get("count", 0),
            line_id=line_id,
            year=year,
            is_illustrative=bool(
                approval.get("is_illustrative")
                or commitments.get("illustrative")
                or disbursements.get("illustrative")
            ),
            approved_is_illustrative=bool(approval.get("is_illustrative")),
            committed_is_illustrative=bool(commitments.get("illustrative")),
            disbursed_is_illustrative=bool(disbursements.get("illustrative")),
            **extra,
        )

    # The planned amount's own row, to revise it, and its history where it was revised.
    planned_id: int | None = None
    revision: PlanHistory | None = None

    @property
    def remaining(self) -> Decimal:
        """Return what is committed but not yet disbursed."""
        return self.committed - self.disbursed

    @property
    def execution_rate(self) -> Decimal | None:
        """Return the disbursed share of what parliament approved, in per cent."""
        return percent(self.disbursed, self.approved)

    @property
    def is_approved(self) -> bool:
        return self.approved is not None


def _optional_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, ZERO) if present else None


def cell_sum(cells: Iterable[BudgetCell]) -> BudgetCell:
    """Return the total of `cells`: amounts added, an approval date only where one is shared."""
    cells = list(cells)
    dates = {cell.approved_on for cell in cells if cell.approved_on}
    return BudgetCell(
        planned=_optional_sum(cell.planned for cell in cells),
        approved=_optional_sum(cell.approved for cell in cells),
        approved_on=dates.pop() if len(dates) == 1 else None,
        committed=sum((cell.committed for cell in cells), ZERO),
        disbursed=sum((cell.disbursed for cell in cells), ZERO),
        commitment_count=sum(cell.commitment_count for cell in cells),
        disbursement_count=sum(cell.disbursement_count for cell in cells),
        is_illustrative=any(cell.is_illustrative for cell in cells),
        approved_is_illustrative=any(cell.approved_is_illustrative for cell in cells),
        committed_is_illustrative=any(cell.committed_is_illustrative for cell in cells),
        disbursed_is_illustrative=any(cell.disbursed_is_illustrative for cell in cells),
    )


@dataclass(frozen=True)
class BudgetLineRow:
    """A budget line with its money per year and over the period."""

    line: BudgetLine
    cells: tuple[BudgetCell, ...]
    total: BudgetCell


@dataclass(frozen=True)
class RoundTotals:
    """An allocation round with its proposed and decided totals."""

    round: AllocationRound
    proposed: Decimal
    approved: Decimal
    rejected: Decimal
    pending: Decimal


@dataclass(frozen=True)
class AllocationYear:
    """A year of a softly earmarked line: what is planned, and what the rounds decided."""

    line: BudgetLine
    year: int
    planned: Decimal | None
    rounds: tuple[RoundTotals, ...]
    approved: Decimal
    pending: Decimal

    @property
    def unallocated(self) -> Decimal | None:
        """Return what is planned but not yet approved for a use."""
        return None if self.planned is None else self.planned - self.approved

    @property
    def approved_share(self) -> Decimal | None:
        return percent(self.approved, self.planned)


@dataclass(frozen=True)
class BudgetOverview:
    """The budget page: lines × years with planned, approved, committed and disbursed money."""

    strategy: Strategy
    years: tuple[int, ...]
    rows: tuple[BudgetLineRow, ...]
    year_totals: tuple[BudgetCell, ...]
    grand_total: BudgetCell
    allocation_years: tuple[AllocationYear, ...]
    has_illustrative: bool
    revisions: tuple[PlanHistory, ...] = ()

    @property
    def soft_lines(self) -> tuple[BudgetLine, ...]:
        """Return the softly earmarked lines, whose use the allocation rounds decide."""
        return tuple(
            row.line for row in self.rows if row.line.kind == BudgetLineKind.SOFT_EARMARKED
        )


def budget_overview(*, strategy: Strategy, as_of: datetime.date | None = None) -> BudgetOverview:
    """Gather the budget page for `strategy` in seven queries, however much is recorded.

    With `as_of`, only the approvals, commitments and disbursements dated on or before it count.
    """
    lines = list(line_list(strategy=strategy))
    years = tuple(strategy.years)
    approval_records = ParliamentaryApproval.objects.for_strategy(strategy)
    commitment_records = Commitment.objects.for_strategy(strategy)
    disbursement_records = Disbursement.objects.for_strategy(strategy)
    if as_of is not None:
        approval_records = approval_records.filter(approved_on__lte=as_of)
        commitment_records = commitment_records.filter(committed_on__lte=as_of)
        disbursement_records = disbursement_records.filter(paid_on__lte=as_of)
    planned_rows = list(
        PlannedAmount.objects.filter(line__strategy=strategy).values(
            "pk", "line_id", "year", "amount"
        )
    )
    planned_ids = {(row["line_id"], row["year"]): row["pk"] for row in planned_rows}
    planned = {(row["line_id"], row["year"]): row["amount"] for row in planned_rows}
    histories = plan_histories(strategy=strategy)
    approvals = {
        (row["line_id"], row["year"]): row
        for row in approval_records.values(
            "line_id", "year", "amount", "approved_on", "is_illustrative"
        )
    }
    committed = {
        (row["line_id"], row["year"]): row for row in commitment_records.totals_by_line_year()
    }
    disbursed = {
        (row["line_id"], row["year"]): row for row in disbursement_records.totals_by_line_year()
    }
    empty: dict = {}

    def cell(line_id: int, year: int) -> BudgetCell:
        approval = approvals.get((line_id, year), empty)
        commitments = committed.get((line_id, year), empty)
        disbursements = disbursed.get((line_id, year), empty)
        return BudgetCell.from_sums(
            line_id=line_id,
            year=year,
            planned=planned.get((line_id, year)),
            approval=approval,
            commitments=commitments,
            disbursements=disbursements,
            planned_id=planned_ids.get((line_id, year)),
            revision=histories.get((line_id, year)),
        )

    rows = []
    for line in lines:
        cells = tuple(cell(line.pk, year) for year in years)
        rows.append(BudgetLineRow(line=line, cells=cells, total=cell_sum(cells)))
    year_totals = tuple(cell_sum(row.cells[index] for row in rows) for index in range(len(years)))
    grand_total = cell_sum(row.total for row in rows)

    allocation_years = _allocation_years(strategy, lines, planned)
    return BudgetOverview(
        strategy=strategy,
        years=years,
        rows=tuple(rows),
        year_totals=year_totals,
        grand_total=grand_total,
        allocation_years=allocation_years,
        has_illustrative=grand_total.is_illustrative
        or any(r.round.is_illustrative for y in allocation_years for r in y.rounds),
        revisions=tuple(histories.values()),
    )


def _allocation_years(strategy, lines, planned) -> tuple[AllocationYear, ...]:
    soft = [line for line in lines if line.kind == BudgetLineKind.SOFT_EARMARKED]
    if not soft:
        return ()
    rounds: dict[tuple[int, int], list[RoundTotals]] = defaultdict(list)
    for allocation_round in allocationround_list(strategy=strategy).order_by("year", "half"):
        rounds[(allocation_round.line_id, allocation_round.year)].append(
            RoundTotals(
                round=allocation_round,
                proposed=allocation_round.proposed,
                approved=allocation_round.approved,
                rejected=allocation_round.rejected,
                pending=allocation_round.pending,
            )
        )
    result = []
    for line in soft:
        for year in strategy.years:
            year_rounds = tuple(rounds[(line.pk, year)])
            result.append(
                AllocationYear(
                    line=line,
                    year=year,
                    planned=planned.get((line.pk, year)),
                    rounds=year_rounds,
                    approved=sum((r.approved for r in year_rounds), ZERO),
                    pending=sum((r.pending for r in year_rounds), ZERO),
                )
            )
    return tuple(result)


# --- The plan on the strategy overview ---------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    """One row of the budget table: a line or a printed total, with amounts per year."""

    label: str
    code: str
    amounts: tuple[Decimal | None, ...]
    total: Decimal
    is_total: bool = False
    computed: tuple[Decimal, ...] = ()
    differs: bool = False
    # Per year: the history of a revised planned amount, else None.
    histories: tuple[PlanHistory | None, ...] = ()
    # Per printed year that differs from the sum of its lines: the warning to show.
    warnings: tuple[str, ...] = ()

    @property
    def cells(self) -> tuple[tuple[Decimal | None, PlanHistory | None], ...]:
        """Return each year's amount with its revision history, if it has one."""
        histories = self.histories or (None,) * len(self.amounts)
        return tuple(zip(self.amounts, histories, strict=True))


@dataclass(frozen=True)
class BudgetPlan:
    """The budget panel of the strategy overview: the lines' plan by year, and printed totals."""

    years: tuple[int, ...]
    rows: tuple[BudgetRow, ...]
    column_totals: tuple[Decimal, ...]
    grand_total: Decimal
    revisions: tuple[PlanHistory, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """Return every printed total that differs from what its lines add up to."""
        return tuple(warning for row in self.rows for warning in row.warnings)


def budget_plan(
    *,
    strategy: Strategy,
    lines: list[dict] | None = None,
    planned: dict[tuple[int, int], Decimal] | None = None,
) -> BudgetPlan:
    """Return the planned budget of the strategy overview, with the printed totals beside it.

    A caller that has read the strategy's budget lines (`pk`, `code`, `name`, in their order)
    and planned amounts ({(line id, year): amount}) already passes them, and they are not read
    again.
    """
    if lines is None or planned is None:
        line_objects = list(
            BudgetLine.objects.filter(strategy=strategy).prefetch_related(
                Prefetch("planned_amounts", queryset=PlannedAmount.objects.order_by("year"))
            )
        )
        lines = [{"pk": line.pk, "code": line.code, "name": line.name} for line in line_objects]
        planned = {
            (amount.line_id, amount.year): amount.amount
            for line in line_objects
            for amount in line.planned_amounts.all()
        }
    totals = list(
        BudgetTotal.objects.filter(strategy=strategy).prefetch_related(
            Prefetch("amounts", queryset=BudgetTotalAmount.objects.order_by("year")),
            "lines",
        )
    )
    years = sorted(
        {year for _line_id, year in planned}
        | {amount.year for total in totals for amount in total.amounts.all()}
    )
    histories = plan_histories(strategy=strategy)
    rows = []
    for line in lines:
        amounts = tuple(planned.get((line["pk"], year)) for year in years)
        rows.append(
            BudgetRow(
                label=line["name"],
                code=line["code"],
                amounts=amounts,
                total=sum((a for a in amounts if a is not None), Decimal(0)),
                histories=tuple(histories.get((line["pk"], year)) for year in years),
            )
        )
    for total in totals:
        stated = {amount.year: amount.amount for amount in total.amounts.all()}
        line_ids = [line.pk for line in total.lines.all()]
        computed = tuple(
            sum((planned.get((line_id, year), Decimal(0)) for line_id in line_ids), Decimal(0))
            for year in years
        )
        amounts = tuple(stated.get(year) for year in years)
        rows.append(
            BudgetRow(
                label=total.label,
                code="",
                amounts=amounts,
                total=sum((a for a in amounts if a is not None), Decimal(0)),
                is_total=True,
                computed=computed,
                differs=any(
                    s is not None and s != c for s, c in zip(amounts, computed, strict=True)
                ),
                warnings=tuple(
                    f"{total.label}, {year}: "
                    + total_mismatch(stated_amount, sum_amount, of="the sum of its lines")
                    for year, stated_amount, sum_amount in zip(
                        years, amounts, computed, strict=True
                    )
                    if total_mismatch(stated_amount, sum_amount)
                ),
            )
        )
    column_totals = tuple(
        sum((planned.get((line["pk"], year), Decimal(0)) for line in lines), Decimal(0))
        for year in years
    )
    return BudgetPlan(
        years=tuple(years),
        rows=tuple(rows),
        column_totals=column_totals,
        grand_total=sum(column_totals, Decimal(0)),
        revisions=tuple(histories.values()),
    )


def budget_total_warnings(*, overview: BudgetOverview) -> tuple[str, ...]:
    """Return the printed totals of `overview`'s strategy that differ from what they sum.

    The front page's commitment and disbursement totals are compared with the sum of the
    years, and each total row of the budget table with the sum of its lines' planned amounts
    (as revised), year by year. Three queries, whatever the number of lines and years.
    """
    strategy = overview.strategy
    years = strategy.strategy_years.order_by("year").values(
        "planned_commitment", "planned_disbursement"
    )
    warnings = [
        f"{label}: {warning}" for label, warning in front_page_total_warnings(strategy, years)
    ]
    planned = {
        (cell.line_id, cell.year): cell.planned
        for row in overview.rows
        for cell in row.cells
        if cell.planned is not None
    }
    lines: dict[int, set[int]] = defaultdict(set)
    for total_id, line_id in BudgetTotal.lines.through.objects.filter(
        budgettotal__strategy=strategy
    ).values_list("budgettotal_id", "budgetline_id"):
        lines[total_id].add(line_id)
    for row in (
        BudgetTotalAmount.objects.filter(total__strategy=strategy)
        .order_by("total__order", "total_id", "year")
        .values("total_id", "total__label", "year", "amount")
    ):
        computed = sum(
            (planned.get((line_id, row["year"]), ZERO) for line_id in lines[row["total_id"]]),
            ZERO,
        )
        warning = total_mismatch(row["amount"], computed, of="the sum of its lines")
        if warning:
            warnings.append(f"{row['total__label']}, {row['year']}: {warning}")
    return tuple(warnings)

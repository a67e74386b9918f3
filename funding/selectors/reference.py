"""Reads for the money side of a strategy: lists, the budget, allocation rounds, donor tables.

Every report object is a frozen dataclass of plain values, gathered with a fixed number of
queries whatever the number of lines, years or records: amounts are summed in the database,
grouped by budget line and year, and combined in Python with `Decimal` only.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Prefetch, QuerySet

from funding.choices import BudgetLineKind, Decision, FundingKind
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    DonorTable,
    EarmarkedDonor,
    FundingRow,
    ParliamentaryApproval,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from funding.querysets import ZERO, decimal_sum
from priorities.choices import OfficeKind
from priorities.models import Office, Strategy

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")

# The donor whose standing the reference pages follow: the application serves Denmark.
HOME_DONOR = "Denmark"

# "Africa" for the softly earmarked funds: offices under the regional offices whose region
# (as the partner's organisational chart names it) is African, plus the liaison office at the
# seat of the African Union. Middle East and North Africa mixes African and Middle Eastern
# countries, so it is counted apart and shown on its own line, never inside Africa.
AFRICAN_REGIONS = ("West and Central Africa", "Southern Africa", "East and the Horn of Africa")
AFRICAN_LIAISON_OFFICES = ("Addis Ababa",)
SEPARATE_REGIONS = ("Middle East and North Africa",)
AFRICA_DEFINITION = (
    "Africa means offices under the regional offices for "
    + ", ".join(AFRICAN_REGIONS[:-1])
    + f" and {AFRICAN_REGIONS[-1]}, plus the Special Liaison Office in "
    + " and ".join(AFRICAN_LIAISON_OFFICES)
    + ". "
    + " and ".join(SEPARATE_REGIONS)
    + " mixes African and Middle Eastern countries and is shown on its own line, outside Africa."
)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """Return `part` as a percentage of `whole` to one decimal, or None when `whole` is empty."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


# --- Lists ------------------------------------------------------------------------------------


def line_list(*, strategy: Strategy) -> QuerySet[BudgetLine]:
    """Return the budget lines of `strategy` in the order the budget prints them."""
    return BudgetLine.objects.filter(strategy=strategy).order_by("order", "code")


def soft_earmarked_line_list(*, strategy: Strategy) -> QuerySet[BudgetLine]:
    """Return the softly earmarked lines of `strategy`, whose use goes through allocation rounds."""
    return line_list(strategy=strategy).filter(kind=BudgetLineKind.SOFT_EARMARKED)


def approval_list(*, strategy: Strategy) -> QuerySet[ParliamentaryApproval]:
    """Return the parliamentary approvals of `strategy`'s lines, with their line."""
    return (
        ParliamentaryApproval.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-year", "line__order", "line__code")
    )


def commitment_list(*, strategy: Strategy) -> QuerySet[Commitment]:
    """Return the commitments of `strategy`'s lines, with their line."""
    return (
        Commitment.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-year", "line__order", "-committed_on", "-pk")
    )


def disbursement_list(*, strategy: Strategy) -> QuerySet[Disbursement]:
    """Return the disbursements of `strategy`'s lines, with their line."""
    return (
        Disbursement.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-paid_on", "line__order", "-pk")
    )


def allocationround_list(*, strategy: Strategy) -> QuerySet[AllocationRound]:
    """Return the allocation rounds of `strategy` with their proposed and decided totals."""
    return (
        AllocationRound.objects.filter(line__strategy=strategy)
        .select_related("line")
        .annotate(
            proposal_count=Count("allocations"),
            proposed=decimal_sum("allocations__amount"),
            approved=decimal_sum("allocations__amount", allocations__decision=Decision.APPROVED),
            rejected=decimal_sum("allocations__amount", allocations__decision=Decision.REJECTED),
            pending=decimal_sum("allocations__amount", allocations__decision=Decision.PENDING),
        )
        .order_by("-year", "-half", "line__order")
    )


# --- Totals the rules check -------------------------------------------------------------------


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


# --- The budget page --------------------------------------------------------------------------


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

    @property
    def soft_lines(self) -> tuple[BudgetLine, ...]:
        """Return the softly earmarked lines, whose use the allocation rounds decide."""
        return tuple(
            row.line for row in self.rows if row.line.kind == BudgetLineKind.SOFT_EARMARKED
        )


def budget_overview(*, strategy: Strategy) -> BudgetOverview:
    """Gather the budget page for `strategy` in six queries, however much is recorded."""
    lines = list(line_list(strategy=strategy))
    years = tuple(strategy.years)
    planned = {
        (row["line_id"], row["year"]): row["amount"]
        for row in PlannedAmount.objects.filter(line__strategy=strategy).values(
            "line_id", "year", "amount"
        )
    }
    approvals = {
        (row["line_id"], row["year"]): row
        for row in ParliamentaryApproval.objects.for_strategy(strategy).values(
            "line_id", "year", "amount", "approved_on", "is_illustrative"
        )
    }
    committed = {
        (row["line_id"], row["year"]): row
        for row in Commitment.objects.for_strategy(strategy).totals_by_line_year()
    }
    disbursed = {
        (row["line_id"], row["year"]): row
        for row in Disbursement.objects.for_strategy(strategy).totals_by_line_year()
    }
    empty: dict = {}

    def cell(line_id: int, year: int) -> BudgetCell:
        approval = approvals.get((line_id, year), empty)
        commitments = committed.get((line_id, year), empty)
        disbursements = disbursed.get((line_id, year), empty)
        return BudgetCell(
            planned=planned.get((line_id, year)),
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


# --- Allocation rounds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """Where an allocation goes: a region of the partner's offices, and whether it is Africa."""

    label: str
    group: str  # "africa", "separate", "other" or "none"
    order: int = 0

    @property
    def is_africa(self) -> bool:
        return self.group == "africa"


NO_OFFICE = Region("No office given", "none", 900)
OTHER_OFFICES = Region("Other offices (no region)", "other", 800)


def office_region(office: Office | None) -> Region:
    """Return the region an office's allocations count towards, by the definition above."""
    if office is None:
        return NO_OFFICE
    if office.kind == OfficeKind.SPECIAL_LIAISON:
        if _norm(office.name) in {_norm(name) for name in AFRICAN_LIAISON_OFFICES}:
            return Region(f"Special Liaison Office, {office.name}", "africa", 100)
        return Region(f"Special Liaison Office, {office.name}", "other", 700)
    regional = office if office.kind == OfficeKind.REGIONAL else office.regional_office
    if regional is None:
        return OTHER_OFFICES
    label = regional.region or f"Regional office {regional.name}"
    if _norm(label) in {_norm(name) for name in AFRICAN_REGIONS}:
        return Region(label, "africa", 10 + regional.order)
    if _norm(label) in {_norm(name) for name in SEPARATE_REGIONS}:
        return Region(label, "separate", 200 + regional.order)
    return Region(label, "other", 300 + regional.order)


@dataclass(frozen=True)
class AllocationRow:
    """A proposed allocation with the region it counts towards."""

    allocation: Allocation
    region: Region


@dataclass(frozen=True)
class RegionTotal:
    """What is proposed and approved for one region in a round."""

    region: Region
    proposed: Decimal
    approved: Decimal


@dataclass(frozen=True)
class RoundSummary:
    """An allocation round: its proposals, their totals, the year's room and the Africa share."""

    round: AllocationRound
    rows: tuple[AllocationRow, ...]
    proposed: Decimal
    approved: Decimal
    rejected: Decimal
    pending: Decimal
    year_planned: Decimal | None
    year_approved: Decimal
    regions: tuple[RegionTotal, ...]
    africa_proposed: Decimal
    africa_approved: Decimal
    separate: tuple[RegionTotal, ...]
    has_illustrative: bool
    africa_definition: str = AFRICA_DEFINITION

    @property
    def year_room(self) -> Decimal | None:
        """Return what the year's line may still approve."""
        return None if self.year_planned is None else self.year_planned - self.year_approved

    @property
    def africa_share_of_approved(self) -> Decimal | None:
        return percent(self.africa_approved, self.approved)

    @property
    def africa_share_of_proposed(self) -> Decimal | None:
        return percent(self.africa_proposed, self.proposed)


def _separate_regions(regions: tuple[RegionTotal, ...]) -> tuple[RegionTotal, ...]:
    # Show every region counted apart, with zero where the round proposes nothing there.
    present = {
        _norm(item.region.label): item for item in regions if item.region.group == "separate"
    }
    return tuple(
        present.get(_norm(label))
        or RegionTotal(region=Region(label, "separate"), proposed=ZERO, approved=ZERO)
        for label in SEPARATE_REGIONS
    )


def allocation_list(*, allocation_round: AllocationRound) -> QuerySet[Allocation]:
    """Return the proposals of a round with their office, its regional office and decider."""
    return (
        Allocation.objects.filter(round=allocation_round)
        .select_related("office", "office__regional_office", "decided_by")
        .order_by("pk")
    )


def allocationround_summary(*, allocation_round: AllocationRound) -> RoundSummary:
    """Gather a round's page in three queries, however many proposals it holds."""
    allocations = list(allocation_list(allocation_round=allocation_round))
    rows = tuple(AllocationRow(allocation=a, region=office_region(a.office)) for a in allocations)

    def total(decision: str | None = None, group: str | None = None) -> Decimal:
        return sum(
            (
                row.allocation.amount
                for row in rows
                if (decision is None or row.allocation.decision == decision)
                and (group is None or row.region.group == group)
            ),
            ZERO,
        )

    by_region: dict[Region, list[Allocation]] = defaultdict(list)
    for row in rows:
        by_region[row.region].append(row.allocation)
    regions = tuple(
        RegionTotal(
            region=region,
            proposed=sum((a.amount for a in items), ZERO),
            approved=sum((a.amount for a in items if a.decision == Decision.APPROVED), ZERO),
        )
        for region, items in sorted(by_region.items(), key=lambda item: item[0].order)
    )
    line = allocation_round.line
    return RoundSummary(
        round=allocation_round,
        rows=rows,
        proposed=total(),
        approved=total(Decision.APPROVED),
        rejected=total(Decision.REJECTED),
        pending=total(Decision.PENDING),
        year_planned=planned_amount(line=line, year=allocation_round.year),
        year_approved=approved_allocation_total(line=line, year=allocation_round.year),
        regions=regions,
        africa_proposed=total(group="africa"),
        africa_approved=total(Decision.APPROVED, group="africa"),
        separate=_separate_regions(regions),
        has_illustrative=allocation_round.is_illustrative
        or any(a.is_illustrative for a in allocations),
    )


# --- Change history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record: who, when, what kind, why, and which fields changed."""

    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: tuple[FieldChange, ...]


HISTORY_SKIP = {"id", "created_at", "updated_at"}
HISTORY_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _history_value(field, value, related: dict) -> str:
    if value is None or value == "":
        return "–"
    if field.is_relation:
        return related.get(field.name, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def record_history(*, instance) -> tuple[HistoryEntry, ...]:
    """Return the change history of `instance`, newest first, with the fields each change set.

    One query reads the history with its users and one per related model names the related
    records, so a long history costs no more queries than a short one.
    """
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    fields = sorted(
        (
            f
            for f in type(instance)._meta.concrete_fields
            if f.name not in HISTORY_SKIP and not getattr(f, "generated", False)
        ),
        # The record's own fields first, in declaration order; the illustrative flag last.
        key=lambda f: (f.name == "is_illustrative", not f.is_relation),
    )
    related: dict[str, dict] = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in records} - {None}
            objects = f.related_model._default_manager.in_bulk(ids) if ids else {}
            related[f.name] = {pk: str(obj) for pk, obj in objects.items()}
    entries = []
    previous = None
    for record in records:
        changes = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if record.history_type == "-" or (previous is not None and old == new):
                continue
            if previous is None and new in (None, "", False):
                continue
            changes.append(
                FieldChange(
                    label=str(f.verbose_name).capitalize(),
                    old=_history_value(f, old, related) if previous is not None else "–",
                    new=_history_value(f, new, related),
                )
            )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "System",
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
        previous = record
    return tuple(reversed(entries))


# --- Reference data: the donor tables of the annexes -----------------------------------------


@dataclass(frozen=True)
class StatedAndComputed:
    """A total as printed beside the sum the application computes from the rows."""

    label: str
    stated: Decimal | None
    computed: Decimal

    @property
    def difference(self) -> Decimal | None:
        """Return the computed sum minus the printed total."""
        return None if self.stated is None else self.computed - self.stated

    @property
    def differs(self) -> bool:
        return bool(self.difference)


@dataclass(frozen=True)
class FundingTable:
    """A donor's funding by project (Annex 2): the rows by kind and the totals side by side."""

    table: DonorTable
    groups: tuple[tuple[str, tuple[FundingRow, ...]], ...]
    totals: tuple[StatedAndComputed, ...]
    refund_total: Decimal


@dataclass(frozen=True)
class ContributionCell:
    """One cell of the unearmarked table; no amount where the table prints "-"."""

    year: int
    amount: Decimal | None
    is_pledged: bool = False
    is_printed: bool = True


@dataclass(frozen=True)
class UnearmarkedRow:
    """A member state's row: its contributions per year and its total, printed and computed."""

    donor: UnearmarkedDonor
    cells: tuple[ContributionCell, ...]
    total: StatedAndComputed
    is_home: bool


@dataclass(frozen=True)
class RankedDonor:
    """A donor's place among the unearmarked donors of one year; ties share a rank."""

    rank: int
    member_state: str
    amount: Decimal
    is_pledged: bool = False


@dataclass(frozen=True)
class HomeRank:
    """The home donor's rank in one year, out of how many contributing donors."""

    year: int
    rank: int | None
    of: int
    amount: Decimal | None
    is_pledged: bool


@dataclass(frozen=True)
class GrowthCell:
    year: int
    stated: Decimal | None
    computed: Decimal | None


@dataclass(frozen=True)
class UnearmarkedTable:
    """The unearmarked funding by member state and year, with totals and the home donor's rank."""

    table: DonorTable
    years: tuple[int, ...]
    rows: tuple[UnearmarkedRow, ...]
    year_totals: tuple[StatedAndComputed, ...]
    growth: tuple[GrowthCell, ...]
    grand_total: StatedAndComputed
    home_ranks: tuple[HomeRank, ...]
    has_pledged: bool


@dataclass(frozen=True)
class EarmarkedTable:
    """A table of top earmarked donors, with the home donor's place and the computed sum."""

    table: DonorTable
    donors: tuple[EarmarkedDonor, ...]
    computed_total: Decimal
    home: EarmarkedDonor | None


@dataclass(frozen=True)
class ReferenceData:
    """The donor tables printed in a strategy's annexes, for its partner organisation."""

    funding_tables: tuple[FundingTable, ...] = ()
    unearmarked_tables: tuple[UnearmarkedTable, ...] = ()
    earmarked_tables: tuple[EarmarkedTable, ...] = ()
    home_donor: str = HOME_DONOR


def rank_amounts(entries: Iterable[tuple[str, Decimal, bool]]) -> list[RankedDonor]:
    """Rank (name, amount, pledged) entries by amount, largest first; ties share a rank.

    Entries without a positive amount are not contributions and are left out.
    """
    contributing = [(name, amount, pledged) for name, amount, pledged in entries if amount]
    contributing = [entry for entry in contributing if entry[1] > 0]
    contributing.sort(key=lambda entry: (-entry[1], entry[0]))
    ranked = []
    for position, (name, amount, pledged) in enumerate(contributing, start=1):
        if ranked and ranked[-1].amount == amount:
            rank = ranked[-1].rank
        else:
            rank = position
        ranked.append(RankedDonor(rank=rank, member_state=name, amount=amount, is_pledged=pledged))
    return ranked


def unearmarked_ranks(*, table: DonorTable) -> dict[int, list[RankedDonor]]:
    """Return, per year, the member states of an unearmarked table ranked by contribution."""
    by_year: dict[int, list[tuple[str, Decimal, bool]]] = defaultdict(list)
    for donor in table.donors.all():
        for contribution in donor.contributions.all():
            by_year[contribution.year].append(
                (donor.member_state, contribution.amount, contribution.is_pledged)
            )
    return {year: rank_amounts(by_year[year]) for year in sorted(by_year)}


def _funding_table(table: DonorTable) -> FundingTable:
    rows = list(table.funding_rows.all())
    kinds = dict(FundingKind.choices)
    groups = []
    for kind in FundingKind.values:
        items = tuple(row for row in rows if row.kind == kind)
        if items:
            groups.append((kinds[kind], items))
    stated = list(table.stated_totals.all())
    totals = []
    for item in stated:
        matching = [row for row in rows if not item.kind or row.kind == item.kind]
        label = f"{kinds[item.kind]}" if item.kind else item.label
        totals.append(
            StatedAndComputed(
                label=label,
                stated=item.amount,
                computed=sum((row.amount for row in matching), ZERO),
            )
        )
    if len(stated) > 1 or not stated:
        totals.append(
            StatedAndComputed(
                label="All rows",
                stated=sum((item.amount for item in stated), ZERO) if stated else None,
                computed=sum((row.amount for row in rows), ZERO),
            )
        )
    return FundingTable(
        table=table,
        groups=tuple(groups),
        totals=tuple(totals),
        refund_total=sum((row.amount for row in rows if row.is_refund), ZERO),
    )


def _unearmarked_table(table: DonorTable, home: str) -> UnearmarkedTable:
    donors = list(table.donors.all())
    years = tuple(sorted({c.year for donor in donors for c in donor.contributions.all()}))
    rows = []
    for donor in donors:
        by_year = {c.year: c for c in donor.contributions.all()}
        cells = tuple(
            ContributionCell(
                year=year,
                amount=by_year[year].amount if year in by_year else None,
                is_pledged=by_year[year].is_pledged if year in by_year else False,
                is_printed=year in by_year,
            )
            for year in years
        )
        rows.append(
            UnearmarkedRow(
                donor=donor,
                cells=cells,
                total=StatedAndComputed(
                    label=donor.member_state,
                    stated=donor.stated_total,
                    computed=sum((c.amount for c in cells if c.amount is not None), ZERO),
                ),
                is_home=_norm(donor.member_state) == _norm(home),
            )
        )
    stated = {item.year: item for item in table.stated_totals.all()}
    year_totals = tuple(
        StatedAndComputed(
            label=str(year),
            stated=stated[year].amount if year in stated else None,
            computed=sum(
                (row.cells[index].amount or ZERO for row in rows),
                ZERO,
            ),
        )
        for index, year in enumerate(years)
    )
    growth = []
    for index, year in enumerate(years):
        previous = year_totals[index - 1].computed if index else None
        growth.append(
            GrowthCell(
                year=year,
                stated=stated[year].growth_percent if year in stated else None,
                computed=(
                    ((year_totals[index].computed / previous - 1) * HUNDRED).quantize(
                        Decimal(1), rounding=ROUND_HALF_UP
                    )
                    if previous
                    else None
                ),
            )
        )
    ranks = unearmarked_ranks(table=table)
    home_ranks = []
    for year in years:
        ranked = ranks.get(year, [])
        mine = next((r for r in ranked if _norm(r.member_state) == _norm(home)), None)
        home_ranks.append(
            HomeRank(
                year=year,
                rank=mine.rank if mine else None,
                of=len(ranked),
                amount=mine.amount if mine else None,
                is_pledged=mine.is_pledged if mine else False,
            )
        )
    return UnearmarkedTable(
        table=table,
        years=years,
        rows=tuple(rows),
        year_totals=year_totals,
        growth=tuple(growth),
        grand_total=StatedAndComputed(
            label="Total",
            stated=stated[None].amount if None in stated else None,
            computed=sum((row.total.computed for row in rows), ZERO),
        ),
        home_ranks=tuple(home_ranks),
        has_pledged=any(cell.is_pledged for row in rows for cell in row.cells),
    )


def reference_data(*, strategy: Strategy, home: str = HOME_DONOR) -> ReferenceData:
    """Gather the donor tables of `strategy`'s partner in six queries, with computed totals."""
    tables = list(
        DonorTable.objects.filter(organisation_id=strategy.organisation_id)
        .order_by("key")
        .prefetch_related(
            Prefetch("stated_totals", queryset=StatedTotal.objects.order_by("year", "key")),
            Prefetch("funding_rows", queryset=FundingRow.objects.order_by("order")),
            Prefetch(
                "donors",
                queryset=UnearmarkedDonor.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "contributions",
                        queryset=UnearmarkedContribution.objects.order_by("year"),
                    )
                ),
            ),
            Prefetch("earmarked_donors", queryset=EarmarkedDonor.objects.order_by("rank")),
        )
    )
    funding, unearmarked, earmarked = [], [], []
    for table in tables:
        if table.funding_rows.all():
            funding.append(_funding_table(table))
        if table.donors.all():
            unearmarked.append(_unearmarked_table(table, home))
        donors = tuple(table.earmarked_donors.all())
        if donors:
            earmarked.append(
                EarmarkedTable(
                    table=table,
                    donors=donors,
                    computed_total=sum((d.amount for d in donors), ZERO),
                    home=next((d for d in donors if _norm(d.donor) == _norm(home)), None),
                )
            )
    return ReferenceData(
        funding_tables=tuple(funding),
        unearmarked_tables=tuple(unearmarked),
        earmarked_tables=tuple(earmarked),
        home_donor=home,
    )

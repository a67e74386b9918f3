"""A strategy's money on its dashboard: budget execution and allocations by region."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from funding.choices import Currency, Decision
from funding.models import Allocation
from funding.querysets import ZERO, decimal_sum
from funding.selectors import (
    AFRICA_DEFINITION,
    AllocationYear,
    BudgetCell,
    budget_overview,
    cell_sum,
    office_region,
    percent,
)
from priorities.models import Office, Strategy


@dataclass(frozen=True)
class LineMoney:
    """A budget line with its money per year and over the period."""

    code: str
    name: str
    cells: tuple[BudgetCell, ...]
    total: BudgetCell

    @property
    def label(self) -> str:
        return f"{self.code}) {self.name}" if self.code else self.name


@dataclass(frozen=True)
class BudgetExecution:
    """The strategy's DKK budget lines × years: planned, approved, committed and disbursed."""

    years: tuple[int, ...]
    lines: tuple[LineMoney, ...]
    year_totals: tuple[BudgetCell, ...]
    total: BudgetCell
    allocation_years: tuple[AllocationYear, ...]

    @property
    def has_illustrative(self) -> bool:
        return self.total.is_illustrative


@dataclass(frozen=True)
class RegionMoney:
    """Softly earmarked allocations to one region over all rounds, by decision."""

    label: str
    group: str
    approved: Decimal
    pending: Decimal
    rejected: Decimal

    @property
    def proposed(self) -> Decimal:
        return self.approved + self.pending + self.rejected

    @property
    def is_africa(self) -> bool:
        return self.group == "africa"


@dataclass(frozen=True)
class AllocationRegions:
    """The strategy's softly earmarked allocations by region, with the Africa share."""

    regions: tuple[RegionMoney, ...]
    has_illustrative: bool
    definition: str = AFRICA_DEFINITION

    @property
    def approved(self) -> Decimal:
        return sum((r.approved for r in self.regions), ZERO)

    @property
    def pending(self) -> Decimal:
        return sum((r.pending for r in self.regions), ZERO)

    @property
    def rejected(self) -> Decimal:
        return sum((r.rejected for r in self.regions), ZERO)

    @property
    def proposed(self) -> Decimal:
        return sum((r.proposed for r in self.regions), ZERO)

    @property
    def africa_approved(self) -> Decimal:
        return sum((r.approved for r in self.regions if r.is_africa), ZERO)

    @property
    def africa_share_of_approved(self) -> Decimal | None:
        return percent(self.africa_approved, self.approved)


def _budget_execution(strategy: Strategy) -> BudgetExecution:
    overview = budget_overview(strategy=strategy)
    lines = tuple(
        LineMoney(code=row.line.code, name=row.line.name, cells=row.cells, total=row.total)
        for row in overview.rows
        if row.line.currency == Currency.DKK
    )
    years = overview.years
    year_totals = tuple(cell_sum(line.cells[i] for line in lines) for i in range(len(years)))
    return BudgetExecution(
        years=years,
        lines=lines,
        year_totals=year_totals,
        total=cell_sum(line.total for line in lines),
        allocation_years=overview.allocation_years,
    )


def _allocation_regions(strategy: Strategy) -> AllocationRegions:
    rows = list(
        Allocation.objects.filter(round__line__strategy=strategy)
        .order_by()
        .values("office_id", "decision")
        .annotate(total=decimal_sum(), illustrative=Count("pk", filter=Q(is_illustrative=True)))
    )
    office_ids = {row["office_id"] for row in rows if row["office_id"]}
    offices = Office.objects.select_related("regional_office").in_bulk(office_ids)
    by_region: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        region = office_region(offices.get(row["office_id"]))
        by_region[region][row["decision"]] += row["total"]
    regions = tuple(
        RegionMoney(
            label=region.label,
            group=region.group,
            approved=amounts[Decision.APPROVED],
            pending=amounts[Decision.PENDING],
            rejected=amounts[Decision.REJECTED],
        )
        for region, amounts in sorted(by_region.items(), key=lambda item: item[0].order)
    )
    return AllocationRegions(
        regions=regions, has_illustrative=any(row["illustrative"] for row in rows)
    )

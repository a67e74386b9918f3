"""Reference data: the donor tables of a strategy's annexes, with their totals computed."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from funding.choices import FundingKind
from funding.models import (
    DonorTable,
    EarmarkedDonor,
    FundingRow,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from funding.querysets import ZERO
from priorities.models import Strategy

from ._common import HUNDRED, _norm

# The donor whose standing the reference pages follow: the application serves Denmark.
HOME_DONOR = "Denmark"


@dataclass(frozen=True)
class StatedAndComputed:
    """A total as printed beside the sum the application computes from the rows.

    `stated_is_printed` is false where the document prints no such total and `stated` is a
    sum of the totals it does print (Annex 2 prints one total per kind, none for all rows).
    """

    label: str
    stated: Decimal | None
    computed: Decimal
    stated_is_printed: bool = True

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
    """The home donor's rank in one year, out of how many contributing donors.

    In a year whose figures include pledges not yet received (`based_on_pledges`) the table
    is incomplete, so the rank is no standing of that year.
    """

    year: int
    rank: int | None
    of: int
    amount: Decimal | None
    is_pledged: bool
    based_on_pledges: bool = False


@dataclass(frozen=True)
class GrowthCell:
    """A year's growth of the column total: as printed, and as computed from complete years.

    Growth is not computed into or out of a year whose figures include pledges
    (`based_on_pledges`): the pledges are incomplete and would show a fall that is not one.
    """

    year: int
    stated: Decimal | None
    computed: Decimal | None
    based_on_pledges: bool = False


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
    pledged_years: tuple[int, ...] = ()


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

    @property
    def home_donor_name(self) -> str:
        """Return the home donor in the reader's language; the tables name it in English."""
        return _("Denmark") if self.home_donor == HOME_DONOR else self.home_donor


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
                label=_("All rows"),
                stated=sum((item.amount for item in stated), ZERO) if stated else None,
                computed=sum((row.amount for row in rows), ZERO),
                stated_is_printed=False,
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
    pledged_years = tuple(
        year for index, year in enumerate(years) if any(row.cells[index].is_pledged for row in rows)
    )
    growth = []
    for index, year in enumerate(years):
        previous = year_totals[index - 1].computed if index else None
        based_on_pledges = year in pledged_years or (
            bool(index) and years[index - 1] in pledged_years
        )
        growth.append(
            GrowthCell(
                year=year,
                stated=stated[year].growth_percent if year in stated else None,
                computed=(
                    ((year_totals[index].computed / previous - 1) * HUNDRED).quantize(
                        Decimal(1), rounding=ROUND_HALF_UP
                    )
                    if previous and not based_on_pledges
                    else None
                ),
                based_on_pledges=based_on_pledges,
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
                based_on_pledges=year in pledged_years,
            )
        )
    return UnearmarkedTable(
        table=table,
        years=years,
        rows=tuple(rows),
        year_totals=year_totals,
        growth=tuple(growth),
        grand_total=StatedAndComputed(
            label=_("Total"),
            stated=stated[None].amount if None in stated else None,
            computed=sum((row.total.computed for row in rows), ZERO),
        ),
        home_ranks=tuple(home_ranks),
        has_pledged=bool(pledged_years),
        pledged_years=pledged_years,
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

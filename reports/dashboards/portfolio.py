"""Dashboards for managers: the portfolio of strategies and the dashboard of one strategy.

Each builder returns a frozen dataclass of plain values (numbers, strings, dates and the
funding app's `BudgetCell`), gathered with a fixed number of queries whatever the number of
strategies, indicators or records: amounts are summed and risks counted in the database,
grouped by strategy, line and year, and combined in Python with `Decimal` only. The rules
behind the figures come from the apps that own them: remaining money and the execution rate
from `funding.selectors.BudgetCell`, score bands from `risks.querysets.band_q`, regions of
allocations from `funding.selectors.office_region`, donor ranks from
`funding.selectors.rank_amounts`.

`portfolio_figures()` and `strategy_figures()` turn the built objects into plotly figures with
the builders of `reports.charts`.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from engagement.choices import ActionStatus
from engagement.models import ActionPoint, Milestone
from engagement.selectors import actionpoint_url, milestone_url, strategy_label
from funding.choices import Currency, Decision
from funding.models import (
    Allocation,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
    UnearmarkedContribution,
)
from funding.querysets import ZERO, decimal_sum
from funding.selectors import (
    AFRICA_DEFINITION,
    HOME_DONOR,
    AllocationYear,
    BudgetCell,
    RankedDonor,
    budget_overview,
    cell_sum,
    office_region,
    percent,
    rank_amounts,
)
from priorities.choices import Direction, PriorityKind, Rating, YearState
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    KeyFigure,
    Office,
    Organisation,
    PriorityArea,
    Strategy,
    StrategyYear,
)
from reports import charts
from risks.choices import RiskStatus, ScoreBand
from risks.models import Risk
from risks.querysets import band_q
from risks.selectors import HeatMap, HeatMatrix, risk_heatmap

STRATEGIES_PER_PAGE = 10
LIST_LIMIT = 8
HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
# Bands in the order the dashboards print them: the most severe first, the unrated last.
BANDS = (
    ScoreBand.CRITICAL,
    ScoreBand.HIGH,
    ScoreBand.MEDIUM,
    ScoreBand.LOW,
    ScoreBand.UNRATED,
)
# Key figures that give the partner's income by kind of funding are named
# "income-<kind>-share-<year>" (e.g. income-unearmarked-share-2021), in per cent.
INCOME_SHARE_PREFIX = "income-"
INCOME_SHARE_MARK = "-share"
UNEARMARKED_SHARE_PREFIX = "income-unearmarked-share"
# Figures are cached under a digest of the report they are drawn from; raise the version when
# the chart builders change what they draw from the same report.
FIGURE_CACHE_VERSION = 1
FIGURE_CACHE_SECONDS = 60 * 60


# --- Shared pieces ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandCount:
    """How many open risks fall in one score band."""

    band: str
    label: str
    count: int


@dataclass(frozen=True)
class RiskSummary:
    """The open risks of a strategy (or of the portfolio) by score band."""

    open: int
    bands: tuple[BandCount, ...]
    illustrative: int = 0

    @property
    def severe(self) -> int:
        """Return the open risks rated high or critical."""
        return sum(b.count for b in self.bands if b.band in (ScoreBand.HIGH, ScoreBand.CRITICAL))

    @property
    def unrated(self) -> int:
        return sum(b.count for b in self.bands if b.band == ScoreBand.UNRATED)


def _risk_summary(counts: dict | None) -> RiskSummary:
    counts = counts or {}
    return RiskSummary(
        open=counts.get("open", 0),
        bands=tuple(BandCount(band, ScoreBand(band).label, counts.get(band, 0)) for band in BANDS),
        illustrative=counts.get("illustrative", 0),
    )


@dataclass(frozen=True)
class RatingCell:
    """A priority area's rating in one year; `rating` is empty outside the strategy period."""

    year: int
    rating: str
    label: str
    symbol: str
    is_illustrative: bool = False

    @property
    def in_period(self) -> bool:
        return bool(self.rating)


@dataclass(frozen=True)
class RatingRow:
    """A priority area with its rating in each year of the matrix."""

    strategy_label: str
    area_label: str
    area_short: str
    cells: tuple[RatingCell, ...]


@dataclass(frozen=True)
class RatingMatrix:
    """Ratings of priority areas (rows) by year (columns)."""

    years: tuple[int, ...]
    rows: tuple[RatingRow, ...]

    @property
    def has_illustrative(self) -> bool:
        return any(cell.is_illustrative for row in self.rows for cell in row.cells)


def _rating_cell(year: int, rating: str | None, illustrative: bool, in_period: bool) -> RatingCell:
    if not in_period:
        return RatingCell(year, "", "Outside the period", "")
    rating = rating or Rating.NOT_ASSESSED
    style = charts.RATING_STYLES[rating]
    return RatingCell(year, rating, Rating(rating).label, style.symbol, bool(illustrative))


def _area_short(kind: str, number: int | None, title: str) -> str:
    return f"Priority area {number}" if kind == PriorityKind.PRIORITY else f"Cross-cutting: {title}"


def _rating_matrix(strategy_ids, periods: dict[int, tuple[int, int, str]]) -> RatingMatrix:
    """Return the ratings of the areas of `strategy_ids` in two queries."""
    areas = list(
        PriorityArea.objects.filter(strategy_id__in=strategy_ids)
        .order_by("strategy_id", "order", "number", "pk")
        .values("pk", "strategy_id", "kind", "number", "title")
    )
    ratings = {
        (row["priority_area_id"], row["strategy_year__year"]): row
        for row in Assessment.objects.filter(priority_area__strategy_id__in=strategy_ids)
        .order_by()
        .values("priority_area_id", "strategy_year__year", "rating", "is_illustrative")
    }
    if not periods:
        return RatingMatrix(years=(), rows=())
    first = min(start for start, _, _ in periods.values())
    last = max(end for _, end, _ in periods.values())
    years = tuple(range(first, last + 1))
    order = {strategy_id: index for index, strategy_id in enumerate(periods)}
    areas.sort(key=lambda area: order.get(area["strategy_id"], len(order)))
    rows = []
    for area in areas:
        start, end, label = periods[area["strategy_id"]]
        short = _area_short(area["kind"], area["number"], area["title"])
        cells = []
        for year in years:
            found = ratings.get((area["pk"], year), {})
            cells.append(
                _rating_cell(
                    year,
                    found.get("rating"),
                    found.get("is_illustrative", False),
                    start <= year <= end,
                )
            )
        rows.append(
            RatingRow(
                strategy_label=label,
                area_label=f"{short}: {area['title']}"
                if area["kind"] == PriorityKind.PRIORITY
                else short,
                area_short=short,
                cells=tuple(cells),
            )
        )
    return RatingMatrix(years=years, rows=tuple(rows))


@dataclass(frozen=True)
class DueRef:
    """An overdue action point or a coming milestone, with the page where it is handled."""

    title: str
    due_on: datetime.date
    strategy_label: str
    url: str
    owner: str = ""
    is_illustrative: bool = False


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _overdue_actions(strategy_filter: Q, today: datetime.date) -> tuple[DueRef, ...]:
    action_points = (
        ActionPoint.objects.filter(strategy_filter, status=ActionStatus.OPEN, due_on__lt=today)
        .select_related("strategy__organisation", "owner")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return tuple(
        DueRef(
            title=action_point.text,
            due_on=action_point.due_on,
            strategy_label=strategy_label(action_point.strategy),
            url=actionpoint_url(action_point, action_point.strategy),
            owner=_user_name(action_point.owner),
            is_illustrative=action_point.is_illustrative,
        )
        for action_point in action_points
    )


def _next_milestones(strategy_filter: Q, today: datetime.date) -> tuple[DueRef, ...]:
    milestones = (
        Milestone.objects.filter(strategy_filter, done_on__isnull=True, due_on__gte=today)
        .select_related("strategy__organisation", "owner")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return tuple(
        DueRef(
            title=milestone.title,
            due_on=milestone.due_on,
            strategy_label=strategy_label(milestone.strategy),
            url=milestone_url(milestone, milestone.strategy),
            owner=_user_name(milestone.owner),
            is_illustrative=milestone.is_illustrative,
        )
        for milestone in milestones
    )


# --- The portfolio ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioChoices:
    """What the portfolio's filters offer: the partners and years of the visible strategies."""

    partners: tuple[tuple[str, str], ...]
    years: tuple[int, ...]


def portfolio_choices(*, user) -> PortfolioChoices:
    """Return the partners and years the user's strategies cover, in two queries."""
    visible = Strategy.objects.visible_to(user)
    partners = tuple(
        Organisation.objects.filter(pk__in=visible.values("organisation_id"))
        .order_by("name")
        .values_list("slug", "name")
    )
    span = Strategy.objects.filter(pk__in=visible.values("pk")).aggregate(
        first=Min("start_year"), last=Max("end_year")
    )
    years = ()
    if span["first"] is not None:
        years = tuple(range(span["first"], span["last"] + 1))
    return PortfolioChoices(partners=partners, years=years)


@dataclass(frozen=True)
class StrategyCard:
    """One strategy in the portfolio: who, when, the reference year's state and money, risks."""

    slug: str
    title: str
    label: str
    partner: str
    partner_acronym: str
    period: str
    is_draft: bool
    runs_in_year: bool
    year_state: str
    year_state_label: str
    money: BudgetCell
    risks: RiskSummary
    overdue_actions: int
    next_milestone: str
    next_milestone_on: datetime.date | None
    next_milestone_illustrative: bool

    @property
    def bar_scale(self) -> Decimal:
        """Return the largest of the four amounts, which the money bars are drawn against."""
        amounts = [self.money.planned, self.money.approved, self.money.committed]
        return max([a for a in amounts if a] + [self.money.disbursed, ZERO])

    def bar_share(self, amount: Decimal | None) -> Decimal:
        """Return `amount` as a share of the bar scale, in per cent (0 when there is none)."""
        scale = self.bar_scale
        if not amount or not scale:
            return ZERO
        return (amount * HUNDRED / scale).quantize(ONE_DECIMAL)

    @property
    def bars(self) -> tuple[tuple[str, str, Decimal | None, Decimal], ...]:
        """Return (measure, label, amount, share of scale) for the four money bars."""
        return tuple(
            (
                attribute,
                attribute.capitalize(),
                getattr(self.money, attribute),
                self.bar_share(getattr(self.money, attribute)),
            )
            for attribute, _, _, _ in charts.MONEY_MEASURES
        )


@dataclass(frozen=True)
class Portfolio:
    """The managers' portfolio: the strategies a user may see, their money, risks and ratings."""

    year: int
    year_filtered: bool
    partner: str
    today: datetime.date
    strategy_count: int
    page_number: int
    page_count: int
    cards: tuple[StrategyCard, ...]
    money_years: tuple[int, ...]
    money_by_year: tuple[BudgetCell, ...]
    money_in_year: BudgetCell
    risks: RiskSummary
    ratings: RatingMatrix
    overdue_action_count: int
    overdue_actions: tuple[DueRef, ...]
    milestones: tuple[DueRef, ...]

    @property
    def has_previous(self) -> bool:
        return self.page_number > 1

    @property
    def has_next(self) -> bool:
        return self.page_number < self.page_count

    @property
    def money_rows(self) -> tuple[tuple[int, BudgetCell], ...]:
        """Return (year, money of all strategies shown) for the money table."""
        return tuple(zip(self.money_years, self.money_by_year, strict=True))

    @property
    def money_is_illustrative(self) -> bool:
        return any(cell.is_illustrative for cell in self.money_by_year)

    @property
    def has_illustrative(self) -> bool:
        return (
            self.money_is_illustrative
            or self.money_in_year.is_illustrative
            or bool(self.risks.illustrative)
            or self.ratings.has_illustrative
            or any(card.money.is_illustrative for card in self.cards)
            or any(item.is_illustrative for item in (*self.overdue_actions, *self.milestones))
        )


def _money_rows(model, strategy_ids) -> dict[tuple[int, int], dict]:
    """Return the DKK amounts of `model` summed per (strategy, year), in one query."""
    rows = model.objects.filter(
        line__strategy_id__in=strategy_ids, line__currency=Currency.DKK
    ).order_by()
    rows = rows.values("line__strategy_id", "year")
    if model is PlannedAmount:
        rows = rows.annotate(total=decimal_sum())
    else:
        rows = rows.annotate(
            total=decimal_sum(), illustrative=Count("pk", filter=Q(is_illustrative=True))
        )
    return {(row["line__strategy_id"], row["year"]): row for row in rows}


def _money_cells(strategy_ids) -> dict[tuple[int, int], BudgetCell]:
    """Return planned, approved, committed and disbursed DKK per (strategy, year): 4 queries."""
    planned = _money_rows(PlannedAmount, strategy_ids)
    approved = _money_rows(ParliamentaryApproval, strategy_ids)
    committed = _money_rows(Commitment, strategy_ids)
    disbursed = _money_rows(Disbursement, strategy_ids)
    cells = {}
    for key in {*planned, *approved, *committed, *disbursed}:
        recorded = [approved.get(key), committed.get(key), disbursed.get(key)]
        cells[key] = BudgetCell(
            planned=planned[key]["total"] if key in planned else None,
            approved=approved[key]["total"] if key in approved else None,
            committed=committed[key]["total"] if key in committed else ZERO,
            disbursed=disbursed[key]["total"] if key in disbursed else ZERO,
            is_illustrative=any(row and row["illustrative"] for row in recorded),
            year=key[1],
        )
    return cells


def _risk_counts(strategy_ids) -> dict[int, dict]:
    """Count open risks per strategy and band in one query."""
    is_open = Q(status=RiskStatus.OPEN)
    rows = (
        Risk.objects.filter(strategy_id__in=strategy_ids)
        .order_by()
        .values("strategy_id")
        .annotate(
            open=Count("pk", filter=is_open),
            illustrative=Count("pk", filter=is_open & Q(rating_is_illustrative=True)),
            **{band: Count("pk", filter=is_open & band_q(band)) for band in BANDS},
        )
    )
    return {row["strategy_id"]: row for row in rows}


def _visible_strategies(user, *, partner: str = "", year: int | None = None) -> QuerySet:
    strategies = Strategy.objects.visible_to(user)
    if partner:
        strategies = strategies.filter(organisation__slug=partner)
    if year:
        strategies = strategies.filter(start_year__lte=year, end_year__gte=year)
    return strategies


def portfolio_build(
    *,
    user,
    today: datetime.date,
    year: int | None = None,
    partner: str = "",
    page: int | str = 1,
    per_page: int = STRATEGIES_PER_PAGE,
) -> Portfolio:
    """Gather the portfolio of the strategies `user` may see, in fourteen queries.

    `year` narrows the strategies to those running in it and is the year whose state and money
    each strategy shows (this year when not given); `partner` narrows them to one partner's.
    The money by year and the risk counts cover every strategy the filters keep; the cards and
    the rating matrix cover one page of strategies.
    """
    reference_year = year or today.year
    strategies = _visible_strategies(user, partner=partner, year=year)
    strategy_ids = strategies.values("pk")
    next_milestones = Milestone.objects.filter(
        strategy=OuterRef("pk"), done_on__isnull=True, due_on__gte=today
    ).order_by("due_on", "pk")
    listing = (
        strategies.select_related("organisation")
        .annotate(
            year_state=Subquery(
                StrategyYear.objects.filter(strategy=OuterRef("pk"), year=reference_year).values(
                    "state"
                )[:1]
            ),
            next_milestone=Subquery(next_milestones.values("title")[:1]),
            next_milestone_on=Subquery(next_milestones.values("due_on")[:1]),
            next_milestone_illustrative=Subquery(next_milestones.values("is_illustrative")[:1]),
        )
        .order_by("organisation__name", "-start_year", "title", "pk")
    )
    page_obj = Paginator(listing, per_page).get_page(page)
    page_strategies = list(page_obj.object_list)

    money = _money_cells(strategy_ids)
    risk_counts = _risk_counts(strategy_ids)
    overdue = {
        row["strategy_id"]: row["count"]
        for row in ActionPoint.objects.filter(
            strategy_id__in=strategy_ids, status=ActionStatus.OPEN, due_on__lt=today
        )
        .order_by()
        .values("strategy_id")
        .annotate(count=Count("pk"))
    }
    in_filter = Q(strategy_id__in=strategy_ids)
    overdue_actions = _overdue_actions(in_filter, today)
    milestones = _next_milestones(in_filter, today)
    periods = {s.pk: (s.start_year, s.end_year, strategy_label(s)) for s in page_strategies}
    ratings = _rating_matrix([s.pk for s in page_strategies], periods)

    states = dict(YearState.choices)
    cards = []
    for strategy in page_strategies:
        runs = strategy.start_year <= reference_year <= strategy.end_year
        cards.append(
            StrategyCard(
                slug=strategy.slug,
                title=strategy.title,
                label=strategy_label(strategy),
                partner=strategy.organisation.name,
                partner_acronym=strategy.organisation.acronym,
                period=strategy.period,
                is_draft=strategy.is_draft,
                runs_in_year=runs,
                year_state=strategy.year_state or "",
                year_state_label=states.get(strategy.year_state, ""),
                money=money.get((strategy.pk, reference_year), BudgetCell(year=reference_year)),
                risks=_risk_summary(risk_counts.get(strategy.pk)),
                overdue_actions=overdue.get(strategy.pk, 0),
                next_milestone=strategy.next_milestone or "",
                next_milestone_on=strategy.next_milestone_on,
                next_milestone_illustrative=bool(strategy.next_milestone_illustrative),
            )
        )

    money_years = tuple(sorted({y for _, y in money}))
    money_by_year = tuple(
        cell_sum(cell for (_, y), cell in money.items() if y == each) for each in money_years
    )
    totals: dict[str, int] = defaultdict(int)
    for counts in risk_counts.values():
        for name in ("open", "illustrative", *BANDS):
            totals[name] += counts[name]
    return Portfolio(
        year=reference_year,
        year_filtered=bool(year),
        partner=partner,
        today=today,
        strategy_count=page_obj.paginator.count,
        page_number=page_obj.number,
        page_count=page_obj.paginator.num_pages,
        cards=tuple(cards),
        money_years=money_years,
        money_by_year=money_by_year,
        money_in_year=cell_sum(cell for (_, y), cell in money.items() if y == reference_year),
        risks=_risk_summary(totals),
        ratings=ratings,
        overdue_action_count=sum(overdue.values()),
        overdue_actions=overdue_actions,
        milestones=milestones,
    )


def portfolio_figures(portfolio: Portfolio) -> dict[str, dict]:
    """Return the portfolio's plotly figures, as dicts ready for `json_script`."""
    figures = {}
    if portfolio.money_years:
        figures["money"] = charts.figure_data(
            charts.money_figure(
                categories=[str(year) for year in portfolio.money_years],
                cells=portfolio.money_by_year,
                title="Money by year, all strategies shown (DKK million)",
                category_title="Year",
                illustrative=portfolio.money_is_illustrative,
            )
        )
    if portfolio.cards:
        figures["risks"] = charts.figure_data(
            charts.risk_band_figure(
                bars=[
                    charts.BandBar(
                        label=card.label,
                        counts=tuple((b.band, b.count) for b in card.risks.bands),
                        hover_label=card.title,
                    )
                    for card in portfolio.cards
                ],
                band_labels=dict(ScoreBand.choices),
                title="Open risks by score band",
                illustrative=any(card.risks.illustrative for card in portfolio.cards),
            )
        )
    return figures


# --- One strategy -------------------------------------------------------------------------------


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
class IndicatorPoint:
    """An indicator's target and actual in one year, and the achievement they give."""

    year: int
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    is_illustrative: bool = False


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator under a priority area, with its figures per year."""

    area_short: str
    area_label: str
    title: str
    code: str
    unit: str
    direction: str
    direction_label: str
    points: tuple[IndicatorPoint, ...]

    @property
    def is_illustrative(self) -> bool:
        return any(point.is_illustrative for point in self.points)

    @property
    def has_figures(self) -> bool:
        return any(point.achievement is not None for point in self.points)


@dataclass(frozen=True)
class IndicatorProgressReport:
    """The strategy's indicators by priority area, with targets and actuals per year."""

    years: tuple[int, ...]
    rows: tuple[IndicatorRow, ...]

    @property
    def has_illustrative(self) -> bool:
        return any(row.is_illustrative for row in self.rows)

    @property
    def charted_rows(self) -> tuple[IndicatorRow, ...]:
        return tuple(row for row in self.rows if row.has_figures)

    @property
    def charted_years(self) -> tuple[int, ...]:
        return tuple(
            year
            for year in self.years
            if any(
                p.year == year and p.achievement is not None for r in self.rows for p in r.points
            )
        )


def achievement(target: Decimal | None, actual: Decimal | None, direction: str) -> Decimal | None:
    """Return how far `actual` meets `target`, in per cent to one decimal: 100 = target met.

    For a higher-is-better or keep-at-target indicator it is actual ÷ target; for a
    lower-is-better one, target ÷ actual, so that 100 or more always means the target is met.
    None where a figure is missing or the division is undefined.
    """
    if target is None or actual is None:
        return None
    if direction == Direction.DECREASE:
        return percent(target, actual) if actual > 0 else None
    return percent(actual, target) if target > 0 else None


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


@dataclass(frozen=True)
class IncomeShare:
    """A share of the partner's income, as a key figure of its strategy document states it."""

    label: str
    value: Decimal
    year: int | None
    source: str


@dataclass(frozen=True)
class DonorStanding:
    """The home donor's place among the partner's donors of unearmarked funding in one year."""

    table_title: str
    source: str
    currency: str
    year: int | None
    home: str
    donors: tuple[RankedDonor, ...]
    home_rank: int | None
    home_amount: Decimal | None
    unearmarked_share: IncomeShare | None
    income_shares: tuple[IncomeShare, ...]

    @property
    def donor_count(self) -> int:
        return len(self.donors)

    @property
    def has_table(self) -> bool:
        return bool(self.donors)


@dataclass(frozen=True)
class StrategyDashboard:
    """One strategy's dashboard: money, indicators, ratings, risks, allocations and donors."""

    slug: str
    title: str
    label: str
    partner: str
    partner_acronym: str
    year: int
    year_state: str
    year_state_label: str
    today: datetime.date
    budget: BudgetExecution
    indicators: IndicatorProgressReport
    ratings: RatingMatrix
    heatmap: HeatMap
    risks: RiskSummary
    allocations: AllocationRegions
    donors: DonorStanding
    overdue_action_count: int
    open_action_count: int
    overdue_actions: tuple[DueRef, ...]
    milestones: tuple[DueRef, ...]

    @property
    def money_in_year(self) -> BudgetCell:
        for year, cell in zip(self.budget.years, self.budget.year_totals, strict=True):
            if year == self.year:
                return cell
        return BudgetCell(year=self.year)

    @property
    def has_illustrative(self) -> bool:
        return (
            self.budget.has_illustrative
            or self.indicators.has_illustrative
            or self.ratings.has_illustrative
            or self.heatmap.has_illustrative
            or self.allocations.has_illustrative
            or any(item.is_illustrative for item in (*self.overdue_actions, *self.milestones))
        )


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


def _indicator_progress(strategy: Strategy, years: tuple[int, ...]) -> IndicatorProgressReport:
    indicators = list(
        Indicator.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "order", "key")
        .values(
            "pk",
            "code",
            "title",
            "unit",
            "direction",
            "priority_area__kind",
            "priority_area__number",
            "priority_area__title",
        )
    )
    figures = {
        (row["indicator_id"], row["strategy_year__year"]): row
        for row in IndicatorProgress.objects.filter(indicator__priority_area__strategy=strategy)
        .order_by()
        .values("indicator_id", "strategy_year__year", "target", "actual", "is_illustrative")
    }
    directions = dict(Direction.choices)
    rows = []
    for indicator in indicators:
        points = []
        for year in years:
            found = figures.get((indicator["pk"], year))
            if found is None:
                continue
            points.append(
                IndicatorPoint(
                    year=year,
                    target=found["target"],
                    actual=found["actual"],
                    achievement=achievement(
                        found["target"], found["actual"], indicator["direction"]
                    ),
                    is_illustrative=found["is_illustrative"],
                )
            )
        kind, number, area_title = (
            indicator["priority_area__kind"],
            indicator["priority_area__number"],
            indicator["priority_area__title"],
        )
        short = _area_short(kind, number, area_title)
        rows.append(
            IndicatorRow(
                area_short=short,
                area_label=f"{short}: {area_title}" if kind == PriorityKind.PRIORITY else short,
                title=indicator["title"] or "Indicator under development",
                code=indicator["code"],
                unit=indicator["unit"],
                direction=indicator["direction"],
                direction_label=directions.get(indicator["direction"], ""),
                points=tuple(points),
            )
        )
    return IndicatorProgressReport(years=years, rows=tuple(rows))


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


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _income_shares(organisation_id: int) -> list[tuple[str, IncomeShare]]:
    figures = KeyFigure.objects.filter(
        organisation_id=organisation_id,
        key__startswith=INCOME_SHARE_PREFIX,
        key__contains=INCOME_SHARE_MARK,
    ).order_by("order", "key")
    return [
        (
            figure.key,
            IncomeShare(
                label=figure.label, value=figure.value, year=figure.year, source=figure.source
            ),
        )
        for figure in figures
    ]


def _donor_standing(strategy: Strategy, home: str = HOME_DONOR) -> DonorStanding:
    """Rank the partner's unearmarked donors in the latest year the home donor has paid."""
    contributions = list(
        UnearmarkedContribution.objects.filter(
            donor__table__organisation_id=strategy.organisation_id
        )
        .order_by("donor__table__key", "donor__order", "year")
        .values(
            "donor__table_id",
            "donor__table__title",
            "donor__table__source",
            "donor__table__currency",
            "donor__member_state",
            "year",
            "amount",
            "is_pledged",
        )
    )
    shares = _income_shares(strategy.organisation_id)
    table_id = contributions[0]["donor__table_id"] if contributions else None
    rows = [row for row in contributions if row["donor__table_id"] == table_id]
    paid_years = sorted(
        row["year"]
        for row in rows
        if _norm(row["donor__member_state"]) == _norm(home)
        and row["amount"]
        and not row["is_pledged"]
    )
    any_years = sorted(row["year"] for row in rows if row["amount"])
    year = paid_years[-1] if paid_years else (any_years[-1] if any_years else None)
    ranked = rank_amounts(
        (row["donor__member_state"], row["amount"], row["is_pledged"])
        for row in rows
        if row["year"] == year
    )
    mine = next((r for r in ranked if _norm(r.member_state) == _norm(home)), None)
    unearmarked = [share for key, share in shares if key.startswith(UNEARMARKED_SHARE_PREFIX)]
    chosen = next((s for s in unearmarked if s.year == year), None) or (
        max(unearmarked, key=lambda s: s.year or 0) if unearmarked else None
    )
    same_year = tuple(
        share for _, share in shares if chosen is not None and share.year == chosen.year
    )
    first = rows[0] if rows else {}
    return DonorStanding(
        table_title=first.get("donor__table__title", ""),
        source=first.get("donor__table__source", ""),
        currency=first.get("donor__table__currency", Currency.USD),
        year=year,
        home=home,
        donors=tuple(ranked),
        home_rank=mine.rank if mine else None,
        home_amount=mine.amount if mine else None,
        unearmarked_share=chosen,
        income_shares=same_year,
    )


def _reference_year(strategy: Strategy, today: datetime.date) -> int:
    return min(max(today.year, strategy.start_year), strategy.end_year)


def strategy_dashboard_build(*, strategy: Strategy, today: datetime.date) -> StrategyDashboard:
    """Gather one strategy's dashboard in eighteen queries, however much it records."""
    year = _reference_year(strategy, today)
    budget = _budget_execution(strategy)
    state = StrategyYear.objects.filter(strategy=strategy, year=year).values_list(
        "state", flat=True
    )
    year_state = next(iter(state), "")
    years = tuple(strategy.years)
    label = strategy_label(strategy)
    ratings = _rating_matrix(
        [strategy.pk], {strategy.pk: (strategy.start_year, strategy.end_year, label)}
    )
    heatmap = risk_heatmap(strategy=strategy)
    risks = _risk_counts([strategy.pk]).get(strategy.pk)
    action_counts = ActionPoint.objects.filter(
        strategy=strategy, status=ActionStatus.OPEN
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    in_strategy = Q(strategy=strategy)
    return StrategyDashboard(
        slug=strategy.slug,
        title=strategy.title,
        label=label,
        partner=strategy.organisation.name,
        partner_acronym=strategy.organisation.acronym,
        year=year,
        year_state=year_state,
        year_state_label=dict(YearState.choices).get(year_state, ""),
        today=today,
        budget=budget,
        indicators=_indicator_progress(strategy, years),
        ratings=ratings,
        heatmap=heatmap,
        risks=_risk_summary(risks),
        allocations=_allocation_regions(strategy),
        donors=_donor_standing(strategy),
        overdue_action_count=action_counts["overdue"],
        open_action_count=action_counts["open"],
        overdue_actions=_overdue_actions(in_strategy, today),
        milestones=_next_milestones(in_strategy, today),
    )


def _matrix_panel(matrix: HeatMatrix, slug: str) -> charts.MatrixPanel:
    cells = []
    for cell in matrix.cells:
        if not cell.risks:
            continue
        if len(cell.risks) == 1:
            link = reverse("risks:risk_detail", kwargs={"slug": slug, "pk": cell.risks[0].pk})
        else:
            link = reverse("risks:heatmap", kwargs={"slug": slug}) + (
                f"#{matrix.kind}-{cell.likelihood}-{cell.impact}"
            )
        cells.append(
            charts.MatrixCell(
                likelihood=cell.likelihood,
                impact=cell.impact,
                labels=tuple(
                    ref.title + (" (illustrative rating)" if ref.is_illustrative else "")
                    for ref in cell.risks
                ),
                link=link,
            )
        )
    return charts.MatrixPanel(title=matrix.title, cells=tuple(cells))


def _short(text: str, length: int = 46) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _figure_rating(matrix: RatingMatrix, title: str, *, label_with_strategy: bool) -> dict:
    rows = [
        (
            f"{row.strategy_label} · {row.area_short}" if label_with_strategy else row.area_label,
            [
                charts.RatingMark(cell.rating, cell.label, cell.is_illustrative)
                for cell in row.cells
            ],
        )
        for row in matrix.rows
    ]
    return charts.figure_data(
        charts.rating_figure(
            rows=rows, years=matrix.years, title=title, illustrative=matrix.has_illustrative
        )
    )


def _indicator_detail(row: IndicatorRow, point: IndicatorPoint) -> str:
    def shown(value: Decimal | None) -> str:
        if value is None:
            return "–"
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    unit = f" ({charts.hover_escape(row.unit, 40)})" if row.unit else ""
    note = "; illustrative figures" if point.is_illustrative else ""
    return (
        f"Target {shown(point.target)}, actual {shown(point.actual)}{unit}"
        f"<br>{row.direction_label}{note}"
    )


def strategy_figures(dashboard: StrategyDashboard) -> dict[str, dict]:
    """Return the strategy dashboard's plotly figures, as dicts ready for `json_script`."""
    figures = {}
    budget = dashboard.budget
    if budget.lines:
        outer = [line.label for line in budget.lines for _ in budget.years]
        inner = [str(year) for _ in budget.lines for year in budget.years]
        figures["budget"] = charts.figure_data(
            charts.money_figure(
                categories=[[_short(label, 28) for label in outer], inner],
                cells=[cell for line in budget.lines for cell in line.cells],
                hover_labels=[f"{o}, {i}" for o, i in zip(outer, inner, strict=True)],
                title="Budget execution by line and year (DKK million)",
                category_title="Budget line and year",
                illustrative=budget.has_illustrative,
            )
        )
    indicators = dashboard.indicators
    if indicators.charted_rows:
        seen: set[str] = set()
        bars = []
        for row in indicators.charted_rows:
            label = f"{row.area_short.replace('Priority area ', 'PA ')} · {_short(row.title, 40)}"
            while label in seen:
                label += " "
            seen.add(label)
            bars.append(
                charts.AchievementBar(
                    label=label,
                    hover_label=charts.hover_escape(f"{row.area_short}: {row.title}"),
                    points=tuple(
                        (
                            point.year,
                            float(point.achievement) if point.achievement is not None else None,
                            _indicator_detail(row, point),
                        )
                        for point in row.points
                    ),
                )
            )
        figures["indicators"] = charts.figure_data(
            charts.indicator_figure(
                bars=bars,
                years=indicators.charted_years,
                title="Indicator progress: actual against target, by priority area",
                illustrative=indicators.has_illustrative,
            )
        )
    if dashboard.ratings.rows:
        figures["ratings"] = _figure_rating(
            dashboard.ratings, "Ratings of the priority areas by year", label_with_strategy=False
        )
    heatmap = charts.risk_matrix_figure(
        panels=[
            _matrix_panel(dashboard.heatmap.inherent, dashboard.slug),
            _matrix_panel(dashboard.heatmap.residual, dashboard.slug),
        ],
        title="Open risks by likelihood and impact",
    )
    if dashboard.heatmap.has_illustrative:
        charts.illustrative_mark(heatmap)
    figures["heatmap"] = charts.figure_data(heatmap)
    if dashboard.allocations.regions:
        figures["allocations"] = charts.figure_data(
            charts.allocation_figure(
                bars=[
                    charts.RegionBar(
                        label=region.label + (" (Africa)" if region.is_africa else ""),
                        approved=region.approved,
                        pending=region.pending,
                        rejected=region.rejected,
                    )
                    for region in dashboard.allocations.regions
                ],
                title="Allocations by region, all rounds (DKK million)",
                illustrative=dashboard.allocations.has_illustrative,
            )
        )
    donors = dashboard.donors
    if donors.has_table:
        figures["donors"] = charts.figure_data(
            charts.donor_rank_figure(
                bars=[
                    charts.DonorBar(
                        name=donor.member_state,
                        rank=donor.rank,
                        amount=donor.amount,
                        is_home=_norm(donor.member_state) == _norm(donors.home),
                        is_pledged=donor.is_pledged,
                    )
                    for donor in donors.donors
                ],
                title=(
                    f"Unearmarked funding to {dashboard.partner_acronym} by member state, "
                    f"{donors.year} ({donors.currency} million)"
                ),
                currency=donors.currency,
            )
        )
    return figures


def figures_cached(report, build: Callable[..., dict[str, dict]]) -> dict[str, dict]:
    """Return `build(report)`, from the cache when the same report was drawn before.

    Building plotly figures costs far more than gathering the report (tens of milliseconds
    against a few), so the figures are cached. The key is a digest of the report itself: the
    report holds every value the figures show, so any change in the data gives a new key and a
    stale figure is never served, with no need to track when the data last changed.
    """
    digest = hashlib.sha256(repr(report).encode()).hexdigest()
    key = f"reports:figures:{FIGURE_CACHE_VERSION}:{build.__name__}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = build(report)
        cache.set(key, figures, FIGURE_CACHE_SECONDS)
    return figures


__all__ = [
    "Portfolio",
    "PortfolioChoices",
    "StrategyDashboard",
    "achievement",
    "figures_cached",
    "portfolio_build",
    "portfolio_choices",
    "portfolio_figures",
    "strategy_dashboard_build",
    "strategy_figures",
]

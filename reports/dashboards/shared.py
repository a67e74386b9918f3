"""What the portfolio and the strategy dashboard share: risk bands, ratings, due dates.

Each builder returns a frozen dataclass of plain values (numbers, strings, dates and the
funding app's `BudgetCell`), gathered with a fixed number of queries whatever the number of
strategies, indicators or records: amounts are summed and risks counted in the database,
grouped by strategy, line and year, and combined in Python with `Decimal` only. The rules
behind the figures come from the apps that own them: remaining money and the execution rate
from `funding.selectors.BudgetCell`, score bands from `risks.querysets.band_q`, regions of
allocations from `funding.selectors.office_region`, donor ranks from
`funding.selectors.rank_amounts`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from engagement.choices import ActionStatus
from engagement.models import ActionPoint, Milestone
from engagement.selectors import (
    actionpoint_url,
    milestone_done_q,
    milestone_fulfilled_ids,
    milestone_url,
)
from priorities.choices import PriorityKind, Rating
from priorities.models import Assessment, PriorityArea
from priorities.selectors import strategy_label
from reports import charts
from risks.choices import RiskStatus, ScoreBand
from risks.models import Risk
from risks.querysets import band_q
from strategy_monitor.formats import person_name

LIST_LIMIT = 8
# Bands in the order the dashboards print them: the most severe first, the unrated last.
BANDS = (
    ScoreBand.CRITICAL,
    ScoreBand.HIGH,
    ScoreBand.MEDIUM,
    ScoreBand.LOW,
    ScoreBand.UNRATED,
)


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
        return RatingCell(year, "", _("Outside the period"), "")
    rating = rating or Rating.NOT_ASSESSED
    style = charts.RATING_STYLES[rating]
    return RatingCell(year, rating, Rating(rating).label, style.symbol, bool(illustrative))


def _area_short(kind: str, number: int | None, title: str) -> str:
    if kind == PriorityKind.PRIORITY:
        return _("Priority area %(number)s") % {"number": number}
    return _("Cross-cutting: %(title)s") % {"title": title}


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
            owner=person_name(action_point.owner),
            is_illustrative=action_point.is_illustrative,
        )
        for action_point in action_points
    )


def _open_milestones(strategy_filter: Q, today: datetime.date) -> QuerySet[Milestone]:
    """Return the milestones still to come: not done by hand, and with no record fulfilling them.

    A query and one per source of the kinds to come, whatever the number of strategies.
    """
    to_come = Milestone.objects.filter(strategy_filter, due_on__gte=today)
    return to_come.exclude(milestone_done_q(milestone_fulfilled_ids(to_come)))


def _next_milestones(
    strategy_filter: Q, today: datetime.date, to_come: QuerySet[Milestone] | None = None
) -> tuple[DueRef, ...]:
    if to_come is None:
        to_come = _open_milestones(strategy_filter, today)
    milestones = to_come.select_related("strategy__organisation", "owner").order_by("due_on", "pk")[
        :LIST_LIMIT
    ]
    return tuple(
        DueRef(
            title=milestone.title,
            due_on=milestone.due_on,
            strategy_label=strategy_label(milestone.strategy),
            url=milestone_url(milestone, milestone.strategy),
            owner=person_name(milestone.owner),
            is_illustrative=milestone.is_illustrative,
        )
        for milestone in milestones
    )


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

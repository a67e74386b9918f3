"""A strategy's indicators on its dashboard: targets, actuals and achievement."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from funding.selectors import percent
from priorities.choices import Direction, PriorityKind
from priorities.models import Indicator, IndicatorProgress, Strategy

from .shared import _area_short


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
                title=indicator["title"] or _("Indicator under development"),
                code=indicator["code"],
                unit=indicator["unit"],
                direction=indicator["direction"],
                direction_label=directions.get(indicator["direction"], ""),
                points=tuple(points),
            )
        )
    return IndicatorProgressReport(years=years, rows=tuple(rows))

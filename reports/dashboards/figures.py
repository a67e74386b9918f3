"""The dashboards as plotly figures, cached under a digest of the report they show.

`portfolio_figures()` and `strategy_figures()` turn the built objects into plotly figures with
the builders of `reports.charts` and `risks.charts`.
"""

import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports import charts
from risks import charts as risk_charts
from risks.choices import ScoreBand
from risks.selectors import HeatMatrix
from strategy_monitor.charts import figure_data, hover_escape, illustrative_mark
from strategy_monitor.formats import DASH, figure_shown

from .donors import _norm
from .indicators import IndicatorPoint, IndicatorRow
from .portfolio import Portfolio
from .shared import RatingMatrix
from .strategy import StrategyDashboard

# Figures are cached under a digest of the report they are drawn from; raise the version when
# the chart builders change what they draw from the same report.
FIGURE_CACHE_VERSION = 1
FIGURE_CACHE_SECONDS = 60 * 60


def portfolio_figures(portfolio: Portfolio) -> dict[str, dict]:
    """Return the portfolio's plotly figures, as dicts ready for `json_script`."""
    figures = {}
    if portfolio.money_years:
        figures["money"] = figure_data(
            charts.money_figure(
                categories=[str(year) for year in portfolio.money_years],
                cells=portfolio.money_by_year,
                title=_("Money by year, all strategies shown (DKK million)"),
                category_title=_("Year"),
                illustrative=portfolio.money_is_illustrative,
            )
        )
    if portfolio.cards:
        figures["risks"] = figure_data(
            risk_charts.risk_band_figure(
                bars=[
                    risk_charts.BandBar(
                        label=card.label,
                        counts=tuple((b.band, b.count) for b in card.risks.bands),
                        hover_label=card.title,
                    )
                    for card in portfolio.cards
                ],
                band_labels=dict(ScoreBand.choices),
                title=_("Open risks by score band"),
                illustrative=any(card.risks.illustrative for card in portfolio.cards),
            )
        )
    return figures


def _matrix_panel(matrix: HeatMatrix, slug: str) -> risk_charts.MatrixPanel:
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
            risk_charts.MatrixCell(
                likelihood=cell.likelihood,
                impact=cell.impact,
                labels=tuple(
                    _("%(title)s (illustrative rating)") % {"title": ref.title}
                    if ref.is_illustrative
                    else ref.title
                    for ref in cell.risks
                ),
                link=link,
            )
        )
    return risk_charts.MatrixPanel(title=matrix.title, cells=tuple(cells))


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
    return figure_data(
        charts.rating_figure(
            rows=rows, years=matrix.years, title=title, illustrative=matrix.has_illustrative
        )
    )


def _indicator_detail(row: IndicatorRow, point: IndicatorPoint) -> str:
    def shown(value: Decimal | None) -> str:
        return DASH if value is None else figure_shown(value)

    unit = f" ({hover_escape(row.unit, 40)})" if row.unit else ""
    note = _("; illustrative figures") if point.is_illustrative else ""
    figures = _("Target %(target)s, actual %(actual)s") % {
        "target": shown(point.target),
        "actual": shown(point.actual),
    }
    return f"{figures}{unit}<br>{row.direction_label}{note}"


def strategy_figures(dashboard: StrategyDashboard) -> dict[str, dict]:
    """Return the strategy dashboard's plotly figures, as dicts ready for `json_script`."""
    figures = {}
    budget = dashboard.budget
    if budget.lines:
        outer = [line.label for line in budget.lines for _ in budget.years]
        inner = [str(year) for _ in budget.lines for year in budget.years]
        figures["budget"] = figure_data(
            charts.money_figure(
                categories=[[_short(label, 28) for label in outer], inner],
                cells=[cell for line in budget.lines for cell in line.cells],
                hover_labels=[f"{o}, {i}" for o, i in zip(outer, inner, strict=True)],
                title=_("Budget execution by line and year (DKK million)"),
                category_title=_("Budget line and year"),
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
                    hover_label=hover_escape(f"{row.area_short}: {row.title}"),
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
        figures["indicators"] = figure_data(
            charts.indicator_figure(
                bars=bars,
                years=indicators.charted_years,
                title=_("Indicator progress: actual against target, by priority area"),
                illustrative=indicators.has_illustrative,
            )
        )
    if dashboard.ratings.rows:
        figures["ratings"] = _figure_rating(
            dashboard.ratings, _("Ratings of the priority areas by year"), label_with_strategy=False
        )
    heatmap = risk_charts.risk_matrix_figure(
        panels=[
            _matrix_panel(dashboard.heatmap.inherent, dashboard.slug),
            _matrix_panel(dashboard.heatmap.residual, dashboard.slug),
        ],
        title=_("Open risks by likelihood and impact"),
    )
    if dashboard.heatmap.has_illustrative:
        illustrative_mark(heatmap)
    figures["heatmap"] = figure_data(heatmap)
    if dashboard.allocations.regions:
        figures["allocations"] = figure_data(
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
                title=_("Allocations by region, all rounds (DKK million)"),
                illustrative=dashboard.allocations.has_illustrative,
            )
        )
    donors = dashboard.donors
    if donors.has_table:
        figures["donors"] = figure_data(
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
                title=_(
                    "Unearmarked funding to %(partner)s by member state, %(year)s "
                    "(%(currency)s million)"
                )
                % {
                    "partner": dashboard.partner_acronym,
                    "year": donors.year,
                    "currency": donors.currency,
                },
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
    # The figures' words and numbers are in the reader's language: one entry per language.
    language = get_language() or "default"
    key = f"reports:figures:{FIGURE_CACHE_VERSION}:{build.__name__}:{language}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = build(report)
        cache.set(key, figures, FIGURE_CACHE_SECONDS)
    return figures

"""One strategy's dashboard: money, indicators, ratings, risks, allocations and donors."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from engagement.choices import ActionStatus
from engagement.models import ActionPoint
from funding.selectors import BudgetCell
from priorities.choices import YearState
from priorities.models import Strategy, StrategyYear
from priorities.selectors import strategy_label
from risks.selectors import HeatMap, risk_heatmap

from .budget import AllocationRegions, BudgetExecution, _allocation_regions, _budget_execution
from .donors import DonorStanding, _donor_standing
from .indicators import IndicatorProgressReport, _indicator_progress
from .shared import (
    DueRef,
    RatingMatrix,
    RiskSummary,
    _next_milestones,
    _overdue_actions,
    _rating_matrix,
    _risk_counts,
    _risk_summary,
)


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

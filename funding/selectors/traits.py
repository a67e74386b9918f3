"""What the money side tells the lower layers about a strategy (see `priorities.registry`)."""

from funding.choices import BudgetLineKind
from funding.models import BudgetLine, PlannedAmount
from priorities.models import Strategy
from priorities.registry import ALLOCATED_IN_DIALOGUE


def strategy_funding_traits(strategy: Strategy) -> list[str]:
    """Return the strategy's traits on the money side: a line allocated in dialogue or none."""
    if BudgetLine.objects.filter(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED).exists():
        return [ALLOCATED_IN_DIALOGUE]
    return []


def strategy_planned_years(strategy: Strategy) -> list[int]:
    """Return the years in which a budget line of the strategy plans an amount above zero."""
    return list(
        PlannedAmount.objects.filter(line__strategy=strategy, amount__gt=0)
        .values_list("year", flat=True)
        .distinct()
    )

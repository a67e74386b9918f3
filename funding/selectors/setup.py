"""What the set-up checklist asks of the money side: a budget line with planned amounts."""

from django.db.models import Exists, OuterRef

from funding.models import BudgetLine, PlannedAmount
from priorities.models import Strategy
from priorities.registry import SetupCheck


def budget_setup_checks(strategy: Strategy) -> list[SetupCheck]:
    """Return whether the strategy has a budget line with planned amounts (one query)."""
    lines = BudgetLine.objects.filter(strategy=strategy).annotate(
        planned=Exists(PlannedAmount.objects.filter(line=OuterRef("pk")))
    )
    counts = list(lines.values_list("planned", flat=True))
    planned = sum(1 for has_plan in counts if has_plan)
    if planned:
        detail = f"{planned} budget line{'s' if planned != 1 else ''} with planned amounts"
    elif counts:
        detail = "The budget lines have no planned amounts yet."
    else:
        detail = "No budget line yet."
    return [SetupCheck("Budget", bool(planned), "funding:budget_setup", detail)]

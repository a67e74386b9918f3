"""What the set-up checklist asks of the money side: a budget line with planned amounts."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        detail = ngettext(
            "%(count)s budget line with planned amounts",
            "%(count)s budget lines with planned amounts",
            planned,
        ) % {"count": planned}
    elif counts:
        detail = _("The budget lines have no planned amounts yet.")
    else:
        detail = _("No budget line yet.")
    return [SetupCheck(_("Budget"), bool(planned), "funding:budget_setup", detail)]

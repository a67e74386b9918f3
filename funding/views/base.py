"""What the funding pages share: who may do what, and writing through the services.

Views are thin: they check who may do what, hand the input to `funding.services` and show what
`funding.selectors` gathers. Everyone who may see a strategy reads these pages; the team's
financial officers record; managers decide on proposed allocations.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from funding import permissions
from funding.choices import BudgetLineKind
from funding.models import AllocationRound, BudgetLine, DonorTable
from priorities.models import Strategy
from priorities.views import StrategyMixin
from strategy_monitor.changes import record_history
from strategy_monitor.views import ServiceDeleteView

REFUSALS = {
    "view": _("You are not on the team of this strategy."),
    "record": _("Only the financial officers of this strategy's team record funding."),
    "decide": _("Only managers decide on proposed allocations."),
    "revise": _("Only the strategy's financial officers and administrators revise the budget."),
}
CHECKS = {
    "view": permissions.funding_can_view,
    "record": permissions.funding_can_record,
    "decide": permissions.funding_can_decide,
    "revise": permissions.funding_can_revise_plan,
}


class FundingMixin(StrategyMixin):
    """Resolve the strategy and refuse users who may not do what the page is for."""

    required = "view"

    def dispatch(self, request, *args, **kwargs):
        if not CHECKS[self.required](request.user, self.strategy):
            raise PermissionDenied(REFUSALS[self.required])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can"] = {
            **context["can"],
            "record_funding": permissions.funding_can_record(self.request.user, self.strategy),
            "decide_allocations": permissions.funding_can_decide(self.request.user, self.strategy),
            "revise_plan": permissions.funding_can_revise_plan(self.request.user, self.strategy),
        }
        context["funding_tabs"] = self.funding_tabs()
        return context

    def funding_tabs(self) -> dict[str, bool]:
        """Return which of the optional tabs have something to show, in one query.

        A strategy without a line allocated in dialogue has no allocation rounds to show, and a
        partner without donor tables no annex tables: their tabs are left out.
        """
        strategy = OuterRef("pk")
        return (
            Strategy.objects.filter(pk=self.strategy.pk)
            .values(
                allocations=Exists(
                    BudgetLine.objects.filter(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
                )
                | Exists(AllocationRound.objects.filter(line__strategy=strategy)),
                donor_tables=Exists(
                    DonorTable.objects.filter(organisation=OuterRef("organisation"))
                ),
            )
            .get()
        )

    def strategy_url(self, name: str, **kwargs) -> str:
        return reverse(f"funding:{name}", kwargs={"slug": self.strategy.slug, **kwargs})


# --- Shared delete and detail behaviour -------------------------------------------------------


class RecordDeleteView(FundingMixin, ServiceDeleteView):
    """Confirm and delete one funding record, named on the confirmation page."""

    required = "record"
    template_name = "funding/record_confirm_delete.html"
    context_object_name = "record"

    def get_context_data(self, **kwargs):
        return super().get_context_data(record_label=self.describe(self.object), **kwargs)

    def describe(self, obj) -> str:
        return str(obj)


class RecordDetailMixin:
    """Show a record with its change history: who changed what, and when."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=record_history(instance=self.object), **kwargs)

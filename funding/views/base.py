"""What the funding pages share: who may do what, and writing through the services.

Views are thin: they check who may do what, hand the input to `funding.services` and show what
`funding.selectors` gathers. Everyone who may see a strategy reads these pages; the team's
financial officers record; managers decide on proposed allocations.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from funding import permissions
from priorities.views import StrategyMixin
from strategy_monitor.changes import record_history
from strategy_monitor.views import ServiceDeleteView

REFUSALS = {
    "view": "You are not on the team of this strategy.",
    "record": "Only the financial officers of this strategy's team record funding.",
    "decide": "Only managers decide on proposed allocations.",
    "revise": "Only the strategy's financial officers and administrators revise the budget.",
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
        return context

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

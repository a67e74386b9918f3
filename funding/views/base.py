"""What the funding pages share: who may do what, and writing through the services.

Views are thin: they check who may do what, hand the input to `funding.services` and show what
`funding.selectors` gathers. Everyone who may see a strategy reads these pages; the team's
financial officers record; managers decide on proposed allocations.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from funding import permissions, rules, selectors
from priorities.views import StrategyMixin
from strategy_monitor.concurrency import VersionedSaveMixin
from strategy_monitor.forms import form_add_error

REFUSALS = {
    "view": "You are not on the team of this strategy.",
    "record": "Only the financial officers of this strategy's team record funding.",
    "decide": "Only managers decide on proposed allocations.",
}
CHECKS = {
    "view": permissions.funding_can_view,
    "record": permissions.funding_can_record,
    "decide": permissions.funding_can_decide,
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
        }
        return context

    def strategy_url(self, name: str, **kwargs) -> str:
        return reverse(f"funding:{name}", kwargs={"slug": self.strategy.slug, **kwargs})


# --- Shared create, edit, delete and detail behaviour -----------------------------------------


class ServiceFormMixin:
    """Validate with the form, then write through a service; its refusals go onto the form."""

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, obj) -> str:
        return "Saved."

    def success_url_for(self, obj) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(self.object))
        return HttpResponseRedirect(self.success_url_for(self.object))


class ServiceUpdateMixin(VersionedSaveMixin):
    """Edit a record through a service that refuses stale copies."""

    def save_form(self, form):
        return self.perform(form)

    def form_saved(self, form):
        messages.success(self.request, self.success_message(self.object))
        return HttpResponseRedirect(self.success_url_for(self.object))


class ServiceDeleteMixin:
    """Delete a record through a service; a refusal shows on the confirmation page."""

    template_name = "funding/record_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(record_label=self.describe(self.object), **kwargs)

    def describe(self, obj) -> str:
        return str(obj)

    def form_valid(self, form):
        try:
            self.perform_delete(self.object)
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.deleted_message(self.object))
        return HttpResponseRedirect(self.get_success_url())


class RecordDetailMixin:
    """Show a record with its change history: who changed what, and when."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=selectors.record_history(instance=self.object), **kwargs
        )


def amount_text(amount) -> str:
    return rules.dkk(amount)

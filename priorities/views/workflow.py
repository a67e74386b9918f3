"""The yearly workflow: submit, approve, return or reopen a year."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from priorities import permissions, services
from priorities.forms import YearActionForm
from strategy_monitor.views import ServiceFormView

from ._common import YearMixin
from .strategy import StrategyMixin

# --- The yearly workflow --------------------------------------------------------------------


@dataclass(frozen=True)
class YearAction:
    """A step of the yearly workflow as a page offers it."""

    name: str
    verb: str
    service: Callable
    comment_required: bool
    comment_label: str
    allowed: Callable
    done: str
    # The service's check of whether this user may take the step at all, said up front.
    refusal_check: Callable | None = None


YEAR_ACTIONS = {
    "submit": YearAction(
        "submit",
        "Submit",
        services.year_submit,
        False,
        "Note to the manager (optional)",
        permissions.strategy_can_log_progress,
        "submitted for approval. It is closed to changes until a manager approves or returns it",
    ),
    "approve": YearAction(
        "approve",
        "Approve",
        services.year_approve,
        False,
        "Comment (optional)",
        permissions.strategy_can_approve,
        "approved and locked",
        services.year_approve_check,
    ),
    "return": YearAction(
        "return",
        "Return for changes",
        services.year_return,
        True,
        "What should change",
        permissions.strategy_can_approve,
        "returned to the desk officers for changes",
    ),
    "reopen": YearAction(
        "reopen",
        "Reopen",
        services.year_reopen,
        True,
        "Why the year is reopened",
        permissions.strategy_can_approve,
        "reopened for changes",
    ),
}


class YearActionView(YearMixin, StrategyMixin, ServiceFormView):
    """Submit, approve, return or reopen a year; GET shows the confirmation with a comment."""

    form_class = YearActionForm
    template_name = "priorities/strategyyear_action.html"

    @cached_property
    def action(self) -> YearAction:
        try:
            return YEAR_ACTIONS[self.kwargs["action"]]
        except KeyError as error:
            raise Http404("No such step in the yearly workflow.") from error

    def dispatch(self, request, *args, **kwargs):
        if not self.action.allowed(request.user, self.strategy):
            raise PermissionDenied(f"You may not {self.action.verb.lower()} this year.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.strategy_year,
            "comment_required": self.action.comment_required,
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["comment"].label = self.action.comment_label
        return form

    @cached_property
    def refusal(self) -> str:
        """Return why this user may not take this step on this year, or an empty string."""
        if self.action.refusal_check is None:
            return ""
        try:
            self.action.refusal_check(strategy_year=self.strategy_year, user=self.request.user)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action, strategy_year=self.strategy_year, refusal=self.refusal, **kwargs
        )

    def save(self, form):
        comment = form.cleaned_data["comment"]
        extra = {"reason": comment} if self.action.name == "reopen" else {"comment": comment}
        return self.action.service(
            strategy_year=self.strategy_year,
            version=form.started_from,
            user=self.request.user,
            **extra,
        )

    def form_invalid(self, form):
        # A refused step started from the overview's button shows its reason there too; a
        # refusal the page states up front is not repeated.
        for error in form.non_field_errors():
            if error != self.refusal:
                messages.error(self.request, error)
        return super().form_invalid(form)

    def get_success_message(self) -> str:
        return f"{self.strategy_year.year} {self.action.done}."

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_detail", kwargs={"slug": self.strategy.slug}) + (
            "#years"
        )

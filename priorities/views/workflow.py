"""The yearly workflow: review a year, then submit, approve or return it; reopen a year."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from priorities import permissions, services
from priorities.choices import YearState
from priorities.forms import YearActionForm, YearSubmitForm
from priorities.models import StrategyYear
from priorities.selectors import YearReview, year_review
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
    # What the user is told once it is done, and when it is refused: sentences naming the year.
    done: str
    refused: str
    # The service's check of whether this user may take the step at all, said up front.
    refusal_check: Callable | None = None


# Submitting, approving and returning a year are decided on its review page (below); only
# reopening an approved year keeps a page of its own.
YEAR_ACTIONS = {
    "reopen": YearAction(
        "reopen",
        _("Reopen"),
        services.year_reopen,
        True,
        _("Why the year is reopened"),
        permissions.strategy_can_approve,
        _("%(year)s reopened for changes."),
        _("You may not reopen this year."),
    ),
}


class YearActionView(YearMixin, StrategyMixin, ServiceFormView):
    """Reopen an approved year; GET shows the confirmation with the reason asked for.

    The other steps are decided on the year's review page, where an older link is sent.
    """

    form_class = YearActionForm
    template_name = "priorities/strategyyear_action.html"

    @cached_property
    def action(self) -> YearAction:
        try:
            return YEAR_ACTIONS[self.kwargs["action"]]
        except KeyError as error:
            raise Http404("No such step in the yearly workflow.") from error

    def dispatch(self, request, *args, **kwargs):
        if self.kwargs["action"] in REVIEW_DECISIONS and self.strategy:
            # An older link to a step that is now decided after the review: take it there.
            return HttpResponseRedirect(
                reverse(
                    "priorities:strategyyear_review",
                    kwargs={"slug": self.strategy.slug, "year": self.kwargs["year"]},
                )
            )
        if not self.action.allowed(request.user, self.strategy):
            raise PermissionDenied(str(self.action.refused))
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
        return self.action.service(
            strategy_year=self.strategy_year,
            version=form.started_from,
            user=self.request.user,
            reason=form.cleaned_data["comment"],
        )

    def form_invalid(self, form):
        # A refused step started from the overview's button shows its reason there too; a
        # refusal the page states up front is not repeated.
        for error in form.non_field_errors():
            if error != self.refusal:
                messages.error(self.request, error)
        return super().form_invalid(form)

    def get_success_message(self) -> str:
        return self.action.done % {"year": self.strategy_year.year}

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_detail", kwargs={"slug": self.strategy.slug}) + (
            "#years"
        )


# --- The review page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDecision:
    """A decision taken on a year's review page, from the state it applies to."""

    name: str
    verb: str
    service: Callable
    allowed: Callable
    from_state: YearState
    done: str
    refused: str


REVIEW_DECISIONS = {
    "submit": ReviewDecision(
        "submit",
        _("Submit"),
        services.year_submit,
        permissions.strategy_can_log_progress,
        YearState.DRAFT,
        _(
            "%(year)s submitted for approval. It is closed to changes until a manager approves "
            "or returns it."
        ),
        _("You may not submit this year."),
    ),
    "approve": ReviewDecision(
        "approve",
        _("Approve"),
        services.year_approve,
        permissions.strategy_can_approve,
        YearState.SUBMITTED,
        _("%(year)s approved and locked."),
        _("You may not approve this year."),
    ),
    "return": ReviewDecision(
        "return",
        _("Return for changes"),
        services.year_return,
        permissions.strategy_can_approve,
        YearState.SUBMITTED,
        _("%(year)s returned to the desk officers for changes."),
        _("You may not return for changes this year."),
    ),
}


class YearReviewView(YearMixin, StrategyMixin, ServiceFormView):
    """Show a year at a glance, with its gaps and money, then the decisions the user may take.

    A GET decides nothing. Each decision is one POST naming it in `decision`; the desk officers
    submit a draft year, the managers approve or return a submitted one.
    """

    template_name = "priorities/strategyyear_review.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (
            permissions.strategy_can_log_progress(user, self.strategy)
            or permissions.strategy_can_approve(user, self.strategy)
        ):
            raise PermissionDenied(
                gettext("Only the strategy's desk officers and managers review its years.")
            )
        if request.method == "POST" and self.decision is not None:
            if not self.decision.allowed(user, self.strategy):
                raise PermissionDenied(str(self.decision.refused))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def strategy_year(self) -> StrategyYear:
        year = super().strategy_year
        # The review reads the year's strategy throughout: the one already resolved is it.
        year.strategy = self.strategy
        return year

    @cached_property
    def decision(self) -> ReviewDecision | None:
        """Return the decision a POST names, or None."""
        if self.request.method != "POST":
            return None
        return REVIEW_DECISIONS.get(self.request.POST.get("decision", ""))

    @cached_property
    def review(self) -> YearReview:
        return year_review(strategy_year=self.strategy_year)

    @cached_property
    def approve_refusal(self) -> str:
        """Return why this manager may not approve the year (their own submission), or ""."""
        try:
            services.year_approve_check(strategy_year=self.strategy_year, user=self.request.user)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""

    def offered(self) -> list[ReviewDecision]:
        """Return the decisions this user may take on the year in its present state."""
        return [
            decision
            for decision in REVIEW_DECISIONS.values()
            if decision.from_state == self.strategy_year.state
            and decision.allowed(self.request.user, self.strategy)
            and not (decision.name == "approve" and self.approve_refusal)
        ]

    def post(self, request, *args, **kwargs):
        if self.decision is None:
            messages.error(request, gettext("Choose a decision for the year: nothing was changed."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def decision_form(self, decision: ReviewDecision, data=None):
        """Return the form of `decision`, bound to `data` when it is the one posted."""
        kwargs = {
            "instance": self.strategy_year,
            "prefix": decision.name,
            "data": data,
        }
        if decision.name == "submit":
            return YearSubmitForm(has_gaps=bool(self.review.figures.gaps), **kwargs)
        form = YearActionForm(comment_required=decision.name == "return", **kwargs)
        form.fields["comment"].label = (
            gettext("What should change")
            if decision.name == "return"
            else gettext("Comment (optional)")
        )
        return form

    def get_form(self, form_class=None):
        return self.decision_form(self.decision, self.request.POST)

    def get_context_data(self, **kwargs):
        posted = kwargs.pop("form", None)
        forms = {decision.name: self.decision_form(decision) for decision in self.offered()}
        if posted is not None:
            # A refused decision shows why on its own form, even once the year has moved on.
            forms[self.decision.name] = posted
        return super().get_context_data(
            form=posted,
            forms=forms,
            review=self.review,
            strategy_year=self.strategy_year,
            approve_refusal=self.approve_refusal,
            has_illustrative=self.review.has_illustrative,
            **kwargs,
        )

    def save(self, form):
        extra = {"comment": form.cleaned_data["comment"]}
        if "gaps_reason" in form.cleaned_data:
            extra["gaps_reason"] = form.cleaned_data["gaps_reason"]
        return self.decision.service(
            strategy_year=self.strategy_year,
            version=form.started_from,
            user=self.request.user,
            **extra,
        )

    def get_success_message(self) -> str:
        return self.decision.done % {"year": self.strategy_year.year}

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_detail", kwargs={"slug": self.strategy.slug}) + (
            "#years"
        )

"""Shared wiring for the edit pages: access checks, service-backed forms, URL lookups."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView

from priorities import permissions
from priorities.models import PriorityArea, StrategyYear
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.forms import error_codes, form_add_error

from .strategy import StrategyMixin

# --- Shared wiring for the edit pages -----------------------------------------------------------


class LogProgressRequiredMixin:
    """Let only the strategy's desk officers in; others get 403 on GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_log_progress(request.user, self.strategy):
            raise PermissionDenied("Only the strategy's desk officers log its progress.")
        return super().dispatch(request, *args, **kwargs)


class ApproveRequiredMixin:
    """Let only managers in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_approve(request.user, self.strategy):
            raise PermissionDenied("Only managers approve, return and reopen years.")
        return super().dispatch(request, *args, **kwargs)


class SetUpRequiredMixin:
    """Let only administrators in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_set_up(request.user):
            raise PermissionDenied("Only administrators set up strategies.")
        return super().dispatch(request, *args, **kwargs)


class ServiceFormView(FormView):
    """Validate with the form, write through a service, and show its refusals on the form.

    A stale edit keeps the user's input and takes the current version, so that saving again
    after reading what changed is a deliberate choice.
    """

    def save(self, form):
        raise NotImplementedError

    def current_version(self, form) -> str:
        instance = getattr(form, "instance", None)
        if instance is None or not instance.pk:
            return ""
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        return version_token(current) if current else ""

    def form_valid(self, form):
        try:
            self.saved = self.save(form)
        except ValidationError as error:
            if STALE_CODE in error_codes(error) and "version" in form.fields:
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = self.stale_version(form)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def stale_version(self, form) -> str:
        return self.current_version(form)

    def get_success_message(self) -> str:
        return "Saved."


class AreaMixin(StrategyMixin):
    """Resolve the priority area named by its pk in the URL, within the strategy."""

    @cached_property
    def area(self) -> PriorityArea:
        try:
            return PriorityArea.objects.select_related("strategy").get(
                strategy=self.strategy, pk=self.kwargs["pk"]
            )
        except PriorityArea.DoesNotExist as error:
            raise Http404("No such priority area in this strategy.") from error


class YearMixin:
    """Resolve the year in the URL among the strategy's years; 404 outside the period."""

    @cached_property
    def strategy_year(self) -> StrategyYear:
        try:
            return StrategyYear.objects.select_related("state_changed_by").get(
                strategy=self.strategy, year=self.kwargs["year"]
            )
        except StrategyYear.DoesNotExist as error:
            raise Http404(
                f"{self.kwargs['year']} is outside the strategy period {self.strategy.period}."
            ) from error


def area_url(area: PriorityArea) -> str:
    """Return the page of a priority area: by number, or by slug for a cross-cutting one."""
    if area.number is not None:
        return reverse(
            "priorities:priorityarea_detail",
            kwargs={"slug": area.strategy.slug, "number": area.number},
        )
    return reverse(
        "priorities:priorityarea_detail_by_slug",
        kwargs={"slug": area.strategy.slug, "area": area.slug},
    )


def form_values(form, names) -> dict:
    """Return the cleaned values of the form's fields among `names`."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

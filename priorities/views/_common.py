"""Shared wiring for the edit pages: access checks and URL lookups."""

from functools import cached_property
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from priorities import permissions
from priorities.models import PriorityArea, StrategyYear

from .strategy import StrategyMixin

# --- Shared wiring for the edit pages -----------------------------------------------------------


class LogProgressRequiredMixin:
    """Let only the strategy's desk officers in; others get 403 on GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_log_progress(request.user, self.strategy):
            raise PermissionDenied(gettext("Only the strategy's desk officers log its progress."))
        return super().dispatch(request, *args, **kwargs)


class ApproveRequiredMixin:
    """Let only managers in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_approve(request.user, self.strategy):
            raise PermissionDenied(gettext("Only managers approve, return and reopen years."))
        return super().dispatch(request, *args, **kwargs)


class SetUpRequiredMixin:
    """Let only administrators in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_set_up(request.user):
            raise PermissionDenied(gettext("Only administrators set up strategies."))
        return super().dispatch(request, *args, **kwargs)


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


def figures_url(area: PriorityArea, year: int, *, next_url: str = "") -> str:
    """Return the grid of an area's figures for `year`, coming back to `next_url` after saving."""
    url = reverse(
        "priorities:progress_bulk_edit",
        kwargs={"slug": area.strategy.slug, "pk": area.pk, "year": year},
    )
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next_url(request) -> str:
    """Return the `next` address of the request when it stays on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""

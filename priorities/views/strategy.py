"""Strategy pages: the list and the overview."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from priorities import permissions
from priorities.filtersets import StrategyFilterSet
from priorities.models import PriorityArea, Strategy
from priorities.selectors import strategy_list, strategy_overview, year_in_progress
from priorities.tables import StrategyTable
from strategy_monitor.lists import ForgivingListMixin


class StrategyMixin:
    """Resolve the strategy named in the URL and refuse users who may not see it."""

    strategy_queryset = Strategy.objects.select_related("organisation")

    @cached_property
    def strategy(self) -> Strategy:
        strategy = get_object_or_404(self.strategy_queryset, slug=self.kwargs["slug"])
        if not permissions.strategy_can_view(self.request.user, strategy):
            raise PermissionDenied(gettext("You are not on the team of this strategy."))
        return strategy

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            strategy=self.strategy,
            can={
                "log_progress": permissions.strategy_can_log_progress(user, self.strategy),
                "record_funding": permissions.strategy_can_record_funding(user, self.strategy),
                "log_meetings": permissions.strategy_can_log_meetings(user, self.strategy),
                "approve": permissions.strategy_can_approve(user, self.strategy),
                "set_up": permissions.strategy_can_set_up(user, self.strategy),
            },
            **kwargs,
        )


class StrategyListView(ForgivingListMixin, SingleTableMixin, FilterView):
    """List the strategies the user may see."""

    table_class = StrategyTable
    filterset_class = StrategyFilterSet
    template_name = "priorities/strategy_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return strategy_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_set_up=permissions.strategy_can_set_up(self.request.user), **kwargs
        )


@dataclass(frozen=True)
class LogEntry:
    """The overview's way into the grid of the year in progress."""

    year: int
    url: str
    area: PriorityArea


class StrategyDetailView(StrategyMixin, TemplateView):
    """Show a strategy's overview: front page, priorities, budget, framework, risks, offices."""

    template_name = "priorities/strategy_detail.html"

    def get_context_data(self, **kwargs):
        overview = strategy_overview(strategy=self.strategy)
        return super().get_context_data(
            overview=overview, log_entry=self.log_entry(overview), **kwargs
        )

    def log_entry(self, overview) -> LogEntry | None:
        """Return the way into the grid of the year in progress, for those who log it.

        It opens the first priority area with indicators; the grid links to the others. Built
        from what the overview has read already, so it costs no query.
        """
        if not permissions.strategy_can_log_progress(self.request.user, self.strategy):
            return None
        year = year_in_progress(overview.years, today=timezone.localdate())
        areas = [item for item in overview.areas if item.indicator_count] or list(overview.areas)
        if year is None or not areas:
            return None
        area = areas[0].area
        url = reverse(
            "priorities:progress_bulk_edit",
            kwargs={"slug": self.strategy.slug, "pk": area.pk, "year": year.year},
        )
        return LogEntry(year=year.year, url=url, area=area)

"""Priority-area pages, and defining and changing their indicators."""

from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from priorities import permissions, services
from priorities.filtersets import IndicatorFilterSet
from priorities.forms import IndicatorForm
from priorities.models import Indicator, PriorityArea, StrategyYear
from priorities.selectors import (
    indicator_list,
    priorityarea_get,
    priorityarea_list,
    priorityarea_page,
)
from priorities.services import INDICATOR_FIELDS, area_node_ids
from priorities.tables import IndicatorTable
from strategy_monitor.exports import SafeExportMixin
from strategy_monitor.forms import form_values
from strategy_monitor.lists import ForgivingListMixin
from strategy_monitor.views import ServiceFormView

from ._common import AreaMixin, LogProgressRequiredMixin, area_url
from .strategy import StrategyMixin

# --- Priority areas -------------------------------------------------------------------------


class PriorityAreaListView(StrategyMixin, TemplateView):
    """List the strategy's priority areas with their rating in each year."""

    template_name = "priorities/priorityarea_list.html"

    def get_context_data(self, **kwargs):
        years = tuple(self.strategy.strategy_years.select_related("state_changed_by"))
        rows = priorityarea_list(strategy=self.strategy, years=years)
        return super().get_context_data(
            years=years,
            rows=rows,
            has_illustrative=any(r and r.is_illustrative for row in rows for r in row.ratings),
            **kwargs,
        )


class PriorityAreaDetailView(
    StrategyMixin, ForgivingListMixin, SingleTableMixin, SafeExportMixin, FilterView
):
    """Show a priority area: its text, framework tree, ratings and indicator table."""

    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    template_name = "priorities/priorityarea_detail.html"
    table_pagination = {"per_page": 25}
    exclude_columns = ()

    @cached_property
    def area(self) -> PriorityArea:
        try:
            if "number" in self.kwargs:
                return priorityarea_get(strategy=self.strategy, number=self.kwargs["number"])
            return priorityarea_get(strategy=self.strategy, slug=self.kwargs["area"])
        except PriorityArea.DoesNotExist as error:
            raise Http404("No such priority area in this strategy.") from error

    @cached_property
    def years(self) -> tuple[StrategyYear, ...]:
        return tuple(self.strategy.strategy_years.all())

    @cached_property
    def node_ids(self) -> set[int]:
        return area_node_ids(self.area)

    @cached_property
    def can_log(self) -> bool:
        return permissions.strategy_can_log_progress(self.request.user, self.strategy)

    def get_queryset(self):
        return indicator_list(priority_area=self.area, years=self.years)

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "node_ids": self.node_ids,
            "years": [year.year for year in self.years],
        }

    def get_table_kwargs(self):
        selected = self.filterset.selected_year
        shown = tuple(year.year for year in self.years if selected in (None, year.year))
        editable = tuple(year.year for year in self.years if year.is_open) if self.can_log else ()
        return {
            "years": shown,
            "strategy_slug": self.strategy.slug,
            "editable_years": editable,
            "can_edit_definitions": self.can_log,
        }

    def get_export_filename(self, export_format: str) -> str:
        label = self.area.number or self.area.slug
        return f"indicators-{self.strategy.slug}-{label}.{export_format}"

    def get_context_data(self, **kwargs):
        page = priorityarea_page(area=self.area, years=self.years)
        context = super().get_context_data(area=self.area, page=page, **kwargs)
        # Only the rows on the page: reading them all would fetch every indicator.
        flags = [f"illustrative_{year.year}" for year in self.years]
        context["has_illustrative"] = page.has_illustrative or any(
            row.record.is_illustrative or any(getattr(row.record, flag) for flag in flags)
            for row in context["table"].paginated_rows
        )
        return context


class IndicatorCreateView(LogProgressRequiredMixin, AreaMixin, ServiceFormView):
    """Define an indicator under a priority area."""

    form_class = IndicatorForm
    template_name = "priorities/indicator_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "priority_area": self.area}

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, area_url=area_url(self.area), **kwargs)

    def save(self, form):
        return services.indicator_create(
            priority_area=self.area, user=self.request.user, **form_values(form, INDICATOR_FIELDS)
        )

    def get_success_message(self) -> str:
        return gettext(
            "Indicator “%(indicator)s” defined. Enter its targets and actuals per year below."
        ) % {"indicator": self.object}

    def get_success_url(self) -> str:
        return area_url(self.area)


class IndicatorMixin(StrategyMixin):
    """Resolve the indicator in the URL, within the strategy."""

    @cached_property
    def indicator(self) -> Indicator:
        try:
            return Indicator.objects.select_related("priority_area__strategy", "node").get(
                priority_area__strategy=self.strategy, pk=self.kwargs["pk"]
            )
        except Indicator.DoesNotExist as error:
            raise Http404("No such indicator in this strategy.") from error


class IndicatorUpdateView(LogProgressRequiredMixin, IndicatorMixin, ServiceFormView):
    """Change an indicator's definition; a stale copy is refused."""

    form_class = IndicatorForm
    template_name = "priorities/indicator_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "priority_area": self.indicator.priority_area,
            "instance": self.indicator,
        }

    def get_context_data(self, **kwargs):
        area = self.indicator.priority_area
        return super().get_context_data(
            area=area, area_url=area_url(area), indicator=self.indicator, **kwargs
        )

    def save(self, form):
        return services.indicator_update(
            indicator=form.instance,
            version=form.started_from,
            user=self.request.user,
            **form_values(form, INDICATOR_FIELDS),
        )

    def get_success_message(self) -> str:
        return gettext("Indicator “%(indicator)s” saved.") % {"indicator": self.object}

    def get_success_url(self) -> str:
        return area_url(self.indicator.priority_area)

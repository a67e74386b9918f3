"""Filters for strategies, indicators and the change log."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from priorities.choices import DefinitionStatus
from priorities.forms import node_label
from priorities.models import Indicator, Organisation, ResultsNode, Strategy
from strategy_monitor.lists import YearFilter


class StrategyFilterSet(django_filters.FilterSet):
    """Filter strategies by partner, by a year of their period, or by words in the title."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("acronym"), label=_("Partner")
    )
    year = YearFilter(method="filter_year", label=_("Active in year"))

    class Meta:
        model = Strategy
        fields = ["q", "organisation", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class IndicatorFilterSet(django_filters.FilterSet):
    """Filter a priority area's indicators by node and definition; pick the year to show."""

    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years")
    )
    node = django_filters.ModelChoiceFilter(
        queryset=ResultsNode.objects.none(), method="filter_node", label=_("Framework node")
    )
    status = django_filters.ChoiceFilter(
        choices=DefinitionStatus.choices,
        label=_("Definition"),
        empty_label=pgettext_lazy("filter", "Any"),
    )

    class Meta:
        model = Indicator
        fields = ["year", "node", "status"]

    def __init__(self, *args, node_ids=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]
        self.filters["node"].queryset = ResultsNode.objects.filter(pk__in=node_ids).order_by(
            "level", "code", "key"
        )

    @property
    def form(self):
        form = super().form
        form.fields["node"].label_from_instance = node_label
        return form

    def filter_year(self, queryset, name, value):
        # The year narrows the columns shown (and exported), not the indicators.
        return queryset

    def filter_node(self, queryset, name, value):
        """Keep the indicators under `value` or any node below it."""
        return queryset.filter(
            Q(node=value)
            | Q(node__parent=value)
            | Q(node__parent__parent=value)
            | Q(node__parent__parent__parent=value)
        )

    @property
    def selected_year(self) -> int | None:
        """Return the year chosen in the filter, or None for all years."""
        form = self.form
        if form.is_bound and form.is_valid():
            year = form.cleaned_data.get("year")
            return int(year) if year else None
        return None

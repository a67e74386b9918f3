"""Filters for strategies."""

import django_filters

from priorities.models import Organisation, Strategy


class StrategyFilterSet(django_filters.FilterSet):
    """Filter strategies by partner, by a year of their period, or by words in the title."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("acronym"), label="Partner"
    )
    year = django_filters.NumberFilter(method="filter_year", label="Active in year")

    class Meta:
        model = Strategy
        fields = ["q", "organisation", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)

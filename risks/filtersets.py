"""Filters for the risk register: category, status, score band and overdue."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from risks.choices import RiskCategory, RiskStatus, ScoreBand
from risks.models import Risk
from risks.querysets import overdue_q

NOT_CATEGORISED = "none"


class RiskFilterSet(django_filters.FilterSet):
    """Narrow the register by words, category, status, score band and overdue review."""

    q = django_filters.CharFilter(method="filter_q", label="Words")
    category = django_filters.ChoiceFilter(
        choices=[*RiskCategory.choices, (NOT_CATEGORISED, "Not categorised")],
        method="filter_category",
        label="Category",
        empty_label="Any category",
    )
    status = django_filters.ChoiceFilter(
        choices=RiskStatus.choices, label="Status", empty_label="Open and closed"
    )
    band = django_filters.ChoiceFilter(
        choices=ScoreBand.choices, method="filter_band", label="Score band", empty_label="Any"
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", "Overdue"), ("no", "Not overdue")],
        method="filter_overdue",
        label="Review",
        empty_label="Any",
    )

    class Meta:
        model = Risk
        fields = ["q", "category", "status", "band", "overdue"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(response__icontains=value)
        )

    def filter_category(self, queryset, name, value):
        return queryset.filter(category="" if value == NOT_CATEGORISED else value)

    def filter_band(self, queryset, name, value):
        return queryset.in_band(value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "yes":
            return queryset.overdue(today)
        return queryset.exclude(overdue_q(today))

"""Filters for the risk register: category, status, score band and overdue."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from risks.choices import RiskCategory, RiskStatus, ScoreBand
from risks.models import Risk
from risks.querysets import overdue_q

NOT_CATEGORISED = "none"


class RiskFilterSet(django_filters.FilterSet):
    """Narrow the register by words, category, status, score band and overdue review."""

    q = django_filters.CharFilter(method="filter_q", label=_("Words"))
    category = django_filters.ChoiceFilter(
        choices=[*RiskCategory.choices, (NOT_CATEGORISED, _("Not categorised"))],
        method="filter_category",
        label=_("Category"),
        empty_label=_("Any category"),
    )
    status = django_filters.ChoiceFilter(
        choices=RiskStatus.choices, label=_("Status"), empty_label=_("Open and closed")
    )
    band = django_filters.ChoiceFilter(
        choices=ScoreBand.choices, method="filter_band", label=_("Score band"), empty_label=_("Any")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        label=_("Review"),
        empty_label=_("Any"),
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

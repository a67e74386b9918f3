"""Filters for the lists of approvals, commitments, disbursements and allocation rounds."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funding.choices import Half
from funding.models import (
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StrategyFilterSet(django_filters.FilterSet):
    """A filter set whose line and year choices are those of one strategy."""

    line = django_filters.ModelChoiceFilter(
        queryset=BudgetLine.objects.none(), label=_("Budget line"), empty_label=_("All lines")
    )
    year = django_filters.ChoiceFilter(label=_("Budget year"), empty_label=_("All years"))
    is_illustrative = django_filters.BooleanFilter(
        label=_("Data"),
        widget=forms.Select(
            choices=[("", _("All")), ("false", _("Recorded")), ("true", _("Illustrative"))]
        ),
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["line"].queryset = BudgetLine.objects.filter(strategy=strategy).order_by(
            "order", "code"
        )
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in strategy.years]


class ReferenceSearchMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Reference or note"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(note__icontains=value))


class ParliamentaryApprovalFilterSet(StrategyFilterSet):
    class Meta:
        model = ParliamentaryApproval
        fields = ["line", "year", "is_illustrative"]


class CommitmentFilterSet(ReferenceSearchMixin, StrategyFilterSet):
    committed_from = django_filters.DateFilter(
        field_name="committed_on", lookup_expr="gte", label=_("Committed from"), **DATE
    )
    committed_to = django_filters.DateFilter(
        field_name="committed_on", lookup_expr="lte", label=_("Committed to"), **DATE
    )

    class Meta:
        model = Commitment
        fields = ["line", "year", "committed_from", "committed_to", "q", "is_illustrative"]


class DisbursementFilterSet(ReferenceSearchMixin, StrategyFilterSet):
    paid_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid from"), **DATE
    )
    paid_to = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label=_("Paid to"), **DATE
    )

    class Meta:
        model = Disbursement
        fields = ["line", "year", "paid_from", "paid_to", "q", "is_illustrative"]


class AllocationRoundFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"))
    half = django_filters.ChoiceFilter(
        label=_("Half-year"), empty_label=_("Both"), choices=Half.choices
    )

    class Meta:
        model = AllocationRound
        fields = ["year", "half"]

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in strategy.years]

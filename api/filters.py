"""The API's filters: by strategy (its slug), by year and by modification time.

Each list names its own reading of `year` and of `modified_since` in the help text, which the
OpenAPI schema carries, so a client can tell what it asks for.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import FilterSet

from engagement.models import ActionPoint, Meeting, Milestone
from funding.models import (
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    ResultsNode,
    Strategy,
    StrategyYear,
)
from risks.models import Risk, RiskRating

STRATEGY_HELP = _("The strategy's slug, e.g. `iom-2023-2026`.")
PERIOD_YEAR_HELP = _("Only records of strategies whose period includes this year.")
MODIFIED_HELP = _(
    "Only records whose `updated_at` is at or after this ISO 8601 date and time{also}. "
    "Deleted records do not show: compare the ids of a full load to find them."
)


class YearFilter(django_filters.NumberFilter):
    """A four-digit year, a whole number."""

    field_class = forms.IntegerField


class ApiFilterSet(FilterSet):
    """Filter by strategy, year and modification time along the paths a subclass names."""

    # The lookup from the model to its strategy ("" for the strategy itself).
    strategy_path = "strategy"
    # The lookup the year filter compares with; None: the strategy's period must include it.
    year_path: str | None = None
    # Related rows whose change counts as a change of the record: (model, lookup to the record).
    modified_related: tuple[tuple[type, str], ...] = ()

    strategy = django_filters.CharFilter(method="filter_strategy", help_text=STRATEGY_HELP)
    year = YearFilter(method="filter_year", help_text=PERIOD_YEAR_HELP)
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since", help_text=format_lazy(MODIFIED_HELP, also="")
    )

    def _strategy_lookup(self, suffix: str) -> str:
        return f"{self.strategy_path}__{suffix}" if self.strategy_path else suffix

    def filter_strategy(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{self._strategy_lookup("slug"): value})

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        if self.year_path:
            return queryset.filter(**{self.year_path: value})
        return queryset.filter(
            **{self._strategy_lookup("start_year__lte"): value},
            **{self._strategy_lookup("end_year__gte"): value},
        )

    def filter_modified_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        changed = Q(updated_at__gte=value)
        for model, lookup in self.modified_related:
            changed |= Exists(
                model.objects.filter(**{lookup: OuterRef("pk")}, updated_at__gte=value)
            )
        return queryset.filter(changed)


class StrategyFilterSet(ApiFilterSet):
    strategy_path = ""

    class Meta:
        model = Strategy
        fields = ["strategy", "year", "modified_since"]


class StrategyYearFilterSet(ApiFilterSet):
    year_path = "year"
    year = YearFilter(method="filter_year", help_text=_("The year."))

    class Meta:
        model = StrategyYear
        fields = ["strategy", "year", "modified_since"]


class PriorityAreaFilterSet(ApiFilterSet):
    class Meta:
        model = PriorityArea
        fields = ["strategy", "year", "modified_since"]


class ResultsNodeFilterSet(FilterSet):
    """Framework nodes belong to the partner's framework, which any of its strategies follow."""

    strategy = django_filters.CharFilter(
        method="filter_strategy",
        help_text=_("Only the nodes of the framework of this strategy's partner (its slug)."),
    )
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since", help_text=format_lazy(MODIFIED_HELP, also="")
    )

    class Meta:
        model = ResultsNode
        fields = ["strategy", "modified_since"]

    def filter_strategy(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        strategies = Strategy.objects.filter(
            slug=value, organisation=OuterRef("framework__organisation")
        )
        return queryset.filter(Exists(strategies))

    def filter_modified_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(updated_at__gte=value)


class IndicatorFilterSet(ApiFilterSet):
    strategy_path = "priority_area__strategy"
    modified_related = ((IndicatorProgress, "indicator"),)
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since",
        help_text=format_lazy(MODIFIED_HELP, also=_(", or one of whose yearly figures is")),
    )

    class Meta:
        model = Indicator
        fields = ["strategy", "year", "modified_since"]


class AssessmentFilterSet(ApiFilterSet):
    strategy_path = "priority_area__strategy"
    year_path = "strategy_year__year"
    year = YearFilter(method="filter_year", help_text=_("The year assessed."))

    class Meta:
        model = Assessment
        fields = ["strategy", "year", "modified_since"]


class BudgetLineFilterSet(ApiFilterSet):
    modified_related = (
        (PlannedAmount, "line"),
        (ParliamentaryApproval, "line"),
        (Commitment, "line"),
        (Disbursement, "line"),
        (AllocationRound, "line"),
    )
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since",
        help_text=format_lazy(
            MODIFIED_HELP,
            also=_(
                ", or one of whose planned amounts, parliamentary approvals, commitments, "
                "disbursements or allocation rounds is"
            ),
        ),
    )

    class Meta:
        model = BudgetLine
        fields = ["strategy", "year", "modified_since"]


class RiskFilterSet(ApiFilterSet):
    modified_related = ((RiskRating, "risk"),)
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since",
        help_text=format_lazy(MODIFIED_HELP, also=_(", or one of whose ratings is")),
    )

    class Meta:
        model = Risk
        fields = ["strategy", "year", "modified_since"]


class MeetingFilterSet(ApiFilterSet):
    year_path = "held_on__year"
    year = YearFilter(method="filter_year", help_text=_("The year it was held."))

    class Meta:
        model = Meeting
        fields = ["strategy", "year", "modified_since"]


class ActionPointFilterSet(ApiFilterSet):
    year_path = "due_on__year"
    year = YearFilter(method="filter_year", help_text=_("The year it is due."))

    class Meta:
        model = ActionPoint
        fields = ["strategy", "year", "modified_since"]


class MilestoneFilterSet(ApiFilterSet):
    year_path = "due_on__year"
    year = YearFilter(method="filter_year", help_text=_("The year it is due."))

    class Meta:
        model = Milestone
        fields = ["strategy", "year", "modified_since"]

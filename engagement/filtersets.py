"""Filters for meetings, action points and milestones."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, Meeting, Milestone
from engagement.selectors import milestone_done_q, milestone_fulfilled_ids, team_users
from priorities.models import Strategy
from strategy_monitor.formats import person_name
from strategy_monitor.lists import YearFilter


class PersonFilter(django_filters.ModelChoiceFilter):
    """Choose a team member of the strategy by name; the filter set sets the queryset."""

    @property
    def field(self):
        field = super().field
        field.label_from_instance = person_name
        return field


class TeamFilterSet(django_filters.FilterSet):
    """A filter set whose person filters offer the team of the strategy being shown."""

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, PersonFilter):
                filter_.queryset = team_users(strategy=strategy)


class MeetingFilterSet(TeamFilterSet):
    """Filter meetings by kind, year, or words in the title, participants and summary."""

    q = django_filters.CharFilter(method="filter_words", label=_("Words"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    year = YearFilter(field_name="held_on", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Meeting
        fields = ["q", "kind", "year"]

    def filter_words(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(participants__icontains=value)
            | Q(summary__icontains=value)
        )


class ActionPointFilterSet(TeamFilterSet):
    """Filter action points by status, owner or words."""

    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Words"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    owner = PersonFilter(queryset=None, label=_("Owner"))

    class Meta:
        model = ActionPoint
        fields = ["q", "status", "owner"]


class MilestoneFilterSet(TeamFilterSet):
    """Filter milestones by kind, year, state or owner."""

    STATE_CHOICES = [("open", _("To come")), ("overdue", _("Overdue")), ("done", _("Done"))]

    kind = django_filters.ChoiceFilter(choices=MilestoneKind.choices, label=_("Kind"))
    year = YearFilter(field_name="due_on", lookup_expr="year", label=_("Year"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("State")
    )
    owner = PersonFilter(queryset=None, label=_("Owner"))

    class Meta:
        model = Milestone
        fields = ["kind", "year", "state", "owner"]

    def filter_state(self, queryset, name, value):
        # The milestones page's queryset knows each state, fulfilled milestones included
        # (`engagement.selectors.milestone_board`); a bare queryset asks the records.
        if "state" in queryset.query.annotations:
            return queryset.filter(state=value)
        today = timezone.localdate()
        done = milestone_done_q(milestone_fulfilled_ids(queryset))
        if value == "done":
            return queryset.filter(done)
        if value == "overdue":
            return queryset.exclude(done).filter(due_on__lt=today)
        return queryset.exclude(done).filter(due_on__gte=today)

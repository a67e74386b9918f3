"""Meetings: the list, a meeting with its action points, logging and editing."""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from engagement.filtersets import MeetingFilterSet
from engagement.forms import ActionPointFormSet, MeetingForm
from engagement.selectors import meeting_get, meeting_list
from engagement.services import MEETING_FIELDS, ActionPointInput, meeting_create, meeting_update
from engagement.tables import MeetingTable
from priorities.views import StrategyMixin
from strategy_monitor.forms import form_add_error, form_values
from strategy_monitor.views import ServiceFormView

from .base import EngagementListMixin, TeamWriteMixin


class MeetingListView(EngagementListMixin):
    """List a strategy's meetings."""

    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    template_name = "engagement/meeting_list.html"
    export_name = "meetings"

    def get_queryset(self):
        return meeting_list(strategy=self.strategy)


class MeetingDetailView(StrategyMixin, TemplateView):
    """Show a meeting with the action points it agreed."""

    template_name = "engagement/meeting_detail.html"

    @cached_property
    def meeting(self):
        return meeting_get(strategy=self.strategy, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        action_points = list(meeting.action_points.all())
        return super().get_context_data(
            meeting=meeting,
            action_points=action_points,
            has_illustrative=meeting.is_illustrative
            or any(point.is_illustrative for point in action_points),
            today=timezone.localdate(),
            **kwargs,
        )


class MeetingCreateView(TeamWriteMixin, ServiceFormView):
    """Log a meeting with the action points it agreed."""

    template_name = "engagement/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    @cached_property
    def formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ActionPointFormSet(
            data, prefix="action_points", form_kwargs={"strategy": self.strategy}
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(formset=self.formset, **kwargs)

    def form_invalid(self, form):
        # Validate the rows too, so that every error shows at the first attempt.
        self.formset.is_valid()
        return super().form_invalid(form)

    @cached_property
    def rows(self) -> list:
        """Return the action-point rows the user filled in."""
        return [row for row in self.formset.forms if row.has_changed()]

    def form_valid(self, form):
        if not self.formset.is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def save(self, form):
        data = form.cleaned_data
        return meeting_create(
            strategy=self.strategy,
            **form_values(form, MEETING_FIELDS),
            priority_areas=list(data["priority_areas"]),
            action_points=[
                ActionPointInput(
                    text=row.cleaned_data["text"],
                    owner=row.cleaned_data["owner"],
                    due_on=row.cleaned_data["due_on"],
                    priority_area=row.cleaned_data.get("priority_area"),
                )
                for row in self.rows
            ],
            user=self.request.user,
        )

    def form_refused(self, form, error: ValidationError) -> None:
        self._add_errors(form, self.rows, error)

    def get_success_message(self) -> str:
        count = len(self.rows)
        return f"Logged “{self.object.title}” with {count} action point{'s' if count != 1 else ''}."

    def get_success_url(self) -> str:
        return reverse("engagement:meeting_detail", args=[self.strategy.slug, self.object.pk])

    @staticmethod
    def _add_errors(form, rows, error: ValidationError) -> None:
        rest = {}
        for key, items in error.error_dict.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "action_points":
                row = rows[int(parts[1])]
                name = parts[2] if parts[2] in row.fields else None
                for item in items:
                    row.add_error(name, item)
            else:
                rest[key] = items
        if rest:
            form_add_error(form, ValidationError(rest))


class MeetingUpdateView(TeamWriteMixin, ServiceFormView):
    """Edit a meeting's record."""

    template_name = "engagement/meeting_form.html"
    form_class = MeetingForm

    @cached_property
    def meeting(self):
        return get_object_or_404(self.strategy.meetings, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy, "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return meeting_update(
            meeting=form.instance,
            **form_values(form, MEETING_FIELDS),
            priority_areas=list(data["priority_areas"]),
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Saved “{self.object.title}”."

    def get_success_url(self) -> str:
        return reverse("engagement:meeting_detail", args=[self.strategy.slug, self.meeting.pk])

"""Meetings: the list, a meeting with its action points, logging and editing."""

import logging
import pathlib
from functools import cached_property

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from engagement.filtersets import MeetingFilterSet
from engagement.forms import ActionPointFormSet, MeetingForm
from engagement.models import Meeting
from engagement.selectors import (
    key_messages_grouped,
    key_messages_of_meeting,
    meeting_get,
    meeting_list,
)
from engagement.services import MEETING_FIELDS, ActionPointInput, meeting_create, meeting_update
from engagement.tables import MeetingTable
from engagement.validators import MINUTES_KINDS_BY_EXTENSION
from priorities.views import StrategyMixin
from strategy_monitor.forms import form_add_error, form_values
from strategy_monitor.views import ServiceFormView

from .base import EngagementListMixin, TeamWriteMixin

logger = logging.getLogger(__name__)


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
        key_messages = key_messages_of_meeting(meeting=meeting)
        today = timezone.localdate()
        return super().get_context_data(
            meeting=meeting,
            action_points=action_points,
            key_message_groups=key_messages_grouped(key_messages),
            key_message_count=len(key_messages),
            is_held=meeting.held_on <= today,
            has_illustrative=meeting.is_illustrative
            or any(point.is_illustrative for point in action_points)
            or any(message.is_illustrative for message in key_messages),
            today=today,
            **kwargs,
        )


class MinutesDownloadView(StrategyMixin, View):
    """Send a meeting's minutes file, under its own name, to someone who may see the strategy."""

    def get(self, request, *args, **kwargs):
        meeting = get_object_or_404(
            Meeting.objects.only("pk", "strategy_id", "minutes_file", "minutes_file_name"),
            strategy=self.strategy,
            pk=self.kwargs["pk"],
        )
        storage, name = meeting.minutes_file.storage, meeting.minutes_file.name
        # Streamed from whichever storage holds it (never a redirect to a blob's address), so
        # the check above is the only way to the file.
        if not name or not storage.exists(name):
            if name:
                logger.warning("Meeting %s has no stored minutes file %s.", meeting.pk, name)
            raise Http404("This meeting has no minutes file.")
        kind = MINUTES_KINDS_BY_EXTENSION.get(pathlib.Path(name).suffix.lower())
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=meeting.minutes_file_name or pathlib.Path(name).name,
            content_type=kind.content_type if kind else "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


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
            minutes=data["minutes"],
            minutes_upload=data.get("minutes_file"),
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
        return ngettext(
            "Logged “%(title)s” with %(count)s action point.",
            "Logged “%(title)s” with %(count)s action points.",
            count,
        ) % {"title": self.object.title, "count": count}

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
            minutes=data["minutes"],
            minutes_upload=data.get("minutes_file"),
            minutes_file_remove=bool(data.get("minutes_file_remove")),
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Saved “%(title)s”.") % {"title": self.object.title}

    def get_success_url(self) -> str:
        return reverse("engagement:meeting_detail", args=[self.strategy.slug, self.meeting.pk])

"""Key messages of a meeting: drafting the list, recording the outcome, making an action point.

Key messages are internal to the ministry: these pages are for the strategy's team to write,
and the meeting's page shows them to whoever may see the strategy.
"""

import copy
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from engagement.forms import (
    KeyMessageActionPointForm,
    KeyMessageOutcomeForm,
    KeyMessageRowForm,
    key_message_area_choices,
)
from engagement.models import KeyMessage, Meeting
from engagement.selectors import actionpoint_url, key_messages_of_meeting
from engagement.services import (
    KeyMessageInput,
    KeyMessageOutcome,
    key_message_to_action_point,
    key_messages_outcome_record,
    key_messages_save,
)
from strategy_monitor.forms import form_add_error
from strategy_monitor.views import ServiceFormView, current_version, form_refuse

from .base import TeamWriteMixin

BLANK_ROWS_DEFAULT = 3
BLANK_ROWS_MOST = 20


def rows_errors_spread(forms: list, error: ValidationError, first=None) -> None:
    """Put a service's errors keyed `key_messages.<i>.<field>` onto the i-th form.

    A stale row takes the stored version, so that saving again is a deliberate choice.
    """
    for key, items in error.error_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "key_messages":
            form = forms[int(parts[1])]
            name = parts[2] if parts[2] in form.fields else "__all__"
            form_refuse(form, ValidationError({name: items}))
        elif first is not None:
            form_add_error(first, ValidationError({key: items}))


class MeetingObjectMixin(TeamWriteMixin):
    """Resolve the meeting in the URL within the strategy; 404 if it is another's."""

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(self.strategy.meetings, pk=self.kwargs["pk"])

    @cached_property
    def stored(self) -> dict[int, KeyMessage]:
        """Return the meeting's key messages as stored, by id.

        A model form sets its input on its instance while validating; the forms get copies,
        so that the service compares the input with the stored message, not with itself.
        """
        return {message.pk: message for message in key_messages_of_meeting(meeting=self.meeting)}

    def meeting_url(self) -> str:
        return reverse("engagement:meeting_detail", args=[self.strategy.slug, self.meeting.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class KeyMessageListView(MeetingObjectMixin, TemplateView):
    """Draft a meeting's key messages: add, edit, reorder and remove them in one save."""

    template_name = "engagement/keymessage_list.html"

    def blank_count(self, data) -> int:
        source = data.get("blank_rows") if data is not None else self.request.GET.get("rows")
        try:
            count = int(source or BLANK_ROWS_DEFAULT)
        except ValueError:
            count = BLANK_ROWS_DEFAULT
        return max(1, min(BLANK_ROWS_MOST, count))

    def build_forms(self, data=None) -> list[KeyMessageRowForm]:
        choices = key_message_area_choices(self.strategy)
        forms = [
            KeyMessageRowForm(
                data,
                instance=copy.copy(message),
                strategy=self.strategy,
                area_choices=choices,
                prefix=f"message-{message.pk}",
            )
            for message in self.stored.values()
        ]
        forms += [
            KeyMessageRowForm(
                data,
                instance=KeyMessage(meeting=self.meeting),
                strategy=self.strategy,
                area_choices=choices,
                prefix=f"new-{index}",
            )
            for index in range(self.blank_count(data))
        ]
        return forms

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build_forms()
        blank = sum(1 for form in forms if not form.instance.pk)
        return super().get_context_data(
            forms=forms,
            stored_count=len(forms) - blank,
            blank_rows=blank,
            more_rows=blank + 3,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST)
        if all(form.is_valid() for form in forms):
            rows = [form for form in forms if form.instance.pk or form.has_changed()]
            try:
                key_messages_save(
                    meeting=self.meeting,
                    rows=[self.row_input(form) for form in rows],
                    user=request.user,
                )
            except ValidationError as error:
                rows_errors_spread(rows, error, first=forms[0])
            else:
                messages.success(
                    request,
                    _("Saved the key messages for “%(title)s”.") % {"title": self.meeting.title},
                )
                return HttpResponseRedirect(self.meeting_url())
        return self.render_to_response(self.get_context_data(forms=forms))

    def row_input(self, form: KeyMessageRowForm) -> KeyMessageInput:
        data = form.cleaned_data
        stored = self.stored.get(form.instance.pk)
        return KeyMessageInput(
            text=data.get("text") or "",
            priority_area=data.get("priority_area"),
            order=data.get("order"),
            key_message=stored,
            version=form.started_from if stored else None,
            remove=bool(data.get("remove")),
        )


class KeyMessageOutcomeView(MeetingObjectMixin, TemplateView):
    """After the meeting: record for each key message whether it was raised, and the answer."""

    template_name = "engagement/keymessage_outcome.html"

    def build_forms(self, data=None) -> list[KeyMessageOutcomeForm]:
        return [
            KeyMessageOutcomeForm(data, instance=copy.copy(message), prefix=f"message-{message.pk}")
            for message in self.stored.values()
        ]

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None)
        if forms is None:
            forms = self.build_forms()
        return super().get_context_data(
            forms=forms, is_held=self.meeting.held_on <= timezone.localdate(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST)
        if forms and all(form.is_valid() for form in forms):
            try:
                key_messages_outcome_record(
                    meeting=self.meeting,
                    outcomes=[
                        KeyMessageOutcome(
                            key_message=self.stored[form.instance.pk],
                            raised=form.cleaned_data["raised"],
                            answer=form.cleaned_data["answer"],
                            version=form.started_from,
                        )
                        for form in forms
                    ],
                    user=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    rows_errors_spread(forms, error, first=forms[0])
                else:
                    messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Recorded what came of the key messages at “%(title)s”.")
                    % {"title": self.meeting.title},
                )
                return HttpResponseRedirect(self.meeting_url())
        return self.render_to_response(self.get_context_data(forms=forms))


class KeyMessageActionPointView(TeamWriteMixin, ServiceFormView):
    """Turn one key message into an action point of its meeting, in one step."""

    template_name = "engagement/keymessage_actionpoint.html"
    form_class = KeyMessageActionPointForm

    @cached_property
    def key_message(self) -> KeyMessage:
        return get_object_or_404(
            KeyMessage.objects.select_related("meeting", "priority_area", "action_point"),
            meeting__strategy=self.strategy,
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.key_message,
            "strategy": self.strategy,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            key_message=self.key_message, meeting=self.key_message.meeting, **kwargs
        )

    def save(self, form):
        data = form.cleaned_data
        return key_message_to_action_point(
            key_message=self.key_message,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            version=form.started_from,
            user=self.request.user,
        )

    def current_version(self, form) -> str:
        return current_version(self.key_message)

    def get_success_message(self) -> str:
        return _("The key message is now an action point.")

    def get_success_url(self) -> str:
        return actionpoint_url(self.object, self.strategy)

"""Action points: the list across meetings, adding, editing and closing."""

from functools import cached_property

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engagement.filtersets import ActionPointFilterSet
from engagement.forms import ActionPointCloseForm, ActionPointForm
from engagement.models import ActionPoint
from engagement.selectors import actionpoint_list, actionpoint_url
from engagement.services import actionpoint_close, actionpoint_create, actionpoint_update
from engagement.tables import ActionPointTable
from strategy_monitor.views import ServiceFormView

from .base import EngagementListMixin, TeamWriteMixin


class ActionPointListView(EngagementListMixin):
    """List a strategy's action points across its meetings."""

    table_class = ActionPointTable
    filterset_class = ActionPointFilterSet
    template_name = "engagement/actionpoint_list.html"
    export_name = "action-points"

    def get_queryset(self):
        return actionpoint_list(strategy=self.strategy)


class ActionPointCreateView(TeamWriteMixin, ServiceFormView):
    """Add an action point to a meeting."""

    template_name = "engagement/actionpoint_form.html"
    form_class = ActionPointForm
    success_message = gettext_lazy("Added the action point.")

    @cached_property
    def meeting(self):
        return get_object_or_404(self.strategy.meetings, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return actionpoint_create(
            meeting=self.meeting,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            priority_area=data["priority_area"],
            user=self.request.user,
        )

    def get_success_url(self) -> str:
        return actionpoint_url(self.object, self.strategy)


class ActionPointObjectMixin(TeamWriteMixin):
    @cached_property
    def action_point(self) -> ActionPoint:
        return get_object_or_404(
            ActionPoint.objects.select_related("meeting"),
            strategy=self.strategy,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_point=self.action_point, meeting=self.action_point.meeting, **kwargs
        )

    def get_success_url(self) -> str:
        return actionpoint_url(self.action_point, self.strategy)


class ActionPointUpdateView(ActionPointObjectMixin, ServiceFormView):
    """Edit an open action point."""

    template_name = "engagement/actionpoint_form.html"
    form_class = ActionPointForm
    success_message = gettext_lazy("Saved the action point.")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "strategy": self.strategy,
            "instance": self.action_point,
        }

    def save(self, form):
        data = form.cleaned_data
        return actionpoint_update(
            action_point=form.instance,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            priority_area=data["priority_area"],
            version=form.started_from,
            user=self.request.user,
        )


class ActionPointCloseView(ActionPointObjectMixin, ServiceFormView):
    """Close an action point as done or dropped."""

    template_name = "engagement/actionpoint_close.html"
    form_class = ActionPointCloseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.action_point}

    def save(self, form):
        return actionpoint_close(
            action_point=self.action_point,
            status=form.cleaned_data["status"],
            closing_note=form.cleaned_data["closing_note"],
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Closed the action point as %(status)s.") % {
            "status": self.object.get_status_display().lower()
        }

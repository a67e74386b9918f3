"""Milestones: the list, generating them from the rhythm, editing, done, deleting."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from engagement.filtersets import MilestoneFilterSet
from engagement.forms import MilestoneForm, MilestoneGenerateForm
from engagement.models import Milestone
from engagement.selectors import consultation_rhythm, milestone_list, milestone_url
from engagement.services import (
    milestone_create,
    milestone_delete,
    milestone_set_done,
    milestone_update,
    milestones_generate,
)
from engagement.tables import MilestoneTable
from strategy_monitor.views import ServiceDeleteView, ServiceFormView

from .base import EngagementListMixin, TeamWriteMixin


class MilestoneListView(EngagementListMixin):
    """List a strategy's milestones, and let the team generate them from the rhythm."""

    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    template_name = "engagement/milestone_list.html"
    export_name = "milestones"

    def get_queryset(self):
        return milestone_list(strategy=self.strategy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["generate_form"] = MilestoneGenerateForm(strategy=self.strategy)
        context["rhythm"] = consultation_rhythm(strategy=self.strategy)
        return context


class MilestoneGenerateView(TeamWriteMixin, ServiceFormView):
    """Generate the milestones of the strategy's rhythm that are not there yet."""

    form_class = MilestoneGenerateForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def save(self, form):
        return milestones_generate(
            strategy=self.strategy,
            user=self.request.user,
            first_high_level_year=form.cleaned_data["first_high_level_year"],
            restore_deleted=form.cleaned_data["restore_deleted"],
        )

    def get_success_message(self) -> str:
        result = self.object
        created = len(result.created)
        text = f"Generated {created} milestone{'s' if created != 1 else ''}"
        if result.existing:
            text += f"; {result.existing} already planned were left as they are"
        if result.deleted_keys:
            text += f"; {len(result.deleted_keys)} deleted earlier were not brought back"
        return text + "."

    def get_success_url(self) -> str:
        return reverse("engagement:milestone_list", args=[self.strategy.slug])

    def form_invalid(self, form):
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class MilestoneObjectMixin(TeamWriteMixin):
    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(self.strategy.milestones, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(milestone=self.milestone, **kwargs)

    def get_success_url(self) -> str:
        return milestone_url(self.milestone, self.strategy)


class MilestoneCreateView(TeamWriteMixin, ServiceFormView):
    """Add a milestone by hand."""

    template_name = "engagement/milestone_form.html"
    form_class = MilestoneForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def save(self, form):
        data = form.cleaned_data
        return milestone_create(
            strategy=self.strategy,
            kind=data["kind"],
            body=data.get("body"),
            title=data["title"],
            due_on=data["due_on"],
            owner=data["owner"],
            note=data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Added “{self.object.title}”."

    def get_success_url(self) -> str:
        return milestone_url(self.object, self.strategy)


class MilestoneUpdateView(MilestoneObjectMixin, ServiceFormView):
    """Edit a milestone: move its date, change its owner, mark it done."""

    template_name = "engagement/milestone_form.html"
    form_class = MilestoneForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy, "instance": self.milestone}

    def save(self, form):
        data = form.cleaned_data
        return milestone_update(
            milestone=form.instance,
            kind=data["kind"],
            body=data.get("body"),
            title=data["title"],
            due_on=data["due_on"],
            owner=data["owner"],
            done_on=data["done_on"],
            note=data["note"],
            version=form.started_from,
            user=self.request.user,
            date_confirmed=data.get("date_confirmed", False),
        )

    def get_success_message(self) -> str:
        return f"Saved “{self.object.title}”."


class MilestoneDoneView(MilestoneObjectMixin, View):
    """Mark a milestone done today, or open it again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        done = request.POST.get("done") == "1"
        try:
            milestone = milestone_set_done(
                milestone=self.milestone,
                done_on=timezone.localdate() if done else None,
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            state = "done" if done else "open again"
            messages.success(request, f"Marked “{milestone.title}” {state}.")
        return HttpResponseRedirect(self.get_success_url())


class MilestoneDeleteView(MilestoneObjectMixin, ServiceDeleteView):
    """Delete a milestone after confirmation."""

    template_name = "engagement/milestone_confirm_delete.html"

    def get_object(self, queryset=None) -> Milestone:
        return self.milestone

    def delete_object(self, obj) -> None:
        milestone_delete(milestone=obj, user=self.request.user)

    def get_success_message(self) -> str:
        return f"Deleted “{self.object.title}”."

    def get_success_url(self) -> str:
        return reverse("engagement:milestone_list", args=[self.strategy.slug])

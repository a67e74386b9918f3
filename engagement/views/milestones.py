"""Milestones: the list, generating them from the rhythm, editing, done, deleting."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

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
from strategy_monitor.concurrency import STALE_CODE
from strategy_monitor.forms import error_codes, form_add_error

from .base import EngagementListMixin, TeamWriteMixin, _refresh_version


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


class MilestoneGenerateView(TeamWriteMixin, FormView):
    """Generate the milestones of the strategy's rhythm that are not there yet."""

    form_class = MilestoneGenerateForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def form_valid(self, form):
        try:
            result = milestones_generate(
                strategy=self.strategy,
                user=self.request.user,
                first_high_level_year=form.cleaned_data["first_high_level_year"],
                restore_deleted=form.cleaned_data["restore_deleted"],
            )
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        created = len(result.created)
        text = f"Generated {created} milestone{'s' if created != 1 else ''}"
        if result.existing:
            text += f"; {result.existing} already planned were left as they are"
        if result.deleted_keys:
            text += f"; {len(result.deleted_keys)} deleted earlier were not brought back"
        messages.success(self.request, text + ".")
        return HttpResponseRedirect(reverse("engagement:milestone_list", args=[self.strategy.slug]))

    def form_invalid(self, form):
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, message)
        return HttpResponseRedirect(reverse("engagement:milestone_list", args=[self.strategy.slug]))


class MilestoneObjectMixin(TeamWriteMixin):
    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(self.strategy.milestones, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(milestone=self.milestone, **kwargs)

    def get_success_url(self) -> str:
        return milestone_url(self.milestone, self.strategy)


class MilestoneCreateView(TeamWriteMixin, FormView):
    """Add a milestone by hand."""

    template_name = "engagement/milestone_form.html"
    form_class = MilestoneForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            milestone = milestone_create(
                strategy=self.strategy,
                kind=data["kind"],
                title=data["title"],
                due_on=data["due_on"],
                owner=data["owner"],
                note=data["note"],
                user=self.request.user,
            )
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Added “{milestone.title}”.")
        return HttpResponseRedirect(milestone_url(milestone, self.strategy))


class MilestoneUpdateView(MilestoneObjectMixin, FormView):
    """Edit a milestone: move its date, change its owner, mark it done."""

    template_name = "engagement/milestone_form.html"
    form_class = MilestoneForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy, "instance": self.milestone}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            milestone_update(
                milestone=form.instance,
                kind=data["kind"],
                title=data["title"],
                due_on=data["due_on"],
                owner=data["owner"],
                done_on=data["done_on"],
                note=data["note"],
                version=form.started_from,
                user=self.request.user,
                date_confirmed=data.get("date_confirmed", False),
            )
        except ValidationError as error:
            if STALE_CODE in error_codes(error):
                _refresh_version(form, self.milestone)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved “{form.instance.title}”.")
        return HttpResponseRedirect(self.get_success_url())


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


class MilestoneDeleteView(MilestoneObjectMixin, TemplateView):
    """Delete a milestone after confirmation."""

    template_name = "engagement/milestone_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        title = self.milestone.title
        milestone_delete(milestone=self.milestone, user=request.user)
        messages.success(request, f"Deleted “{title}”.")
        return HttpResponseRedirect(reverse("engagement:milestone_list", args=[self.strategy.slug]))

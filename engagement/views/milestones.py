"""Milestones: the list, generating them from the rhythm, editing, done, deleting; the review."""

import logging
import pathlib
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from engagement import permissions
from engagement.filtersets import MilestoneFilterSet
from engagement.forms import MidTermReviewForm, MilestoneForm, MilestoneGenerateForm
from engagement.models import MidTermReview, Milestone
from engagement.selectors import (
    consultation_rhythm,
    midtermreview_get,
    milestone_board,
    milestone_url,
)
from engagement.services import (
    midtermreview_save,
    milestone_create,
    milestone_delete,
    milestone_set_done,
    milestone_update,
    milestones_generate,
)
from engagement.tables import MilestoneTable
from engagement.validators import MINUTES_KINDS_BY_EXTENSION
from priorities.registry import fulfilled_kinds
from priorities.views import StrategyMixin
from strategy_monitor.views import ServiceDeleteView, ServiceFormView

from .base import EngagementListMixin, TeamWriteMixin

logger = logging.getLogger(__name__)


class MilestoneListView(EngagementListMixin):
    """List a strategy's milestones, and let the team generate them from the rhythm."""

    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    template_name = "engagement/milestone_list.html"
    export_name = "milestones"

    @cached_property
    def board(self):
        return milestone_board(strategy=self.strategy)

    def get_queryset(self):
        return self.board.milestones

    def get_table_kwargs(self):
        return {
            **super().get_table_kwargs(),
            "fulfilments": self.board.fulfilments,
            "fulfilled_kinds": fulfilled_kinds(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["generate_form"] = MilestoneGenerateForm(strategy=self.strategy)
        context["rhythm"] = consultation_rhythm(strategy=self.strategy)
        context["review"] = midtermreview_get(strategy=self.strategy)
        context["can_record_review"] = permissions.strategy_can_record_review(
            self.request.user, self.strategy
        )
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
        text = ngettext(
            "Generated %(count)s milestone", "Generated %(count)s milestones", created
        ) % {"count": created}
        if result.existing:
            text += _("; %(count)s already planned were left as they are") % {
                "count": result.existing
            }
        if result.deleted_keys:
            text += _("; %(count)s deleted earlier were not brought back") % {
                "count": len(result.deleted_keys)
            }
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
            year=data.get("year"),
            owner=data["owner"],
            note=data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Added “%(title)s”.") % {"title": self.object.title}

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
            year=data.get("year"),
            owner=data["owner"],
            done_on=data.get("done_on", form.instance.done_on),
            note=data["note"],
            version=form.started_from,
            user=self.request.user,
            date_confirmed=data.get("date_confirmed", False),
        )

    def get_success_message(self) -> str:
        return _("Saved “%(title)s”.") % {"title": self.object.title}


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
            if done:
                text = _("Marked “%(title)s” done.")
            else:
                text = _("Marked “%(title)s” open again.")
            messages.success(request, text % {"title": milestone.title})
        return HttpResponseRedirect(self.get_success_url())


class MilestoneDeleteView(MilestoneObjectMixin, ServiceDeleteView):
    """Delete a milestone after confirmation."""

    template_name = "engagement/milestone_confirm_delete.html"

    def get_object(self, queryset=None) -> Milestone:
        return self.milestone

    def delete_object(self, obj) -> None:
        milestone_delete(milestone=obj, user=self.request.user)

    def get_success_message(self) -> str:
        return _("Deleted “%(title)s”.") % {"title": self.object.title}

    def get_success_url(self) -> str:
        return reverse("engagement:milestone_list", args=[self.strategy.slug])


class MidTermReviewUpdateView(StrategyMixin, ServiceFormView):
    """Record the strategy's mid-term review, or correct it: the team's desk officers, managers."""

    template_name = "engagement/midtermreview_form.html"
    form_class = MidTermReviewForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.strategy_can_record_review(
            request.user, self.strategy
        ):
            raise PermissionDenied(
                _("Only the desk officers and managers on the strategy's team record its review.")
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def review(self) -> MidTermReview | None:
        return midtermreview_get(strategy=self.strategy)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "strategy": self.strategy,
            "instance": self.review or MidTermReview(strategy=self.strategy),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return midtermreview_save(
            strategy=self.strategy,
            completed_on=data["completed_on"],
            findings=data["findings"],
            report_upload=data.get("report_file"),
            report_remove=bool(data.get("report_file_remove")),
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        if self.review:
            return _("Saved the mid-term review.")
        return _("Recorded the mid-term review.")

    def get_success_url(self) -> str:
        return reverse("engagement:milestone_list", args=[self.strategy.slug]) + "#mid-term-review"


class MidTermReviewReportView(StrategyMixin, View):
    """Send the review's report, under its own name, to someone who may see the strategy."""

    def get(self, request, *args, **kwargs):
        review = get_object_or_404(
            MidTermReview.objects.only("pk", "strategy_id", "report_file", "report_file_name"),
            strategy=self.strategy,
        )
        storage, name = review.report_file.storage, review.report_file.name
        # Streamed from whichever storage holds it (never a redirect to a blob's address), so
        # the check above is the only way to the file.
        if not name or not storage.exists(name):
            if name:
                logger.warning("Review %s has no stored report file %s.", review.pk, name)
            raise Http404("This review has no report file.")
        kind = MINUTES_KINDS_BY_EXTENSION.get(pathlib.Path(name).suffix.lower())
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=review.report_file_name or pathlib.Path(name).name,
            content_type=kind.content_type if kind else "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response

"""Pages for meetings, action points, milestones, the list of what is due, and calendar feeds."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from engagement import permissions
from engagement.calendar import calendar_render
from engagement.filtersets import ActionPointFilterSet, MeetingFilterSet, MilestoneFilterSet
from engagement.forms import (
    ActionPointCloseForm,
    ActionPointForm,
    ActionPointFormSet,
    MeetingForm,
    MilestoneForm,
    MilestoneGenerateForm,
)
from engagement.models import SELECTOR_LENGTH, ActionPoint, CalendarToken, Milestone
from engagement.selectors import (
    actionpoint_list,
    actionpoint_url,
    calendar_items_for_strategy,
    calendar_items_for_user,
    feed_strategies,
    meeting_get,
    meeting_list,
    milestone_list,
    milestone_url,
    my_tasks,
)
from engagement.services import (
    ActionPointInput,
    actionpoint_close,
    actionpoint_create,
    actionpoint_update,
    calendar_token_get,
    calendar_token_renew,
    meeting_create,
    meeting_update,
    milestone_create,
    milestone_delete,
    milestone_set_done,
    milestone_update,
    milestones_generate,
)
from engagement.tables import ActionPointTable, MeetingTable, MilestoneTable
from priorities.models import Strategy
from priorities.views import StrategyMixin
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.exports import SafeExportMixin
from strategy_monitor.forms import error_codes, form_add_error


def _refresh_version(form, instance) -> None:
    """Give a form refused as stale the current version, so saving again is deliberate."""
    current = type(instance)._default_manager.get(pk=instance.pk)
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = version_token(current)


class TeamWriteMixin(StrategyMixin):
    """Let only the strategy's team change its engagement records; others get 403."""

    def may_write(self) -> bool:
        return permissions.strategy_can_log_meetings(self.request.user, self.strategy)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_write():
            raise PermissionDenied("Only the strategy's team may change its meetings.")
        return super().dispatch(request, *args, **kwargs)


class EngagementListMixin(StrategyMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """A filtered, paginated, exportable list of one strategy's records."""

    table_pagination = {"per_page": 25}

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "strategy": self.strategy}

    def get_export_filename(self, export_format):
        return f"{self.strategy.slug}-{self.export_name}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_illustrative"] = any(
            row.record.is_illustrative for row in context["table"].page.object_list
        )
        return context


# --- Meetings --------------------------------------------------------------------------------


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


class MeetingCreateView(TeamWriteMixin, FormView):
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

    def form_valid(self, form):
        if not self.formset.is_valid():
            return self.form_invalid(form)
        data = form.cleaned_data
        rows = [row for row in self.formset.forms if row.has_changed()]
        try:
            meeting = meeting_create(
                strategy=self.strategy,
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                location=data["location"],
                participants=data["participants"],
                summary=data["summary"],
                priority_areas=list(data["priority_areas"]),
                action_points=[
                    ActionPointInput(
                        text=row.cleaned_data["text"],
                        owner=row.cleaned_data["owner"],
                        due_on=row.cleaned_data["due_on"],
                        priority_area=row.cleaned_data.get("priority_area"),
                    )
                    for row in rows
                ],
                user=self.request.user,
            )
        except ValidationError as error:
            self._add_errors(form, rows, error)
            return self.form_invalid(form)
        count = len(rows)
        messages.success(
            self.request,
            f"Logged “{meeting.title}” with {count} action point{'s' if count != 1 else ''}.",
        )
        return HttpResponseRedirect(
            reverse("engagement:meeting_detail", args=[self.strategy.slug, meeting.pk])
        )

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


class MeetingUpdateView(TeamWriteMixin, FormView):
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

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting_update(
                meeting=form.instance,
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                location=data["location"],
                participants=data["participants"],
                summary=data["summary"],
                priority_areas=list(data["priority_areas"]),
                version=form.started_from,
                user=self.request.user,
            )
        except ValidationError as error:
            if STALE_CODE in error_codes(error):
                _refresh_version(form, self.meeting)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved “{form.instance.title}”.")
        return HttpResponseRedirect(
            reverse("engagement:meeting_detail", args=[self.strategy.slug, self.meeting.pk])
        )


# --- Action points ---------------------------------------------------------------------------


class ActionPointListView(EngagementListMixin):
    """List a strategy's action points across its meetings."""

    table_class = ActionPointTable
    filterset_class = ActionPointFilterSet
    template_name = "engagement/actionpoint_list.html"
    export_name = "action-points"

    def get_queryset(self):
        return actionpoint_list(strategy=self.strategy)


class ActionPointCreateView(TeamWriteMixin, FormView):
    """Add an action point to a meeting."""

    template_name = "engagement/actionpoint_form.html"
    form_class = ActionPointForm

    @cached_property
    def meeting(self):
        return get_object_or_404(self.strategy.meetings, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action_point = actionpoint_create(
                meeting=self.meeting,
                text=data["text"],
                owner=data["owner"],
                due_on=data["due_on"],
                priority_area=data["priority_area"],
                user=self.request.user,
            )
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Added the action point.")
        return HttpResponseRedirect(actionpoint_url(action_point, self.strategy))


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


class ActionPointUpdateView(ActionPointObjectMixin, FormView):
    """Edit an open action point."""

    template_name = "engagement/actionpoint_form.html"
    form_class = ActionPointForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "strategy": self.strategy,
            "instance": self.action_point,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            actionpoint_update(
                action_point=form.instance,
                text=data["text"],
                owner=data["owner"],
                due_on=data["due_on"],
                priority_area=data["priority_area"],
                version=form.started_from,
                user=self.request.user,
            )
        except ValidationError as error:
            if STALE_CODE in error_codes(error):
                _refresh_version(form, self.action_point)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Saved the action point.")
        return HttpResponseRedirect(self.get_success_url())


class ActionPointCloseView(ActionPointObjectMixin, FormView):
    """Close an action point as done or dropped."""

    template_name = "engagement/actionpoint_close.html"
    form_class = ActionPointCloseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.action_point}

    def form_valid(self, form):
        try:
            action_point = actionpoint_close(
                action_point=self.action_point,
                status=form.cleaned_data["status"],
                closing_note=form.cleaned_data["closing_note"],
                version=form.started_from,
                user=self.request.user,
            )
        except ValidationError as error:
            if STALE_CODE in error_codes(error):
                _refresh_version(form, self.action_point)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Closed the action point as {action_point.get_status_display().lower()}.",
        )
        return HttpResponseRedirect(self.get_success_url())


# --- Milestones ------------------------------------------------------------------------------


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


# --- What is due -----------------------------------------------------------------------------


class MyTasksView(TemplateView):
    """Show the user what is overdue and what falls due in the next 60 days."""

    template_name = "engagement/my_tasks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=my_tasks(user=self.request.user, today=timezone.localdate()), **kwargs
        )


# --- Calendar feeds --------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


def feed_urls(request, token: CalendarToken, strategies) -> dict:
    """Return the feed addresses of a user: their own, and one per strategy."""
    own = request.build_absolute_uri(reverse("engagement:user_calendar", args=[token.token]))
    return {
        "own": own,
        "strategies": [
            (
                strategy,
                request.build_absolute_uri(
                    reverse("engagement:strategy_calendar", args=[strategy.slug, token.token])
                ),
            )
            for strategy in strategies
        ],
    }


class CalendarView(TemplateView):
    """Show the user their calendar feed addresses, with a button to renew them."""

    template_name = "engagement/calendar.html"

    def get_context_data(self, **kwargs):
        token = calendar_token_get(user=self.request.user)
        strategies = list(feed_strategies(user=self.request.user))
        return super().get_context_data(
            token=token, feeds=feed_urls(self.request, token, strategies), **kwargs
        )


class CalendarRenewView(View):
    """Replace the user's calendar token; the old addresses stop working."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        calendar_token_renew(user=request.user)
        messages.success(
            request,
            "Your calendar addresses are renewed. The old ones no longer work: subscribe again "
            "with the new addresses below.",
        )
        return HttpResponseRedirect(reverse("engagement:calendar"))


def calendar_user_for(token: str):
    """Return the active user whose calendar token is `token`, or raise 404."""
    selector, secret = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    found = (
        CalendarToken.objects.select_related("user")
        .filter(selector=selector, user__is_active=True)
        .first()
    )
    if found is None or not secret or not found.matches(secret):
        raise Http404("No such calendar.")
    return found.user


class FeedMixin:
    """Answer with an iCalendar feed; the token in the address is the only credential."""

    def feed_response(self, body: bytes, filename: str) -> HttpResponse:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response

    def render_feed(self, *, name: str, description: str, items, filename: str) -> HttpResponse:
        request = self.request
        body = calendar_render(
            name=name,
            description=description,
            items=items,
            milestone_url=lambda milestone: _absolute(
                request, milestone_url(milestone, milestone.strategy)
            ),
            meeting_url=lambda meeting: _absolute(
                request,
                reverse("engagement:meeting_detail", args=[meeting.strategy.slug, meeting.pk]),
            ),
            actionpoint_url=lambda point: _absolute(
                request, actionpoint_url(point, point.strategy)
            ),
        )
        return self.feed_response(body, filename)


@method_decorator(login_not_required, name="dispatch")
class UserCalendarFeedView(FeedMixin, View):
    """The user's own feed: their action points and milestones, their strategies' meetings."""

    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        user = calendar_user_for(token)
        name = user.get_full_name() or user.username
        return self.render_feed(
            name=f"Strategy Monitor: {name}",
            description="Your action points and milestones, and the meetings of your strategies.",
            items=calendar_items_for_user(user=user),
            filename="strategy-monitor.ics",
        )


@method_decorator(login_not_required, name="dispatch")
class StrategyCalendarFeedView(FeedMixin, View):
    """A strategy's feed: its milestones, meetings and open action points."""

    http_method_names = ["get", "head"]

    def get(self, request, slug: str, token: str):
        user = calendar_user_for(token)
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is None or not permissions.strategy_can_view(user, strategy):
            # The same answer as a wrong token: the address reveals nothing.
            raise Http404("No such calendar.")
        return self.render_feed(
            name=f"Strategy Monitor: {strategy.title}",
            description=f"Milestones, meetings and open action points of {strategy.title}.",
            items=calendar_items_for_strategy(strategy=strategy),
            filename=f"{strategy.slug}.ics",
        )

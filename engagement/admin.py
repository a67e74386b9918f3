"""Admin pages for engagement channels, meetings, action points and milestones.

Meetings, action points and milestones are written through `engagement.services`, so the rules
there (priority areas of the meeting's strategy, owners on the team, due dates not before the
meeting, closed action points left as they were closed) hold in the admin too.
"""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from engagement import services
from engagement.choices import ActionStatus
from engagement.models import (
    ActionPoint,
    CalendarToken,
    EngagementChannel,
    Meeting,
    Milestone,
    Reminder,
)
from priorities.admin import (
    ReadOnlyAdminMixin,
    ServiceAdminMixin,
    service_form,
    stored_copy,
    truncate_words,
)

ACTION_POINT_DETAILS = {"text", "owner", "due_on", "priority_area", "is_illustrative"}


def action_point_check(point: ActionPoint, *, changed: set[str]) -> None:
    """Refuse what the services refuse for an action point added or changed in the admin.

    `changed` names the fields the form changed: closing an open action point is checked by
    its model (a closing note), changing what it asks for by the rules of taking it on.
    """
    if point.pk:
        services.actionpoint_open_check(point)
    if point.pk is None or changed & ACTION_POINT_DETAILS:
        services.actionpoint_check(point, point.meeting)


def action_point_save(point: ActionPoint, *, changed: set[str], user) -> ActionPoint:
    """Save an action point entered in the admin through the services; return the saved row.

    A new one is taken on (`actionpoint_create`), an open one edited (`actionpoint_update`);
    either is then closed (`actionpoint_close`) if it was entered as done or dropped.
    """
    if point.pk is None:
        saved = services.actionpoint_create(
            meeting=point.meeting,
            strategy=point.strategy,
            text=point.text,
            owner=point.owner,
            due_on=point.due_on,
            priority_area=point.priority_area,
            is_illustrative=point.is_illustrative,
            user=user,
        )
    else:
        saved = ActionPoint.objects.get(pk=point.pk)
        saved.is_illustrative = point.is_illustrative
        if changed & ACTION_POINT_DETAILS:
            services.actionpoint_update(
                action_point=saved,
                text=point.text,
                owner=point.owner,
                due_on=point.due_on,
                priority_area=point.priority_area,
                version=None,
                user=user,
            )
    if point.status != ActionStatus.OPEN:
        services.actionpoint_close(
            action_point=saved,
            status=point.status,
            closing_note=point.closing_note,
            version=None,
            user=user,
        )
    return saved


class ActionPointInlineFormSet(BaseInlineFormSet):
    """Give each action point of a meeting the meeting's strategy."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Set before validation, so the model's same-strategy check sees the meeting's strategy.
        form.instance.strategy_id = self.instance.strategy_id


class ActionPointInline(admin.TabularInline):
    model = ActionPoint
    formset = ActionPointInlineFormSet
    fields = ["text", "owner", "due_on", "status", "closing_note", "priority_area"]
    autocomplete_fields = ["owner", "priority_area"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        def check(form):
            if form.has_changed():
                action_point_check(form.instance, changed=set(form.changed_data))

        form = service_form(kwargs.pop("form", self.form), check)
        return super().get_formset(request, obj, form=form, **kwargs)


@admin.register(EngagementChannel)
class EngagementChannelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "strategy", "kind", "frequency", "per_year", "order", "source"]
    list_filter = ["strategy", "kind"]
    list_select_related = ["strategy"]
    search_fields = ["key", "name", "frequency", "description"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order"]


@admin.register(Meeting)
class MeetingAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "held_on", "kind", "strategy", "location", "is_illustrative"]
    list_filter = ["strategy", "kind", "is_illustrative"]
    list_select_related = ["strategy"]
    search_fields = ["title", "location", "participants", "summary"]
    autocomplete_fields = ["strategy", "priority_areas"]
    date_hierarchy = "held_on"
    ordering = ["strategy__slug", "-held_on"]
    inlines = [ActionPointInline]

    def get_readonly_fields(self, request, obj=None):
        # Its priority areas and action points belong to the meeting's strategy.
        return ["strategy"] if obj is not None else []

    def service_check(self, request, obj, form, change):
        services.meeting_check(obj)
        services.priority_areas_check(
            strategy=obj.strategy, priority_areas=form.cleaned_data.get("priority_areas", [])
        )

    def service_save(self, request, obj, form, change):
        values = {
            "kind": obj.kind,
            "held_on": obj.held_on,
            "title": obj.title,
            "location": obj.location,
            "participants": obj.participants,
            "summary": obj.summary,
            "priority_areas": form.cleaned_data.get("priority_areas", []),
            "user": request.user,
        }
        if not change:
            return services.meeting_create(
                strategy=obj.strategy, is_illustrative=obj.is_illustrative, **values
            )
        return services.meeting_update(meeting=stored_copy(obj, form), version=None, **values)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionPoint:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads what the formset saved from these lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            point = inline_form.instance
            if point.pk and formset._should_delete_form(inline_form):
                formset.deleted_objects.append(point)
                point._history_user = request.user
                point.delete()
            elif inline_form.has_changed():
                point.meeting = form.instance
                changed = set(inline_form.changed_data)
                saved = action_point_save(point, changed=changed, user=request.user)
                if point.pk is None:
                    inline_form.instance = saved
                    formset.new_objects.append(saved)
                else:
                    formset.changed_objects.append((saved, sorted(changed)))


@admin.register(ActionPoint)
class ActionPointAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "text_display",
        "strategy",
        "meeting",
        "owner",
        "due_on",
        "status",
        "priority_area",
        "is_illustrative",
    ]
    list_filter = ["strategy", "status", "is_illustrative"]
    list_select_related = ["strategy", "meeting", "owner", "priority_area"]
    search_fields = ["text", "closing_note", "meeting__title"]
    autocomplete_fields = ["strategy", "meeting", "owner", "priority_area"]
    date_hierarchy = "due_on"
    ordering = ["strategy__slug", "due_on", "id"]

    @admin.display(description="Text", ordering="text")
    def text_display(self, obj: ActionPoint) -> str:
        return truncate_words(obj.text)

    def get_readonly_fields(self, request, obj=None):
        return ["strategy", "meeting"] if obj is not None else []

    def service_check(self, request, obj, form, change):
        action_point_check(obj, changed=set(form.changed_data))

    def service_save(self, request, obj, form, change):
        return action_point_save(obj, changed=set(form.changed_data), user=request.user)


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "strategy",
        "kind",
        "due_on",
        "done_on",
        "owner",
        "is_generated",
        "is_illustrative",
    ]
    list_filter = ["strategy", "kind", "is_illustrative"]
    list_select_related = ["strategy", "owner"]
    search_fields = ["title", "note", "key"]
    autocomplete_fields = ["strategy", "owner"]
    date_hierarchy = "due_on"
    ordering = ["strategy__slug", "due_on"]

    @admin.display(description="Generated", boolean=True)
    def is_generated(self, obj: Milestone) -> bool:
        return obj.is_generated

    def get_readonly_fields(self, request, obj=None):
        # The key is set when the milestone is generated from the rhythm, so generating again
        # adds none; the owner must be on the team of the milestone's strategy.
        return ["key", "strategy"] if obj is not None else ["key"]

    def service_check(self, request, obj, form, change):
        services.milestone_check(obj)

    def service_save(self, request, obj, form, change):
        values = {
            "kind": obj.kind,
            "title": obj.title,
            "due_on": obj.due_on,
            "owner": obj.owner,
            "done_on": obj.done_on,
            "note": obj.note,
            "user": request.user,
        }
        if not change:
            return services.milestone_create(
                strategy=obj.strategy,
                source=obj.source,
                is_illustrative=obj.is_illustrative,
                **values,
            )
        return services.milestone_update(milestone=stored_copy(obj, form), version=None, **values)

    def service_delete(self, request, obj):
        services.milestone_delete(milestone=obj, user=request.user)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "user", "item_type", "item_id", "stage", "due_on", "sent_at"]
    list_filter = ["item_type", "stage"]
    list_select_related = ["user"]
    search_fields = ["title", "user__username"]
    date_hierarchy = "sent_at"
    ordering = ["-sent_at"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Let an administrator see who has a calendar feed and revoke it by deleting the token."""

    list_display = ["user", "selector", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "selector"]
    # The secret is a credential: never shown, not even to administrators.
    exclude = ["secret"]
    ordering = ["user__username"]

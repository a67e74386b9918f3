"""Admin pages for engagement channels, meetings, action points and milestones."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from engagement.models import (
    ActionPoint,
    CalendarToken,
    EngagementChannel,
    Meeting,
    Milestone,
    Reminder,
)
from priorities.admin import ReadOnlyAdminMixin, truncate_words


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


@admin.register(EngagementChannel)
class EngagementChannelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "strategy", "kind", "frequency", "per_year", "order", "source"]
    list_filter = ["strategy", "kind"]
    list_select_related = ["strategy"]
    search_fields = ["key", "name", "frequency", "description"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "held_on", "kind", "strategy", "location", "is_illustrative"]
    list_filter = ["strategy", "kind", "is_illustrative"]
    list_select_related = ["strategy"]
    search_fields = ["title", "location", "participants", "summary"]
    autocomplete_fields = ["strategy", "priority_areas"]
    date_hierarchy = "held_on"
    ordering = ["strategy__slug", "-held_on"]
    inlines = [ActionPointInline]


@admin.register(ActionPoint)
class ActionPointAdmin(SimpleHistoryAdmin):
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


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
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
    # Set when the milestone is generated from the rhythm, so generating again adds none.
    readonly_fields = ["key"]
    date_hierarchy = "due_on"
    ordering = ["strategy__slug", "due_on"]

    @admin.display(description="Generated", boolean=True)
    def is_generated(self, obj: Milestone) -> bool:
        return obj.is_generated


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

"""Admin pages for engagement channels, meetings, key messages, action points and milestones.

Meetings, action points and milestones are monitored records: the admin shows them and their
history, and the engagement pages change them through `engagement.services`, where the rules
hold (priority areas of the meeting's strategy, owners on the team, due dates not before the
meeting, closed action points left as they were closed). The partner's channels stay editable.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from engagement.models import (
    ActionPoint,
    CalendarToken,
    EngagementChannel,
    GoverningBody,
    KeyMessage,
    Meeting,
    MidTermReview,
    Milestone,
    Reminder,
    Rhythm,
)
from strategy_monitor.admin import (
    HistoryAdmin,
    MonitoredAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    truncate_words,
)


class ActionPointInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A meeting's action points; they are taken on and closed on the meeting's pages."""

    model = ActionPoint
    fields = ["text", "owner", "due_on", "status", "closing_note", "priority_area"]
    extra = 0
    show_change_link = True


class KeyMessageInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A meeting's key messages; they are drafted and their outcome recorded on its pages."""

    model = KeyMessage
    fields = ["order", "text", "priority_area", "raised", "answer", "action_point", "drafted_by"]
    extra = 0
    show_change_link = True


@admin.register(GoverningBody)
class GoverningBodyAdmin(HistoryAdmin):
    list_display = ["name", "organisation", "key", "sessions_per_year", "session_dates", "order"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["key", "name", "short_name"]
    ordering = ["organisation__slug", "order"]


@admin.register(Rhythm)
class RhythmAdmin(HistoryAdmin):
    list_display = [
        "strategy",
        "high_level_pattern",
        "allocation_dialogues_per_year",
        "parliamentary_approvals",
    ]
    list_select_related = ["strategy"]
    autocomplete_fields = ["strategy"]
    filter_horizontal = ["bodies"]


@admin.register(EngagementChannel)
class EngagementChannelAdmin(HistoryAdmin):
    list_display = ["name", "strategy", "kind", "frequency", "per_year", "order", "source"]
    list_filter = ["strategy", "kind"]
    list_select_related = ["strategy"]
    search_fields = ["key", "name", "frequency", "description"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order"]


@admin.register(Meeting)
class MeetingAdmin(MonitoredAdmin):
    list_display = ["title", "held_on", "kind", "strategy", "location", "is_illustrative"]
    list_filter = ["strategy", "kind", "is_illustrative"]
    list_select_related = ["strategy"]
    search_fields = ["title", "location", "participants", "summary"]
    date_hierarchy = "held_on"
    ordering = ["strategy__slug", "-held_on"]
    inlines = [KeyMessageInline, ActionPointInline]


@admin.register(ActionPoint)
class ActionPointAdmin(MonitoredAdmin):
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
    date_hierarchy = "due_on"
    ordering = ["strategy__slug", "due_on", "id"]

    @admin.display(description=_("Text"), ordering="text")
    def text_display(self, obj: ActionPoint) -> str:
        return truncate_words(obj.text)


@admin.register(KeyMessage)
class KeyMessageAdmin(MonitoredAdmin):
    """Key messages and their history, read-only: the meeting's pages hold the rules."""

    list_display = [
        "text_display",
        "meeting",
        "priority_area",
        "order",
        "raised",
        "action_point",
        "drafted_by",
        "is_illustrative",
    ]
    list_filter = ["meeting__strategy", "raised", "is_illustrative"]
    list_select_related = ["meeting", "priority_area", "action_point", "drafted_by"]
    search_fields = ["text", "answer", "meeting__title"]
    ordering = ["meeting__strategy__slug", "-meeting__held_on", "order", "id"]

    @admin.display(description=_("Text"), ordering="text")
    def text_display(self, obj: KeyMessage) -> str:
        return truncate_words(obj.text)


@admin.register(Milestone)
class MilestoneAdmin(MonitoredAdmin):
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
    date_hierarchy = "due_on"
    ordering = ["strategy__slug", "due_on"]

    @admin.display(description=_("Generated"), boolean=True)
    def is_generated(self, obj: Milestone) -> bool:
        return obj.is_generated


@admin.register(MidTermReview)
class MidTermReviewAdmin(MonitoredAdmin):
    """Mid-term reviews and their history: recorded on the strategy's milestones page."""

    list_display = ["strategy", "completed_on", "report_file_name", "is_illustrative"]
    list_filter = ["is_illustrative"]
    list_select_related = ["strategy"]
    search_fields = ["findings", "strategy__title"]
    ordering = ["strategy__slug"]


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

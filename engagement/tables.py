"""Tables for meetings, action points and milestones; no column queries per row."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engagement.models import ActionPoint, Meeting, Milestone
from engagement.selectors import actionpoint_url
from priorities.templatetags.monitor import illustrative_label
from strategy_monitor.formats import person_name


def _illustrative(record) -> str:
    if getattr(record, "is_illustrative", False):
        return illustrative_label()
    return ""


def _illustrative_column():
    # The page labels an illustrative record beside its title; a download says so in a column.
    return tables.Column(
        accessor="is_illustrative",
        verbose_name=gettext_lazy("Illustrative"),
        visible=False,
        orderable=False,
        empty_values=(),
    )


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


class MeetingTable(tables.Table):
    """A strategy's meetings, newest first."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = gettext_lazy("Meetings")

    held_on = tables.DateColumn(
        format="SHORT_DATE_FORMAT",
        verbose_name=gettext_lazy("Date"),
        attrs={"td": {"class": "nowrap"}},
    )
    title = tables.Column(
        verbose_name=gettext_lazy("Meeting"),
        linkify=lambda record: reverse(
            "engagement:meeting_detail", args=[record.strategy.slug, record.pk]
        ),
    )
    kind = tables.Column(verbose_name=gettext_lazy("Kind"), order_by=("kind", "body__name"))
    location = tables.Column(verbose_name=gettext_lazy("Location"))
    priority_areas = tables.Column(
        verbose_name=gettext_lazy("Priority areas"), orderable=False, empty_values=()
    )
    open_action_count = tables.Column(
        verbose_name=gettext_lazy("Open action points"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    action_count = tables.Column(verbose_name=gettext_lazy("Action points"), visible=False)
    illustrative = _illustrative_column()

    class Meta:
        model = Meeting
        fields = ("held_on", "title", "kind", "location")
        sequence = (
            "held_on",
            "title",
            "kind",
            "location",
            "priority_areas",
            "open_action_count",
            "action_count",
            "illustrative",
        )
        order_by = ("-held_on",)
        empty_text = gettext_lazy("No meeting has been logged yet.")

    def render_title(self, value, record):
        return format_html("{} {}", value, _illustrative(record))

    def value_title(self, value) -> str:
        return value

    def render_kind(self, record) -> str:
        return record.kind_label

    def value_kind(self, record) -> str:
        return record.kind_label

    def render_priority_areas(self, record) -> str:
        areas = list(record.priority_areas.all())
        if not areas:
            return "—"
        return ", ".join(str(area.number) if area.number else area.title for area in areas)

    def value_priority_areas(self, record) -> str:
        return "; ".join(area.label for area in record.priority_areas.all())

    def render_open_action_count(self, value, record) -> str:
        return _("%(open)s of %(total)s") % {"open": value, "total": record.action_count}

    def value_open_action_count(self, value):
        return value

    def value_illustrative(self, value) -> str:
        return _yes_no(value)


class ActionPointTable(tables.Table):
    """A strategy's action points, by due date."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = gettext_lazy("Action points")

    due_on = tables.DateColumn(
        format="SHORT_DATE_FORMAT",
        verbose_name=gettext_lazy("Due"),
        attrs={"td": {"class": "nowrap"}},
    )
    text = tables.Column(verbose_name=gettext_lazy("Action point"))
    owner = tables.Column(
        verbose_name=gettext_lazy("Owner"), order_by=("owner__first_name", "owner__username")
    )
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    meeting = tables.Column(verbose_name=gettext_lazy("Meeting"), order_by=("meeting__held_on",))
    priority_area = tables.Column(
        verbose_name=gettext_lazy("Priority area"), order_by=("priority_area__number",)
    )
    closing_note = tables.Column(verbose_name=gettext_lazy("Closing note"), visible=False)
    illustrative = _illustrative_column()
    actions = tables.TemplateColumn(
        template_name="engagement/includes/actionpoint_actions.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = ActionPoint
        fields = ("due_on", "text", "owner", "status", "meeting", "priority_area", "closing_note")
        order_by = ("due_on",)
        empty_text = gettext_lazy("No action points.")
        row_attrs = {"id": lambda record: f"action-{record.pk}"}

    def render_text(self, value, record):
        return format_html(
            '<a href="{}">{}</a> {}',
            actionpoint_url(record, record.strategy),
            value,
            _illustrative(record),
        )

    def value_text(self, value) -> str:
        return value

    def render_owner(self, value) -> str:
        return person_name(value, default="—")

    def value_owner(self, value) -> str:
        return person_name(value, default="—")

    def render_status(self, value, record):
        return format_html('<span class="state state-{}">{}</span>', record.status, value)

    def value_status(self, record) -> str:
        return record.get_status_display()

    def render_meeting(self, value) -> str:
        return value.title

    def render_priority_area(self, value) -> str:
        return value.label

    def value_illustrative(self, value) -> str:
        return _yes_no(value)


class MilestoneTable(tables.Table):
    """A strategy's milestones: what is next, then what is overdue, then what is done.

    `fulfilments` maps a milestone's id to the record that fulfils it, `fulfilled_kinds` the
    kinds a record fulfils, which nobody marks done by hand.
    """

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = gettext_lazy("Milestones")

    due_on = tables.DateColumn(
        format="SHORT_DATE_FORMAT",
        verbose_name=gettext_lazy("Due"),
        attrs={"td": {"class": "nowrap"}},
    )
    title = tables.Column(verbose_name=gettext_lazy("Milestone"))
    kind = tables.Column(verbose_name=gettext_lazy("Kind"), order_by=("kind", "body__name"))
    owner = tables.Column(
        verbose_name=gettext_lazy("Owner"), order_by=("owner__first_name", "owner__username")
    )
    done_on = tables.Column(
        verbose_name=gettext_lazy("State"), empty_values=(), order_by=("state_order", "due_on")
    )
    # The state is a word in a download; the day it was done has a column of its own.
    done_date = tables.DateColumn(
        accessor="done_on", verbose_name=gettext_lazy("Done on"), visible=False, empty_values=()
    )
    fulfilled_by = tables.Column(
        accessor="pk",
        verbose_name=gettext_lazy("Done by the record"),
        visible=False,
        orderable=False,
    )
    note = tables.Column(verbose_name=gettext_lazy("Note"), visible=False)
    illustrative = _illustrative_column()
    actions = tables.TemplateColumn(
        template_name="engagement/includes/milestone_actions.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Milestone
        fields = ("due_on", "title", "kind", "owner", "done_on", "note")
        # The state beside the title, so that a phone shows it before the table scrolls.
        sequence = (
            "due_on",
            "title",
            "done_on",
            "kind",
            "owner",
            "done_date",
            "fulfilled_by",
            "note",
            "illustrative",
            "actions",
        )
        empty_text = gettext_lazy("No milestones yet.")
        row_attrs = {
            "id": lambda record: f"milestone-{record.pk}",
            "class": lambda record: "done" if record.is_done else "",
        }

    def __init__(self, *args, fulfilments=None, fulfilled_kinds=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fulfilments = fulfilments or {}
        self.fulfilled_kinds = fulfilled_kinds

    def before_render(self, request):
        # The rows of the page carry their record, so the actions' template sees it too.
        for row in self.page.object_list if hasattr(self, "page") else self.rows:
            self._fulfil(row.record)

    def _fulfil(self, record):
        record.fulfilment = self.fulfilments.get(record.pk)
        return record

    def render_title(self, value, record):
        generated = ""
        if record.date_is_planning_default and not self._fulfil(record).is_done:
            generated = format_html(
                ' <span class="tag tag-planned" title="{}">{}</span>',
                _(
                    "Generated from the strategy's rhythm; nobody has set or confirmed the date "
                    "yet."
                ),
                _("planning default date"),
            )
        return format_html("{}{} {}", value, generated, _illustrative(record))

    def value_title(self, value) -> str:
        return value

    def render_kind(self, record) -> str:
        return record.kind_label

    def value_kind(self, record) -> str:
        return record.kind_label

    def render_owner(self, value) -> str:
        return person_name(value, default="—")

    def value_owner(self, value) -> str:
        return person_name(value, default="—")

    def render_done_on(self, value, record):
        fulfilment = self._fulfil(record).fulfilment
        if fulfilment is not None:
            return format_html(
                '<span class="state state-approved">{}</span> — '
                '<a class="fulfilment" href="{}">{} {}</a>',
                _("Done"),
                fulfilment.url,
                fulfilment.label,
                date_format(fulfilment.done_on, "DATE_FORMAT"),
            )
        if value:
            return format_html(
                '<span class="state state-approved">{}</span>',
                _("Done %(date)s") % {"date": date_format(value, "SHORT_DATE_FORMAT")},
            )
        if record.is_overdue(timezone.localdate()):
            return format_html('<span class="state state-overdue">{}</span>', _("Overdue"))
        return format_html('<span class="state">{}</span>', _("To come"))

    def value_done_on(self, value, record) -> str:
        record = self._fulfil(record)
        if record.is_done:
            return _("Done")
        return _("Overdue") if record.is_overdue(timezone.localdate()) else _("To come")

    def value_fulfilled_by(self, record) -> str:
        fulfilment = self.fulfilments.get(record.pk)
        return fulfilment.label if fulfilment else ""

    def value_done_date(self, value, record) -> str:
        closed_on = self._fulfil(record).closed_on
        return closed_on.isoformat() if closed_on else ""

    def value_illustrative(self, value) -> str:
        return _yes_no(value)

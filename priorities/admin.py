"""Admin pages for organisations, strategies, priority areas, results frameworks and progress.

Years, figures, assessments and evidence are monitored records: the admin shows them and their
history, and the application's pages change them (`strategy_monitor.admin.MonitoredAdmin`).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from priorities.models import (
    Assessment,
    Chapter,
    Evidence,
    Indicator,
    IndicatorProgress,
    KeyFigure,
    Office,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from strategy_monitor.admin import (
    HistoryAdmin,
    MonitoredAdmin,
    ReadOnlyInlineMixin,
    format_amount,
    truncate_words,
)

# Inlines on a strategy: its priority areas, team and goals are set up together; its years shown.


class StrategyYearInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A strategy's years; their plans and workflow are kept on the strategy's pages."""

    model = StrategyYear
    fields = [
        "year",
        "planned_commitment",
        "planned_disbursement",
        "state",
        "state_changed_at",
        "state_changed_by",
    ]
    extra = 0
    show_change_link = True


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    fields = ["kind", "number", "slug", "title", "order"]
    extra = 0
    show_change_link = True


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0


class RelevantSDGInline(admin.TabularInline):
    model = RelevantSDG
    fields = ["goal", "note", "source"]
    extra = 0


class ChapterInline(admin.TabularInline):
    model = Chapter
    fields = ["key", "number", "title", "order", "source"]
    extra = 0


class PriorityAreaNodeInline(admin.TabularInline):
    model = PriorityAreaNode
    fields = ["node", "note", "order", "source"]
    autocomplete_fields = ["node"]
    extra = 0


class IndicatorProgressInline(ReadOnlyInlineMixin, admin.TabularInline):
    """An indicator's figures; they are entered on the strategy's progress pages."""

    model = IndicatorProgress
    fields = ["strategy_year", "target", "actual", "comment", "is_illustrative", "source"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = [
        "name",
        "acronym",
        "slug",
        "iati_identifier",
        "headquarters",
        "established",
        "source",
    ]
    search_fields = ["name", "acronym", "slug", "iati_identifier"]
    ordering = ["name"]


@admin.register(KeyFigure)
class KeyFigureAdmin(HistoryAdmin):
    list_display = [
        "label",
        "organisation",
        "key",
        "value_display",
        "unit",
        "qualifier",
        "year",
        "source",
    ]
    list_filter = ["organisation", "unit", "year"]
    list_select_related = ["organisation"]
    search_fields = ["key", "label", "organisation__acronym", "organisation__name"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "order", "key"]

    @admin.display(description=_("Value"), ordering="value")
    def value_display(self, obj: KeyFigure) -> str:
        return format_amount(obj.value)


@admin.register(Office)
class OfficeAdmin(HistoryAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "regional_office",
        "head",
        "is_officer_in_charge",
        "is_vacant",
        "as_of",
    ]
    list_filter = ["organisation", "kind", "function", "is_vacant", "is_officer_in_charge"]
    list_select_related = ["organisation", "regional_office"]
    search_fields = ["name", "key", "region", "head"]
    autocomplete_fields = ["organisation", "regional_office"]
    ordering = ["organisation__name", "order", "name"]


@admin.register(Strategy)
class StrategyAdmin(HistoryAdmin):
    list_display = [
        "title",
        "organisation",
        "period",
        "slug",
        "file_number",
        "responsible_unit",
        "is_draft",
    ]
    list_filter = ["organisation", "is_draft", "start_year"]
    list_select_related = ["organisation"]
    search_fields = ["title", "slug", "file_number", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    ordering = ["-start_year", "title"]
    inlines = [
        StrategyYearInline,
        PriorityAreaInline,
        TeamMembershipInline,
        RelevantSDGInline,
        ChapterInline,
    ]

    @admin.display(description=_("Period"), ordering="start_year")
    def period(self, obj: Strategy) -> str:
        return obj.period


@admin.register(StrategyYear)
class StrategyYearAdmin(MonitoredAdmin):
    """A year's plans and workflow state; the workflow's pages record who moved it and why."""

    list_display = [
        "strategy",
        "year",
        "state",
        "planned_commitment_display",
        "planned_disbursement_display",
        "state_changed_at",
        "state_changed_by",
    ]
    list_filter = ["strategy", "state", "year"]
    list_select_related = ["strategy", "state_changed_by"]
    search_fields = ["strategy__title", "strategy__slug", "year"]
    ordering = ["strategy__slug", "year"]

    @admin.display(description=_("Planned commitment"), ordering="planned_commitment")
    def planned_commitment_display(self, obj: StrategyYear) -> str:
        return format_amount(obj.planned_commitment)

    @admin.display(description=_("Planned disbursement"), ordering="planned_disbursement")
    def planned_disbursement_display(self, obj: StrategyYear) -> str:
        return format_amount(obj.planned_disbursement)


@admin.register(RelevantSDG)
class RelevantSDGAdmin(HistoryAdmin):
    list_display = ["goal", "strategy", "note", "source"]
    list_filter = ["strategy", "goal"]
    list_select_related = ["strategy"]
    search_fields = ["note", "strategy__title", "strategy__slug"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "goal"]


@admin.register(Chapter)
class ChapterAdmin(HistoryAdmin):
    list_display = ["heading", "strategy", "key", "order", "source"]
    list_filter = ["strategy", "key"]
    list_select_related = ["strategy"]
    search_fields = ["title", "number", "strategy__slug", "strategy__title"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order", "number"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(HistoryAdmin):
    list_display = ["user", "strategy", "role", "created_at"]
    list_filter = ["strategy", "role"]
    list_select_related = ["user", "strategy"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "strategy__title",
        "strategy__slug",
    ]
    autocomplete_fields = ["strategy", "user"]
    ordering = ["strategy__slug", "role", "user__username"]


@admin.register(PriorityArea)
class PriorityAreaAdmin(HistoryAdmin):
    list_display = [
        "title",
        "strategy",
        "kind",
        "number",
        "framework_under_development",
        "indicators_under_development",
        "order",
        "source",
    ]
    list_filter = [
        "strategy",
        "kind",
        "framework_under_development",
        "indicators_under_development",
    ]
    list_select_related = ["strategy"]
    search_fields = ["title", "slug", "front_page_title", "key_result", "strategy__slug"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order", "number"]
    inlines = [PriorityAreaNodeInline]


@admin.register(ResultsFramework)
class ResultsFrameworkAdmin(HistoryAdmin):
    list_display = [
        "name",
        "organisation",
        "slug",
        "level_names",
        "uses_codes",
        "code_scheme",
        "approved",
        "source",
    ]
    list_filter = ["organisation", "uses_codes", "code_scheme"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "order", "name"]


@admin.register(ResultsNode)
class ResultsNodeAdmin(HistoryAdmin):
    list_display = [
        "key",
        "code",
        "title_display",
        "level",
        "status",
        "is_implied",
        "parent",
        "framework",
        "source",
    ]
    list_filter = ["framework", "level", "status", "is_implied"]
    list_select_related = ["framework", "parent"]
    search_fields = ["key", "code", "title", "section"]
    autocomplete_fields = ["framework", "parent"]
    ordering = ["framework__name", "level", "key"]

    @admin.display(description=_("Title"), ordering="title")
    def title_display(self, obj: ResultsNode) -> str:
        return truncate_words(obj.title)


@admin.register(PriorityAreaNode)
class PriorityAreaNodeAdmin(HistoryAdmin):
    list_display = ["priority_area", "node", "note", "order", "source"]
    list_filter = ["priority_area__strategy", "node__level"]
    list_select_related = ["priority_area", "node"]
    search_fields = ["priority_area__title", "node__key", "node__code", "node__title", "note"]
    autocomplete_fields = ["priority_area", "node"]
    ordering = ["priority_area__strategy__slug", "priority_area__order", "order"]


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = [
        "key",
        "code",
        "title_display",
        "priority_area",
        "node",
        "unit",
        "baseline",
        "baseline_year",
        "status",
        "is_illustrative",
        "source",
    ]
    list_filter = ["priority_area__strategy", "status", "direction", "is_illustrative"]
    list_select_related = ["priority_area", "node"]
    search_fields = ["key", "code", "title", "unit"]
    autocomplete_fields = ["priority_area", "node"]
    ordering = ["priority_area__strategy__slug", "priority_area__order", "order", "key"]
    inlines = [IndicatorProgressInline]

    @admin.display(description=_("Title"), ordering="title")
    def title_display(self, obj: Indicator) -> str:
        return truncate_words(obj.title)


@admin.register(IndicatorProgress)
class IndicatorProgressAdmin(MonitoredAdmin):
    list_display = [
        "indicator",
        "year",
        "target",
        "actual",
        "state",
        "is_illustrative",
        "source",
    ]
    list_filter = [
        "strategy_year__strategy",
        "strategy_year__year",
        "strategy_year__state",
        "is_illustrative",
    ]
    list_select_related = ["indicator", "strategy_year"]
    search_fields = ["indicator__key", "indicator__title", "comment"]
    ordering = ["indicator__key", "strategy_year__year"]

    @admin.display(description=_("Year"), ordering="strategy_year__year")
    def year(self, obj: IndicatorProgress) -> int:
        return obj.strategy_year.year

    @admin.display(description=_("Year state"), ordering="strategy_year__state")
    def state(self, obj: IndicatorProgress) -> str:
        return obj.strategy_year.get_state_display()


@admin.register(Assessment)
class AssessmentAdmin(MonitoredAdmin):
    list_display = ["priority_area", "year", "rating", "state", "is_illustrative"]
    list_filter = [
        "strategy_year__strategy",
        "strategy_year__year",
        "rating",
        "is_illustrative",
    ]
    list_select_related = ["priority_area", "strategy_year"]
    search_fields = ["priority_area__title", "narrative"]
    ordering = ["priority_area__strategy__slug", "priority_area__order", "strategy_year__year"]

    @admin.display(description=_("Year"), ordering="strategy_year__year")
    def year(self, obj: Assessment) -> int:
        return obj.strategy_year.year

    @admin.display(description=_("Year state"), ordering="strategy_year__state")
    def state(self, obj: Assessment) -> str:
        return obj.strategy_year.get_state_display()


@admin.register(Evidence)
class EvidenceAdmin(MonitoredAdmin):
    """List evidence files; they are uploaded in the application, which checks their content."""

    list_display = [
        "original_name",
        "progress",
        "strategy",
        "year",
        "content_type",
        "size",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["progress__strategy_year__strategy", "progress__strategy_year__year"]
    list_select_related = [
        "progress__indicator",
        "progress__strategy_year__strategy",
        "uploaded_by",
    ]
    search_fields = ["original_name", "progress__indicator__title", "progress__indicator__key"]
    ordering = ["-created_at", "-id"]

    @admin.display(description=_("Strategy"), ordering="progress__strategy_year__strategy__slug")
    def strategy(self, obj: Evidence):
        return obj.progress.strategy_year.strategy

    @admin.display(description=_("Year"), ordering="progress__strategy_year__year")
    def year(self, obj: Evidence) -> int:
        return obj.progress.strategy_year.year

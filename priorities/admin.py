"""Admin pages for organisations, strategies, priority areas, results frameworks and progress."""

from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from priorities import services
from priorities.models import (
    Assessment,
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
from strategy_monitor.forms import form_add_error

admin.site.site_header = "Strategy Monitor administration"
admin.site.site_title = "Strategy Monitor administration"
admin.site.index_title = "Strategies, funding, risks and engagement"


def format_amount(value: Decimal | None) -> str:
    """Return `value` with thousands separators, and decimals only where it has any."""
    if value is None:
        return admin.site.empty_value_display
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


def truncate_words(value: str, words: int = 12) -> str:
    """Return the start of a long text, so a changelist row stays one line or two."""
    return Truncator(value).words(words)


def service_form(form_class, check):
    """Return `form_class` extended to run `check(form)` once the form and its model validate.

    `check` runs the rules a service applies across rows, without writing, so that a refusal
    shows on the form next to the field it names (or at the top) and nothing is saved. It runs
    in a transaction: locks it takes are held until the admin's own transaction ends, in which
    the save follows.
    """

    class ServiceForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if self._errors:
                return
            try:
                with transaction.atomic():
                    check(self)
            except ValidationError as error:
                form_add_error(self, error)

    ServiceForm.__name__ = form_class.__name__
    return ServiceForm


def stored_copy(obj: models.Model, form) -> models.Model:
    """Return the stored row of `obj` with the values of the form's fields applied.

    The admin's history view can post a form built on an old version of the row; the fields
    that the form does not offer (a year's state, a decision's author) stay as they are stored.
    """
    stored = type(obj)._default_manager.get(pk=obj.pk)
    for field in obj._meta.concrete_fields:
        if field.name in form.fields and field.editable:
            setattr(stored, field.attname, getattr(obj, field.attname))
    return stored


class ServiceAdminMixin:
    """Write through the application's services, so the admin keeps the rules across rows.

    Subclasses implement `service_check` (the checks a service runs, no write), `service_save`
    and, where deletion has rules, `service_delete_check` and `service_delete`. A refused save
    shows on the form; a refused deletion is not offered, singly, in bulk or in the cascade of
    deleting another record, and asking for it by its address explains why.
    """

    def service_check(self, request, obj, form, change: bool) -> None:
        """Raise the ValidationError the service would raise for saving `obj`; no write."""

    def service_save(self, request, obj, form, change: bool) -> models.Model | None:
        """Save `obj` through its service; return the saved row, or None to save it as is."""
        return None

    def service_delete_check(self, request, obj) -> None:
        """Raise the ValidationError the service would raise for deleting `obj`; no write."""

    def service_delete(self, request, obj) -> None:
        """Delete `obj` through its service; by default, delete it with its history user."""
        obj._history_user = request.user
        obj.delete()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        def check(form):
            if change and not form.has_changed():
                return
            self.service_check(request, form.instance, form, change)

        return service_form(form_class, check)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        saved = self.service_save(request, obj, form, change)
        if saved is None:
            super().save_model(request, obj, form, change)
        elif saved is not obj:
            # The admin goes on with `obj` (its inlines, its log entry, its redirect).
            obj.pk = saved.pk
            obj._state.adding = False
            obj._state.db = saved._state.db
            obj.refresh_from_db()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to a version from the history is a change like any other, and the history
        # view would save it even for a user who may only view the record.
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                try:
                    self.service_delete(request, obj)
                except ValidationError as error:
                    raise PermissionDenied(" ".join(error.messages)) from error

    def delete_refusal(self, request, obj) -> ValidationError | None:
        """Return why the service would refuse to delete `obj`, or None."""
        try:
            # The checks lock what they read, as the services do; that needs a transaction.
            with transaction.atomic():
                self.service_delete_check(request, obj)
        except ValidationError as error:
            return error
        return None

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.delete_refusal(request, obj) is None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and super().has_delete_permission(request, obj):
            refusal = self.delete_refusal(request, obj)
            if refusal is not None:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                opts = self.opts
                return redirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[obj.pk],
                        current_app=self.admin_site.name,
                    )
                )
        return super().delete_view(request, object_id, extra_context)


class ReadOnlyInlineMixin:
    """Show related rows on a parent's page; they are added and changed on their own pages."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin:
    """Show rows the application writes itself; an administrator may only look or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# A year's state moves only through the workflow (submit, approve, return, reopen), whose
# pages record who moved it and why; the admin shows it without letting it change.
YEAR_STATE_FIELDS = ["state", "state_changed_at", "state_changed_by", "state_comment"]


# Inlines on a strategy: its years, priority areas, team and goals are set up together.


class StrategyYearInline(admin.TabularInline):
    model = StrategyYear
    fields = [
        "year",
        "planned_commitment",
        "planned_disbursement",
        "state",
        "state_changed_at",
        "state_changed_by",
    ]
    readonly_fields = ["state", "state_changed_at", "state_changed_by"]
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


class PriorityAreaNodeInline(admin.TabularInline):
    model = PriorityAreaNode
    fields = ["node", "note", "order", "source"]
    autocomplete_fields = ["node"]
    extra = 0


class IndicatorProgressInlineFormSet(BaseInlineFormSet):
    """Refuse to delete an indicator's figures of a year that is not a draft."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk:
                stored = IndicatorProgress.objects.get(pk=form.instance.pk)
                with transaction.atomic():
                    services.year_edit_check(strategy_year_id=stored.strategy_year_id)


class IndicatorProgressInline(admin.TabularInline):
    model = IndicatorProgress
    formset = IndicatorProgressInlineFormSet
    fields = ["strategy_year", "target", "actual", "comment", "is_illustrative", "source"]
    autocomplete_fields = ["strategy_year"]
    extra = 0


class EvidenceFilesMixin:
    """Remove the evidence files of what a deletion takes with it, once it is committed."""

    # The lookup from Evidence to the admin's model, e.g. "progress__indicator".
    evidence_lookup = ""

    def _evidence_of(self, objs):
        return Evidence.objects.filter(**{f"{self.evidence_lookup}__in": objs})

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.evidence_files_delete_on_commit(self._evidence_of([obj]))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            services.evidence_files_delete_on_commit(self._evidence_of(queryset))
            super().delete_queryset(request, queryset)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "slug", "headquarters", "established", "source"]
    search_fields = ["name", "acronym", "slug"]
    ordering = ["name"]


@admin.register(KeyFigure)
class KeyFigureAdmin(SimpleHistoryAdmin):
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

    @admin.display(description="Value", ordering="value")
    def value_display(self, obj: KeyFigure) -> str:
        return format_amount(obj.value)


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
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
class StrategyAdmin(EvidenceFilesMixin, SimpleHistoryAdmin):
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
    inlines = [StrategyYearInline, PriorityAreaInline, TeamMembershipInline, RelevantSDGInline]
    evidence_lookup = "progress__strategy_year__strategy"

    @admin.display(description="Period", ordering="start_year")
    def period(self, obj: Strategy) -> str:
        return obj.period


@admin.register(StrategyYear)
class StrategyYearAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "year"]

    def get_readonly_fields(self, request, obj=None):
        # A year's records hang from it, so an existing year keeps its strategy and number.
        return ["strategy", "year", *YEAR_STATE_FIELDS] if obj else YEAR_STATE_FIELDS

    def service_save(self, request, obj, form, change):
        if not change:
            return None
        # A form posted from the history view carries an old state; only the form's fields
        # are written.
        year = stored_copy(obj, form)
        year.full_clean()
        year._history_user = request.user
        year.save()
        return year

    @admin.display(description="Planned commitment", ordering="planned_commitment")
    def planned_commitment_display(self, obj: StrategyYear) -> str:
        return format_amount(obj.planned_commitment)

    @admin.display(description="Planned disbursement", ordering="planned_disbursement")
    def planned_disbursement_display(self, obj: StrategyYear) -> str:
        return format_amount(obj.planned_disbursement)


@admin.register(RelevantSDG)
class RelevantSDGAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "strategy", "note", "source"]
    list_filter = ["strategy", "goal"]
    list_select_related = ["strategy"]
    search_fields = ["note", "strategy__title", "strategy__slug"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "goal"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(SimpleHistoryAdmin):
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
class PriorityAreaAdmin(EvidenceFilesMixin, SimpleHistoryAdmin):
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
    evidence_lookup = "progress__indicator__priority_area"


@admin.register(ResultsFramework)
class ResultsFrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "slug", "uses_codes", "approved", "source"]
    list_filter = ["organisation", "uses_codes"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "name"]


@admin.register(ResultsNode)
class ResultsNodeAdmin(SimpleHistoryAdmin):
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

    @admin.display(description="Title", ordering="title")
    def title_display(self, obj: ResultsNode) -> str:
        return truncate_words(obj.title)


@admin.register(PriorityAreaNode)
class PriorityAreaNodeAdmin(SimpleHistoryAdmin):
    list_display = ["priority_area", "node", "note", "order", "source"]
    list_filter = ["priority_area__strategy", "node__level"]
    list_select_related = ["priority_area", "node"]
    search_fields = ["priority_area__title", "node__key", "node__code", "node__title", "note"]
    autocomplete_fields = ["priority_area", "node"]
    ordering = ["priority_area__strategy__slug", "priority_area__order", "order"]


@admin.register(Indicator)
class IndicatorAdmin(EvidenceFilesMixin, SimpleHistoryAdmin):
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
    evidence_lookup = "progress__indicator"

    @admin.display(description="Title", ordering="title")
    def title_display(self, obj: Indicator) -> str:
        return truncate_words(obj.title)

    def save_formset(self, request, form, formset, change):
        if formset.model is not IndicatorProgress:
            super().save_formset(request, form, formset, change)
            return
        for progress in formset.save(commit=False):
            progress._history_user = request.user
            progress.save()
        for progress in formset.deleted_objects:
            services.progress_delete(progress=progress, user=request.user)


class ClosedYearRowsAdminMixin(ServiceAdminMixin):
    """Figures, ratings and evidence change and go only while their year is a draft.

    A submitted year waits for the manager's decision and an approved year is locked; the
    rule is `StrategyYear.edit_check`, checked here under the year's lock as the services do.
    """

    def strategy_year_id(self, obj) -> int:
        return obj.strategy_year_id

    def service_check(self, request, obj, form, change):
        year_ids = {self.strategy_year_id(obj)}
        if change:
            year_ids.add(self.strategy_year_id(type(obj)._default_manager.get(pk=obj.pk)))
        for year_id in sorted(year_ids):
            services.year_edit_check(strategy_year_id=year_id)

    def service_delete_check(self, request, obj):
        services.year_edit_check(strategy_year_id=self.strategy_year_id(obj))


@admin.register(IndicatorProgress)
class IndicatorProgressAdmin(ClosedYearRowsAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["indicator", "strategy_year"]
    ordering = ["indicator__key", "strategy_year__year"]

    @admin.display(description="Year", ordering="strategy_year__year")
    def year(self, obj: IndicatorProgress) -> int:
        return obj.strategy_year.year

    @admin.display(description="Year state", ordering="strategy_year__state")
    def state(self, obj: IndicatorProgress) -> str:
        return obj.strategy_year.get_state_display()

    def service_delete(self, request, obj):
        services.progress_delete(progress=obj, user=request.user)


@admin.register(Assessment)
class AssessmentAdmin(ClosedYearRowsAdminMixin, SimpleHistoryAdmin):
    list_display = ["priority_area", "year", "rating", "state", "is_illustrative"]
    list_filter = [
        "strategy_year__strategy",
        "strategy_year__year",
        "rating",
        "is_illustrative",
    ]
    list_select_related = ["priority_area", "strategy_year"]
    search_fields = ["priority_area__title", "narrative"]
    autocomplete_fields = ["priority_area", "strategy_year"]
    ordering = ["priority_area__strategy__slug", "priority_area__order", "strategy_year__year"]

    @admin.display(description="Year", ordering="strategy_year__year")
    def year(self, obj: Assessment) -> int:
        return obj.strategy_year.year

    @admin.display(description="Year state", ordering="strategy_year__state")
    def state(self, obj: Assessment) -> str:
        return obj.strategy_year.get_state_display()

    def service_delete(self, request, obj):
        services.assessment_delete(assessment=obj, user=request.user)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, ClosedYearRowsAdminMixin, SimpleHistoryAdmin):
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

    @admin.display(description="Strategy", ordering="progress__strategy_year__strategy__slug")
    def strategy(self, obj: Evidence):
        return obj.progress.strategy_year.strategy

    @admin.display(description="Year", ordering="progress__strategy_year__year")
    def year(self, obj: Evidence) -> int:
        return obj.progress.strategy_year.year

    def strategy_year_id(self, obj) -> int:
        return obj.progress.strategy_year_id

    def service_delete(self, request, obj):
        services.evidence_delete(evidence=obj, user=request.user)

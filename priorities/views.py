"""Pages for strategies: the list, the overview, priority areas, progress, the yearly
workflow, the change log and the set-up."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from priorities import permissions, services
from priorities.filtersets import IndicatorFilterSet, StrategyFilterSet
from priorities.forms import (
    STRATEGY_TEXT_FIELDS,
    AssessmentForm,
    BudgetLineForm,
    BulkFiguresForm,
    FrameworkForm,
    HistoryFilterForm,
    IndicatorForm,
    NodeForm,
    NodeLinkForm,
    NodeUpdateForm,
    PriorityAreaForm,
    ProgressForm,
    StrategyForm,
    StrategyYearForm,
    TeamMemberForm,
    YearActionForm,
)
from priorities.history import strategy_history
from priorities.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    PriorityAreaNode,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from priorities.selectors import (
    framework_tree,
    indicator_list,
    priorityarea_get,
    priorityarea_list,
    priorityarea_page,
    strategy_list,
    strategy_overview,
)
from priorities.services import (
    AREA_FIELDS,
    BUDGET_LINE_FIELDS,
    INDICATOR_FIELDS,
    STRATEGY_FIELDS,
    area_node_ids,
)
from priorities.tables import IndicatorTable, StrategyTable
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.exports import SafeExportMixin
from strategy_monitor.forms import error_codes, form_add_error


class StrategyMixin:
    """Resolve the strategy named in the URL and refuse users who may not see it."""

    strategy_queryset = Strategy.objects.select_related("organisation")

    @cached_property
    def strategy(self) -> Strategy:
        strategy = get_object_or_404(self.strategy_queryset, slug=self.kwargs["slug"])
        if not permissions.strategy_can_view(self.request.user, strategy):
            raise PermissionDenied("You are not on the team of this strategy.")
        return strategy

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            strategy=self.strategy,
            can={
                "log_progress": permissions.strategy_can_log_progress(user, self.strategy),
                "record_funding": permissions.strategy_can_record_funding(user, self.strategy),
                "log_meetings": permissions.strategy_can_log_meetings(user, self.strategy),
                "approve": permissions.strategy_can_approve(user, self.strategy),
                "set_up": permissions.strategy_can_set_up(user, self.strategy),
            },
            **kwargs,
        )


class StrategyListView(SingleTableMixin, FilterView):
    """List the strategies the user may see."""

    table_class = StrategyTable
    filterset_class = StrategyFilterSet
    template_name = "priorities/strategy_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return strategy_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_set_up=permissions.strategy_can_set_up(self.request.user), **kwargs
        )


class StrategyDetailView(StrategyMixin, TemplateView):
    """Show a strategy's overview: front page, priorities, budget, framework, risks, offices."""

    template_name = "priorities/strategy_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            overview=strategy_overview(strategy=self.strategy), **kwargs
        )


# --- Shared wiring for the edit pages -----------------------------------------------------------


class LogProgressRequiredMixin:
    """Let only the strategy's desk officers in; others get 403 on GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_log_progress(request.user, self.strategy):
            raise PermissionDenied("Only the strategy's desk officers log its progress.")
        return super().dispatch(request, *args, **kwargs)


class ApproveRequiredMixin:
    """Let only managers in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_approve(request.user, self.strategy):
            raise PermissionDenied("Only managers approve, return and reopen years.")
        return super().dispatch(request, *args, **kwargs)


class SetUpRequiredMixin:
    """Let only administrators in."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_set_up(request.user):
            raise PermissionDenied("Only administrators set up strategies.")
        return super().dispatch(request, *args, **kwargs)


class ServiceFormView(FormView):
    """Validate with the form, write through a service, and show its refusals on the form.

    A stale edit keeps the user's input and takes the current version, so that saving again
    after reading what changed is a deliberate choice.
    """

    def save(self, form):
        raise NotImplementedError

    def current_version(self, form) -> str:
        instance = getattr(form, "instance", None)
        if instance is None or not instance.pk:
            return ""
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        return version_token(current) if current else ""

    def form_valid(self, form):
        try:
            self.saved = self.save(form)
        except ValidationError as error:
            if STALE_CODE in error_codes(error) and "version" in form.fields:
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = self.stale_version(form)
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def stale_version(self, form) -> str:
        return self.current_version(form)

    def get_success_message(self) -> str:
        return "Saved."


class AreaMixin(StrategyMixin):
    """Resolve the priority area named by its pk in the URL, within the strategy."""

    @cached_property
    def area(self) -> PriorityArea:
        try:
            return PriorityArea.objects.select_related("strategy").get(
                strategy=self.strategy, pk=self.kwargs["pk"]
            )
        except PriorityArea.DoesNotExist as error:
            raise Http404("No such priority area in this strategy.") from error


class YearMixin:
    """Resolve the year in the URL among the strategy's years; 404 outside the period."""

    @cached_property
    def strategy_year(self) -> StrategyYear:
        try:
            return StrategyYear.objects.select_related("state_changed_by").get(
                strategy=self.strategy, year=self.kwargs["year"]
            )
        except StrategyYear.DoesNotExist as error:
            raise Http404(
                f"{self.kwargs['year']} is outside the strategy period {self.strategy.period}."
            ) from error


def area_url(area: PriorityArea) -> str:
    """Return the page of a priority area: by number, or by slug for a cross-cutting one."""
    if area.number is not None:
        return reverse(
            "priorities:priorityarea_detail",
            kwargs={"slug": area.strategy.slug, "number": area.number},
        )
    return reverse(
        "priorities:priorityarea_detail_by_slug",
        kwargs={"slug": area.strategy.slug, "area": area.slug},
    )


# --- Priority areas -------------------------------------------------------------------------


class PriorityAreaListView(StrategyMixin, TemplateView):
    """List the strategy's priority areas with their rating in each year."""

    template_name = "priorities/priorityarea_list.html"

    def get_context_data(self, **kwargs):
        years = tuple(self.strategy.strategy_years.select_related("state_changed_by"))
        rows = priorityarea_list(strategy=self.strategy, years=years)
        return super().get_context_data(
            years=years,
            rows=rows,
            has_illustrative=any(r and r.is_illustrative for row in rows for r in row.ratings),
            **kwargs,
        )


class PriorityAreaDetailView(StrategyMixin, SingleTableMixin, SafeExportMixin, FilterView):
    """Show a priority area: its text, framework tree, ratings and indicator table."""

    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    template_name = "priorities/priorityarea_detail.html"
    table_pagination = {"per_page": 25}
    exclude_columns = ()

    @cached_property
    def area(self) -> PriorityArea:
        try:
            if "number" in self.kwargs:
                return priorityarea_get(strategy=self.strategy, number=self.kwargs["number"])
            return priorityarea_get(strategy=self.strategy, slug=self.kwargs["area"])
        except PriorityArea.DoesNotExist as error:
            raise Http404("No such priority area in this strategy.") from error

    @cached_property
    def years(self) -> tuple[StrategyYear, ...]:
        return tuple(self.strategy.strategy_years.all())

    @cached_property
    def node_ids(self) -> set[int]:
        return area_node_ids(self.area)

    @cached_property
    def can_log(self) -> bool:
        return permissions.strategy_can_log_progress(self.request.user, self.strategy)

    def get_queryset(self):
        return indicator_list(priority_area=self.area, years=self.years)

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "node_ids": self.node_ids,
            "years": [year.year for year in self.years],
        }

    def get_table_kwargs(self):
        selected = self.filterset.selected_year
        shown = tuple(year.year for year in self.years if selected in (None, year.year))
        editable = tuple(year.year for year in self.years if year.is_open) if self.can_log else ()
        return {
            "years": shown,
            "strategy_slug": self.strategy.slug,
            "editable_years": editable,
            "can_edit_definitions": self.can_log,
        }

    def get_export_filename(self, export_format: str) -> str:
        label = self.area.number or self.area.slug
        return f"indicators-{self.strategy.slug}-{label}.{export_format}"

    def get_context_data(self, **kwargs):
        page = priorityarea_page(area=self.area, years=self.years)
        context = super().get_context_data(area=self.area, page=page, **kwargs)
        # Only the rows on the page: reading them all would fetch every indicator.
        flags = [f"illustrative_{year.year}" for year in self.years]
        context["has_illustrative"] = page.has_illustrative or any(
            row.record.is_illustrative or any(getattr(row.record, flag) for flag in flags)
            for row in context["table"].paginated_rows
        )
        return context


class IndicatorCreateView(LogProgressRequiredMixin, AreaMixin, ServiceFormView):
    """Define an indicator under a priority area."""

    form_class = IndicatorForm
    template_name = "priorities/indicator_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "priority_area": self.area}

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, area_url=area_url(self.area), **kwargs)

    def save(self, form):
        return services.indicator_create(
            priority_area=self.area, user=self.request.user, **form_values(form, INDICATOR_FIELDS)
        )

    def get_success_message(self) -> str:
        return f"Indicator “{self.saved}” defined. Enter its targets and actuals per year below."

    def get_success_url(self) -> str:
        return area_url(self.area)


def form_values(form, names) -> dict:
    """Return the cleaned values of the form's fields among `names`."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class IndicatorMixin(StrategyMixin):
    """Resolve the indicator in the URL, within the strategy."""

    @cached_property
    def indicator(self) -> Indicator:
        try:
            return Indicator.objects.select_related("priority_area__strategy", "node").get(
                priority_area__strategy=self.strategy, pk=self.kwargs["pk"]
            )
        except Indicator.DoesNotExist as error:
            raise Http404("No such indicator in this strategy.") from error


class IndicatorUpdateView(LogProgressRequiredMixin, IndicatorMixin, ServiceFormView):
    """Change an indicator's definition; a stale copy is refused."""

    form_class = IndicatorForm
    template_name = "priorities/indicator_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "priority_area": self.indicator.priority_area,
            "instance": self.indicator,
        }

    def get_context_data(self, **kwargs):
        area = self.indicator.priority_area
        return super().get_context_data(
            area=area, area_url=area_url(area), indicator=self.indicator, **kwargs
        )

    def save(self, form):
        return services.indicator_update(
            indicator=form.instance,
            version=form.started_from,
            user=self.request.user,
            **form_values(form, INDICATOR_FIELDS),
        )

    def get_success_message(self) -> str:
        return f"Indicator “{self.saved}” saved."

    def get_success_url(self) -> str:
        return area_url(self.indicator.priority_area)


class ProgressEditView(IndicatorMixin, YearMixin, ServiceFormView):
    """Enter an indicator's target, actual, comment, source and evidence for one year.

    Everyone who sees the strategy may read the page and download its evidence; only the
    strategy's desk officers may save, and only while the year is a draft.
    """

    form_class = ProgressForm
    template_name = "priorities/progress_form.html"

    @cached_property
    def can_log(self) -> bool:
        return permissions.strategy_can_log_progress(self.request.user, self.strategy)

    @cached_property
    def progress(self) -> IndicatorProgress:
        progress = (
            IndicatorProgress.objects.filter(
                indicator=self.indicator, strategy_year=self.strategy_year
            )
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by"))
            )
            .first()
        )
        return progress or IndicatorProgress(
            indicator=self.indicator, strategy_year=self.strategy_year
        )

    def post(self, request, *args, **kwargs):
        if not self.can_log:
            raise PermissionDenied("Only the strategy's desk officers log its progress.")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.progress}

    def get_context_data(self, **kwargs):
        area = self.indicator.priority_area
        evidence = list(self.progress.evidence.all()) if self.progress.pk else []
        return super().get_context_data(
            indicator=self.indicator,
            area=area,
            area_url=area_url(area),
            strategy_year=self.strategy_year,
            progress=self.progress,
            evidence=evidence,
            years=self.strategy.strategy_years.all(),
            can_edit=self.can_log and self.strategy_year.is_open,
            closed_message=year_closed_message(self.strategy_year),
            **kwargs,
        )

    def save(self, form):
        return services.progress_save(
            indicator=self.indicator,
            year=self.strategy_year.year,
            target=form.cleaned_data["target"],
            actual=form.cleaned_data["actual"],
            comment=form.cleaned_data["comment"],
            source=form.cleaned_data["source"],
            files=form.cleaned_data.get("files") or [],
            version="" if not self.progress.pk else form.started_from,
            user=self.request.user,
        )

    def stale_version(self, form) -> str:
        current = IndicatorProgress.objects.filter(
            indicator=self.indicator, strategy_year=self.strategy_year
        ).first()
        return version_token(current) if current else ""

    def get_success_message(self) -> str:
        files = self.saved.evidence.count()
        added = len(self.request.FILES.getlist("files"))
        text = f"Figures for {self.strategy_year.year} saved: {indicator_short(self.indicator)}."
        if added:
            text += f" {added} evidence file{'s' if added != 1 else ''} added ({files} in all)."
        return text

    def get_success_url(self) -> str:
        return area_url(self.indicator.priority_area)


def indicator_short(indicator: Indicator) -> str:
    """Return an indicator's code and title, shortened for a message."""
    title = indicator.title if len(indicator.title) < 80 else indicator.title[:79] + "…"
    return " ".join(filter(None, [indicator.code, title])) or "indicator under development"


def year_closed_message(strategy_year: StrategyYear) -> str:
    """Return why a year takes no changes, or "" for a draft year."""
    try:
        strategy_year.edit_check()
    except ValidationError as error:
        return error.messages[0].replace(", so this change was not saved", "")
    return ""


class AssessmentEditView(LogProgressRequiredMixin, AreaMixin, YearMixin, ServiceFormView):
    """Rate a priority area for a year: on track, some delays, off track or not assessed."""

    form_class = AssessmentForm
    template_name = "priorities/assessment_form.html"

    @cached_property
    def assessment(self) -> Assessment:
        assessment = Assessment.objects.filter(
            priority_area=self.area, strategy_year=self.strategy_year
        ).first()
        return assessment or Assessment(priority_area=self.area, strategy_year=self.strategy_year)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.assessment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            area=self.area,
            area_url=area_url(self.area),
            strategy_year=self.strategy_year,
            can_edit=self.strategy_year.is_open,
            closed_message=year_closed_message(self.strategy_year),
            **kwargs,
        )

    def save(self, form):
        return services.assessment_save(
            priority_area=self.area,
            year=self.strategy_year.year,
            rating=form.cleaned_data["rating"],
            narrative=form.cleaned_data["narrative"],
            version="" if not self.assessment.pk else form.started_from,
            user=self.request.user,
        )

    def stale_version(self, form) -> str:
        current = Assessment.objects.filter(
            priority_area=self.area, strategy_year=self.strategy_year
        ).first()
        return version_token(current) if current else ""

    def get_success_message(self) -> str:
        return (
            f"Rating of {self.area.label} for {self.strategy_year.year} saved: "
            f"{self.saved.get_rating_display()}."
        )

    def get_success_url(self) -> str:
        return area_url(self.area)


# --- Evidence ---------------------------------------------------------------------------------


class EvidenceMixin(StrategyMixin):
    """Resolve the evidence file in the URL, within the strategy."""

    @cached_property
    def evidence(self) -> Evidence:
        try:
            return Evidence.objects.select_related(
                "progress__strategy_year", "progress__indicator"
            ).get(progress__strategy_year__strategy=self.strategy, pk=self.kwargs["pk"])
        except Evidence.DoesNotExist as error:
            raise Http404("No such evidence file in this strategy.") from error


class EvidenceDownloadView(EvidenceMixin, View):
    """Send an evidence file as an attachment to someone who may see the strategy."""

    def get(self, request, *args, **kwargs):
        evidence = self.evidence
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404("The file is missing from the store.") from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceDeleteView(LogProgressRequiredMixin, EvidenceMixin, View):
    """Remove an evidence file of a draft year (POST)."""

    def post(self, request, *args, **kwargs):
        evidence = self.evidence
        progress = evidence.progress
        url = reverse(
            "priorities:progress_edit",
            kwargs={
                "slug": self.strategy.slug,
                "pk": progress.indicator_id,
                "year": progress.strategy_year.year,
            },
        )
        try:
            services.evidence_delete(evidence=evidence, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Evidence file “{evidence.original_name}” removed.")
        return HttpResponseRedirect(url)


# --- The yearly workflow --------------------------------------------------------------------


@dataclass(frozen=True)
class YearAction:
    """A step of the yearly workflow as a page offers it."""

    name: str
    verb: str
    service: Callable
    comment_required: bool
    comment_label: str
    allowed: Callable
    done: str


YEAR_ACTIONS = {
    "submit": YearAction(
        "submit",
        "Submit",
        services.year_submit,
        False,
        "Note to the manager (optional)",
        permissions.strategy_can_log_progress,
        "submitted for approval. It is closed to changes until a manager approves or returns it",
    ),
    "approve": YearAction(
        "approve",
        "Approve",
        services.year_approve,
        False,
        "Comment (optional)",
        permissions.strategy_can_approve,
        "approved and locked",
    ),
    "return": YearAction(
        "return",
        "Return for changes",
        services.year_return,
        True,
        "What should change",
        permissions.strategy_can_approve,
        "returned to the desk officers for changes",
    ),
    "reopen": YearAction(
        "reopen",
        "Reopen",
        services.year_reopen,
        True,
        "Why the year is reopened",
        permissions.strategy_can_approve,
        "reopened for changes",
    ),
}


class YearActionView(YearMixin, StrategyMixin, ServiceFormView):
    """Submit, approve, return or reopen a year; GET shows the confirmation with a comment."""

    form_class = YearActionForm
    template_name = "priorities/strategyyear_action.html"

    @cached_property
    def action(self) -> YearAction:
        try:
            return YEAR_ACTIONS[self.kwargs["action"]]
        except KeyError as error:
            raise Http404("No such step in the yearly workflow.") from error

    def dispatch(self, request, *args, **kwargs):
        if not self.action.allowed(request.user, self.strategy):
            raise PermissionDenied(f"You may not {self.action.verb.lower()} this year.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.strategy_year,
            "comment_required": self.action.comment_required,
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["comment"].label = self.action.comment_label
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action, strategy_year=self.strategy_year, **kwargs
        )

    def save(self, form):
        comment = form.cleaned_data["comment"]
        extra = {"reason": comment} if self.action.name == "reopen" else {"comment": comment}
        return self.action.service(
            strategy_year=self.strategy_year,
            version=form.started_from,
            user=self.request.user,
            **extra,
        )

    def form_invalid(self, form):
        # A refused step started from the overview's button shows its reason there too.
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return super().form_invalid(form)

    def get_success_message(self) -> str:
        return f"{self.strategy_year.year} {self.action.done}."

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_detail", kwargs={"slug": self.strategy.slug}) + (
            "#years"
        )


# --- History ----------------------------------------------------------------------------------


class StrategyHistoryView(StrategyMixin, TemplateView):
    """Show the strategy's change log: who changed which record, when, and old → new."""

    template_name = "priorities/strategy_history.html"
    per_page = 25

    def get_context_data(self, **kwargs):
        form = HistoryFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        user = filters.get("user")
        page = strategy_history(
            strategy=self.strategy,
            user_id=user.pk if user else None,
            kinds=filters.get("kind") or None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            page_number=self.request.GET.get("page", 1),
            per_page=self.per_page,
        )
        return super().get_context_data(filter_form=form, history=page, **kwargs)


# --- Set-up by administrators ---------------------------------------------------------------


SETUP_SECTIONS = (
    ("strategy_update", "Front page"),
    ("strategyyear_setup", "Years"),
    ("priorityarea_setup", "Priority areas"),
    ("budget_setup", "Budget"),
    ("team_setup", "Team"),
    ("framework_setup", "Results framework"),
)


class SetUpMixin(SetUpRequiredMixin, StrategyMixin):
    """A set-up page of a strategy: administrators only, with the set-up sections as tabs."""

    section = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=SETUP_SECTIONS, section=self.section, **kwargs)


class StrategyCreateView(SetUpRequiredMixin, ServiceFormView):
    """Set up a new strategy from its front page; its reporting years are created with it."""

    form_class = StrategyForm
    template_name = "priorities/strategy_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(text_fields=STRATEGY_TEXT_FIELDS, **kwargs)

    def save(self, form):
        values = form_values(form, STRATEGY_FIELDS)
        with transaction.atomic():
            if not values.get("organisation"):
                try:
                    values["organisation"] = services.organisation_create(
                        name=form.cleaned_data["new_organisation_name"],
                        acronym=form.cleaned_data["new_organisation_acronym"],
                        user=self.request.user,
                    )
                except ValidationError as error:
                    raise ValidationError(
                        {"new_organisation_name": error.messages}, code="invalid_partner"
                    ) from error
            return services.strategy_create(
                user=self.request.user, sdgs=form.cleaned_data["sdgs"], **values
            )

    def get_success_message(self) -> str:
        return (
            f"Strategy “{self.saved}” set up with the years {self.saved.period}. "
            "Add its priority areas, budget, team and results framework next."
        )

    def get_success_url(self) -> str:
        return reverse("priorities:priorityarea_setup", kwargs={"slug": self.saved.slug})


class StrategyUpdateView(SetUpMixin, ServiceFormView):
    """Change a strategy's front page; a changed period adds or drops (empty) years."""

    form_class = StrategyForm
    template_name = "priorities/strategy_form.html"
    section = "strategy_update"

    def get_form_kwargs(self):
        # A copy, so that input refused by validation never shows in the page header.
        instance = Strategy.objects.select_related("organisation").get(pk=self.strategy.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(text_fields=STRATEGY_TEXT_FIELDS, **kwargs)

    def save(self, form):
        return services.strategy_update(
            strategy=form.instance,
            version=form.started_from,
            user=self.request.user,
            sdgs=form.cleaned_data["sdgs"],
            **form_values(form, STRATEGY_FIELDS),
        )

    def get_success_message(self) -> str:
        return f"Front page of “{self.saved}” saved; the period is {self.saved.period}."

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_update", kwargs={"slug": self.saved.slug})


class FormsetSetupView(SetUpMixin, TemplateView):
    """Edit a list of records at once: all saved in one transaction, or none."""

    success_message = "Saved."

    def build_forms(self, data=None):
        raise NotImplementedError

    def save_form(self, form) -> None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.build_forms())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST)
        if all(form.is_valid() for form in forms):
            failed = None
            try:
                with transaction.atomic():
                    for form in forms:
                        failed = form
                        self.save_form(form)
            except ValidationError as error:
                if STALE_CODE in error_codes(error) and "version" in failed.fields:
                    failed.data = failed.data.copy()
                    failed.data[failed.add_prefix("version")] = self.current_version(failed)
                form_add_error(failed, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(forms=forms))

    @staticmethod
    def current_version(form) -> str:
        instance = getattr(form, "instance", None)
        if instance is None or not instance.pk:
            return ""
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        return version_token(current) if current else ""


class StrategyYearSetupView(FormsetSetupView):
    """Set each year's planned commitment and projected disbursement."""

    template_name = "priorities/setup_years.html"
    section = "strategyyear_setup"
    success_message = "Planned commitments and disbursements saved."

    def build_forms(self, data=None):
        return [
            StrategyYearForm(data, instance=year, prefix=f"year-{year.year}")
            for year in self.strategy.strategy_years.all()
        ]

    def save_form(self, form) -> None:
        if form.has_changed():
            services.strategy_year_update(
                strategy_year=form.instance,
                planned_commitment=form.cleaned_data["planned_commitment"],
                planned_disbursement=form.cleaned_data["planned_disbursement"],
                version=form.started_from,
                user=self.request.user,
            )


class PriorityAreaSetupView(FormsetSetupView):
    """Add, change and remove the strategy's priority areas and cross-cutting priorities."""

    template_name = "priorities/setup_priorityareas.html"
    section = "priorityarea_setup"
    success_message = "Priority areas saved."

    def build_forms(self, data=None):
        forms = [
            PriorityAreaForm(data, instance=area, strategy=self.strategy, prefix=f"area-{area.pk}")
            for area in self.strategy.priority_areas.order_by("order", "number")
        ]
        new = PriorityAreaForm(
            data, strategy=self.strategy, prefix="new", use_required_attribute=False
        )
        new.empty_permitted = True
        for form in forms:
            form.fields["remove"] = django_forms.BooleanField(
                required=False, label="Remove this priority area"
            )
        return [*forms, new]

    def save_form(self, form) -> None:
        if form.instance.pk and form.cleaned_data.get("remove"):
            services.priorityarea_delete(area=form.instance, user=self.request.user)
        elif form.has_changed():
            services.priorityarea_save(
                strategy=self.strategy,
                area=form.instance if form.instance.pk else None,
                version=form.started_from,
                user=self.request.user,
                **form_values(form, AREA_FIELDS),
            )


class BudgetSetupView(FormsetSetupView):
    """Set the budget lines and their planned amount in each year."""

    template_name = "priorities/setup_budget.html"
    section = "budget_setup"
    success_message = "Budget lines and planned amounts saved."

    def build_forms(self, data=None):
        from funding.models import BudgetLine, PlannedAmount

        lines = BudgetLine.objects.filter(strategy=self.strategy).prefetch_related(
            Prefetch("planned_amounts", queryset=PlannedAmount.objects.order_by("year"))
        )
        forms = [
            BudgetLineForm(data, strategy=self.strategy, instance=line, prefix=f"line-{line.pk}")
            for line in lines
        ]
        new = BudgetLineForm(
            data, strategy=self.strategy, prefix="new", use_required_attribute=False
        )
        new.empty_permitted = True
        return [*forms, new]

    def save_form(self, form) -> None:
        if not form.has_changed():
            return
        values = form_values(form, BUDGET_LINE_FIELDS)
        values["order"] = values.get("order") or 0
        services.budgetline_save(
            strategy=self.strategy,
            line=form.instance,
            amounts=form.amounts(),
            version=form.started_from if form.instance else None,
            user=self.request.user,
            **values,
        )


class TeamSetupView(SetUpMixin, ServiceFormView):
    """Put users on the strategy's team in their roles, or take them off."""

    form_class = TeamMemberForm
    template_name = "priorities/setup_team.html"
    section = "team_setup"

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            membership = (
                TeamMembership.objects.filter(strategy=self.strategy, pk=request.POST.get("remove"))
                .select_related("user")
                .first()
            )
            if membership is None:
                raise Http404("No such team member.")
            services.teammembership_remove(membership=membership, user=request.user)
            messages.success(
                request,
                f"{membership.user.get_full_name() or membership.user.username} is no longer "
                f"{membership.get_role_display().lower()} on the team.",
            )
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        team = self.strategy.team.select_related("user").order_by("role", "user__username")
        return super().get_context_data(team=team, **kwargs)

    def save(self, form):
        return services.teammembership_add(
            strategy=self.strategy,
            member=form.cleaned_data["member"],
            role=form.cleaned_data["role"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        member = self.saved.user
        return (
            f"{member.get_full_name() or member.username} added to the team as "
            f"{self.saved.get_role_display().lower()}."
        )

    def get_success_url(self) -> str:
        return self.request.path


class FrameworkSetupView(SetUpMixin, TemplateView):
    """Add nodes to the partner's results framework and map them to priority areas."""

    template_name = "priorities/setup_framework.html"
    section = "framework_setup"

    @cached_property
    def framework(self) -> ResultsFramework | None:
        return (
            ResultsFramework.objects.filter(organisation_id=self.strategy.organisation_id)
            .order_by("pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        context = {}
        if self.framework is None:
            context["framework_form"] = kwargs.pop("framework_form", None) or FrameworkForm()
        else:
            nodes = {node.pk: node for node in self.framework.nodes.all()}
            context["tree"] = framework_tree(nodes, set(nodes))
            context["node_form"] = kwargs.pop("node_form", None) or NodeForm(strategy=self.strategy)
            context["link_form"] = kwargs.pop("link_form", None) or NodeLinkForm(
                strategy=self.strategy
            )
            context["links"] = (
                PriorityAreaNode.objects.filter(priority_area__strategy=self.strategy)
                .select_related("priority_area", "node")
                .order_by(
                    "priority_area__order", "priority_area__number", "node__level", "node__code"
                )
            )
        return super().get_context_data(framework=self.framework, **context, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        user = request.user
        if action == "framework" and self.framework is None:
            form = FrameworkForm(request.POST)
            if form.is_valid():
                framework = services.framework_create(
                    organisation=self.strategy.organisation,
                    name=form.cleaned_data["name"],
                    user=user,
                )
                messages.success(request, f"Results framework “{framework}” added.")
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(framework_form=form))
        if self.framework is None:
            raise Http404("Add the results framework first.")
        if action == "node":
            form = NodeForm(request.POST, strategy=self.strategy)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        node = services.node_create(
                            framework=self.framework,
                            code=form.cleaned_data["code"],
                            title=form.cleaned_data["title"],
                            status=form.cleaned_data["status"],
                            section=form.cleaned_data["section"],
                            user=user,
                        )
                        for area in form.cleaned_data["areas"]:
                            services.priorityarea_node_link(
                                priority_area=area, node=node, user=user
                            )
                except ValidationError as error:
                    form_add_error(form, error)
                else:
                    messages.success(request, f"Node {node.code} added.")
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(node_form=form))
        if action == "link":
            form = NodeLinkForm(request.POST, strategy=self.strategy)
            if form.is_valid():
                try:
                    link = services.priorityarea_node_link(
                        priority_area=form.cleaned_data["priority_area"],
                        node=form.cleaned_data["node"],
                        user=user,
                    )
                except ValidationError as error:
                    form_add_error(form, error)
                else:
                    messages.success(
                        request, f"{link.priority_area.label} now follows {link.node}."
                    )
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(link_form=form))
        if action == "unlink":
            link = (
                PriorityAreaNode.objects.filter(
                    priority_area__strategy=self.strategy, pk=request.POST.get("link")
                )
                .select_related("priority_area", "node")
                .first()
            )
            if link is None:
                raise Http404("No such mapping.")
            try:
                services.priorityarea_node_unlink(link=link, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, f"{link.priority_area.label} no longer follows {link.node}."
                )
            return HttpResponseRedirect(request.path)
        messages.error(request, "Nothing was saved: use one of the forms on the page.")
        return HttpResponseRedirect(request.path)


class NodeUpdateView(SetUpMixin, ServiceFormView):
    """Change a node's title and status, e.g. once the partner publishes what it developed."""

    form_class = NodeUpdateForm
    template_name = "priorities/node_form.html"
    section = "framework_setup"

    @cached_property
    def node(self) -> ResultsNode:
        try:
            return ResultsNode.objects.get(
                framework__organisation_id=self.strategy.organisation_id, pk=self.kwargs["pk"]
            )
        except ResultsNode.DoesNotExist as error:
            raise Http404("No such node in the partner's framework.") from error

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.node}

    def get_context_data(self, **kwargs):
        return super().get_context_data(node=self.node, **kwargs)

    def save(self, form):
        return services.node_update(
            node=form.instance,
            version=form.started_from,
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
            section=form.cleaned_data["section"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Node {self.saved.code or self.saved.key} saved."

    def get_success_url(self) -> str:
        return reverse("priorities:framework_setup", kwargs={"slug": self.strategy.slug})


class BulkFiguresView(LogProgressRequiredMixin, AreaMixin, YearMixin, TemplateView):
    """Enter a year's targets and actuals for every indicator of an area: all saved, or none."""

    template_name = "priorities/progress_bulk_form.html"

    def build_forms(self, data=None) -> list[BulkFiguresForm]:
        progress = {
            item.indicator_id: item
            for item in IndicatorProgress.objects.filter(
                indicator__priority_area=self.area, strategy_year=self.strategy_year
            )
        }
        return [
            BulkFiguresForm(
                data,
                indicator=indicator,
                progress=progress.get(indicator.pk),
                prefix=f"indicator-{indicator.pk}",
            )
            for indicator in self.area.indicators.select_related("node").order_by("order", "key")
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.build_forms())
        return super().get_context_data(
            area=self.area,
            area_url=area_url(self.area),
            strategy_year=self.strategy_year,
            has_illustrative=any(
                form.instance is not None and form.instance.is_illustrative
                for form in kwargs["forms"]
            ),
            can_edit=self.strategy_year.is_open,
            closed_message=year_closed_message(self.strategy_year),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST)
        errors = None
        if all(form.is_valid() for form in forms):
            changed = [form for form in forms if form.has_changed()]
            failed = None
            try:
                with transaction.atomic():
                    for form in changed:
                        failed = form
                        services.progress_save(
                            indicator=form.indicator,
                            year=self.strategy_year.year,
                            target=form.cleaned_data["target"],
                            actual=form.cleaned_data["actual"],
                            comment=form.instance.comment if form.instance else "",
                            source=form.instance.source if form.instance else "",
                            version=form.started_from,
                            user=request.user,
                        )
            except ValidationError as error:
                errors = error
                if failed is not None:
                    form_add_error(failed, error)
            else:
                messages.success(
                    request,
                    f"Figures for {self.strategy_year.year} saved for {len(changed)} "
                    f"indicator{'s' if len(changed) != 1 else ''} of {self.area.label}.",
                )
                return HttpResponseRedirect(area_url(self.area))
        if errors is not None and {"year_locked", "year_submitted"} & error_codes(errors):
            messages.error(request, errors.messages[0])
        return self.render_to_response(self.get_context_data(forms=forms))

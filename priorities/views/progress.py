"""Entering progress: a year's figures and evidence, ratings, and figures in bulk."""

import logging
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views import View
from django.views.generic import TemplateView

from priorities import permissions, services
from priorities.choices import YearState
from priorities.forms import AssessmentForm, BulkFiguresForm, ProgressForm
from priorities.models import Assessment, Evidence, Indicator, IndicatorProgress, StrategyYear
from priorities.selectors import IndicatorFigures, area_year_figures, area_year_links
from strategy_monitor.concurrency import version_token
from strategy_monitor.forms import error_codes, form_add_error
from strategy_monitor.views import ServiceFormView

from ._common import (
    AreaMixin,
    LogProgressRequiredMixin,
    YearMixin,
    area_url,
    figures_url,
    safe_next_url,
)
from .areas import IndicatorMixin
from .strategy import StrategyMixin

logger = logging.getLogger(__name__)


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
            raise PermissionDenied(gettext("Only the strategy's desk officers log its progress."))
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

    def current_version(self, form) -> str:
        current = IndicatorProgress.objects.filter(
            indicator=self.indicator, strategy_year=self.strategy_year
        ).first()
        return version_token(current) if current else ""

    def get_success_message(self) -> str:
        files = self.object.evidence.count()
        added = len(self.request.FILES.getlist("files"))
        text = gettext("Figures for %(year)s saved: %(indicator)s.") % {
            "year": self.strategy_year.year,
            "indicator": indicator_short(self.indicator),
        }
        if added:
            text += " " + ngettext(
                "%(count)s evidence file added (%(total)s in all).",
                "%(count)s evidence files added (%(total)s in all).",
                added,
            ) % {"count": added, "total": files}
        return text

    def get_success_url(self) -> str:
        return area_url(self.indicator.priority_area)


def indicator_short(indicator: Indicator) -> str:
    """Return an indicator's code and title, shortened for a message."""
    title = indicator.title if len(indicator.title) < 80 else indicator.title[:79] + "…"
    return " ".join(filter(None, [indicator.code, title])) or gettext("indicator under development")


def year_closed_message(strategy_year: StrategyYear) -> str:
    """Return why a year takes no changes, or "" for a draft year."""
    if strategy_year.state == YearState.APPROVED:
        return gettext(
            "%(year)s is approved and locked. A manager can reopen the year if it must change."
        ) % {"year": strategy_year.year}
    if strategy_year.state == YearState.SUBMITTED:
        return gettext(
            "%(year)s is submitted for approval. "
            "The year is open again once a manager returns it for changes."
        ) % {"year": strategy_year.year}
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
        # The rating is judged on the year's figures, so they are shown above it, read-only,
        # with the way to the grid that changes them and back again.
        return super().get_context_data(
            area=self.area,
            area_url=area_url(self.area),
            strategy_year=self.strategy_year,
            figures=area_year_figures(area=self.area, strategy_year=self.strategy_year),
            figures_url=figures_url(self.area, self.strategy_year.year, next_url=self.request.path),
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

    def current_version(self, form) -> str:
        current = Assessment.objects.filter(
            priority_area=self.area, strategy_year=self.strategy_year
        ).first()
        return version_token(current) if current else ""

    def get_success_message(self) -> str:
        return gettext("Rating of %(area)s for %(year)s saved: %(rating)s.") % {
            "area": self.area.label,
            "year": self.strategy_year.year,
            "rating": self.object.get_rating_display(),
        }

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
        storage, name = evidence.file.storage, evidence.file.name
        # Streamed from whichever storage holds it (never a redirect to a blob's address), so
        # the check above is the only way to a file.
        if not name or not storage.exists(name):
            logger.warning("Evidence %s has no stored file %s.", evidence.pk, name)
            raise Http404("The file is missing from the store.")
        response = FileResponse(
            storage.open(name, "rb"),
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
            messages.success(
                request,
                gettext("Evidence file “%(name)s” removed.") % {"name": evidence.original_name},
            )
        return HttpResponseRedirect(url)


class BulkFiguresView(LogProgressRequiredMixin, AreaMixin, YearMixin, TemplateView):
    """The grid of a year for a priority area: every indicator's figures, narrative and evidence.

    All rows are saved together, or none if one is refused, and the desk officer goes back to
    where they came from (`next`, if it stays on this site) or to the area. A year that is
    not a draft is shown read-only.
    """

    template_name = "priorities/progress_bulk_form.html"

    @cached_property
    def rows(self) -> tuple[IndicatorFigures, ...]:
        return area_year_figures(area=self.area, strategy_year=self.strategy_year)

    @cached_property
    def next_url(self) -> str:
        return safe_next_url(self.request)

    def build_forms(self, data=None, files=None) -> list[BulkFiguresForm]:
        return [
            BulkFiguresForm(
                data,
                files,
                indicator=row.indicator,
                progress=row.progress,
                year=self.strategy_year.year,
                prefix=f"indicator-{row.indicator.pk}",
            )
            for row in self.rows
        ]

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build_forms()
        areas = area_year_links(strategy=self.strategy, strategy_year=self.strategy_year)
        return super().get_context_data(
            area=self.area,
            area_url=area_url(self.area),
            back_url=self.next_url or area_url(self.area),
            next_url=self.next_url,
            strategy_year=self.strategy_year,
            grid=list(zip(self.rows, forms, strict=True)),
            forms=forms,
            errors=[form for form in forms if form.errors],
            # The other areas' grids keep `next`, so that switching areas still leads back.
            areas=[
                (link, figures_url(link.area, self.strategy_year.year, next_url=self.next_url))
                for link in areas
            ]
            if len(areas) > 1
            else [],
            has_illustrative=any(
                row.progress and row.progress.is_illustrative for row in self.rows
            ),
            can_edit=self.strategy_year.is_open,
            closed_message=year_closed_message(self.strategy_year),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST, request.FILES)
        # Every row is checked, so that each refused field is marked at once, not one a time.
        valid = [form.is_valid() for form in forms]
        if all(valid):
            changed = [form for form in forms if form.has_changed()]
            rows = [
                services.FiguresRow(
                    indicator=form.indicator,
                    target=form.cleaned_data["target"],
                    actual=form.cleaned_data["actual"],
                    comment=form.cleaned_data["comment"],
                    source=form.instance.source if form.instance else "",
                    files=tuple(form.cleaned_data.get("files") or ()),
                    version=form.started_from,
                )
                for form in changed
            ]
            try:
                services.year_figures_save(
                    priority_area=self.area,
                    year=self.strategy_year.year,
                    rows=rows,
                    user=request.user,
                )
            except services.FiguresRowError as error:
                if {"year_locked", "year_submitted"} & error_codes(error):
                    messages.error(request, error.messages[0])
                else:
                    form_add_error(changed[error.row], error)
            else:
                messages.success(request, self.success_message(changed))
                return HttpResponseRedirect(self.next_url or area_url(self.area))
        return self.render_to_response(self.get_context_data(forms=forms))

    def success_message(self, changed: list[BulkFiguresForm]) -> str:
        year = self.strategy_year.year
        if not changed:
            return gettext("Nothing had changed in the %(year)s figures of %(area)s.") % {
                "year": year,
                "area": self.area.label,
            }
        files = sum(len(form.cleaned_data.get("files") or ()) for form in changed)
        text = ngettext(
            "Figures for %(year)s saved for %(count)s indicator of %(area)s.",
            "Figures for %(year)s saved for %(count)s indicators of %(area)s.",
            len(changed),
        ) % {"year": year, "count": len(changed), "area": self.area.label}
        if files:
            text += " " + ngettext(
                "%(count)s evidence file added.", "%(count)s evidence files added.", files
            ) % {"count": files}
        return text

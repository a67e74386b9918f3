"""Jobs: starting a long export, its progress page and status, its download, and the list.

Starting a job is a POST that answers with a redirect to the job's page. The page polls
`/jobs/<id>/status/` (static/js/job-progress.js) until the job is ready or failed. A job is
its user's alone: anyone else, whatever their role, is told it does not exist.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from priorities import permissions
from priorities.views import StrategyMixin
from reports import tasks
from reports.builders import brief_date
from reports.jobs import job_get, job_list, job_start, job_status
from reports.languages import export_language_or_current
from reports.models import JobKind, JobState
from reports.views.params import meeting_param


class JobStartView(View):
    """Start a job on a POST and send the user to its progress page; a GET is not taken."""

    def allowed(self) -> None:
        """Refuse a user who may not start this job (raise PermissionDenied)."""

    def start(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # Refused before the method is looked at: an outsider's GET is refused as a POST is.
        self.allowed()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        job = self.start()
        messages.info(request, f"{job.title}: started. This page shows how far it is.")
        return HttpResponseRedirect(job.get_absolute_url())


class BriefWithAnnexStartView(StrategyMixin, JobStartView):
    """Prepare the consultation brief of a year with its annex in the background."""

    def allowed(self) -> None:
        self.strategy  # noqa: B018 - resolving the strategy checks the right to see it

    def start(self):
        year = self.kwargs["year"]
        if year not in self.strategy.years:
            raise Http404(f"{year} is outside the strategy period.")
        meeting = meeting_param(strategy=self.strategy, raw=self.request.POST.get("meeting", ""))
        as_of = self._as_of(year, self.request.POST.get("as_of", "").strip())
        parameters = {
            "year": year,
            "language": export_language_or_current(self.request.POST.get("lang")),
        }
        if meeting is not None:
            parameters["meeting"] = meeting.pk
        if as_of is not None:
            parameters["as_of"] = as_of.isoformat()
        return job_start(
            user=self.request.user,
            kind=JobKind.BRIEF_WITH_ANNEX,
            title=_("Consultation brief %(year)s with its annex · %(strategy)s")
            % {"year": year, "strategy": self.strategy.title},
            task=tasks.brief_with_annex_export,
            strategy_slug=self.strategy.slug,
            parameters=parameters,
        )

    def _as_of(self, year: int, raw: str) -> datetime.date | None:
        if not raw:
            return None
        try:
            as_of = datetime.date.fromisoformat(raw)
            brief_date(year=year, today=timezone.localdate(), as_of=as_of)
        except (ValueError, ValidationError) as error:
            raise SuspiciousOperation(
                "The brief's date is not one the brief can be read as of."
            ) from error
        return as_of


class WorkbookStartView(StrategyMixin, JobStartView):
    """Prepare the monitoring workbook of a strategy in the background."""

    def allowed(self) -> None:
        self.strategy  # noqa: B018 - resolving the strategy checks the right to see it

    def start(self):
        return job_start(
            user=self.request.user,
            kind=JobKind.WORKBOOK,
            title=_("Monitoring workbook · %(strategy)s") % {"strategy": self.strategy.title},
            task=tasks.workbook_export,
            strategy_slug=self.strategy.slug,
            parameters={"language": export_language_or_current(self.request.POST.get("lang"))},
        )


class PortfolioExportStartView(JobStartView):
    """Prepare one ZIP with the workbook of every strategy the user may see."""

    def start(self):
        return job_start(
            user=self.request.user,
            kind=JobKind.PORTFOLIO,
            title=_("Workbooks of every strategy I can see · %(day)s")
            % {"day": date_format(timezone.localdate(), "DATE_FORMAT")},
            task=tasks.portfolio_export,
            parameters={"language": export_language_or_current(self.request.POST.get("lang"))},
        )


class JobDetailView(TemplateView):
    """Show a job's progress; when it is done, its download or what the import did."""

    template_name = "reports/job_detail.html"

    def get_context_data(self, **kwargs):
        job = job_get(user=self.request.user, pk=self.kwargs["pk"])
        outcome = job.outcome or {}
        return super().get_context_data(
            job=job,
            states=JobState,
            problems=outcome.get("problems", ()),
            outcome=outcome,
            **kwargs,
        )


class JobStatusView(View):
    """Answer the progress page's polling: the job's state, percentage and step, as JSON."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        response = JsonResponse(job_status(user=request.user, pk=self.kwargs["pk"]))
        response["Cache-Control"] = "private, no-store"
        return response


class JobDownloadView(View):
    """Send the file a finished export job made, to the user who started it."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        job = job_get(user=request.user, pk=self.kwargs["pk"])
        if not job.has_download:
            raise Http404("This job has no file to download.")
        try:
            handle = job.file.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404("The file is no longer kept.") from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.download_name,
            content_type=job.content_type or "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class JobListView(ListView):
    """List the user's exports and imports of the last day."""

    template_name = "reports/job_list.html"
    context_object_name = "jobs"

    def get_queryset(self):
        return job_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            states=JobState,
            can_import=permissions.strategy_can_set_up(self.request.user),
            **kwargs,
        )


def import_start(*, request, upload, check_only: bool):
    """Start the import of `upload` as a job of the requesting administrator."""
    if not permissions.strategy_can_set_up(request.user):
        raise PermissionDenied(_("Only administrators import workbooks."))
    verb = "Check" if check_only else "Import"
    return job_start(
        user=request.user,
        kind=JobKind.IMPORT,
        title=f"{verb} of the workbook {upload.name}"[:200],
        task=tasks.workbook_import_job,
        parameters={"check_only": check_only, "filename": upload.name[:200]},
        upload=upload,
    )


urlpatterns = [
    path("jobs/", JobListView.as_view(), name="job_list"),
    path("jobs/portfolio/", PortfolioExportStartView.as_view(), name="portfolio_export_start"),
    path("jobs/<uuid:pk>/", JobDetailView.as_view(), name="job_detail"),
    path("jobs/<uuid:pk>/status/", JobStatusView.as_view(), name="job_status"),
    path("jobs/<uuid:pk>/download/", JobDownloadView.as_view(), name="job_download"),
    path(
        "strategies/<slug:slug>/brief/<int:year>/with-annex/",
        BriefWithAnnexStartView.as_view(),
        name="brief_annex_start",
    ),
    path(
        "strategies/<slug:slug>/workbook/prepare/",
        WorkbookStartView.as_view(),
        name="workbook_start",
    ),
]

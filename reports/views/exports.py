"""Downloads of the brief, the workbook and IATI XML, and the workbook import.

The brief without its annex, a small strategy's workbook and the IATI file answer at once;
the brief with its annex, a large workbook and every import run as jobs (`reports.views.jobs`).

The views only choose the format, name the file and catch failures: an export that fails
sends the user back with a message, never a trace. Every download needs the right to see the
strategy; the import is for administrators.
"""

import datetime
import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from priorities import permissions
from priorities.views import StrategyMixin
from reports.builders import brief_build, brief_date, iati_build, workbook_build
from reports.forms import WorkbookImportForm
from reports.jobs import workbook_is_large
from reports.languages import export_language, export_language_or_current
from reports.render.iati import iati_xml
from reports.render.pdf import brief_pdf
from reports.render.xlsx import workbook_xlsx
from reports.views.jobs import import_start
from reports.views.params import meeting_param

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """Return `content` as a download named `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ExportView(StrategyMixin, View):
    """Build one export of the strategy; on failure, go back to the strategy with a message.

    The export is written in the language `?lang=` names (`da`, `en`), else in the reader's.
    """

    what = "export"
    failure_message = gettext_lazy(
        "The export could not be produced. Nothing was downloaded; please try again, "
        "and tell the administrator if it fails again."
    )
    content_type = "application/octet-stream"

    def render(self) -> bytes:
        raise NotImplementedError

    def filename(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        strategy = self.strategy
        try:
            with translation.override(export_language_or_current(request.GET.get("lang"))):
                content = self.render()
        except Http404:
            raise
        except Exception:
            logger.exception("The %s of %s failed.", self.what, strategy.slug)
            messages.error(request, self.failure_message)
            return HttpResponseRedirect(strategy.get_absolute_url())
        return attachment(content, self.content_type, self.filename())


class BriefDownloadView(ExportView):
    """Download the annual consultation brief of a year as PDF.

    `?as_of=YYYY-MM-DD` reads the brief as of that date, such as a meeting's; a date that is
    not a date, lies after today or before the year the brief reports is refused with a
    message, and nothing is downloaded. `?meeting=<id>` prepares the brief for a meeting of the
    strategy (another strategy's meeting, or none, is a 404): its key messages are the meeting's.
    `?annex=1` asks for the brief with its annex (the strategy's chapters, the frameworks and
    all indicators): a page that prepares it in the background, as a job, with the same meeting
    and date.
    """

    what = "consultation brief"
    failure_message = gettext_lazy(
        "The consultation brief could not be produced. Nothing was downloaded; please try again, "
        "and tell the administrator if it fails again."
    )
    content_type = "application/pdf"

    def get(self, request, *args, **kwargs):
        year = self.kwargs["year"]
        if year not in self.strategy.years:
            raise Http404(f"{year} is outside the strategy period.")
        self.annex = request.GET.get("annex", "") in ("1", "true", "yes")
        self.meeting = meeting_param(strategy=self.strategy, raw=request.GET.get("meeting", ""))
        self.as_of = None
        raw = request.GET.get("as_of", "").strip()
        try:
            if raw:
                try:
                    self.as_of = datetime.date.fromisoformat(raw)
                except ValueError:
                    raise ValidationError(
                        _("The brief's date must be a date written YYYY-MM-DD."), code="invalid"
                    ) from None
            brief_date(year=year, today=timezone.localdate(), as_of=self.as_of)
        except ValidationError as error:
            messages.error(
                request, _("No brief was made. %(reasons)s") % {"reasons": " ".join(error.messages)}
            )
            return HttpResponseRedirect(self.strategy.get_absolute_url())
        if self.annex:
            lang = export_language(request.GET.get("lang"))
            # The annex takes longer than a request should: the page offers to prepare it as a
            # job, with the same meeting and date; a GET starts nothing.
            return TemplateResponse(
                request,
                "reports/brief_annex_start.html",
                {
                    "strategy": self.strategy,
                    "year": year,
                    "meeting": self.meeting,
                    "as_of": self.as_of,
                    "lang": lang,
                    "query": urlencode(
                        {
                            name: value
                            for name, value in (
                                ("meeting", self.meeting.pk if self.meeting else ""),
                                ("as_of", self.as_of.isoformat() if self.as_of else ""),
                                ("lang", lang or ""),
                            )
                            if value
                        }
                    ),
                },
            )
        return super().get(request, *args, **kwargs)

    def render(self) -> bytes:
        return brief_pdf(
            brief_build(
                strategy=self.strategy,
                year=self.kwargs["year"],
                as_of=self.as_of,
                annex=self.annex,
                meeting=self.meeting,
            )
        )

    def filename(self) -> str:
        suffix = "-with-annex" if self.annex else ""
        return f"{self.strategy.slug}-consultation-brief-{self.kwargs['year']}{suffix}.pdf"


class WorkbookDownloadView(ExportView):
    """Download the monitoring workbook as XLSX, at once when it is small.

    A large strategy's workbook (`reports.jobs.workbook_is_large`) takes longer than a request
    should: the user is sent back to the strategy, whose exports panel prepares it as a job.
    """

    what = "monitoring workbook"
    failure_message = gettext_lazy(
        "The monitoring workbook could not be produced. Nothing was downloaded; please try again, "
        "and tell the administrator if it fails again."
    )
    content_type = XLSX

    def get(self, request, *args, **kwargs):
        if workbook_is_large(strategy=self.strategy):
            messages.info(
                request,
                _(
                    "This strategy's workbook is large: choose “Prepare the workbook” under "
                    "Exports, and it is made in the background while you wait on its page."
                ),
            )
            return HttpResponseRedirect(self.strategy.get_absolute_url() + "#exports")
        return super().get(request, *args, **kwargs)

    def render(self) -> bytes:
        return workbook_xlsx(workbook_build(strategy=self.strategy))

    def filename(self) -> str:
        return f"{self.strategy.slug}-monitoring-workbook.xlsx"


class IatiDownloadView(ExportView):
    """Download the IATI activity XML; illustrative records are left out."""

    what = "IATI file"
    failure_message = gettext_lazy(
        "The IATI file could not be produced. Nothing was downloaded; please try again, "
        "and tell the administrator if it fails again."
    )
    content_type = "application/xml"

    def render(self) -> bytes:
        return iati_xml(iati_build(strategy=self.strategy))

    def filename(self) -> str:
        return f"{self.strategy.slug}-iati-activity.xml"


class WorkbookImportView(FormView):
    """Let an administrator create or update a strategy from a workbook."""

    form_class = WorkbookImportForm
    template_name = "reports/workbook_import.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.strategy_can_set_up(request.user):
            raise PermissionDenied(_("Only administrators import workbooks."))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # A workbook of thousands of rows takes longer than a request may: the upload is
        # stored and imported by a worker, and the job's page shows how far it is.
        job = import_start(
            request=self.request,
            upload=form.cleaned_data["file"],
            check_only=form.cleaned_data["check_only"],
        )
        return HttpResponseRedirect(job.get_absolute_url())


urlpatterns = [
    path("strategies/import/", WorkbookImportView.as_view(), name="workbook_import"),
    path(
        "strategies/<slug:slug>/brief/<int:year>.pdf",
        BriefDownloadView.as_view(),
        name="brief_download",
    ),
    path(
        "strategies/<slug:slug>/workbook.xlsx",
        WorkbookDownloadView.as_view(),
        name="workbook_download",
    ),
    path("strategies/<slug:slug>/iati.xml", IatiDownloadView.as_view(), name="iati_download"),
]

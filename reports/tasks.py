"""The background tasks of reports: long exports and the workbook import, one job each.

Each task takes only its job's id: the job holds who asked, for what, and with which
parameters. Each checks again that the user may still do what they asked, since access can
be withdrawn between the click and the worker picking the job up.
"""

import datetime
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.utils import translation
from django.utils.translation import gettext_noop
from django_tasks import task

from engagement.models import Meeting
from priorities import permissions
from priorities.models import Strategy
from priorities.selectors import strategy_list
from reports.builders import brief_build, workbook_build
from reports.importers import WorkbookRefused, workbook_import
from reports.jobs import JobProgress, JobRefused, job_finish, job_run
from reports.languages import export_language
from reports.models import Job
from reports.render.pdf import brief_pdf
from reports.render.xlsx import workbook_xlsx

logger = logging.getLogger(__name__)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def _strategy(job: Job) -> Strategy:
    """Return the job's strategy if its user may still see it; refuse the job otherwise."""
    strategy = (
        Strategy.objects.select_related("organisation").filter(slug=job.strategy_slug).first()
    )
    if strategy is None or not permissions.strategy_can_view(job.user, strategy):
        raise JobRefused(
            gettext_noop(
                "You may no longer see this strategy, or it is gone: nothing was produced."
            )
        )
    return strategy


def workbook_name(strategy: Strategy) -> str:
    """Return the file name of the monitoring workbook of `strategy`."""
    return f"{strategy.slug}-monitoring-workbook.xlsx"


def brief_name(strategy: Strategy, year: int) -> str:
    """Return the file name of the consultation brief of `year` with its annex."""
    return f"{strategy.slug}-consultation-brief-{year}-with-annex.pdf"


def _job_language(job: Job) -> str:
    """Return the language the job's file is written in: the one its user read when starting it."""
    return export_language(job.parameters.get("language")) or settings.LANGUAGE_CODE


def _brief_with_annex(job: Job, progress: JobProgress) -> None:
    strategy = _strategy(job)
    year = int(job.parameters["year"])
    raw = job.parameters.get("as_of")
    as_of = datetime.date.fromisoformat(raw) if raw else None
    meeting_pk = job.parameters.get("meeting")
    meeting = (
        Meeting.objects.filter(strategy=strategy, pk=meeting_pk).first() if meeting_pk else None
    )
    progress(10, gettext_noop("Gathering the brief's figures"))
    with translation.override(_job_language(job)):
        brief = brief_build(strategy=strategy, year=year, as_of=as_of, annex=True, meeting=meeting)
        progress(40, gettext_noop("Setting the brief and its annex as PDF"))
        content = brief_pdf(brief)
    job_finish(
        job=job,
        content=ContentFile(content),
        download_name=brief_name(strategy, year),
        content_type=PDF,
    )


def _workbook(job: Job, progress: JobProgress) -> None:
    strategy = _strategy(job)
    progress(10, gettext_noop("Gathering every table of the strategy"))
    with translation.override(_job_language(job)):
        report = workbook_build(strategy=strategy)
        progress(50, gettext_noop("Writing the workbook"))
        content = workbook_xlsx(report)
    job_finish(
        job=job,
        content=ContentFile(content),
        download_name=workbook_name(strategy),
        content_type=XLSX,
    )


def portfolio_zip_write(*, strategies, target, progress=None) -> None:
    """Write one ZIP into the open binary file `target`: the workbook of each of `strategies`.

    One strategy at a time: its workbook is built, written into the archive and let go before
    the next, so memory holds one workbook whatever the number of strategies.
    """
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, strategy in enumerate(strategies):
            if progress is not None:
                progress(
                    100 * done / len(strategies),
                    f"Workbook {done + 1} of {len(strategies)}: {strategy.title}",
                )
            archive.writestr(
                workbook_name(strategy), workbook_xlsx(workbook_build(strategy=strategy))
            )


def portfolio_name(job: Job) -> str:
    """Return the file name of the portfolio export."""
    return f"strategy-monitor-workbooks-{job.created_at:%Y-%m-%d}.zip"


def _portfolio(job: Job, progress: JobProgress) -> None:
    strategies = list(strategy_list(user=job.user))
    if not strategies:
        raise JobRefused(gettext_noop("You see no strategy, so there is nothing to export."))
    # Spooled to a file on disk, never held in memory whole.
    with tempfile.TemporaryFile() as spool:
        with translation.override(_job_language(job)):
            portfolio_zip_write(strategies=strategies, target=spool, progress=progress)
        spool.seek(0)
        job_finish(
            job=job, content=File(spool), download_name=portfolio_name(job), content_type=ZIP
        )


def _import(job: Job, progress: JobProgress) -> None:
    if not permissions.strategy_can_set_up(job.user):
        raise JobRefused(
            gettext_noop("Only administrators import workbooks: nothing was imported.")
        )
    check_only = bool(job.parameters.get("check_only"))
    filename = job.parameters.get("filename", "")
    progress(1, gettext_noop("Opening the workbook"))
    with job.file.open("rb") as stored:
        data = stored.read()
    try:
        # The importer writes everything in one transaction of its own, or nothing.
        result = workbook_import(data=data, user=job.user, dry_run=check_only, progress=progress)
    except WorkbookRefused as refusal:
        raise JobRefused(
            f"The workbook was not imported: {len(refusal.problems)} problem"
            f"{'' if len(refusal.problems) == 1 else 's'} in {filename or 'the file'}. "
            "Nothing was changed. Correct the workbook and upload it again.",
            outcome={
                "filename": filename,
                "problems": [
                    {
                        "sheet": problem.sheet,
                        "row": problem.row,
                        "column": problem.column,
                        "message": problem.message,
                    }
                    for problem in refusal.problems
                ],
            },
        ) from refusal
    job_finish(
        job=job,
        content=None,
        outcome={
            "filename": filename,
            "summary": result.summary(),
            "strategy_slug": result.strategy_slug,
            "dry_run": result.dry_run,
            "created": [list(item) for item in result.created],
            "updated": [list(item) for item in result.updated],
            "warnings": [str(warning) for warning in result.warnings],
        },
    )


@task()
def brief_with_annex_export(*, job_id: str) -> None:
    """Produce the consultation brief of a year with its annex, as PDF."""
    job_run(job_id=job_id, work=_brief_with_annex)


@task()
def workbook_export(*, job_id: str) -> None:
    """Produce the monitoring workbook of one strategy."""
    job_run(job_id=job_id, work=_workbook)


@task()
def portfolio_export(*, job_id: str) -> None:
    """Produce one ZIP holding the workbook of every strategy the user may see."""
    job_run(job_id=job_id, work=_portfolio)


@task()
def workbook_import_job(*, job_id: str) -> None:
    """Import an uploaded workbook, all or nothing, reporting its progress."""
    job_run(job_id=job_id, work=_import)

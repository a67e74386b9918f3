"""Jobs: long exports and imports that run off the request, with their progress and result.

A page starts a job (`job_start`): the job is written, and its task is handed to the task
backend once the transaction commits, so a worker never looks for a job that is not there yet.
The task (`reports.tasks`) reports its progress (`JobProgress`, one UPDATE each time the
percentage or the step changes) and ends the job with a file (`job_finish`) or with a message
for the user (`job_fail`), in which case nothing is kept. The job's page polls its status.

A finished job and its file are kept for a day (settings.JOB_KEEP_HOURS) for the user who
started it, then `job_prune` removes both. The worker runs it before each job, so an
installation that exports keeps clean by itself; `manage.py prune_jobs` runs it too (`make run`
at start, and the daily jobs in production). A job that never finished (its worker stopped) is
removed a week after it was started.

Progress written from inside an import's single transaction would be invisible to the
progress page until the end. On PostgreSQL it goes through a connection of its own; SQLite
has one writer at a time, so there the page shows the step that began the transaction until
the import ends.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from reports.models import Job, JobKind, JobState
from strategy_monitor.files import stored_file_delete

logger = logging.getLogger(__name__)

# A job that never finished is removed this long after it was started.
STALE_AFTER = datetime.timedelta(days=7)
# How far back the user's list of jobs reaches.
RECENT = datetime.timedelta(days=1)

FAILED_MESSAGE = (
    "The {what} could not be produced. Nothing was kept; please try again, and tell the "
    "administrator if it fails again."
)
# What ending a job writes; the rest (its task's id, written as it is queued) is left alone.
ENDING_FIELDS = (
    "file",
    "download_name",
    "content_type",
    "outcome",
    "state",
    "percent",
    "step",
    "error",
    "finished_at",
    "expires_at",
)
STOPPED_MESSAGE = gettext_noop(
    "The server stopped before this was finished. Nothing was kept; please start it again."
)


class JobRefused(Exception):
    """The task cannot do its work; `message` tells the user why, in plain words."""

    def __init__(self, message: str, *, outcome: dict | None = None):
        self.message = message
        self.outcome = outcome or {}
        super().__init__(message)


def keep_for() -> datetime.timedelta:
    """Return how long a finished job is kept for its user."""
    return datetime.timedelta(hours=settings.JOB_KEEP_HOURS)


def job_start(
    *,
    user,
    kind: str,
    title: str,
    task,
    strategy_slug: str = "",
    parameters: dict | None = None,
    upload: File | None = None,
) -> Job:
    """Write a job for `user` and hand `task` to the backend once the transaction commits.

    `upload` (an import's workbook) is stored with the job first, so that the worker reads it
    from the shared storage rather than from the request that brought it.
    """
    job = Job(
        user=user,
        kind=kind,
        # A long strategy title must not refuse the job: the title only names it in lists.
        title=title[: Job._meta.get_field("title").max_length],
        strategy_slug=strategy_slug,
        parameters=parameters or {},
        step=gettext_noop("Waiting for a worker"),
    )
    job.full_clean(exclude=["file"])
    if upload is not None:
        job.file.save("upload", upload, save=False)
    job.save()
    transaction.on_commit(lambda: _job_enqueue(job=job, task=task))
    return job


def _job_enqueue(*, job: Job, task) -> None:
    try:
        result = task.enqueue(job_id=str(job.pk))
    except Exception:
        logger.exception("The %s job %s could not be queued.", job.kind, job.pk)
        job.refresh_from_db()
        if not job.is_finished:
            job_fail(job=job, error=FAILED_MESSAGE.format(what=job.get_kind_display().lower()))
        return
    # A task that already ran (the immediate backend) has written its own state meanwhile.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])


def job_begin(*, job_id) -> Job | None:
    """Mark the job running and return it, with its user; None if it is gone or already ran."""
    updated = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now(), step="Starting"
    )
    if not updated:
        return None
    return Job.objects.select_related("user").get(pk=job_id)


def job_finish(
    *,
    job: Job,
    content: File | None,
    download_name: str = "",
    content_type: str = "",
    outcome: dict | None = None,
) -> Job:
    """End `job` well: keep `content` (if any) for its user for a day, and say it is ready."""
    now = timezone.now()
    upload = job.file.name if job.kind == JobKind.IMPORT else ""
    if content is not None:
        job.file.save("result", content, save=False)
    elif upload:
        job.file = ""
    job.download_name = download_name
    job.content_type = content_type
    job.outcome = outcome or {}
    job.state = JobState.DONE
    job.percent = 100
    job.step = "Ready"
    job.error = ""
    job.finished_at = now
    job.expires_at = now + keep_for()
    job.save(update_fields=ENDING_FIELDS)
    if upload and upload != job.file.name:
        # The import's workbook has served its purpose; only what it did is kept.
        stored_file_delete(storage=job.file.storage, name=upload)
    return job


def job_fail(*, job: Job, error: str, outcome: dict | None = None) -> Job:
    """End `job` with `error` for its user; no file is kept, not even an import's upload."""
    now = timezone.now()
    name = job.file.name
    job.file = ""
    job.state = JobState.FAILED
    job.error = error
    job.outcome = outcome or {}
    job.step = "Failed"
    job.finished_at = now
    job.expires_at = now + keep_for()
    job.save(update_fields=ENDING_FIELDS)
    if name:
        stored_file_delete(storage=job.file.storage, name=name)
    return job


class JobProgress:
    """Report a running job's percentage and step, writing only when either changes.

    Each write is one UPDATE of one row by its key. Inside a transaction (the import's) the
    write goes through a connection of its own on PostgreSQL, so the progress page sees it
    before the transaction ends; on SQLite, which takes one writer at a time, it is skipped.
    """

    def __init__(self, *, job_id):
        self.job_id = job_id
        self.last: tuple[int, str] | None = None
        self._side = None

    def __call__(self, percent: float, step: str) -> None:
        value = (max(0, min(99, int(percent))), step[:200])
        if value == self.last:
            return
        self.last = value
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(percent=value[0], step=value[1])
            return
        if connection.vendor == "sqlite":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = connection.ops.quote_name(Job._meta.db_table)
        # The table's name is the model's own, quoted; every value is a parameter.
        sql = f"UPDATE {table} SET percent = %s, step = %s WHERE id = %s"  # noqa: S608 # nosec B608
        with self._side.cursor() as cursor:
            cursor.execute(sql, [value[0], value[1], self.job_id])

    def close(self) -> None:
        """Close the connection of its own, if one was opened."""
        if self._side is not None:
            self._side.close()
            self._side = None


def job_run(*, job_id, work: Callable[[Job, JobProgress], None]) -> None:
    """Run `work` for the job `job_id`, ending the job however the work ends.

    `work` ends the job itself with `job_finish`. A `JobRefused` ends it with its message; any
    other failure is logged and ends it with a plain message, so that the user never sees a
    trace, and nothing the work stored is kept.
    """
    job = job_begin(job_id=job_id)
    if job is None:
        return
    # The worker keeps its own house: jobs past their day go before each new one runs.
    try:
        job_prune()
    except Exception:
        logger.exception("Expired jobs could not be removed; they are tried again next time.")
    progress = JobProgress(job_id=job.pk)
    try:
        work(job, progress)
    except JobRefused as refusal:
        job_fail(job=job, error=refusal.message, outcome=refusal.outcome)
    except Exception:
        logger.exception("The %s job %s failed.", job.kind, job.pk)
        job_fail(job=job, error=FAILED_MESSAGE.format(what=job.get_kind_display().lower()))
    except BaseException:
        # The worker is being stopped (a second Ctrl+C or SIGTERM ends the task it runs): say
        # so, rather than leave the job running for ever, and let the worker stop.
        job_fail(job=job, error=STOPPED_MESSAGE)
        raise
    finally:
        progress.close()


def job_prune(*, now: datetime.datetime | None = None) -> int:
    """Remove the jobs whose day is over, and their files; return how many went."""
    now = now or timezone.now()
    expired = Job.objects.filter(expires_at__lte=now) | Job.objects.filter(
        expires_at__isnull=True, created_at__lte=now - STALE_AFTER
    )
    removed = 0
    for job in expired.only("pk", "file"):
        name = job.file.name
        job.delete()
        if name:
            stored_file_delete(storage=job.file.storage, name=name)
        removed += 1
    return removed


# Reads ------------------------------------------------------------------------------------------


def job_get(*, user, pk) -> Job:
    """Return the job `pk` of `user`; anyone else's job is not found."""
    try:
        return Job.objects.get(pk=pk, user=user)
    except (Job.DoesNotExist, ValueError) as error:
        raise Http404("No such job.") from error


def job_status(*, user, pk) -> dict:
    """Return what the progress page polls for: one indexed query, plain values."""
    row = Job.objects.filter(pk=pk, user=user).values("state", "percent", "step", "error").first()
    if row is None:
        raise Http404("No such job.")
    return {
        "state": row["state"],
        "state_label": JobState(row["state"]).label,
        "percent": row["percent"],
        # Steps are kept in English and shown in the reader's language where the catalogue
        # has them; a step naming a record (its title, a count) stays as written.
        "step": gettext(row["step"]) if row["step"] else "",
        "finished": row["state"] in (JobState.DONE, JobState.FAILED),
    }


def workbook_rows(*, strategy) -> int:
    """Return about how many rows the strategy's workbook holds, in one query.

    The workbook's bulk is its indicators with their yearly figures, the money records, the
    risks, the meetings and the action points; the other tables stay small whatever the
    strategy. A workbook of more rows than settings.WORKBOOK_DIRECT_MAX_ROWS (2,000 by
    default: the benchmark writes the IOM strategy's, of about 100, in 0.4 s and one of about
    800 in 0.7 s) is prepared as a job rather than in the request.
    """
    from engagement.models import ActionPoint, Meeting
    from funding.models import Commitment, Disbursement
    from priorities.models import Indicator, IndicatorProgress
    from risks.models import Risk

    def count(queryset) -> Subquery:
        return Subquery(
            queryset.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n")[:1]
        )

    counts = {
        "n_progress": count(
            IndicatorProgress.objects.filter(indicator__priority_area__strategy=strategy)
        ),
        "n_indicators": count(Indicator.objects.filter(priority_area__strategy=strategy)),
        "n_commitments": count(Commitment.objects.filter(line__strategy=strategy)),
        "n_disbursements": count(Disbursement.objects.filter(line__strategy=strategy)),
        "n_risks": count(Risk.objects.filter(strategy=strategy)),
        "n_meetings": count(Meeting.objects.filter(strategy=strategy)),
        "n_actions": count(ActionPoint.objects.filter(strategy=strategy)),
    }
    row = type(strategy).objects.filter(pk=strategy.pk).values(**counts).first() or {}
    return sum(value or 0 for value in row.values())


def workbook_is_large(*, strategy) -> bool:
    """Return whether the strategy's workbook is prepared as a job rather than at once."""
    return workbook_rows(strategy=strategy) > settings.WORKBOOK_DIRECT_MAX_ROWS


def job_list(*, user, now: datetime.datetime | None = None):
    """Return the jobs of `user` of the last day, or still kept, newest first."""
    now = now or timezone.now()
    return Job.objects.filter(user=user, created_at__gte=now - RECENT) | Job.objects.filter(
        user=user, expires_at__gt=now
    )

"""The reports' own records: a job that runs a long export or import off the request.

Everything else reports show is built from the other apps' data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class JobKind(models.TextChoices):
    """What a job makes: an export to download, or an import of a workbook."""

    BRIEF_WITH_ANNEX = "brief_annex", "Consultation brief with its annex"
    WORKBOOK = "workbook", "Monitoring workbook"
    PORTFOLIO = "portfolio", "Workbooks of every strategy"
    IMPORT = "import", "Workbook import"


class JobState(models.TextChoices):
    """Where a job stands; done and failed are final."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def job_upload_to(instance: "Job", filename: str) -> str:
    """Return a storage path for a job's file: per job, never the user's own file name."""
    return f"jobs/{instance.pk.hex}/{uuid.uuid4().hex}"


class Job(models.Model):
    """One long export or import of one user, its progress, and what it left for them.

    A job belongs to the user who started it and to no one else. Its file (the export, or the
    workbook an import reads) lives on the default storage until the job expires, a day after
    it ended; `reports.jobs.job_prune` then removes both.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    # The strategy the job is about, by slug (a portfolio export names none); kept as text so
    # that this record stands on its own and outlives a renamed or deleted strategy.
    strategy_slug = models.SlugField(max_length=100, blank=True)
    title = models.CharField(max_length=200)
    parameters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=job_upload_to, max_length=255, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # What the user reads when the job failed: plain words, never a trace.
    error = models.TextField(blank=True)
    # What an import found or did: its summary, warnings or problems, as plain values.
    outcome = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("user", "-created_at"), name="reports_job_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="reports_job_percent_at_most_100",
                violation_error_message="A job's progress is at most 100 percent.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobState.values),
                name="reports_job_state_known",
                violation_error_message="A job is waiting, running, ready or failed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def has_download(self) -> bool:
        return self.state == JobState.DONE and bool(self.file) and self.kind != JobKind.IMPORT

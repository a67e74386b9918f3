"""Reports are built from the other apps' data; what they keep of their own is the record of
what was sent (the consultation briefs as issued) and the jobs that run long exports and
imports off the request."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from engagement.models import Meeting
from priorities.models import Strategy
from strategy_monitor.models import limited_text_field
from strategy_monitor.validators import text_length_checks

SHA256_PATTERN = r"^[0-9a-f]{64}$"
# What an administrator may still change on an issued brief: its withdrawal, once.
WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")
# Everything else is the record of what was sent, and stays as it was issued.
ISSUED_FIELDS = (
    "strategy_id",
    "year",
    "meeting_id",
    "as_of",
    "with_annex",
    "number",
    "reference",
    "file",
    "sha256",
    "size",
    "issued_by_id",
    "issued_at",
)
CONSULTATION_BRIEF_MARK = "CB"


def reference_prefix(*, acronym: str, year: int) -> str:
    """Return the start of the references of a partner's consultation briefs for `year`.

    Only letters and digits of the acronym are kept, so that a reference reads the same in a
    file name, a URL and the PDF.
    """
    letters = re.sub(r"[^A-Za-z0-9]", "", acronym).upper() or "BRIEF"
    return f"{letters}-{CONSULTATION_BRIEF_MARK}{year}-"


def issued_brief_reference(*, acronym: str, year: int, number: int) -> str:
    """Return a brief's reference, such as IOM-CB2024-01: partner, year, number in that year."""
    return f"{reference_prefix(acronym=acronym, year=year)}{number:02d}"


def issued_brief_upload_to(instance: "IssuedBrief", filename: str) -> str:
    """Return a storage path for an issued brief: per strategy, with a random name.

    The reference is not part of the stored name, so no address of a file can be guessed
    from what the page shows; the download view names the file.
    """
    return f"briefs/strategy-{instance.strategy_id}/{uuid.uuid4().hex}.pdf"


class IssuedBrief(models.Model):
    """A consultation brief as it was sent: its PDF, who issued it, when and for which meeting.

    The record and its file never change after issuing and are never deleted; an
    administrator may withdraw it once, with a reason, and it stays listed as withdrawn.
    The reference is numbered per partner (acronym) and year, so that two strategies of one
    partner that share a year never print the same reference: IOM-CB2024-01, IOM-CB2024-02.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="issued_briefs")
    year = models.PositiveSmallIntegerField(help_text="The year the brief reports on.")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_briefs",
        help_text="The meeting the brief was issued for, if any.",
    )
    as_of = models.DateField(help_text="The date the brief's figures were read as of.")
    with_annex = models.BooleanField(default=False, help_text="The brief carries its annex.")
    number = models.PositiveSmallIntegerField(
        help_text="The brief's number among the partner's briefs of its year."
    )
    reference = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=issued_brief_upload_to, max_length=255)
    sha256 = models.CharField(
        "SHA-256",
        max_length=64,
        validators=[RegexValidator(SHA256_PATTERN, "Not a SHA-256 digest.", code="sha256")],
        help_text="The SHA-256 digest of the stored file, in lower-case hex.",
    )
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = limited_text_field(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # The hex digits themselves are checked by the field's validator; a regular
            # expression in the schema would tie the table to a database's own dialect.
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="issuedbrief_sha256_length",
                violation_error_message="Not a SHA-256 digest.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason="")
                    | (
                        Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                        & ~Q(withdrawal_reason="")
                    )
                ),
                name="issuedbrief_withdrawn_with_reason",
                violation_error_message="A withdrawn brief says when, by whom and why.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="issuedbrief_number_positive",
            ),
            *text_length_checks("withdrawal_reason"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_withdrawn(self) -> bool:
        """Return whether an administrator has withdrawn the brief."""
        return self.withdrawn_at is not None

    @property
    def short_sha256(self) -> str:
        """Return the start of the digest, enough to tell two briefs apart on a page."""
        return self.sha256[:12]

    def get_absolute_url(self) -> str:
        """Return the download of the brief as issued."""
        return reverse(
            "reports:issuedbrief_download",
            kwargs={"slug": self.strategy.slug, "pk": self.pk},
        )

    def download_name(self) -> str:
        """Return the file name of the download: the reference, marked when withdrawn.

        A withdrawn brief is still served exactly as issued; only its name says that it has
        been withdrawn, so that a copy saved from the list does not pass for a current one.
        """
        suffix = "-withdrawn" if self.is_withdrawn else ""
        return f"{self.reference}{suffix}.pdf"

    def _stored(self) -> "IssuedBrief | None":
        if self._state.adding or self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).first()

    def changes_refused(self) -> ValidationError | None:
        """Return why this version of a stored brief may not be saved, or None if it may."""
        stored = self._stored()
        if stored is None:
            return None
        changed = [
            name
            for name in ISSUED_FIELDS
            if getattr(stored, name) != getattr(self, name)
            and not (name == "file" and stored.file.name == self.file.name)
        ]
        if changed:
            return ValidationError(
                _("An issued brief is a record: it is never changed. Issue a new brief instead."),
                code="issued_brief_changed",
            )
        if stored.is_withdrawn and any(
            getattr(stored, name) != getattr(self, name)
            for name in ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason")
        ):
            return ValidationError(
                _("The brief was withdrawn already; its withdrawal stays as recorded."),
                code="issued_brief_withdrawn",
            )
        return None

    def clean(self) -> None:
        """Keep the year in the strategy's period, the meeting in the strategy, the record fixed."""
        errors = {}
        if self.strategy_id is not None:
            strategy = self.strategy
            if self.year is not None and self.year not in strategy.years:
                errors["year"] = ValidationError(
                    _("%(year)s is outside the strategy period %(period)s.")
                    % {"year": self.year, "period": strategy.period},
                    code="year_outside_period",
                )
            if self.meeting_id is not None and self.meeting.strategy_id != self.strategy_id:
                errors["meeting"] = ValidationError(
                    _("The meeting belongs to another strategy."), code="meeting_of_other_strategy"
                )
        if errors:
            raise ValidationError(errors)
        refusal = self.changes_refused()
        if refusal is not None:
            raise refusal

    def save(self, *args, **kwargs):
        """Save a new brief, or a first withdrawal; refuse any other change to a stored one.

        Checked here as well as in clean(), because an issued brief is evidence of what was
        sent: no write path (a script, the shell, a raw admin form) may alter it.
        """
        refusal = self.changes_refused()
        if refusal is not None:
            raise refusal
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refuse: an issued brief is a record and stays, withdrawn if need be."""
        raise ValidationError(
            _("An issued brief is never deleted; an administrator may withdraw it."),
            code="issued_brief_delete",
        )


class JobKind(models.TextChoices):
    """What a job makes: an export to download, or an import of a workbook."""

    BRIEF_WITH_ANNEX = "brief_annex", gettext_lazy("Consultation brief with its annex")
    WORKBOOK = "workbook", gettext_lazy("Monitoring workbook")
    PORTFOLIO = "portfolio", gettext_lazy("Workbooks of every strategy")
    IMPORT = "import", gettext_lazy("Workbook import")


class JobState(models.TextChoices):
    """Where a job stands; done and failed are final."""

    QUEUED = "queued", gettext_lazy("Waiting to start")
    RUNNING = "running", gettext_lazy("Running")
    DONE = "done", gettext_lazy("Ready")
    FAILED = "failed", gettext_lazy("Failed")


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

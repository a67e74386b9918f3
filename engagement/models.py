"""Meetings through which Denmark follows up, their action points, and milestones."""

import datetime
import hmac
import pathlib
import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagement.choices import (
    ActionStatus,
    HighLevelPattern,
    MeetingKind,
    MilestoneKind,
    ReminderStage,
)
from priorities.choices import DueKind
from priorities.models import Organisation, PriorityArea, Strategy
from strategy_monitor.files import stored_file_delete_on_commit
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import TITLE_MAX_LENGTH, text_length_checks, validate_single_line

MAX_SESSIONS = 4
# A key message is a point to raise in a meeting: a few sentences at most.
KEY_MESSAGE_MAX_LENGTH = 1000
SESSION_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def session_dates_parse(text: str) -> list[tuple[int, int]]:
    """Return the (month, day) pairs of "MM-DD, MM-DD"; ValueError names the first bad one."""
    dates = []
    for part in (item.strip() for item in text.replace(";", ",").split(",")):
        if not part:
            continue
        match = SESSION_DATE.match(part)
        if match is None:
            raise ValueError(part)
        month, day = int(match[1]), int(match[2])
        try:
            # A leap year, so that 29 February passes.
            datetime.date(2024, month, day)
        except ValueError as error:
            raise ValueError(part) from error
        dates.append((month, day))
    return dates


class GoverningBody(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """One of the partner's governing bodies, such as its board, and how often it meets."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="governing_bodies"
    )
    key = models.SlugField(
        max_length=40,
        help_text=_("Short and stable: it names the body's planned sessions, e.g. “board”."),
    )
    name = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    short_name = models.CharField(
        max_length=80,
        blank=True,
        validators=[validate_single_line],
        help_text=_("As the pages name it in tight spaces, e.g. “Executive Board”."),
    )
    sessions_per_year = models.PositiveSmallIntegerField(
        default=1,
        help_text=format_lazy(_("Regular sessions a year, 1 to {max}."), max=MAX_SESSIONS),
    )
    session_dates = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "Usual session dates as month-day, e.g. “05-20” or “06-30, 10-31”, one a session; "
            "empty for planning defaults."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name_plural = _("governing bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="governingbody_unique_key",
                violation_error_message=_(
                    "The partner already has a governing body with that key."
                ),
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_year__gte=1, sessions_per_year__lte=MAX_SESSIONS),
                name="governingbody_sessions_range",
                violation_error_message=format_lazy(
                    _("A body meets 1 to {max} times a year."), max=MAX_SESSIONS
                ),
                violation_error_code="sessions_out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Return the short name where there is one, else the name."""
        return self.short_name or self.name

    def clean(self) -> None:
        """Refuse session dates that are not month-day pairs, one for each session."""
        try:
            dates = session_dates_parse(self.session_dates)
        except ValueError as error:
            raise ValidationError(
                {
                    "session_dates": ValidationError(
                        _("“%(value)s” is not a month-day date such as 06-30.") % {"value": error},
                        code="bad_date",
                    )
                }
            ) from error
        if dates and len(dates) != self.sessions_per_year:
            raise ValidationError(
                {
                    "session_dates": ValidationError(
                        _("Give one date for each session a year, or none."), code="date_count"
                    )
                }
            )

    def session_dates_list(self) -> list[tuple[int, int]]:
        """Return the usual session dates as (month, day) pairs; empty when none are set."""
        try:
            return session_dates_parse(self.session_dates)
        except ValueError:
            return []


def _body_of_partner_check(record, strategy: Strategy | None) -> dict[str, ValidationError]:
    """Return the errors of a record's governing body against its kind and strategy."""
    errors = {}
    body = record.body if record.body_id else None
    if record.kind == MeetingKind.GOVERNING_BODY and body is None:
        errors["body"] = ValidationError(_("Say which governing body met."), code="body_required")
    elif record.kind != MeetingKind.GOVERNING_BODY and body is not None:
        errors["body"] = ValidationError(
            _("Only a governing body session names a governing body."), code="body_not_allowed"
        )
    elif body is not None and strategy is not None:
        if body.organisation_id != strategy.organisation_id:
            errors["body"] = ValidationError(
                _("The governing body belongs to another partner."), code="other_partner"
            )
    return errors


class EngagementChannel(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A forum through which a strategy is followed, with the rhythm the document gives it."""

    NATURAL_KEY = ("strategy__slug", "key")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="channels")
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
        help_text=_("The governing body, for a channel of its sessions."),
    )
    name = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    frequency = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        help_text=_("As the document says."),
    )
    per_year = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Meetings a year where stated (0.5 = every second year)."),
    )
    denmark_role = limited_text_field(blank=True)
    description = limited_text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [
            *text_length_checks("denmark_role", "description"),
            models.UniqueConstraint(
                fields=["strategy", "key"],
                name="channel_unique_key",
                violation_error_message=_("The strategy already has a channel with that key."),
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(per_year__isnull=True) | Q(per_year__gt=0),
                name="channel_per_year_positive",
                violation_error_message=_("A rhythm is a positive number of meetings a year."),
                violation_error_code="not_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Name a governing body for a channel of its sessions, one of the strategy's partner."""
        strategy = self.strategy if self.strategy_id else None
        if errors := _body_of_partner_check(self, strategy):
            raise ValidationError(errors)


def minutes_upload_to(instance: "Meeting", filename: str) -> str:
    """Store minutes under their strategy with a random name; the original name is kept apart."""
    extension = pathlib.Path(filename).suffix.lower()[:10]
    return f"minutes/strategy-{instance.strategy_id}/{uuid.uuid4().hex}{extension}"


class Meeting(TimeStampedModel, IllustrativeModel):
    """A meeting with or about the partner, such as an annual consultation."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("governing body"),
        help_text=_("For a governing body session: which body met."),
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    held_on = models.DateField()
    location = models.CharField(max_length=200, validators=[validate_single_line], blank=True)
    participants = limited_text_field(blank=True)
    summary = limited_text_field(blank=True)
    priority_areas = models.ManyToManyField(PriorityArea, blank=True, related_name="meetings")
    minutes = limited_text_field(
        blank=True, help_text=_("The meeting's minutes as text, or upload them as a file.")
    )
    minutes_file = models.FileField(
        upload_to=minutes_upload_to,
        max_length=255,
        blank=True,
        help_text=_("The minutes as a file (PDF or Word), as circulated."),
    )
    minutes_file_name = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        help_text=_("The minutes file's name when uploaded."),
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [*text_length_checks("participants", "summary", "minutes")]
        ordering = ["strategy", "-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def clean(self) -> None:
        """Name a governing body for a governing body session, one of the strategy's partner."""
        strategy = self.strategy if self.strategy_id else None
        if errors := _body_of_partner_check(self, strategy):
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        """Return the kind as shown: the body's name for a governing body session."""
        if self.body_id:
            return self.body.name
        return self.get_kind_display()


class ActionPoint(TimeStampedModel, IllustrativeModel):
    """Something agreed at a meeting that someone must do by a date."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="action_points")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="action_points"
    )
    text = limited_text_field()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_note = limited_text_field(blank=True)
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "due_on", "id"]
        constraints = [
            *text_length_checks("text", "closing_note"),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN) | ~Q(closing_note=""),
                name="actionpoint_closing_note",
                violation_error_message=_("Say how the action point was closed."),
                violation_error_code="note_required",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        """Keep the meeting and priority area within the action point's strategy."""
        errors = {}
        if self.meeting_id and self.meeting.strategy_id != self.strategy_id:
            errors["meeting"] = ValidationError(
                _("The meeting belongs to another strategy."), code="other_strategy"
            )
        if self.priority_area_id and self.priority_area.strategy_id != self.strategy_id:
            errors["priority_area"] = ValidationError(
                _("The priority area belongs to another strategy."), code="other_strategy"
            )
        if self.status != ActionStatus.OPEN and not self.closing_note.strip():
            errors["closing_note"] = ValidationError(
                _("Say how the action point was closed."), code="note_required"
            )
        if errors:
            raise ValidationError(errors)


class KeyMessage(TimeStampedModel, IllustrativeModel):
    """A point Denmark will raise at a meeting, and, after it, whether it was raised and the answer.

    Key messages are internal: they never leave the ministry through IATI or a calendar feed,
    and the API shows them only to the strategy's team. One can become an action point, which
    it then links to.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="key_messages")
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_messages",
        help_text=_("Leave empty for a message on the strategy as a whole."),
    )
    text = limited_text_field(limit=KEY_MESSAGE_MAX_LENGTH)
    order = models.PositiveSmallIntegerField(default=0)
    raised = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("After the meeting: whether Denmark raised the point. Empty until then."),
    )
    answer = limited_text_field(blank=True, help_text=_("The partner's answer, in brief."))
    action_point = models.OneToOneField(
        ActionPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_message",
        help_text=_("The action point this message became."),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            *text_length_checks("text", limit=KEY_MESSAGE_MAX_LENGTH),
            *text_length_checks("answer"),
            models.CheckConstraint(
                condition=Q(raised__isnull=False, raised=True) | Q(answer=""),
                name="engagement_keymessage_answer_when_raised",
                violation_error_code="answer_not_raised",
                violation_error_message=_("Record the partner's answer only for a point raised."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        """Keep the priority area and the action point within the meeting's strategy."""
        errors = {}
        strategy_id = self.meeting.strategy_id if self.meeting_id else None
        if self.priority_area_id and self.priority_area.strategy_id != strategy_id:
            errors["priority_area"] = ValidationError(
                _("The priority area belongs to another strategy."), code="other_strategy"
            )
        if self.action_point_id and self.action_point.strategy_id != strategy_id:
            errors["action_point"] = ValidationError(
                _("The action point belongs to another strategy."), code="other_strategy"
            )
        if self.answer.strip() and self.raised is not True:
            errors["answer"] = ValidationError(
                _("Record the partner's answer only for a point raised."), code="answer_not_raised"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def outcome_label(self) -> str:
        """Return what became of the point: raised, not raised or not yet recorded."""
        if self.raised is None:
            return _("Not yet recorded")
        return _("Raised") if self.raised else _("Not raised")


@receiver(post_delete, sender=Meeting, dispatch_uid="meeting_minutes_file_delete")
def meeting_minutes_file_delete(sender, instance: Meeting, using: str, **kwargs) -> None:
    """Remove a deleted meeting's minutes file once the deletion is committed.

    A signal, because meetings also go in cascades (with their strategy) that no service sees.
    """
    file = instance.minutes_file
    stored_file_delete_on_commit(storage=file.storage, name=file.name, using=using)


class Milestone(TimeStampedModel, IllustrativeModel, SourcedModel):
    """A dated event in the strategy's rhythm that must not be forgotten."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("governing body"),
        help_text=_("For a governing body session: which body meets."),
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    due_on = models.DateField()
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("for the year"),
        help_text=_(
            "The year the milestone is for, where it differs from the due date's: the "
            "parliamentary approval of a year's funds is due in December of the year before."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    done_on = models.DateField(null=True, blank=True)
    note = limited_text_field(blank=True)
    key = models.SlugField(
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Set on milestones generated from the rhythm, so generating again adds none."),
    )
    date_confirmed = models.BooleanField(
        default=False,
        help_text=_(
            "Set once a user moves or confirms the date of a milestone generated from "
            "the rhythm; until then its date is a planning default."
        ),
    )

    history = HistoricalRecords()

    # The record that fulfils the milestone (`priorities.registry.Fulfilment`), set by the
    # selectors that read milestones; never stored, so it cannot go stale.
    fulfilment = None

    class Meta:
        ordering = ["strategy", "due_on"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["strategy", "key"],
                condition=~Q(key=""),
                name="milestone_unique_key",
                violation_error_message=_("This milestone has already been generated."),
                violation_error_code="already_generated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def clean(self) -> None:
        """Refuse a milestone reached on a date that has not come yet, or a stray body."""
        strategy = self.strategy if self.strategy_id else None
        errors = _body_of_partner_check(self, strategy)
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = ValidationError(
                _("A milestone cannot be reached in the future."), code="future"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        """Return the kind as shown: the body's name for a governing body session."""
        if self.body_id:
            return self.body.name
        return self.get_kind_display()

    @property
    def for_year(self) -> int:
        """Return the year the milestone is for: its own, or that of its due date."""
        return self.year or self.due_on.year

    @property
    def is_done(self) -> bool:
        """Return whether the milestone has been reached: closed by hand or fulfilled."""
        return self.done_on is not None or self.fulfilment is not None

    @property
    def closed_on(self) -> datetime.date | None:
        """Return the day the milestone was reached: its record's date, or the day closed."""
        if self.fulfilment is not None:
            return self.fulfilment.done_on
        return self.done_on

    def is_overdue(self, today: datetime.date) -> bool:
        """Return whether the due date has passed with no record and nobody closing it."""
        return not self.is_done and self.due_on < today

    @property
    def is_generated(self) -> bool:
        """Return whether the milestone was generated from the strategy's rhythm."""
        return bool(self.key)

    @property
    def date_is_planning_default(self) -> bool:
        """Return whether a generated due date is still a default: not set by a user, not held."""
        return self.is_generated and not self.date_confirmed and self.done_on is None


def review_report_upload_to(instance: "MidTermReview", filename: str) -> str:
    """Store a review report under its strategy with a random name, as minutes are stored."""
    extension = pathlib.Path(filename).suffix.lower()[:10]
    return f"reviews/strategy-{instance.strategy_id}/{uuid.uuid4().hex}{extension}"


class MidTermReview(TimeStampedModel, IllustrativeModel):
    """The strategy's mid-term review: when it was completed, what it found, and its report.

    A strategy has one: its document plans a single review half-way through the period.
    """

    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="mid_term_review"
    )
    completed_on = models.DateField(
        verbose_name=_("completed on"), help_text=_("The day the review's report was finalised.")
    )
    findings = limited_text_field(
        help_text=_("The review's main findings and recommendations, as the report states them.")
    )
    report_file = models.FileField(
        upload_to=review_report_upload_to,
        max_length=255,
        blank=True,
        help_text=_("The review's report (PDF or Word), as issued."),
    )
    report_file_name = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        help_text=_("The report file's name when uploaded."),
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [*text_length_checks("findings")]
        ordering = ["strategy"]

    def __str__(self) -> str:
        return f"Mid-term review ({self.completed_on})"

    def clean(self) -> None:
        """Refuse a review completed on a day that has not come yet."""
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError(
                {
                    "completed_on": ValidationError(
                        _("A review cannot be completed in the future."), code="future"
                    )
                }
            )


@receiver(post_delete, sender=MidTermReview, dispatch_uid="review_report_file_delete")
def review_report_file_delete(sender, instance: MidTermReview, using: str, **kwargs) -> None:
    """Remove a deleted review's report once the deletion is committed (cascades too)."""
    file = instance.report_file
    stored_file_delete_on_commit(storage=file.storage, name=file.name, using=using)


def years_parse(text: str) -> list[int]:
    """Return the years listed in "2023, 2025"; ValueError names the first that is not one."""
    years = []
    for part in (item.strip() for item in text.replace(";", ",").split(",")):
        if not part:
            continue
        if not part.isdigit() or len(part) != 4:
            raise ValueError(part)
        years.append(int(part))
    return sorted(set(years))


class Rhythm(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """How Denmark follows a strategy through the year: consultations, bodies, dialogues.

    The milestones planned for the strategy follow from it (`engagement.rhythm`). A strategy
    without one is planned with the defaults of a new rhythm, said so on its pages.
    """

    NATURAL_KEY = ("strategy__slug",)

    strategy = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="rhythm")
    high_level_pattern = models.CharField(
        _("high-level consultations"),
        max_length=20,
        choices=HighLevelPattern.choices,
        default=HighLevelPattern.ALTERNATE,
        help_text=_("In a year with a high-level consultation, it replaces the annual one."),
    )
    first_high_level_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Every second year from this one; the period's first year when empty."),
    )
    high_level_years = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The years with a high-level consultation, e.g. “2024, 2027”."),
    )
    high_level_assumed = models.BooleanField(
        _("the years are an assumption"),
        default=True,
        help_text=_(
            "Tick while the document gives no years, e.g. “every second year, or as "
            "deemed necessary”."
        ),
    )
    bodies = models.ManyToManyField(
        GoverningBody,
        blank=True,
        related_name="rhythms",
        verbose_name=_("governing bodies followed"),
        help_text=_("Their regular sessions are planned as milestones."),
    )
    allocation_dialogues_per_year = models.PositiveSmallIntegerField(
        _("allocation dialogues a year"),
        default=2,
        help_text=_(
            "Planned only where the budget has a line whose use is agreed with the partner "
            "in these dialogues; 0 for none."
        ),
    )
    parliamentary_approvals = models.BooleanField(
        _("plan parliamentary approvals"),
        default=True,
        help_text=_("One before each year that has a budget."),
    )
    annual_reports = models.BooleanField(_("plan the partner's annual reports"), default=True)
    year_approvals = models.BooleanField(
        _("plan the approval of each year's progress"),
        default=True,
        help_text=_("One by 31 March after each year, done when the year's progress is approved."),
    )

    history = HistoricalRecords(m2m_fields=[bodies])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(allocation_dialogues_per_year__lte=MAX_SESSIONS),
                name="rhythm_dialogues_range",
                violation_error_message=format_lazy(
                    _("Plan 0 to {max} allocation dialogues a year."), max=MAX_SESSIONS
                ),
                violation_error_code="dialogues_out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Rhythm of {self.strategy}"

    def clean(self) -> None:
        """Keep the high-level years inside the strategy period."""
        if not self.strategy_id:
            return
        years = self.strategy.years
        period = self.strategy.period
        errors = {}
        first = self.first_high_level_year
        if (
            self.high_level_pattern == HighLevelPattern.ALTERNATE
            and first is not None
            and first not in years
        ):
            errors["first_high_level_year"] = ValidationError(
                _("%(year)s is outside the strategy period %(period)s.")
                % {"year": first, "period": period},
                code="outside_period",
            )
        try:
            listed = years_parse(self.high_level_years)
        except ValueError as error:
            errors["high_level_years"] = ValidationError(
                _("“%(value)s” is not a year.") % {"value": error}, code="bad_year"
            )
        else:
            outside = [year for year in listed if year not in years]
            if outside:
                errors["high_level_years"] = ValidationError(
                    _("%(year)s is outside the strategy period %(period)s.")
                    % {"year": outside[0], "period": period},
                    code="outside_period",
                )
            elif self.high_level_pattern == HighLevelPattern.LISTED and not listed:
                errors["high_level_years"] = ValidationError(
                    _("List the years with a high-level consultation."), code="years_required"
                )
        if errors:
            raise ValidationError(errors)

    def high_level_year_set(self) -> set[int]:
        """Return the years of the period with a high-level consultation."""
        years = self.strategy.years
        if self.high_level_pattern == HighLevelPattern.NONE:
            return set()
        if self.high_level_pattern == HighLevelPattern.LISTED:
            try:
                return {year for year in years_parse(self.high_level_years) if year in years}
            except ValueError:
                return set()
        first = self.first_high_level_year or self.strategy.start_year
        return {year for year in years if year >= first and (year - first) % 2 == 0}


class Reminder(models.Model):
    """Record that a user was reminded of an item at one stage, so it is never sent twice.

    The log is itself the record of what was sent, so it keeps no change history of its own.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    item_type = models.CharField(max_length=30, choices=DueKind.choices)
    item_id = models.PositiveBigIntegerField()
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    due_on = models.DateField(help_text=_("The due date the reminder named."))
    title = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_type", "item_id", "stage"],
                name="reminder_once_per_stage",
                violation_error_message=_("This reminder has already been sent."),
                violation_error_code="already_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_item_type_display()} {self.item_id} ({self.stage})"


SELECTOR_LENGTH = 12


def calendar_selector_new() -> str:
    """Return a new public selector: 12 URL-safe characters."""
    return secrets.token_urlsafe(9)


def calendar_secret_new() -> str:
    """Return a new calendar secret."""
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed addresses; renewing it replaces it.

    Calendar programs cannot log in, so the address carries the credential: a public
    selector that finds the row, followed by the secret, compared in constant time. It is
    not kept in the change history, which would otherwise hold every old secret.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    selector = models.CharField(max_length=SELECTOR_LENGTH, unique=True)
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar token of {self.user}"

    @property
    def token(self) -> str:
        """Return the token as it appears in the feed addresses."""
        return f"{self.selector}{self.secret}"

    def matches(self, secret: str) -> bool:
        """Return whether `secret` is this token's secret, compared in constant time."""
        return hmac.compare_digest(self.secret.encode(), secret.encode())

"""Meetings through which Denmark follows up, their action points, and milestones."""

import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind, ReminderStage
from priorities.choices import DueKind
from priorities.models import PriorityArea, Strategy
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import TITLE_MAX_LENGTH, text_length_checks, validate_single_line


class EngagementChannel(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A forum through which a strategy is followed, with the rhythm the document gives it."""

    NATURAL_KEY = ("strategy__slug", "key")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="channels")
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    name = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    frequency = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        help_text="As the document says.",
    )
    per_year = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Meetings a year where stated (0.5 = every second year).",
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
                violation_error_message="The strategy already has a channel with that key.",
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(per_year__isnull=True) | Q(per_year__gt=0),
                name="channel_per_year_positive",
                violation_error_message="A rhythm is a positive number of meetings a year.",
                violation_error_code="not_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStampedModel, IllustrativeModel):
    """A meeting with or about the partner, such as an annual consultation."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    held_on = models.DateField()
    location = models.CharField(max_length=200, validators=[validate_single_line], blank=True)
    participants = limited_text_field(blank=True)
    summary = limited_text_field(blank=True)
    priority_areas = models.ManyToManyField(PriorityArea, blank=True, related_name="meetings")

    history = HistoricalRecords()

    class Meta:
        constraints = [*text_length_checks("participants", "summary")]
        ordering = ["strategy", "-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


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
                violation_error_message="Say how the action point was closed.",
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
                "The meeting belongs to another strategy.", code="other_strategy"
            )
        if self.priority_area_id and self.priority_area.strategy_id != self.strategy_id:
            errors["priority_area"] = ValidationError(
                "The priority area belongs to another strategy.", code="other_strategy"
            )
        if self.status != ActionStatus.OPEN and not self.closing_note.strip():
            errors["closing_note"] = ValidationError(
                "Say how the action point was closed.", code="note_required"
            )
        if errors:
            raise ValidationError(errors)


class Milestone(TimeStampedModel, IllustrativeModel, SourcedModel):
    """A dated event in the strategy's rhythm that must not be forgotten."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    due_on = models.DateField()
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
        help_text="Set on milestones generated from the rhythm, so generating again adds none.",
    )
    date_confirmed = models.BooleanField(
        default=False,
        help_text="Set once a user moves or confirms the date of a milestone generated from "
        "the rhythm; until then its date is a planning default.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "due_on"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["strategy", "key"],
                condition=~Q(key=""),
                name="milestone_unique_key",
                violation_error_message="This milestone has already been generated.",
                violation_error_code="already_generated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def clean(self) -> None:
        """Refuse a milestone reached on a date that has not come yet."""
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError(
                {
                    "done_on": ValidationError(
                        "A milestone cannot be reached in the future.", code="future"
                    )
                }
            )

    @property
    def is_done(self) -> bool:
        """Return whether the milestone has been reached."""
        return self.done_on is not None

    @property
    def is_generated(self) -> bool:
        """Return whether the milestone was generated from the strategy's rhythm."""
        return bool(self.key)

    @property
    def date_is_planning_default(self) -> bool:
        """Return whether a generated due date is still a default: not set by a user, not held."""
        return self.is_generated and not self.date_confirmed and self.done_on is None


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
    due_on = models.DateField(help_text="The due date the reminder named.")
    title = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_type", "item_id", "stage"],
                name="reminder_once_per_stage",
                violation_error_message="This reminder has already been sent.",
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

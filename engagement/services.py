"""Writes for meetings, action points, milestones, calendar tokens and reminders.

Every write runs in one transaction, validates with `full_clean()` and records who made the
change and why in the change history. Edits lock the row and refuse a stale copy.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from engagement.choices import ActionStatus, MeetingKind, ReminderStage
from engagement.models import (
    ActionPoint,
    CalendarToken,
    GoverningBody,
    KeyMessage,
    Meeting,
    MidTermReview,
    Milestone,
    Reminder,
    Rhythm,
    calendar_secret_new,
    calendar_selector_new,
)
from engagement.rhythm import Body, high_level_years, rhythm_plan
from engagement.selectors import (
    actionpoints_open_owned_by,
    due_items,
    milestones_open_owned_by,
    rhythm_get,
    team_owner_by_role,
)
from engagement.validators import minutes_file_check, review_report_check
from priorities.models import PriorityArea, Strategy, TeamMembership
from priorities.permissions import MANAGER_GROUP
from priorities.registry import (
    ALLOCATED_IN_DIALOGUE,
    DueItem,
    fulfilled_kinds,
    strategy_budget_years,
    strategy_traits_get,
)
from priorities.validators import original_name_clean
from strategy_monitor.concurrency import lock_unchanged, stale_error, version_token
from strategy_monitor.files import stored_file_delete, stored_file_delete_on_commit
from strategy_monitor.history import recorded_delete, recorded_save
from strategy_monitor.preferences.services import users_languages
from strategy_monitor.services import model_update

logger = logging.getLogger(__name__)

REMINDER_DAYS = 7
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)
# Meetings are prepared before a strategy starts and action points run on after it ends; a
# date further out is a typing error (and breaks the calendar programs that read the feeds).
YEARS_BEFORE_PERIOD = 2
YEARS_AFTER_PERIOD = 5


def field_error(field: str, message: str, code: str) -> ValidationError:
    """Return an error on `field` that keeps its code (a plain dict of messages loses it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _owner_on_team(strategy: Strategy, owner, *, required: bool) -> None:
    if owner is None:
        if required:
            raise field_error("owner", _("Name the team member who owns it."), "owner_required")
        return
    if not TeamMembership.objects.filter(strategy=strategy, user=owner).exists():
        raise field_error(
            "owner",
            _("%(owner)s is not on the team of this strategy.") % {"owner": owner},
            "not_on_team",
        )


def strategy_date_bounds(strategy: Strategy) -> tuple[datetime.date, datetime.date]:
    """Return the first and last date an engagement record of `strategy` may carry."""
    first_year = max(strategy.start_year - YEARS_BEFORE_PERIOD, datetime.MINYEAR)
    last_year = min(strategy.end_year + YEARS_AFTER_PERIOD, datetime.MAXYEAR)
    return datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)


def dates_in_range_check(*, strategy: Strategy, dates: dict[str, datetime.date | None]) -> None:
    """Refuse dates outside the strategy period widened by two years before and five after."""
    first, last = strategy_date_bounds(strategy)
    errors = {
        name: [
            ValidationError(
                _(
                    "Give a date from %(first)s to %(last)s: the strategy runs "
                    "%(start_year)s-%(end_year)s."
                )
                % {
                    "first": date_format(first, "DATE_FORMAT"),
                    "last": date_format(last, "DATE_FORMAT"),
                    "start_year": strategy.start_year,
                    "end_year": strategy.end_year,
                },
                code="date_out_of_range",
            )
        ]
        for name, value in dates.items()
        if value is not None and not first <= value <= last
    }
    if errors:
        raise ValidationError(errors)


def meeting_check(meeting: Meeting) -> None:
    """Refuse a meeting held outside the dates its strategy allows; no write."""
    dates_in_range_check(strategy=meeting.strategy, dates={"held_on": meeting.held_on})


def priority_areas_check(*, strategy: Strategy, priority_areas: Iterable[PriorityArea]) -> None:
    """Refuse priority areas of another strategy than the meeting's; no write."""
    if any(area.strategy_id != strategy.pk for area in priority_areas):
        raise field_error(
            "priority_areas", "A priority area belongs to another strategy.", "other_strategy"
        )


# --- Meetings and action points ------------------------------------------------------------


@dataclass(frozen=True)
class ActionPointInput:
    """An action point to record with a meeting."""

    text: str
    owner: object | None
    due_on: datetime.date | None
    priority_area: PriorityArea | None = None


def meeting_title_default(
    kind: str, held_on: datetime.date, body: GoverningBody | None = None
) -> str:
    """Return the title a meeting gets when none is given, e.g. "Annual consultation 2024"."""
    if kind == MeetingKind.GOVERNING_BODY and body is not None:
        return f"{body.label} {held_on.year}"
    return f"{MeetingKind(kind).label} {held_on.year}"


def actionpoint_check(action_point: ActionPoint, meeting: Meeting | None) -> None:
    """Refuse an action point without a team member as owner or a due date; no write.

    It may not fall due before the meeting that agreed it.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        _owner_on_team(action_point.strategy, action_point.owner, required=True)
    except ValidationError as error:
        errors.update(error.error_dict)
    if action_point.due_on is None:
        errors["due_on"] = [ValidationError(_("Give a due date."), code="due_required")]
    elif meeting is not None and action_point.due_on < meeting.held_on:
        errors["due_on"] = [
            ValidationError(
                _("An action point cannot fall due before the meeting that agreed it."),
                code="before_meeting",
            )
        ]
    else:
        try:
            dates_in_range_check(
                strategy=action_point.strategy, dates={"due_on": action_point.due_on}
            )
        except ValidationError as error:
            errors.update(error.error_dict)
    try:
        action_point.full_clean()
    except ValidationError as error:
        for name, items in error.error_dict.items():
            errors.setdefault(name, items)
    if errors:
        raise ValidationError(errors)


def meeting_create(
    *,
    strategy: Strategy,
    kind: str,
    held_on: datetime.date,
    body: GoverningBody | None = None,
    title: str = "",
    location: str = "",
    participants: str = "",
    summary: str = "",
    priority_areas: Sequence[PriorityArea] = (),
    action_points: Sequence[ActionPointInput] = (),
    minutes: str = "",
    minutes_upload=None,
    is_illustrative: bool = False,
    user,
) -> Meeting:
    """Record a meeting with the action points it agreed, and its minutes if already taken.

    Errors of the i-th action point are raised under keys `action_points.<i>.<field>`, so a
    form can show them next to that row.
    """
    if minutes_upload is not None:
        _minutes_upload_check(minutes_upload)
    with _minutes_file_guard() as written, transaction.atomic():
        meeting = Meeting(
            strategy=strategy,
            kind=kind,
            body=body,
            held_on=held_on,
            title=title.strip() or meeting_title_default(kind, held_on, body),
            location=location,
            participants=participants,
            summary=summary,
            minutes=minutes,
            is_illustrative=is_illustrative,
        )
        if minutes_upload is not None:
            _minutes_file_set(meeting, minutes_upload, written)
        meeting.full_clean()
        meeting_check(meeting)
        priority_areas_check(strategy=strategy, priority_areas=priority_areas)
        rows = [
            ActionPoint(
                strategy=strategy,
                text=item.text,
                owner=item.owner,
                due_on=item.due_on,
                priority_area=item.priority_area,
            )
            for item in action_points
        ]
        errors = {}
        for index, row in enumerate(rows):
            try:
                actionpoint_check(row, meeting)
            except ValidationError as error:
                for name, items in error.error_dict.items():
                    errors[f"action_points.{index}.{name}"] = items
        if errors:
            raise ValidationError(errors)
        recorded_save(meeting, user=user, reason="Meeting logged")
        meeting.priority_areas.set(priority_areas)
        for row in rows:
            row.meeting = meeting
            recorded_save(row, user=user, reason=f"Action point of {meeting.title}")
    return meeting


MEETING_FIELDS = ("kind", "body", "held_on", "title", "location", "participants", "summary")


def meeting_update(
    *,
    meeting: Meeting,
    kind: str,
    held_on: datetime.date,
    title: str,
    location: str,
    participants: str,
    summary: str,
    priority_areas: Sequence[PriorityArea],
    version: str | None,
    user,
    body: GoverningBody | None = None,
    minutes: str | None = None,
    minutes_upload=None,
    minutes_file_remove: bool = False,
) -> Meeting:
    """Change a meeting's record, unless someone else changed it since `version`.

    `minutes` None leaves the minutes' text as it is. A new `minutes_upload` replaces the
    minutes file, and `minutes_file_remove` removes it; the old stored file goes once the
    change is committed, and a refused change keeps it.
    """
    if minutes_upload is not None:
        _minutes_upload_check(minutes_upload)
    with _minutes_file_guard() as written, transaction.atomic():
        lock_unchanged(meeting, version)
        old_file = meeting.minutes_file.name
        data = {
            "kind": kind,
            "body": body,
            "held_on": held_on,
            "title": title.strip() or meeting_title_default(kind, held_on, body),
            "location": location,
            "participants": participants,
            "summary": summary,
        }
        if minutes is not None:
            data["minutes"] = minutes
        model_update(instance=meeting, fields=(*MEETING_FIELDS, "minutes"), data=data)
        if minutes_upload is not None:
            _minutes_file_set(meeting, minutes_upload, written)
        elif minutes_file_remove:
            meeting.minutes_file = ""
            meeting.minutes_file_name = ""
        meeting.full_clean()
        meeting_check(meeting)
        priority_areas_check(strategy=meeting.strategy, priority_areas=priority_areas)
        recorded_save(meeting, user=user, reason="Meeting edited")
        meeting.priority_areas.set(priority_areas)
        if old_file and old_file != meeting.minutes_file.name:
            stored_file_delete_on_commit(storage=meeting.minutes_file.storage, name=old_file)
    return meeting


def _minutes_upload_check(upload) -> None:
    try:
        minutes_file_check(upload)
    except ValidationError as error:
        raise ValidationError({"minutes_file": [error]}) from error


def _minutes_file_set(meeting: Meeting, upload, written: list) -> None:
    """Put `upload` on the meeting as its minutes file, keeping the file's own name apart."""
    upload.seek(0)
    meeting.minutes_file = upload
    meeting.minutes_file_name = original_name_clean(upload.name)
    written.append(meeting.minutes_file)


@contextmanager
def _minutes_file_guard() -> Iterator[list]:
    """Yield a list for the minutes files a block writes; if the block fails, remove them.

    A file reaches storage when its row is saved, and a rollback takes back the row only.
    """
    written: list = []
    try:
        yield written
    except BaseException:
        for file in written:
            if file.name and getattr(file, "_committed", False):
                stored_file_delete(storage=file.storage, name=file.name)
        raise


def actionpoint_create(
    *,
    meeting: Meeting | None,
    text: str,
    owner,
    due_on: datetime.date | None,
    priority_area: PriorityArea | None = None,
    strategy: Strategy | None = None,
    is_illustrative: bool = False,
    user,
) -> ActionPoint:
    """Add an action point to a meeting, or to `strategy` where no meeting agreed it."""
    with transaction.atomic():
        action_point = ActionPoint(
            strategy=meeting.strategy if meeting is not None else strategy,
            meeting=meeting,
            text=text,
            owner=owner,
            due_on=due_on,
            priority_area=priority_area,
            is_illustrative=is_illustrative,
        )
        actionpoint_check(action_point, meeting)
        reason = f"Action point of {meeting.title}" if meeting is not None else "Action point added"
        recorded_save(action_point, user=user, reason=reason)
    return action_point


def actionpoint_open_check(action_point: ActionPoint) -> None:
    """Refuse to change an action point that is stored as closed; no write."""
    stored = ActionPoint.objects.values_list("status", flat=True).get(pk=action_point.pk)
    if stored != ActionStatus.OPEN:
        raise ValidationError(
            _("The action point is closed; it can no longer be changed."), code="closed"
        )


ACTIONPOINT_FIELDS = ("text", "owner", "due_on", "priority_area")


def actionpoint_update(
    *,
    action_point: ActionPoint,
    text: str,
    owner,
    due_on: datetime.date | None,
    priority_area: PriorityArea | None,
    version: str | None,
    user,
) -> ActionPoint:
    """Change an open action point's text, owner, due date or priority area."""
    with transaction.atomic():
        lock_unchanged(action_point, version)
        actionpoint_open_check(action_point)
        model_update(
            instance=action_point,
            fields=ACTIONPOINT_FIELDS,
            data={"text": text, "owner": owner, "due_on": due_on, "priority_area": priority_area},
        )
        actionpoint_check(action_point, action_point.meeting)
        recorded_save(action_point, user=user, reason="Action point edited")
    return action_point


def actionpoint_close(
    *,
    action_point: ActionPoint,
    status: str,
    closing_note: str,
    version: str | None,
    user,
) -> ActionPoint:
    """Close an open action point as done or dropped, saying how."""
    with transaction.atomic():
        lock_unchanged(action_point, version)
        if action_point.status != ActionStatus.OPEN:
            raise ValidationError(
                _("The action point is already %(status)s.")
                % {"status": action_point.get_status_display().lower()},
                code="already_closed",
            )
        if status not in CLOSED_STATUSES:
            raise field_error(
                "status", _("Close the action point as done or dropped."), "invalid_status"
            )
        action_point.status = status
        action_point.closing_note = closing_note.strip()
        recorded_save(
            action_point,
            user=user,
            reason=f"Action point {action_point.get_status_display().lower()}",
        )
    return action_point


# --- Key messages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyMessageInput:
    """One row of a meeting's key messages as the user left it: new, changed or to remove.

    `key_message` is the stored message the row edits (None for a new one), `version` the
    state the user started from. `order` None puts a new message after the others.
    """

    text: str
    priority_area: PriorityArea | None = None
    order: int | None = None
    key_message: KeyMessage | None = None
    version: str | None = None
    remove: bool = False


KEY_MESSAGE_FIELDS = ("text", "priority_area", "order")


def _row_errors(index: int, error: ValidationError) -> dict[str, list[ValidationError]]:
    if hasattr(error, "error_dict"):
        return {f"key_messages.{index}.{name}": items for name, items in error.error_dict.items()}
    return {f"key_messages.{index}.__all__": error.error_list}


def key_messages_save(
    *, meeting: Meeting, rows: Sequence[KeyMessageInput], user
) -> list[KeyMessage]:
    """Add, change, reorder and remove a meeting's key messages in one save, or none of them.

    Each stored message is locked and refused if someone changed it since the row's version.
    Messages that no row names are left as they are, so a message a colleague added meanwhile
    is never removed unseen. Errors of the i-th row are raised under `key_messages.<i>.<field>`.
    Return the meeting's messages in their order.
    """
    with transaction.atomic():
        next_order = (max(meeting.key_messages.values_list("order", flat=True), default=0) or 0) + 1
        errors: dict[str, list[ValidationError]] = {}
        for index, row in enumerate(rows):
            try:
                next_order = _key_message_row_save(meeting, row, next_order, user)
            except ValidationError as error:
                errors.update(_row_errors(index, error))
        if errors:
            raise ValidationError(errors)
    return list(meeting.key_messages.select_related("priority_area", "action_point"))


def _key_message_row_save(meeting: Meeting, row: KeyMessageInput, next_order: int, user) -> int:
    """Save one row of `key_messages_save`; return the order the next new message takes."""
    message = row.key_message
    if message is not None:
        if message.meeting_id != meeting.pk:
            raise ValidationError(
                _("The key message belongs to another meeting."), code="other_meeting"
            )
        lock_unchanged(message, row.version)
        if row.remove:
            recorded_delete(message, user=user, reason=f"Key message removed from {meeting.title}")
            return next_order
        data = {"text": row.text.strip(), "priority_area": row.priority_area}
        if row.order is not None:
            data["order"] = row.order
        _saved, changed = model_update(instance=message, fields=KEY_MESSAGE_FIELDS, data=data)
        if changed:
            recorded_save(message, user=user, reason=f"Key message of {meeting.title} edited")
        return next_order
    if row.remove:
        return next_order
    message = KeyMessage(
        meeting=meeting,
        text=row.text.strip(),
        priority_area=row.priority_area,
        order=row.order if row.order is not None else next_order,
        drafted_by=user,
    )
    recorded_save(message, user=user, reason=f"Key message drafted for {meeting.title}")
    return max(next_order, message.order) + 1


def meeting_held_check(meeting: Meeting, today: datetime.date | None = None) -> None:
    """Refuse to record what happened at a meeting that has not been held yet; no write."""
    today = today or timezone.localdate()
    if meeting.held_on > today:
        raise ValidationError(
            _(
                "The meeting is on %(held_on)s: record what came of the key messages once it "
                "has been held."
            )
            % {"held_on": date_format(meeting.held_on, "DATE_FORMAT")},
            code="meeting_ahead",
        )


@dataclass(frozen=True)
class KeyMessageOutcome:
    """Whether a key message was raised (None: not yet recorded), and the partner's answer."""

    key_message: KeyMessage
    raised: bool | None
    answer: str = ""
    version: str | None = None


def key_messages_outcome_record(
    *,
    meeting: Meeting,
    outcomes: Sequence[KeyMessageOutcome],
    user,
    today: datetime.date | None = None,
) -> list[KeyMessage]:
    """Record, after the meeting, which key messages were raised and what the partner answered.

    All are saved or none; errors of the i-th outcome come under `key_messages.<i>.<field>`.
    """
    meeting_held_check(meeting, today)
    with transaction.atomic():
        errors: dict[str, list[ValidationError]] = {}
        for index, outcome in enumerate(outcomes):
            message = outcome.key_message
            try:
                if message.meeting_id != meeting.pk:
                    raise ValidationError(
                        _("The key message belongs to another meeting."), code="other_meeting"
                    )
                lock_unchanged(message, outcome.version)
                _saved, changed = model_update(
                    instance=message,
                    fields=("raised", "answer"),
                    data={"raised": outcome.raised, "answer": outcome.answer.strip()},
                )
                if changed:
                    recorded_save(
                        message, user=user, reason=f"Outcome of a key message of {meeting.title}"
                    )
            except ValidationError as error:
                errors.update(_row_errors(index, error))
        if errors:
            raise ValidationError(errors)
    return list(meeting.key_messages.select_related("priority_area", "action_point"))


def key_message_to_action_point(
    *,
    key_message: KeyMessage,
    text: str,
    owner,
    due_on: datetime.date | None,
    version: str | None = None,
    user,
    today: datetime.date | None = None,
) -> ActionPoint:
    """Turn a key message into an action point of its meeting, with its priority area.

    The message then links to the action point. A message becomes an action point once only.
    """
    with transaction.atomic():
        # Read again under a lock, so that two conversions at once cannot both pass the check
        # below, and a colleague's edit meanwhile is neither lost nor overwritten.
        stored = KeyMessage.objects.select_for_update().filter(pk=key_message.pk).order_by()
        key_message = stored.first()
        if key_message is None:
            raise ValidationError(_("The key message has been removed."), code="removed")
        if key_message.action_point_id is not None:
            raise ValidationError(
                _("This key message has already become an action point; edit that one instead."),
                code="already_action_point",
            )
        if version is not None and version_token(key_message) != version:
            raise stale_error(key_message, version)
        meeting = key_message.meeting
        meeting_held_check(meeting, today)
        action_point = actionpoint_create(
            meeting=meeting,
            text=text,
            owner=owner,
            due_on=due_on,
            priority_area=key_message.priority_area,
            user=user,
        )
        key_message.action_point = action_point
        recorded_save(
            key_message, user=user, reason=f"Key message of {meeting.title} became an action point"
        )
    return action_point


# --- Milestones ----------------------------------------------------------------------------


def _milestone_year_check(milestone: Milestone) -> None:
    if milestone.year is not None and milestone.year not in milestone.strategy.years:
        raise field_error(
            "year",
            _("%(year)s is outside the strategy period %(period)s.")
            % {"year": milestone.year, "period": milestone.strategy.period},
            "outside_period",
        )


def milestone_check(milestone: Milestone) -> None:
    """Refuse a milestone owned by someone off the team, or dated outside the allowed range."""
    errors: dict[str, list[ValidationError]] = {}
    for check in (
        lambda: _milestone_year_check(milestone),
        lambda: _owner_on_team(milestone.strategy, milestone.owner, required=False),
        lambda: dates_in_range_check(
            strategy=milestone.strategy,
            dates={"due_on": milestone.due_on, "done_on": milestone.done_on},
        ),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)


def milestone_create(
    *,
    strategy: Strategy,
    kind: str,
    title: str,
    due_on: datetime.date,
    year: int | None = None,
    owner=None,
    note: str = "",
    done_on: datetime.date | None = None,
    source: str = "",
    is_illustrative: bool = False,
    body: GoverningBody | None = None,
    user,
) -> Milestone:
    """Add a milestone by hand."""
    with transaction.atomic():
        milestone = Milestone(
            strategy=strategy,
            kind=kind,
            body=body,
            title=title,
            due_on=due_on,
            year=year,
            owner=owner,
            note=note,
            done_on=done_on,
            source=source,
            is_illustrative=is_illustrative,
        )
        milestone_check(milestone)
        recorded_save(milestone, user=user, reason="Milestone added")
    return milestone


MILESTONE_FIELDS = ("kind", "body", "title", "due_on", "year", "owner", "done_on", "note")


def milestone_update(
    *,
    milestone: Milestone,
    kind: str,
    title: str,
    due_on: datetime.date,
    owner,
    done_on: datetime.date | None,
    note: str,
    version: str | None,
    user,
    date_confirmed: bool = False,
    body: GoverningBody | None = None,
    year: int | None = None,
) -> Milestone:
    """Change a milestone, such as moving its date, unless it changed since `version`.

    Moving the date of a generated milestone, or confirming it, makes the date the user's:
    it is no longer a planning default, and stays so.
    """
    with transaction.atomic():
        lock_unchanged(milestone, version)
        # Read the stored date: a form may already have put the new one on the instance.
        stored_due_on = (
            Milestone.objects.filter(pk=milestone.pk).values_list("due_on", flat=True).first()
        )
        if date_confirmed or (stored_due_on is not None and stored_due_on != due_on):
            milestone.date_confirmed = True
        model_update(
            instance=milestone,
            fields=MILESTONE_FIELDS,
            data={
                "kind": kind,
                "body": body,
                "title": title,
                "due_on": due_on,
                "year": year,
                "owner": owner,
                "done_on": done_on,
                "note": note,
            },
        )
        milestone_check(milestone)
        recorded_save(milestone, user=user, reason="Milestone edited")
    return milestone


def milestone_set_done(*, milestone: Milestone, done_on: datetime.date | None, user) -> Milestone:
    """Mark a milestone reached on `done_on`, or open again with None."""
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if done_on is not None and milestone.done_on is not None:
            raise ValidationError(_("The milestone is already marked done."), code="already_done")
        if done_on is not None and milestone.kind in fulfilled_kinds():
            raise ValidationError(
                _("This milestone is done when its record is: record that instead."),
                code="fulfilled_by_record",
            )
        dates_in_range_check(strategy=milestone.strategy, dates={"done_on": done_on})
        milestone.done_on = done_on
        recorded_save(
            milestone,
            user=user,
            reason="Milestone reached" if done_on else "Milestone opened again",
        )
    return milestone


def midtermreview_save(
    *,
    strategy: Strategy,
    completed_on: datetime.date,
    findings: str,
    report_upload=None,
    report_remove: bool = False,
    version: str | None = None,
    user,
) -> MidTermReview:
    """Record the strategy's mid-term review, or change it unless it changed since `version`.

    Recording it fulfils the mid-term review milestone. A new `report_upload` replaces the
    report, `report_remove` removes it; the old stored file goes once the change is committed.
    """
    if report_upload is not None:
        try:
            review_report_check(report_upload)
        except ValidationError as error:
            raise ValidationError({"report_file": [error]}) from error
    with _minutes_file_guard() as written, transaction.atomic():
        review = (
            MidTermReview.objects.select_for_update().filter(strategy=strategy).order_by().first()
        )
        created = review is None
        if created:
            review = MidTermReview(strategy=strategy)
        else:
            lock_unchanged(review, version)
        old_file = review.report_file.name
        model_update(
            instance=review,
            fields=("completed_on", "findings"),
            data={"completed_on": completed_on, "findings": findings},
        )
        if report_upload is not None:
            report_upload.seek(0)
            review.report_file = report_upload
            review.report_file_name = original_name_clean(report_upload.name)
            written.append(review.report_file)
        elif report_remove:
            review.report_file = ""
            review.report_file_name = ""
        review.full_clean()
        dates_in_range_check(strategy=strategy, dates={"completed_on": completed_on})
        recorded_save(
            review,
            user=user,
            reason="Mid-term review recorded" if created else "Mid-term review edited",
        )
        if old_file and old_file != review.report_file.name:
            stored_file_delete_on_commit(storage=review.report_file.storage, name=old_file)
    return review


def milestone_delete(*, milestone: Milestone, user) -> None:
    """Delete a milestone; a generated one is then never generated again."""
    with transaction.atomic():
        recorded_delete(milestone, user=user, reason="Milestone deleted")


@dataclass(frozen=True)
class GenerationResult:
    """What generating a strategy's milestones created and left alone."""

    created: tuple[Milestone, ...]
    existing: int
    deleted_keys: tuple[str, ...]


def milestones_generate(
    *,
    strategy: Strategy,
    user=None,
    first_high_level_year: int | None = None,
    restore_deleted: bool = False,
) -> GenerationResult:
    """Plan the strategy's milestones from its period and its rhythm (`Rhythm`).

    Idempotent: a milestone is generated once per key. One that exists is left as it is,
    whatever someone changed (its date, owner, title), and one that someone deleted is not
    generated again unless `restore_deleted` asks for it. High-level consultations fall in the
    years the rhythm sets; `first_high_level_year`, when given, replaces them for this run by
    that year and every second year after. See `engagement.rhythm` for the dates. Owners
    default to the team member of the role.
    """
    if first_high_level_year is not None and first_high_level_year not in strategy.years:
        raise field_error(
            "first_high_level_year",
            _("%(year)s is outside the strategy period %(period)s.")
            % {"year": first_high_level_year, "period": strategy.period},
            "outside_period",
        )
    with transaction.atomic():
        # Two generations at once would race for the same keys; the lock lines them up.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        plan, bodies = _rhythm_plan_for(strategy, first_high_level_year)
        existing = set(
            Milestone.objects.filter(strategy=strategy)
            .exclude(key="")
            .values_list("key", flat=True)
        )
        deleted = set()
        if not restore_deleted:
            deleted = (
                set(
                    Milestone.history.filter(strategy_id=strategy.pk, history_type="-")
                    .exclude(key="")
                    .values_list("key", flat=True)
                )
                - existing
            )
        owners = team_owner_by_role(strategy=strategy)
        created = []
        for item in plan:
            if item.key in existing or item.key in deleted:
                continue
            milestone = Milestone(
                strategy=strategy,
                key=item.key,
                kind=item.kind,
                body=bodies.get(item.body_key),
                title=item.title,
                due_on=item.due_on,
                year=item.year,
                owner=owners.get(item.owner_role),
                note=item.note,
            )
            recorded_save(milestone, user=user, reason="Generated from the engagement rhythm")
            created.append(milestone)
    planned_keys = {item.key for item in plan}
    return GenerationResult(
        created=tuple(created),
        existing=len(existing & planned_keys),
        deleted_keys=tuple(sorted(deleted & planned_keys)),
    )


def _rhythm_plan_for(strategy: Strategy, first_high_level_year: int | None):
    """Return the plan of the strategy's rhythm and its followed bodies by key."""
    rhythm = rhythm_get(strategy=strategy)
    if first_high_level_year is not None:
        high_level = high_level_years(strategy.years, first_high_level_year)
    else:
        high_level = rhythm.high_level_year_set()
    followed = rhythm_bodies(rhythm)
    # A channel the strategy records for a body or the dialogues lends them its name.
    channels = list(strategy.channels.order_by("order"))
    channel_names = {}
    allocation_label = ""
    for channel in channels:
        if channel.body_id and channel.body_id not in channel_names:
            channel_names[channel.body_id] = channel.name
        if channel.kind == MeetingKind.ALLOCATION_DIALOGUE and not allocation_label:
            allocation_label = channel.name
    traits = strategy_traits_get(strategy)
    dialogues = rhythm.allocation_dialogues_per_year if ALLOCATED_IN_DIALOGUE in traits else 0
    plan = rhythm_plan(
        start_year=strategy.start_year,
        end_year=strategy.end_year,
        high_level=high_level,
        partner=strategy.organisation.acronym,
        bodies=tuple(
            Body(
                key=body.key,
                name=channel_names.get(body.pk, body.name),
                sessions=body.sessions_per_year,
                dates=tuple(body.session_dates_list()),
            )
            for body in followed
        ),
        allocation_dialogues=dialogues,
        allocation_label=allocation_label,
        approval_years=(
            strategy_budget_years(strategy) if rhythm.parliamentary_approvals else None
        ),
        annual_reports=rhythm.annual_reports,
        year_approvals=rhythm.year_approvals,
        mid_term_review_year=strategy.mid_term_review_year,
        mid_term_review_half=strategy.mid_term_review_half,
    )
    return plan, {body.key: body for body in followed}


def rhythm_bodies(rhythm: Rhythm) -> list[GoverningBody]:
    """Return the bodies a rhythm follows; a rhythm not yet set follows all the partner's."""
    if rhythm.pk:
        return list(rhythm.bodies.order_by("order", "name"))
    return list(
        GoverningBody.objects.filter(organisation_id=rhythm.strategy.organisation_id).order_by(
            "order", "name"
        )
    )


# --- The partner's governing bodies and the strategy's rhythm ----------------------------------

BODY_FIELDS = ("key", "name", "short_name", "sessions_per_year", "session_dates", "order")
RHYTHM_FIELDS = (
    "high_level_pattern",
    "first_high_level_year",
    "high_level_years",
    "high_level_assumed",
    "allocation_dialogues_per_year",
    "parliamentary_approvals",
    "annual_reports",
    "year_approvals",
    "source",
)


def body_key_new(name: str, taken: set[str]) -> str:
    """Return a key for a new body named `name`, numbered past the keys already `taken`."""
    base = slugify(name)[:36] or "body"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def governingbody_save(
    *,
    organisation,
    body: GoverningBody | None = None,
    version: str | None = None,
    user,
    **values,
) -> GoverningBody:
    """Add a governing body to a partner or change one; its key is kept once set."""
    with transaction.atomic():
        if body is None:
            body = GoverningBody(organisation=organisation)
        else:
            lock_unchanged(body, version)
            values.pop("key", None)
        model_update(instance=body, fields=BODY_FIELDS, data=values)
        if body.pk is None:
            siblings = GoverningBody.objects.filter(organisation=organisation)
            if not body.key:
                body.key = body_key_new(
                    body.short_name or body.name, set(siblings.values_list("key", flat=True))
                )
            if not body.order:
                body.order = siblings.count() + 1
        recorded_save(body, user=user, reason="Set up the governing body")
    return body


def governingbody_delete(*, body: GoverningBody, user) -> None:
    """Remove a governing body that no meeting, milestone or channel names yet."""
    with transaction.atomic():
        if body.meetings.exists() or body.milestones.exists() or body.channels.exists():
            raise ValidationError(
                _("Meetings, milestones or channels name the %(name)s, so it cannot be removed.")
                % {"name": body.name},
                code="body_in_use",
            )
        recorded_delete(body, user=user, reason="Removed the governing body")


def rhythm_save(
    *,
    strategy: Strategy,
    bodies: Iterable[GoverningBody],
    version: str | None = None,
    user,
    **values,
) -> Rhythm:
    """Set the strategy's rhythm: its consultations, the bodies followed and what is planned."""
    bodies = list(bodies)
    if any(body.organisation_id != strategy.organisation_id for body in bodies):
        raise field_error("bodies", "A governing body belongs to another partner.", "other_partner")
    with transaction.atomic():
        # Two first saves at once would both create the rhythm; the lock lines them up.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        rhythm = Rhythm.objects.filter(strategy=strategy).first()
        if rhythm is None:
            rhythm = Rhythm(strategy=strategy)
        else:
            lock_unchanged(rhythm, version)
        model_update(instance=rhythm, fields=RHYTHM_FIELDS, data=values)
        recorded_save(rhythm, user=user, reason="Set the engagement rhythm")
        rhythm.bodies.set(bodies)
    return rhythm


# --- Calendar tokens -------------------------------------------------------------------------


def calendar_token_get(*, user) -> CalendarToken:
    """Return the user's calendar token, creating it on first use."""
    token = CalendarToken.objects.filter(user=user).first()
    if token is not None:
        return token
    with transaction.atomic():
        token, _created = CalendarToken.objects.get_or_create(
            user=user,
            defaults={"selector": calendar_selector_new(), "secret": calendar_secret_new()},
        )
    return token


def calendar_token_renew(*, user) -> CalendarToken:
    """Replace the user's calendar token, so that the old feed addresses stop working."""
    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(
            user=user,
            defaults={"selector": calendar_selector_new(), "secret": calendar_secret_new()},
        )
        if not created:
            token.selector = calendar_selector_new()
            token.secret = calendar_secret_new()
            token.save(update_fields=["selector", "secret"])
    logger.info("Calendar token of user %s renewed", user.pk)
    return token


# --- Reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderLine:
    """One item in a reminder e-mail, at the stage it reached."""

    item: DueItem
    stage: str

    @property
    def is_overdue(self) -> bool:
        return self.stage == ReminderStage.OVERDUE


@dataclass(frozen=True)
class ReminderMail:
    """An e-mail sent to one user, listing the items that became due or overdue."""

    user: object
    address: str
    lines: tuple[ReminderLine, ...]


@dataclass
class ReminderRun:
    """The e-mails one run sent and the users it could not reach."""

    mails: list[ReminderMail] = field(default_factory=list)
    failures: list[tuple[object, str]] = field(default_factory=list)


def reminder_stage(item: DueItem, today: datetime.date) -> str:
    """Return the stage an item has reached on `today`: due soon or overdue."""
    return ReminderStage.OVERDUE if item.is_overdue(today) else ReminderStage.DUE_SOON


def reminder_recipients():
    """Return the active users with an e-mail address who can have something due."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(memberships__isnull=False) | Q(groups__name=MANAGER_GROUP) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def _reminder_message(user, lines: Sequence[ReminderLine], base_url: str) -> EmailMessage:
    context = {
        "user": user,
        "overdue": [line for line in lines if line.is_overdue],
        "due_soon": [line for line in lines if not line.is_overdue],
        "base_url": base_url.rstrip("/"),
        "days": REMINDER_DAYS,
        "count": len(lines),
    }
    subject = render_to_string("engagement/email/reminder_subject.txt", context)
    body = render_to_string("engagement/email/reminder.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _reminders_send_one(user, today: datetime.date, base_url: str) -> ReminderMail | None:
    until = today + datetime.timedelta(days=REMINDER_DAYS)
    with transaction.atomic():
        # Lock the user so that two runs at once cannot both send the same reminder.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        sent = set(Reminder.objects.filter(user=user).values_list("item_type", "item_id", "stage"))
        lines = []
        for item in due_items(user=user, until=until):
            stage = reminder_stage(item, today)
            if (item.kind, item.item_id, stage) not in sent:
                lines.append(ReminderLine(item=item, stage=stage))
        if not lines:
            return None
        Reminder.objects.bulk_create(
            Reminder(
                user=user,
                item_type=line.item.kind,
                item_id=line.item.item_id,
                stage=line.stage,
                due_on=line.item.due_on,
                title=line.item.title[:300],
            )
            for line in lines
        )
        # Sent inside the transaction: if sending fails, nothing is recorded as sent.
        _reminder_message(user, lines, base_url).send(fail_silently=False)
    return ReminderMail(user=user, address=user.email, lines=tuple(lines))


def reminders_send(*, today: datetime.date, base_url: str = "") -> ReminderRun:
    """E-mail each user what became due soon or overdue since the last run, once per stage.

    "Due soon" means due within `REMINDER_DAYS` days; "overdue" means the due date has passed.
    Each (user, item, stage) is recorded when sent and never sent again, even if the item's
    date moves. An item first seen when already overdue is sent only as overdue. Each user
    gets at most one e-mail per run, listing all their new items, in their own language.
    """
    run = ReminderRun()
    recipients = list(reminder_recipients())
    languages = users_languages(recipients)
    for user in recipients:
        # One address that fails must not keep the others from their reminders.
        try:
            # Written in the recipient's language, whoever runs the command.
            with translation.override(languages[user.pk]):
                mail = _reminders_send_one(user, today, base_url)
        except Exception as error:
            logger.exception("Reminder to user %s failed", user.pk)
            run.failures.append((user, str(error)))
            continue
        if mail is not None:
            run.mails.append(mail)
    return run


def _successor_on_team(record, successor, team_ids: set[int], what: str) -> None:
    if record.strategy_id not in team_ids:
        raise ValidationError(
            _(
                "%(successor)s is not on the team of %(strategy)s, where the %(what)s "
                "“%(title)s” would go to them. Put them on that team first."
            ),
            code="not_on_team",
            params={
                "successor": successor,
                "strategy": record.strategy,
                "what": what,
                "title": str(record)[:80],
            },
        )


def action_points_hand_over(*, leaver, successor, user, reason: str) -> int:
    """Give `successor` the open action points `leaver` owns; return how many moved.

    The successor must be on the team of each one's strategy, as any owner must.
    """
    team_ids = set(
        TeamMembership.objects.filter(user=successor).values_list("strategy_id", flat=True)
    )
    moved = 0
    for point in actionpoints_open_owned_by(user=leaver).select_for_update(of=("self",)):
        _successor_on_team(point, successor, team_ids, _("action point"))
        point.owner = successor
        recorded_save(point, user=user, reason=reason, validate=False)
        moved += 1
    return moved


def milestones_hand_over(*, leaver, successor, user, reason: str) -> int:
    """Give `successor` the milestones not yet done that `leaver` owns; return how many moved."""
    team_ids = set(
        TeamMembership.objects.filter(user=successor).values_list("strategy_id", flat=True)
    )
    moved = 0
    for milestone in milestones_open_owned_by(user=leaver).select_for_update(of=("self",)):
        _successor_on_team(milestone, successor, team_ids, _("milestone"))
        milestone.owner = successor
        recorded_save(milestone, user=user, reason=reason, validate=False)
        moved += 1
    return moved

"""The yearly workflow: submit, approve, return and reopen a year.

A year moves draft → submitted → approved. A desk officer submits a draft year; a manager
approves it, or returns it to draft with a comment; the approver is never the one who
submitted the year, whatever their rights; a manager may reopen an approved year, with
a reason. Only a draft year takes changes: a submitted year waits for the manager's decision
(returning it opens it again), an approved year is locked. The rule is the model's
(`StrategyYear.edit_check`, called from the records' `clean()`); the services here check it
again after locking the year's row, so that a submission or approval racing an edit cannot let
the edit through. Every write records who made it and why in the change history, and every
edit of an existing record refuses a stale copy (`strategy_monitor.concurrency`).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from priorities.choices import YearState
from priorities.models import StrategyYear
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_save

OWN_SUBMISSION_CODE = "own_submission"

# --- The yearly workflow ----------------------------------------------------------------------


def year_is_own_submission(*, strategy_year: StrategyYear, user) -> bool:
    """Return whether `user` submitted `strategy_year`, which now waits for approval."""
    return (
        strategy_year.state == YearState.SUBMITTED
        and strategy_year.state_changed_by_id is not None
        and strategy_year.state_changed_by_id == user.pk
    )


def year_approve_check(*, strategy_year: StrategyYear, user) -> None:
    """Refuse the approval of a year by the person who submitted it."""
    if year_is_own_submission(strategy_year=strategy_year, user=user):
        raise ValidationError(
            f"You submitted {strategy_year.year} yourself, so someone else must approve it: "
            "the approver of a year is never the person who submitted it.",
            code=OWN_SUBMISSION_CODE,
        )


def _year_transition(
    *,
    strategy_year: StrategyYear,
    version: str | None,
    allowed_from: YearState,
    to: YearState,
    comment: str,
    reason: str,
    user,
    check: Callable[..., None] | None = None,
) -> StrategyYear:
    with transaction.atomic():
        lock_unchanged(strategy_year, version)
        year = StrategyYear.objects.select_for_update().get(pk=strategy_year.pk)
        if year.state != allowed_from:
            raise ValidationError(
                f"{year.year} is {year.get_state_display().lower()}; it must be "
                f"{YearState(allowed_from).label.lower()} for this step.",
                code="invalid_transition",
            )
        if check is not None:
            # On the locked row: who submitted it is read after any racing resubmission.
            check(strategy_year=year, user=user)
        year.state = to
        year.state_changed_at = timezone.now()
        year.state_changed_by = user
        year.state_comment = comment.strip()
        recorded_save(year, user=user, reason=reason + (f": {comment.strip()}" if comment else ""))
    return year


def _comment_required(comment: str, what: str) -> None:
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": ValidationError(f"Give {what}.", code="comment_required")}
        )


def year_submit(
    *, strategy_year: StrategyYear, comment: str = "", version: str | None = None, user
) -> StrategyYear:
    """Submit a draft year for a manager's approval; it is closed to edits meanwhile."""
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.DRAFT,
        to=YearState.SUBMITTED,
        comment=comment,
        reason=f"Submitted {strategy_year.year} for approval",
        user=user,
    )


def year_approve(
    *, strategy_year: StrategyYear, comment: str = "", version: str | None = None, user
) -> StrategyYear:
    """Approve a submitted year, unless `user` submitted it; it is locked from then on."""
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.SUBMITTED,
        to=YearState.APPROVED,
        comment=comment,
        reason=f"Approved {strategy_year.year}",
        user=user,
        check=year_approve_check,
    )


def year_return(
    *, strategy_year: StrategyYear, comment: str, version: str | None = None, user
) -> StrategyYear:
    """Return a submitted year to draft with the changes the manager asks for."""
    _comment_required(comment, "the changes you ask for")
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.SUBMITTED,
        to=YearState.DRAFT,
        comment=comment,
        reason=f"Returned {strategy_year.year} for changes",
        user=user,
    )


def year_reopen(
    *, strategy_year: StrategyYear, reason: str, version: str | None = None, user
) -> StrategyYear:
    """Reopen an approved year for changes, recording why."""
    _comment_required(reason, "the reason for reopening the year")
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.APPROVED,
        to=YearState.DRAFT,
        comment=reason,
        reason=f"Reopened {strategy_year.year}",
        user=user,
    )

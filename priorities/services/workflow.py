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

A year with gaps (an area with no rating, an indicator with no actual, an actual with no
evidence) is submitted only with the desk officer's reason, which the manager reads when
deciding. Submitting e-mails the managers on the strategy's team, or the Manager group where the
team has none; returning e-mails the team's desk officers. Mails go once the change is
committed, so a refused or rolled-back step sends nothing, and a second submission of the same
page is refused as stale before it could send again.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from priorities.choices import TeamRole, YearState
from priorities.models import StrategyYear
from priorities.permissions import MANAGER_GROUP
from priorities.selectors import ReviewGap, year_gaps
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_save
from strategy_monitor.preferences.services import users_languages

logger = logging.getLogger(__name__)

OWN_SUBMISSION_CODE = "own_submission"
GAPS_REASON_CODE = "gaps_reason_required"

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
            _(
                "You submitted %(year)s yourself, so someone else must approve it: "
                "the approver of a year is never the person who submitted it."
            )
            % {"year": strategy_year.year},
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
                _("%(year)s is %(state)s; it must be %(allowed)s for this step.")
                % {
                    "year": year.year,
                    "state": year.get_state_display().lower(),
                    "allowed": YearState(allowed_from).label.lower(),
                },
                code="invalid_transition",
            )
        if check is not None:
            # On the locked row: who submitted it is read after any racing resubmission, and
            # the gaps once no edit of the year can slip in; a check may set what the step keeps.
            check(strategy_year=year, user=user)
        year.state = to
        year.state_changed_at = timezone.now()
        year.state_changed_by = user
        year.state_comment = comment.strip()
        reason += f": {comment.strip()}" if comment.strip() else ""
        if to == YearState.SUBMITTED and year.gaps_reason:
            reason += f" (submitted with gaps: {year.gaps_reason})"
        recorded_save(year, user=user, reason=reason)
    return year


def _comment_required(comment: str, message: str) -> None:
    if not (comment or "").strip():
        raise ValidationError({"comment": ValidationError(message, code="comment_required")})


def year_submit_check(
    *, strategy_year: StrategyYear, gaps_reason: str = ""
) -> tuple[ReviewGap, ...]:
    """Refuse to submit a year with gaps unless the desk officer says why; return the gaps."""
    gaps = year_gaps(strategy_year=strategy_year)
    if gaps and not gaps_reason.strip():
        count = len(gaps)
        raise ValidationError(
            {
                "gaps_reason": ValidationError(
                    ngettext(
                        "%(year)s has %(count)s gap: fill it first, or say why you submit the "
                        "year as it is.",
                        "%(year)s has %(count)s gaps: fill them first, or say why you submit the "
                        "year as it is.",
                        count,
                    )
                    % {"year": strategy_year.year, "count": count},
                    code=GAPS_REASON_CODE,
                )
            }
        )
    return gaps


def year_submit(
    *,
    strategy_year: StrategyYear,
    comment: str = "",
    gaps_reason: str = "",
    version: str | None = None,
    user,
) -> StrategyYear:
    """Submit a draft year for a manager's approval; it is closed to edits meanwhile.

    A year with gaps needs `gaps_reason`, kept with the submission; a year without keeps none.
    The managers are e-mailed once the submission is committed.
    """

    def check(*, strategy_year: StrategyYear, user) -> None:
        gaps = year_submit_check(strategy_year=strategy_year, gaps_reason=gaps_reason)
        strategy_year.gaps_reason = gaps_reason.strip() if gaps else ""

    with transaction.atomic():
        year = _year_transition(
            strategy_year=strategy_year,
            version=version,
            allowed_from=YearState.DRAFT,
            to=YearState.SUBMITTED,
            comment=comment,
            reason=f"Submitted {strategy_year.year} for approval",
            user=user,
            check=check,
        )
        transaction.on_commit(lambda: year_submitted_notify(strategy_year=year, user=user))
    return year


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
    """Return a submitted year to draft with the changes the manager asks for.

    The desk officers are e-mailed the reason once the return is committed.
    """
    _comment_required(comment, _("Give the changes you ask for."))
    with transaction.atomic():
        year = _year_transition(
            strategy_year=strategy_year,
            version=version,
            allowed_from=YearState.SUBMITTED,
            to=YearState.DRAFT,
            comment=comment,
            reason=f"Returned {strategy_year.year} for changes",
            user=user,
        )
        transaction.on_commit(lambda: year_returned_notify(strategy_year=year, user=user))
    return year


def year_reopen(
    *, strategy_year: StrategyYear, reason: str, version: str | None = None, user
) -> StrategyYear:
    """Reopen an approved year for changes, recording why."""
    _comment_required(reason, _("Give the reason for reopening the year."))
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.APPROVED,
        to=YearState.DRAFT,
        comment=reason,
        reason=f"Reopened {strategy_year.year}",
        user=user,
    )


# --- Telling the people who act next -------------------------------------------------------------


def _active_with_address(users) -> list:
    return list(users.filter(is_active=True).exclude(email="").order_by("username").distinct())


def year_submitted_recipients(*, strategy_year: StrategyYear, user) -> list:
    """Return who is told of a submission: the team's managers, else the Manager group.

    The submitter is left out: they may not approve their own submission.
    """
    users = get_user_model().objects.exclude(pk=user.pk)
    team = strategy_year.strategy.team.filter(role=TeamRole.MANAGER)
    if team.exists():
        return _active_with_address(users.filter(memberships__in=team))
    return _active_with_address(users.filter(groups__name=MANAGER_GROUP))


def year_returned_recipients(*, strategy_year: StrategyYear, user) -> list:
    """Return who is told of a return: the desk officers on the strategy's team."""
    team = strategy_year.strategy.team.filter(role=TeamRole.DESK_OFFICER)
    return _active_with_address(
        get_user_model().objects.exclude(pk=user.pk).filter(memberships__in=team)
    )


def year_review_url(strategy_year: StrategyYear) -> str:
    """Return the absolute address of a year's review page, as the e-mails link to it."""
    path = reverse(
        "priorities:strategyyear_review", args=[strategy_year.strategy.slug, strategy_year.year]
    )
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(template: str, recipients: Iterable, context: dict) -> int:
    """Send each recipient the mail of `template`, written in their own language.

    The sender's language plays no part: a manager who reads Danish is written to in Danish
    whoever submitted. The recipients' languages are read in one query for all of them.
    """
    recipients = list(recipients)
    languages = users_languages(recipients)
    messages = []
    for recipient in recipients:
        mail_context = {**context, "recipient": recipient}
        with translation.override(languages[recipient.pk]):
            subject = render_to_string(f"priorities/email/{template}_subject.txt", mail_context)
            body = render_to_string(f"priorities/email/{template}.txt", mail_context)
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[recipient.email],
            )
        )
    if not messages:
        return 0
    # The decision is saved already; a mail server that fails must not turn it into an error.
    try:
        return get_connection(fail_silently=False).send_messages(messages) or 0
    except Exception:
        logger.exception("Could not send the %s e-mails", template)
        return 0


def year_submitted_notify(*, strategy_year: StrategyYear, user) -> int:
    """E-mail the managers that `user` submitted the year; return how many mails went."""
    return _send(
        "year_submitted",
        year_submitted_recipients(strategy_year=strategy_year, user=user),
        {
            "strategy_year": strategy_year,
            "strategy": strategy_year.strategy,
            "submitter": user,
            "gap_count": len(year_gaps(strategy_year=strategy_year)),
            "url": year_review_url(strategy_year),
        },
    )


def year_returned_notify(*, strategy_year: StrategyYear, user) -> int:
    """E-mail the desk officers that `user` returned the year, with the reason."""
    return _send(
        "year_returned",
        year_returned_recipients(strategy_year=strategy_year, user=user),
        {
            "strategy_year": strategy_year,
            "strategy": strategy_year.strategy,
            "manager": user,
            "url": year_review_url(strategy_year),
        },
    )

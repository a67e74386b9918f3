"""Issued consultation briefs: who may issue and withdraw them, issuing, withdrawing, listing.

Issuing builds the brief with its reference, renders the PDF, hashes it, stores the file and
records it, in one transaction: a failure at any step leaves no record and no file. The record
is never changed afterwards, except that an administrator may withdraw it once, with a reason;
the withdrawal shows in the strategy's change log and in the application's log.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement import permissions as engagement_permissions
from engagement.models import Meeting
from priorities import permissions
from priorities.models import Organisation, Strategy, TeamMembership
from reports.builders import BriefIssue, brief_build, brief_date
from reports.models import IssuedBrief, issued_brief_reference, reference_prefix
from reports.render.pdf import brief_pdf
from strategy_monitor.files import stored_file_delete
from strategy_monitor.formats import person_name
from strategy_monitor.history import recorded_save

logger = logging.getLogger(__name__)


# --- Permissions ---------------------------------------------------------------------------------


def issued_brief_can_issue(user, strategy: Strategy) -> bool:
    """Return whether `user` may issue the strategy's briefs: whoever keeps its meetings.

    The brief goes into a meeting, so the team members who log the strategy's meetings issue
    it; administrators may as well, as they may set up and correct everything.
    """
    return engagement_permissions.strategy_can_log_meetings(
        user, strategy
    ) or permissions.user_is_administrator(user)


def issued_brief_can_withdraw(user) -> bool:
    """Return whether `user` may withdraw an issued brief: administrators only."""
    return permissions.user_is_administrator(user)


# --- Reads ---------------------------------------------------------------------------------------


def issued_brief_list(*, strategy: Strategy, meeting: Meeting | None = None) -> QuerySet:
    """Return the strategy's issued briefs, newest first; only a meeting's when one is given.

    Every column a list shows comes with it, in one query.
    """
    briefs = IssuedBrief.objects.filter(strategy=strategy).select_related(
        "strategy", "meeting", "issued_by", "withdrawn_by"
    )
    if meeting is not None:
        briefs = briefs.filter(meeting=meeting)
    return briefs.order_by("-issued_at", "-id")


def issued_brief_get(*, strategy: Strategy, pk: int) -> IssuedBrief:
    """Return one issued brief of the strategy; raise IssuedBrief.DoesNotExist if absent."""
    return issued_brief_list(strategy=strategy).get(pk=pk)


def issued_brief_find(*, slug: str, pk: int, reader) -> IssuedBrief | None:
    """Return the issued brief `pk` of the strategy `slug` with its strategy, in one query.

    The brief carries `reader_on_team`: whether `reader` is on the strategy's team, read in the
    same query. None when there is none; the caller still checks the right to see the strategy.
    """
    return (
        IssuedBrief.objects.select_related("strategy__organisation")
        .annotate(
            reader_on_team=Exists(
                TeamMembership.objects.filter(strategy=OuterRef("strategy"), user_id=reader.pk)
            )
        )
        .filter(strategy__slug=slug, pk=pk)
        .first()
    )


# --- Writes --------------------------------------------------------------------------------------


def _next_number(*, prefix: str) -> int:
    last = IssuedBrief.objects.filter(reference__startswith=prefix).aggregate(last=Max("number"))
    return (last["last"] or 0) + 1


def brief_issue(
    *,
    strategy: Strategy,
    year: int,
    meeting: Meeting | None = None,
    as_of=None,
    annex: bool = False,
    user,
) -> IssuedBrief:
    """Issue the consultation brief of `strategy` for `year`: number, render, hash, store, record.

    The reference is numbered per partner and year while the partner's row is locked, so two
    people issuing at once get consecutive numbers (SQLite serialises writes anyway). Raises
    ValidationError for a year outside the period, another strategy's meeting or a date the
    brief refuses; nothing is stored then, nor when rendering or storing fails.
    """
    if year not in strategy.years:
        raise ValidationError(
            {
                "year": ValidationError(
                    f"{year} is outside the strategy period {strategy.period}.",
                    code="year_outside_period",
                )
            }
        )
    if meeting is not None and meeting.strategy_id != strategy.pk:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("The meeting belongs to another strategy."), code="meeting_of_other_strategy"
                )
            }
        )
    try:
        as_of = brief_date(year=year, today=timezone.localdate(), as_of=as_of)
    except ValidationError as error:
        raise ValidationError({"as_of": error.error_list}) from error

    issued = None
    try:
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(pk=strategy.organisation_id)
            prefix = reference_prefix(acronym=organisation.acronym, year=year)
            number = _next_number(prefix=prefix)
            reference = issued_brief_reference(
                acronym=organisation.acronym, year=year, number=number
            )
            issued_at = timezone.now()
            issue = BriefIssue(
                reference=reference,
                issued_on=timezone.localdate(issued_at),
                issued_by=person_name(user),
            )
            content = brief_pdf(
                brief_build(
                    strategy=strategy,
                    year=year,
                    as_of=as_of,
                    annex=annex,
                    meeting=meeting,
                    issue=issue,
                )
            )
            issued = IssuedBrief(
                strategy=strategy,
                year=year,
                meeting=meeting,
                as_of=as_of,
                with_annex=annex,
                number=number,
                reference=reference,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                issued_by=user,
                issued_at=issued_at,
            )
            issued.file.save(f"{reference}.pdf", ContentFile(content), save=False)
            _stored_check(issued)
            recorded_save(issued, user=user, reason=f"Issued brief {reference}")
    except BaseException as error:
        if issued is not None and issued.file.name:
            stored_file_delete(storage=issued.file.storage, name=issued.file.name)
        if isinstance(error, IntegrityError):
            raise ValidationError(
                _(
                    "Another brief of this partner and year was issued at the same moment; "
                    "nothing was issued. Please issue it again."
                ),
                code="issued_meanwhile",
            ) from error
        raise
    logger.info(
        "Brief %s of %s issued by user %s (sha256 %s, %d bytes).",
        issued.reference,
        strategy.slug,
        user.pk,
        issued.sha256,
        issued.size,
    )
    return issued


def _stored_check(issued: IssuedBrief) -> None:
    """Read the stored file back and refuse to record it unless it is what was rendered."""
    with issued.file.storage.open(issued.file.name, "rb") as stored:
        digest = hashlib.file_digest(stored, "sha256").hexdigest()
    if digest != issued.sha256:
        raise OSError(f"The stored brief {issued.file.name} differs from the rendered one.")


def issued_brief_withdraw(*, issued: IssuedBrief, user, reason: str) -> IssuedBrief:
    """Withdraw an issued brief, for administrators only, with the reason; log it.

    The brief and its file stay as issued and stay listed, marked withdrawn.
    """
    if not issued_brief_can_withdraw(user):
        raise ValidationError(
            _("Only administrators withdraw issued briefs."), code="withdraw_not_allowed"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "withdrawal_reason": ValidationError(
                    _("Say why the brief is withdrawn."), code="reason_required"
                )
            }
        )
    with transaction.atomic():
        issued = IssuedBrief.objects.select_for_update().get(pk=issued.pk)
        if issued.is_withdrawn:
            raise ValidationError(
                _("The brief was withdrawn already."), code="issued_brief_withdrawn"
            )
        issued.withdrawn_at = timezone.now()
        issued.withdrawn_by = user
        issued.withdrawal_reason = reason
        recorded_save(issued, user=user, reason=f"Withdrew brief {issued.reference}: {reason}")
    logger.warning(
        "Brief %s withdrawn by user %s: %s", issued.reference, user.pk, reason.replace("\n", " ")
    )
    return issued

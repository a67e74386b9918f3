"""Writes to the risk register: add, edit, re-rate, close and reopen risks.

A re-rating is a new dated `RiskRating`, never an overwrite; the latest one by date is copied
onto the risk as its current rating. A re-rating dated before the latest one is kept in the
history but does not become the current rating.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.models import PriorityArea, Strategy, TeamMembership
from risks.choices import RATING_MAX, RATING_MIN, RiskStatus
from risks.models import Risk, RiskRating
from risks.selectors import risks_open_owned_by
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_save
from strategy_monitor.services import model_update

RATING_LABELS = {
    "likelihood": gettext_lazy("Likelihood"),
    "impact": gettext_lazy("Impact"),
    "residual_likelihood": gettext_lazy("Residual likelihood"),
    "residual_impact": gettext_lazy("Residual impact"),
}


def _today() -> datetime.date:
    return timezone.localdate()


def rating_values_check(**values) -> None:
    """Refuse ratings that are not whole numbers from 1 to 5; None means not rated."""
    errors = {}
    for field, value in values.items():
        if value is None:
            continue
        label = RATING_LABELS.get(field, field.replace("_", " ").capitalize())
        if isinstance(value, bool) or not isinstance(value, int):
            errors[field] = ValidationError(
                _("%(label)s is rated as a whole number from %(low)s to %(high)s.")
                % {"label": label, "low": RATING_MIN, "high": RATING_MAX},
                code="not_whole_number",
            )
        elif not RATING_MIN <= value <= RATING_MAX:
            errors[field] = ValidationError(
                _("%(label)s is rated from %(low)s to %(high)s; %(value)s is outside.")
                % {"label": label, "low": RATING_MIN, "high": RATING_MAX, "value": value},
                code="out_of_range",
            )
    if errors:
        raise ValidationError(errors)


def next_review_check(next_review: datetime.date | None) -> None:
    """Refuse a next review date in the past; today is allowed."""
    if next_review is not None and next_review < _today():
        raise ValidationError(
            {
                "next_review": ValidationError(
                    _("The next review cannot be in the past: choose %(day)s or a later date.")
                    % {"day": date_format(_today(), "DATE_FORMAT")},
                    code="past_review_date",
                )
            }
        )


def rated_on_check(rated_on: datetime.date) -> None:
    """Refuse a rating dated in the future."""
    if rated_on is not None and rated_on > _today():
        raise ValidationError(
            {
                "rated_on": ValidationError(
                    _("A rating cannot be dated in the future."), code="future_date"
                )
            }
        )


def risk_scope_check(
    *, strategy: Strategy, priority_areas: Iterable[PriorityArea], owner
) -> list[PriorityArea]:
    """Refuse priority areas of another strategy and an owner off its team; return the areas."""
    areas = list(priority_areas)
    if any(area.strategy_id != strategy.pk for area in areas):
        raise ValidationError(
            {
                "priority_areas": ValidationError(
                    _("Link only priority areas of this strategy."), code="other_strategy"
                )
            }
        )
    if (
        owner is not None
        and not TeamMembership.objects.filter(strategy=strategy, user=owner).exists()
    ):
        raise ValidationError(
            {
                "owner": ValidationError(
                    _("The owner must be on the strategy's team."), code="not_on_team"
                )
            }
        )
    return areas


def _unique_key(strategy: Strategy, title: str) -> str:
    base = slugify(title)[:50].strip("-") or "risk"
    taken = set(
        Risk.objects.filter(strategy=strategy, key__startswith=base).values_list("key", flat=True)
    )
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    return key


def risk_create(
    *,
    strategy: Strategy,
    title: str,
    category: str = "",
    description: str = "",
    response: str = "",
    priority_areas: Iterable[PriorityArea] = (),
    owner=None,
    next_review: datetime.date | None = None,
    user,
) -> Risk:
    """Add an unrated risk to the register of `strategy`."""
    with transaction.atomic():
        areas = risk_scope_check(strategy=strategy, priority_areas=priority_areas, owner=owner)
        next_review_check(next_review)
        last = Risk.objects.filter(strategy=strategy).aggregate(last=Max("order"))["last"]
        risk = Risk(
            strategy=strategy,
            key=_unique_key(strategy, title),
            title=title,
            category=category,
            description=description,
            response=response,
            owner=owner,
            next_review=next_review,
            order=(last or 0) + 1,
        )
        recorded_save(risk, user=user, reason="Risk added")
        risk.priority_areas.set(areas)
    return risk


# What the risk form changes on a risk, besides the priority areas it concerns.
RISK_FIELDS = ("title", "category", "description", "response", "owner", "next_review")


def risk_update(
    *,
    risk: Risk,
    version: str | None,
    title: str,
    category: str,
    description: str,
    response: str,
    priority_areas: Iterable[PriorityArea],
    owner,
    next_review: datetime.date | None,
    user,
) -> Risk:
    """Change a risk's details and response, unless someone saved it since `version`.

    A next review date that is changed must not be in the past; a date left as it was may
    have passed, which is what makes the risk overdue.
    """
    with transaction.atomic():
        lock_unchanged(risk, version)
        stored = Risk.objects.get(pk=risk.pk)
        areas = risk_scope_check(strategy=risk.strategy, priority_areas=priority_areas, owner=owner)
        if next_review != stored.next_review:
            next_review_check(next_review)
        values = {
            "title": title,
            "category": category,
            "description": description,
            "response": response,
            "owner": owner,
            "next_review": next_review,
        }
        changed = []
        for name, value in values.items():
            field = Risk._meta.get_field(name)
            before = getattr(stored, field.attname)
            after = value.pk if field.is_relation and value is not None else value
            if after != before:
                changed.append(str(field.verbose_name))
        model_update(instance=risk, fields=RISK_FIELDS, data=values)
        recorded_save(
            risk,
            user=user,
            reason="Changed " + ", ".join(changed) if changed else "Details saved",
        )
        risk.priority_areas.set(areas)
    return risk


# The rating a risk carries as its current one, copied from its latest re-rating.
CURRENT_RATING_FIELDS = (
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "residual_justification",
)


def risk_rate(
    *,
    risk: Risk,
    likelihood: int,
    impact: int,
    residual_likelihood: int | None,
    residual_impact: int | None,
    residual_justification: str,
    note: str,
    rated_on: datetime.date,
    user,
    next_review: datetime.date | None = None,
    is_illustrative: bool = False,
) -> RiskRating:
    """Record a dated re-rating of `risk` and make it the current rating if it is the latest.

    A re-rating dated before the latest existing one is kept in the history but leaves the
    current rating as it is. A rating by a user clears the illustrative label of the current
    rating. `next_review`, when given, becomes the risk's next review date. The returned
    rating's `becomes_current` says whether it became the current rating.
    """
    rating = RiskRating(
        risk=risk,
        rated_on=rated_on,
        rated_by=user,
        likelihood=likelihood,
        impact=impact,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        residual_justification=residual_justification.strip(),
        note=note.strip(),
        is_illustrative=is_illustrative,
    )
    rating_check(rating, next_review=next_review)
    with transaction.atomic():
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        risk_open_check(locked)
        latest = locked.ratings.aggregate(latest=Max("rated_on"))["latest"]
        rating.risk = locked
        # Checked by `rating_check` above, before the risk was locked.
        recorded_save(rating, user=user, reason="Re-rated", validate=False)
        becomes_current = latest is None or rated_on >= latest
        if becomes_current:
            model_update(
                instance=locked,
                fields=CURRENT_RATING_FIELDS,
                data={name: getattr(rating, name) for name in CURRENT_RATING_FIELDS},
            )
            locked.rating_is_illustrative = is_illustrative
        if next_review is not None:
            locked.next_review = next_review
        if becomes_current or next_review is not None:
            recorded_save(
                locked,
                user=user,
                reason=f"Re-rated as of {date_format(rated_on, 'SHORT_DATE_FORMAT')}"
                if becomes_current
                else "Next review date set with an earlier-dated rating",
            )
    rating.becomes_current = becomes_current
    risk.refresh_from_db()
    return rating


def rating_check(rating: RiskRating, *, next_review: datetime.date | None = None) -> None:
    """Refuse a re-rating out of range, half rated or dated in the future; no write."""
    # Every rule of the rating is checked before anything is written, so that a refused
    # rating names all its problems at once.
    errors: dict = {}
    for check in (
        lambda: rating_values_check(
            likelihood=rating.likelihood,
            impact=rating.impact,
            residual_likelihood=rating.residual_likelihood,
            residual_impact=rating.residual_impact,
        ),
        lambda: rated_on_check(rating.rated_on),
        lambda: next_review_check(next_review),
    ):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if not set(RATING_LABELS) & set(errors):
        try:
            rating.full_clean(exclude=list(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def risk_open_check(risk: Risk) -> None:
    """Refuse to re-rate a risk that is closed; pass the risk as just read (or locked)."""
    if risk.status != RiskStatus.OPEN:
        raise ValidationError(
            _("The risk is closed: reopen it before re-rating it."), code="risk_closed"
        )


def risk_close(*, risk: Risk, reason: str, version: str | None = None, user) -> Risk:
    """Close an open risk with the reason why it is no longer followed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "closed_reason": ValidationError(
                    _("Give the reason for closing the risk."), code="reason_required"
                )
            }
        )
    with transaction.atomic():
        lock_unchanged(risk, version)
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        if locked.status == RiskStatus.CLOSED:
            raise ValidationError(_("The risk is already closed."), code="already_closed")
        locked.status = RiskStatus.CLOSED
        locked.closed_reason = reason
        recorded_save(locked, user=user, reason=f"Closed: {reason}")
    risk.refresh_from_db()
    return risk


def risk_reopen(
    *,
    risk: Risk,
    note: str = "",
    next_review: datetime.date | None = None,
    version: str | None = None,
    user,
) -> Risk:
    """Reopen a closed risk; the reason it was closed stays in its change history."""
    next_review_check(next_review)
    with transaction.atomic():
        lock_unchanged(risk, version)
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        if locked.status == RiskStatus.OPEN:
            raise ValidationError(_("The risk is already open."), code="already_open")
        locked.status = RiskStatus.OPEN
        locked.closed_reason = ""
        if next_review is not None:
            locked.next_review = next_review
        note = note.strip()
        recorded_save(locked, user=user, reason=f"Reopened: {note}" if note else "Reopened")
    risk.refresh_from_db()
    return risk


def risks_hand_over(*, leaver, successor, user, reason: str) -> int:
    """Give `successor` the open risks `leaver` owns; return how many moved.

    Closed risks keep the owner they had when they were closed: that is part of their record.
    The successor must be on the team of each risk's strategy, as any owner must.
    """
    team_ids = set(
        TeamMembership.objects.filter(user=successor).values_list("strategy_id", flat=True)
    )
    moved = 0
    for risk in risks_open_owned_by(user=leaver).select_for_update(of=("self",)):
        if risk.strategy_id not in team_ids:
            raise ValidationError(
                _(
                    "%(successor)s is not on the team of %(strategy)s, where the risk “%(title)s” "
                    "would go to them. Put them on that team first."
                ),
                code="not_on_team",
                params={"successor": successor, "strategy": risk.strategy, "title": risk.title},
            )
        risk.owner = successor
        recorded_save(risk, user=user, reason=reason, validate=False)
        moved += 1
    return moved

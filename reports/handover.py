"""Hand a leaver's work to a successor in one step, then close the leaver's account.

Their open action points, the milestones they have not reached, the open risks they own and
their roles on strategy teams move to the successor, each app writing its own records through
its own service. It all happens in one transaction: if anything is refused, nothing moves and
the account stays open. Every record that changes hands is kept in the change log with the
administrator as the one who changed it and a reason that names both people.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagement.selectors import actionpoints_open_owned_by, milestones_open_owned_by
from engagement.services import action_points_hand_over, milestones_hand_over
from priorities.selectors import memberships_of, strategy_label
from priorities.services import team_roles_hand_over
from risks.selectors import risks_open_owned_by
from risks.services import risks_hand_over
from strategy_monitor.formats import person_name


@dataclass(frozen=True)
class HandoverItem:
    """One record that will change hands, as the confirmation page lists it."""

    strategy: str
    title: str
    note: str = ""


@dataclass(frozen=True)
class HandoverPlan:
    """What moves from the leaver to the successor, read before anything is changed."""

    action_points: tuple[HandoverItem, ...]
    milestones: tuple[HandoverItem, ...]
    risks: tuple[HandoverItem, ...]
    team_roles: tuple[HandoverItem, ...]

    @property
    def is_empty(self) -> bool:
        """Return whether the leaver holds nothing to hand over."""
        return not (self.action_points or self.milestones or self.risks or self.team_roles)


@dataclass(frozen=True)
class HandoverResult:
    """How many records of each kind moved."""

    action_points: int
    milestones: int
    risks: int
    team_roles: int


def due_text(day) -> str:
    """Return when an item is due, as the handover lists it: "due 7 December 2026"."""
    return _("due %(date)s") % {"date": date_format(day, "DATE_FORMAT")}


def handover_summary(result: HandoverResult, *, successor) -> str:
    """Return what moved, in one sentence: "Moved 4 action points, … to Anna Berg"."""
    counts = {
        "action_points": ngettext(
            "%(count)s action point", "%(count)s action points", result.action_points
        )
        % {"count": result.action_points},
        "milestones": ngettext("%(count)s milestone", "%(count)s milestones", result.milestones)
        % {"count": result.milestones},
        "risks": ngettext("%(count)s risk", "%(count)s risks", result.risks)
        % {"count": result.risks},
        "team_roles": ngettext("%(count)s team role", "%(count)s team roles", result.team_roles)
        % {"count": result.team_roles},
    }
    return _(
        "Moved %(action_points)s, %(milestones)s, %(risks)s and %(team_roles)s to %(person)s"
    ) % {
        **counts,
        "person": person_name(successor),
    }


def handover_plan(*, leaver, successor=None) -> HandoverPlan:
    """Return what would move from `leaver`; with `successor`, say which roles merge."""
    held = (
        set(memberships_of(user=successor).values_list("strategy_id", "role"))
        if successor is not None
        else set()
    )
    return HandoverPlan(
        action_points=tuple(
            HandoverItem(
                strategy_label(point.strategy),
                point.text,
                due_text(point.due_on) if point.due_on else "",
            )
            for point in actionpoints_open_owned_by(user=leaver)
        ),
        milestones=tuple(
            HandoverItem(
                strategy_label(milestone.strategy),
                milestone.title,
                due_text(milestone.due_on),
            )
            for milestone in milestones_open_owned_by(user=leaver)
        ),
        risks=tuple(
            HandoverItem(strategy_label(risk.strategy), risk.title)
            for risk in risks_open_owned_by(user=leaver)
        ),
        team_roles=tuple(
            HandoverItem(
                strategy_label(membership.strategy),
                membership.get_role_display(),
                _("already held by the successor: kept once")
                if (membership.strategy_id, membership.role) in held
                else "",
            )
            for membership in memberships_of(user=leaver)
        ),
    )


def handover_check(*, leaver, successor) -> None:
    """Refuse a successor who is the leaver, or whose own account is closed."""
    if successor.pk == leaver.pk:
        raise ValidationError(
            _("Choose someone other than the person leaving."), code="successor_is_leaver"
        )
    if not successor.is_active:
        raise ValidationError(
            _("%(successor)s's account is deactivated: choose someone who still works here."),
            code="successor_inactive",
            params={"successor": person_name(successor)},
        )


def work_hand_over(*, leaver, successor, user) -> HandoverResult:
    """Move the leaver's open work and team roles to `successor`, then deactivate the leaver.

    Team roles move first, so the successor is on every team whose records they take over.
    """
    handover_check(leaver=leaver, successor=successor)
    reason = f"Handed over from {person_name(leaver)} to {person_name(successor)}"
    with transaction.atomic():
        team_roles = team_roles_hand_over(
            leaver=leaver, successor=successor, user=user, reason=reason
        )
        result = HandoverResult(
            action_points=action_points_hand_over(
                leaver=leaver, successor=successor, user=user, reason=reason
            ),
            milestones=milestones_hand_over(
                leaver=leaver, successor=successor, user=user, reason=reason
            ),
            risks=risks_hand_over(leaver=leaver, successor=successor, user=user, reason=reason),
            team_roles=team_roles,
        )
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
    return result

"""Hand a leaver's team roles to their successor."""

from priorities.selectors import memberships_of
from strategy_monitor.history import recorded_delete, recorded_save


def team_roles_hand_over(*, leaver, successor, user, reason: str) -> int:
    """Give `successor` every role `leaver` holds on a team; return how many roles were handed.

    A role the successor already holds on that team is kept once: the leaver's row goes, so
    the team never lists the same person twice in one role. Every other row changes hands,
    which the team's change log records as such.
    """
    held = set(memberships_of(user=successor).values_list("strategy_id", "role"))
    handed = 0
    for membership in memberships_of(user=leaver).select_for_update(of=("self",)):
        if (membership.strategy_id, membership.role) in held:
            recorded_delete(membership, user=user, reason=reason)
        else:
            membership.user = successor
            recorded_save(membership, user=user, reason=reason)
            held.add((membership.strategy_id, membership.role))
        handed += 1
    return handed

"""Who may change meetings, action points and milestones: the strategy's team.

A thin layer over `priorities.permissions`, so that every engagement page asks the same
question in the same words. Everyone who may see a strategy may read its engagement pages.
"""

from priorities import permissions
from priorities.choices import TeamRole


def strategy_can_log_meetings(user, strategy) -> bool:
    """Return whether `user` may log meetings and take, edit and close action points."""
    return permissions.strategy_can_log_meetings(user, strategy)


def strategy_can_plan_milestones(user, strategy) -> bool:
    """Return whether `user` may add, move, mark done, delete and generate milestones."""
    return permissions.strategy_can_log_meetings(user, strategy)


def strategy_can_record_review(user, strategy) -> bool:
    """Return whether `user` may record the mid-term review: desk officers and managers.

    The team's desk officers and managers, and the managers who approve the strategy's years.
    """
    return (
        user.is_superuser
        or bool(
            permissions.strategy_roles(user, strategy) & {TeamRole.DESK_OFFICER, TeamRole.MANAGER}
        )
        or permissions.strategy_can_approve(user, strategy)
    )


def strategy_can_view(user, strategy) -> bool:
    """Return whether `user` may read the strategy's meetings and milestones."""
    return permissions.strategy_can_view(user, strategy)


def strategy_can_read_key_messages_anywhere(user, strategy) -> bool:
    """Return whether `user` may read the strategy's key messages outside its pages (the API).

    Key messages are internal: beyond the meeting's page, only the strategy's team and the
    administrators read them. A manager who is not on the team sees them on the page only.
    """
    return permissions.user_is_administrator(user) or bool(
        permissions.strategy_roles(user, strategy)
    )

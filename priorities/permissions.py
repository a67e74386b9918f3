"""Who may see and change what: one place for every permission question about a strategy.

Managers and administrators see every strategy; everyone else sees the strategies whose team
they are on. What a team member may change follows from their role on that team; an observer
is on the team to read it and changes nothing.
"""

from priorities.choices import TeamRole

MANAGER_GROUP = "Manager"
OBSERVER_GROUP = "Observer"
ADMINISTRATOR_GROUP = "Administrator"
ROLE_GROUPS = {
    TeamRole.DESK_OFFICER: "Desk officer",
    TeamRole.FINANCIAL_OFFICER: "Financial officer",
    TeamRole.MISSION_STAFF: "Mission staff",
    TeamRole.MANAGER: MANAGER_GROUP,
    TeamRole.OBSERVER: OBSERVER_GROUP,
}
# Roles on a team that change something; every change permission follows from one of these.
WRITING_ROLES = frozenset(set(TeamRole) - {TeamRole.OBSERVER})
ALL_GROUPS = [*ROLE_GROUPS.values(), ADMINISTRATOR_GROUP]


def _group_names(user) -> frozenset[str]:
    # Cached on the user object so a page asks the database once, however many checks it makes.
    if not hasattr(user, "_strategy_monitor_groups"):
        user._strategy_monitor_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._strategy_monitor_groups


def _team_roles(user) -> dict[int, frozenset[str]]:
    if not hasattr(user, "_strategy_monitor_roles"):
        roles: dict[int, set[str]] = {}
        for strategy_id, role in user.memberships.values_list("strategy_id", "role"):
            roles.setdefault(strategy_id, set()).add(role)
        user._strategy_monitor_roles = {key: frozenset(value) for key, value in roles.items()}
    return user._strategy_monitor_roles


def user_is_administrator(user) -> bool:
    """Return whether `user` may set up strategies and their teams."""
    return user.is_authenticated and (
        user.is_superuser or ADMINISTRATOR_GROUP in _group_names(user)
    )


def user_is_manager(user) -> bool:
    """Return whether `user` is a manager, who reviews and approves across strategies."""
    return user.is_authenticated and (user.is_superuser or MANAGER_GROUP in _group_names(user))


def user_team_roles(user) -> frozenset[str]:
    """Return every role `user` holds on any strategy's team."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(role for roles in _team_roles(user).values() for role in roles)


def user_in_manager_group(user) -> bool:
    """Return whether `user` belongs to the Manager group, superuser or not."""
    return user.is_authenticated and MANAGER_GROUP in _group_names(user)


def user_sees_all_strategies(user) -> bool:
    """Return whether `user` may see every strategy, not only those of their teams."""
    return user_is_manager(user) or user_is_administrator(user)


def strategy_roles(user, strategy) -> frozenset[str]:
    """Return the roles `user` holds on the team of `strategy`."""
    if not user.is_authenticated:
        return frozenset()
    return _team_roles(user).get(strategy.pk, frozenset())


def strategy_can_view(user, strategy, *, on_team: bool | None = None) -> bool:
    """Return whether `user` may see `strategy` at all.

    `on_team` says whether the user is on the strategy's team when the caller read that with
    the record it serves (a download asked for often); the team roles are then not read again.
    """
    # The team's own roles first: most readers are on the team, and the roles are read once per
    # request for the page's other checks anyway, so the groups are read only for outsiders.
    if on_team is None:
        on_team = bool(strategy_roles(user, strategy))
    return on_team or user_sees_all_strategies(user)


def strategy_can_log_progress(user, strategy) -> bool:
    """Return whether `user` may log progress, ratings and risks: the team's desk officers."""
    return user.is_superuser or TeamRole.DESK_OFFICER in strategy_roles(user, strategy)


def strategy_can_record_funding(user, strategy) -> bool:
    """Return whether `user` may record approvals, commitments and disbursements."""
    return user.is_superuser or TeamRole.FINANCIAL_OFFICER in strategy_roles(user, strategy)


def strategy_can_log_meetings(user, strategy) -> bool:
    """Return whether `user` may log meetings and action points: any member but an observer."""
    return user.is_superuser or bool(strategy_roles(user, strategy) & WRITING_ROLES)


def strategy_can_approve(user, strategy) -> bool:
    """Return whether `user` may approve submitted years and decide allocations."""
    return strategy_can_view(user, strategy) and user_is_manager(user)


def strategy_can_set_up(user, strategy=None) -> bool:
    """Return whether `user` may create strategies or change their structure and team."""
    return user_is_administrator(user)

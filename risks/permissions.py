"""Who may change the risk register: the rules of progress logging, applied to risks."""

from priorities.permissions import strategy_can_log_progress, strategy_can_view


def risk_can_view(user, strategy) -> bool:
    """Return whether `user` may read the risk register of `strategy`."""
    return strategy_can_view(user, strategy)


def risk_can_edit(user, strategy) -> bool:
    """Return whether `user` may add, re-rate, edit, close and reopen risks of `strategy`."""
    return strategy_can_log_progress(user, strategy)

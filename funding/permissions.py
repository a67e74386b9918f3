"""Who may read and change the money side of a strategy.

Wraps the strategy-wide rules of `priorities.permissions`: everyone who may see a strategy reads
its funding; the financial officers of its team record approvals, commitments, disbursements,
allocation rounds and the partner's proposals; managers decide on the proposals.
"""

from priorities import permissions


def funding_can_view(user, strategy) -> bool:
    """Return whether `user` may read the funding pages of `strategy`."""
    return permissions.strategy_can_view(user, strategy)


def funding_can_record(user, strategy) -> bool:
    """Return whether `user` may record approvals, commitments, disbursements and proposals."""
    return permissions.strategy_can_record_funding(user, strategy)


def funding_can_revise_plan(user, strategy) -> bool:
    """Return whether `user` may record a revised planned amount: its financial officers and
    the administrators who set the budget up."""
    return funding_can_record(user, strategy) or permissions.strategy_can_set_up(user, strategy)


def funding_can_decide(user, strategy) -> bool:
    """Return whether `user` may approve or reject proposed allocations."""
    return permissions.strategy_can_approve(user, strategy)

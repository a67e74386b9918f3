"""The engagement records in the strategy's change log: meetings, action points, the review.

The partner's governing bodies keep a history of their own (shown in the admin) but are the
partner's, shared by its strategies, like the partner itself: no strategy's log lists them.
"""

from strategy_monitor.changelog import register
from strategy_monitor.changes import short_text


def register_tracked() -> None:
    """Add the monitored engagement models to the change log."""
    register("engagement.Meeting", path="strategy", title="Meeting", name=lambda h: h.title)
    register(
        "engagement.KeyMessage",
        path="meeting__strategy",
        title="Key message",
        name=lambda h: short_text(h.text, 10),
    )
    register(
        "engagement.ActionPoint",
        path="strategy",
        title="Action point",
        name=lambda h: short_text(h.text, 10),
    )
    register("engagement.Milestone", path="strategy", title="Milestone", name=lambda h: h.title)
    register(
        "engagement.MidTermReview",
        path="strategy",
        title="Mid-term review",
        name=lambda h: "Mid-term review",
    )
    register(
        "engagement.Rhythm",
        path="strategy",
        title="Engagement rhythm",
        name=lambda h: "Engagement rhythm",
    )

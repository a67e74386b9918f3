"""The engagement records in the strategy's change log: meetings, action points, the review.

The partner's governing bodies keep a history of their own (shown in the admin) but are the
partner's, shared by its strategies, like the partner itself: no strategy's log lists them.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategy_monitor.changelog import register
from strategy_monitor.changes import short_text


def register_tracked() -> None:
    """Add the monitored engagement models to the change log."""
    register("engagement.Meeting", path="strategy", title=_("Meeting"), name=lambda h: h.title)
    register(
        "engagement.KeyMessage",
        path="meeting__strategy",
        title=_("Key message"),
        name=lambda h: short_text(h.text, 10),
    )
    register(
        "engagement.ActionPoint",
        path="strategy",
        title=_("Action point"),
        name=lambda h: short_text(h.text, 10),
    )
    register("engagement.Milestone", path="strategy", title=_("Milestone"), name=lambda h: h.title)
    register(
        "engagement.MidTermReview",
        path="strategy",
        title=_("Mid-term review"),
        name=lambda h: gettext("Mid-term review"),
    )
    register(
        "engagement.Rhythm",
        path="strategy",
        title=_("Engagement rhythm"),
        name=lambda h: gettext("Engagement rhythm"),
    )

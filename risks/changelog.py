"""The risk register in the strategy's change log: risks and their ratings."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy_monitor.changelog import path_value, register
from strategy_monitor.changes import short_text


def register_tracked() -> None:
    """Add the monitored risk models to the change log."""
    register(
        "risks.Risk",
        path="strategy",
        title=gettext_lazy("Risk"),
        name=lambda h: short_text(h.title, 10),
    )
    register(
        "risks.RiskRating",
        path="risk__strategy",
        title=gettext_lazy("Risk rating"),
        related=("risk",),
        name=lambda h: (
            _("Rating of %(title)s (%(day)s)")
            % {
                "title": short_text(path_value(h, "risk.title", _("a risk")), 8),
                "day": date_format(h.rated_on, "SHORT_DATE_FORMAT"),
            }
        ),
    )

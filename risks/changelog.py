"""The risk register in the strategy's change log: risks and their ratings."""

from strategy_monitor.changelog import path_value, register
from strategy_monitor.changes import short_text


def register_tracked() -> None:
    """Add the monitored risk models to the change log."""
    register("risks.Risk", path="strategy", title="Risk", name=lambda h: short_text(h.title, 10))
    register(
        "risks.RiskRating",
        path="risk__strategy",
        title="Risk rating",
        related=("risk",),
        name=lambda h: (
            f"Rating of {short_text(path_value(h, 'risk.title', 'a risk'), 8)} "
            f"({h.rated_on:%d %b %Y})"
        ),
    )

"""Plotly figures of the dashboards' money and progress, built from plain Python data.

The palette and shared helpers are in `strategy_monitor.charts`, the risk figures in
`risks.charts`.
"""

from .money import (
    MONEY_MEASURES,
    DonorBar,
    RegionBar,
    allocation_figure,
    donor_rank_figure,
    money_figure,
)
from .progress import (
    RATING_STYLES,
    AchievementBar,
    RatingMark,
    RatingStyle,
    indicator_figure,
    rating_figure,
)

__all__ = [
    "AchievementBar",
    "DonorBar",
    "MONEY_MEASURES",
    "RATING_STYLES",
    "RatingMark",
    "RatingStyle",
    "RegionBar",
    "allocation_figure",
    "donor_rank_figure",
    "indicator_figure",
    "money_figure",
    "rating_figure",
]

"""Choices for the risk register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskCategory(models.TextChoices):
    """Danida's three risk categories."""

    CONTEXTUAL = "contextual", _("Contextual")
    PROGRAMMATIC = "programmatic", _("Programmatic")
    INSTITUTIONAL = "institutional", _("Institutional")


class RiskStatus(models.TextChoices):
    """Whether the risk is still followed."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Likelihood(models.IntegerChoices):
    """How likely the risk is to occur, from 1 to 5."""

    RARE = 1, _("1 — Rare")
    UNLIKELY = 2, _("2 — Unlikely")
    POSSIBLE = 3, _("3 — Possible")
    LIKELY = 4, _("4 — Likely")
    ALMOST_CERTAIN = 5, _("5 — Almost certain")


class Impact(models.IntegerChoices):
    """How badly the risk would affect the strategy, from 1 to 5."""

    INSIGNIFICANT = 1, _("1 — Insignificant")
    MINOR = 2, _("2 — Minor")
    MODERATE = 3, _("3 — Moderate")
    MAJOR = 4, _("4 — Major")
    SEVERE = 5, _("5 — Severe")


class ScoreBand(models.TextChoices):
    """Bands of likelihood × impact; unrated risks have their own band, never a score of 0."""

    LOW = "low", _("Low (1-4)")
    MEDIUM = "medium", _("Medium (5-9)")
    HIGH = "high", _("High (10-16)")
    CRITICAL = "critical", _("Critical (20-25)")
    UNRATED = "unrated", _("Not yet rated")


# The score ranges of each band; likelihood × impact takes only the values 1-6, 8-10, 12, 15,
# 16, 20 and 25, so the ranges leave no score without a band.
SCORE_BAND_RANGES: dict[str, tuple[int, int]] = {
    ScoreBand.LOW: (1, 4),
    ScoreBand.MEDIUM: (5, 9),
    ScoreBand.HIGH: (10, 16),
    ScoreBand.CRITICAL: (20, 25),
}
# The bands a score falls in, least severe first, as the heat map's key lists them.
SCORED_BANDS = (ScoreBand.LOW, ScoreBand.MEDIUM, ScoreBand.HIGH, ScoreBand.CRITICAL)
RATING_MIN = 1
RATING_MAX = 5


def score_band(score: int | None) -> ScoreBand:
    """Return the band of a score; a risk without a score is not yet rated, never low."""
    if score is None:
        return ScoreBand.UNRATED
    for band, (low, high) in SCORE_BAND_RANGES.items():
        if low <= score <= high:
            return ScoreBand(band)
    raise ValueError(f"{score} is not a likelihood × impact score.")

"""Query helpers for the risk register: open and overdue risks, score bands and their counts."""

import datetime

from django.db import models
from django.db.models import Count, Q

from risks.choices import SCORE_BAND_RANGES, RiskStatus, ScoreBand


def band_q(band: str, *, residual: bool = False) -> Q:
    """Return the condition for risks whose (residual) score falls in `band`."""
    field = "residual_score" if residual else "score"
    if band == ScoreBand.UNRATED:
        return Q(**{f"{field}__isnull": True})
    low, high = SCORE_BAND_RANGES[band]
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def overdue_q(today: datetime.date) -> Q:
    """Return the condition for overdue risks: open, with a next review before `today`."""
    return Q(status=RiskStatus.OPEN, next_review__lt=today)


class RiskQuerySet(models.QuerySet):
    """Risks, narrowed by status, band and review date."""

    def open(self) -> "RiskQuerySet":
        """Return the risks still followed."""
        return self.filter(status=RiskStatus.OPEN)

    def rated(self) -> "RiskQuerySet":
        """Return the risks whose inherent risk has been rated."""
        return self.filter(score__isnull=False)

    def unrated(self) -> "RiskQuerySet":
        """Return the risks not yet rated."""
        return self.filter(score__isnull=True)

    def in_band(self, band: str, *, residual: bool = False) -> "RiskQuerySet":
        """Return the risks whose inherent (or residual) score falls in `band`."""
        return self.filter(band_q(band, residual=residual))

    def overdue(self, today: datetime.date) -> "RiskQuerySet":
        """Return the open risks whose next review falls before `today`."""
        return self.filter(overdue_q(today))

    def band_counts(self, today: datetime.date) -> dict[str, int]:
        """Count open risks per band (unrated apart), closed risks and overdue ones in one query.

        The keys are the band values, plus "open", "closed", "overdue" and "illustrative"
        (risks whose current rating is illustrative).
        """
        is_open = Q(status=RiskStatus.OPEN)
        return self.aggregate(
            open=Count("pk", filter=is_open),
            closed=Count("pk", filter=Q(status=RiskStatus.CLOSED)),
            overdue=Count("pk", filter=overdue_q(today)),
            illustrative=Count("pk", filter=Q(rating_is_illustrative=True)),
            **{band: Count("pk", filter=is_open & band_q(band)) for band in ScoreBand.values},
        )

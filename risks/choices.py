"""Choices for the risk register."""

from django.db import models


class RiskCategory(models.TextChoices):
    """Danida's three risk categories."""

    CONTEXTUAL = "contextual", "Contextual"
    PROGRAMMATIC = "programmatic", "Programmatic"
    INSTITUTIONAL = "institutional", "Institutional"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Likelihood(models.IntegerChoices):
    RARE = 1, "1 — Rare"
    UNLIKELY = 2, "2 — Unlikely"
    POSSIBLE = 3, "3 — Possible"
    LIKELY = 4, "4 — Likely"
    ALMOST_CERTAIN = 5, "5 — Almost certain"


class Impact(models.IntegerChoices):
    INSIGNIFICANT = 1, "1 — Insignificant"
    MINOR = 2, "2 — Minor"
    MODERATE = 3, "3 — Moderate"
    MAJOR = 4, "4 — Major"
    SEVERE = 5, "5 — Severe"


class ScoreBand(models.TextChoices):
    LOW = "low", "Low (1-4)"
    MEDIUM = "medium", "Medium (5-9)"
    HIGH = "high", "High (10-16)"
    CRITICAL = "critical", "Critical (20-25)"
    UNRATED = "unrated", "Not yet rated"

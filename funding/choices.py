"""Choices for budget lines, allocations and donor data."""

from django.db import models


class Currency(models.TextChoices):
    DKK = "DKK", "DKK"
    USD = "USD", "USD"


class BudgetLineKind(models.TextChoices):
    CORE = "core", "Core (unearmarked)"
    SOFT_EARMARKED = "soft_earmarked", "Softly earmarked"
    PERSONNEL = "personnel", "Personnel"
    EARMARKED = "earmarked", "Earmarked"
    OTHER = "other", "Other"


class Half(models.IntegerChoices):
    FIRST = 1, "First half"
    SECOND = 2, "Second half"


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class FundingKind(models.TextChoices):
    UNEARMARKED = "unearmarked", "Unearmarked"
    EARMARKED = "earmarked", "Earmarked"

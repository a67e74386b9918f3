"""Choices for budget lines, allocations and donor data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    DKK = "DKK", "DKK"
    USD = "USD", "USD"


class BudgetLineKind(models.TextChoices):
    CORE = "core", _("Core (unearmarked)")
    SOFT_EARMARKED = "soft_earmarked", _("Softly earmarked")
    PERSONNEL = "personnel", _("Personnel")
    EARMARKED = "earmarked", _("Earmarked")
    OTHER = "other", _("Other")


class Half(models.IntegerChoices):
    FIRST = 1, _("First half")
    SECOND = 2, _("Second half")


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FundingKind(models.TextChoices):
    UNEARMARKED = "unearmarked", _("Unearmarked")
    EARMARKED = "earmarked", _("Earmarked")

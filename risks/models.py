"""The risk register: risks with likelihood, impact, response and residual risk, and re-ratings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from priorities.models import PriorityArea, Strategy
from risks.choices import Impact, Likelihood, RiskCategory, RiskStatus, ScoreBand, score_band
from risks.querysets import RiskQuerySet
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyManager,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import TITLE_MAX_LENGTH, text_length_checks, validate_single_line

RATING_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")
# The refusal of a rating outside the scale, for each rated field.
RANGE_MESSAGES = {
    "likelihood": _("Likelihood is rated from 1 to 5."),
    "impact": _("Impact is rated from 1 to 5."),
    "residual_likelihood": _("Residual likelihood is rated from 1 to 5."),
    "residual_impact": _("Residual impact is rated from 1 to 5."),
}


def rating_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Return the constraints that keep a row's ratings whole numbers from 1 to 5, in pairs."""
    constraints = [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
            name=f"{prefix}_{field}_range",
            violation_error_message=RANGE_MESSAGES[field],
            violation_error_code="out_of_range",
        )
        for field in RATING_FIELDS
    ]
    for likelihood, impact in (
        ("likelihood", "impact"),
        ("residual_likelihood", "residual_impact"),
    ):
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{likelihood}__isnull": True, f"{impact}__isnull": True})
                | Q(**{f"{likelihood}__isnull": False, f"{impact}__isnull": False}),
                name=f"{prefix}_{likelihood}_pair",
                violation_error_message=_("Rate both likelihood and impact, or neither."),
                violation_error_code="half_rating",
            )
        )
    return constraints


def rating_clean(row) -> None:
    """Refuse half a rating, a residual rating without an inherent one, and a residual rating
    above the inherent one without a justification."""
    errors = {}
    for likelihood, impact in (
        ("likelihood", "impact"),
        ("residual_likelihood", "residual_impact"),
    ):
        if (getattr(row, likelihood) is None) != (getattr(row, impact) is None):
            missing = impact if getattr(row, impact) is None else likelihood
            errors[missing] = ValidationError(
                _("Rate both likelihood and impact, or neither."), code="half_rating"
            )
    if errors:
        raise ValidationError(errors)
    if row.likelihood is None and row.residual_likelihood is not None:
        raise ValidationError(
            {
                "likelihood": ValidationError(
                    _("Rate the inherent risk before the residual risk."),
                    code="residual_without_inherent",
                )
            }
        )
    if (
        row.likelihood
        and row.residual_likelihood
        and row.residual_likelihood * row.residual_impact > row.likelihood * row.impact
        and not row.residual_justification.strip()
    ):
        raise ValidationError(
            {
                "residual_justification": ValidationError(
                    _(
                        "The residual risk is rated above the inherent risk: explain why in the "
                        "justification, or lower the residual rating."
                    ),
                    code="residual_above_inherent",
                )
            }
        )


class RatingFields(models.Model):
    """Likelihood and impact before and after the response, each pair rated or not at all."""

    likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices, null=True, blank=True, verbose_name=_("likelihood")
    )
    impact = models.PositiveSmallIntegerField(
        choices=Impact.choices, null=True, blank=True, verbose_name=_("impact")
    )
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices, null=True, blank=True, verbose_name=_("residual likelihood")
    )
    residual_impact = models.PositiveSmallIntegerField(
        choices=Impact.choices, null=True, blank=True, verbose_name=_("residual impact")
    )
    residual_score = models.GeneratedField(
        expression=F("residual_likelihood") * F("residual_impact"),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )
    residual_justification = limited_text_field(
        blank=True,
        help_text=_("Required when the residual risk is rated above the inherent risk."),
        verbose_name=_("residual justification"),
    )

    class Meta:
        abstract = True

    @property
    def is_rated(self) -> bool:
        """Return whether the inherent risk has been rated."""
        return self.likelihood is not None

    @property
    def has_residual(self) -> bool:
        """Return whether the residual risk has been rated."""
        return self.residual_likelihood is not None

    @property
    def score_band(self) -> ScoreBand:
        """Return the band of the inherent score; unrated risks are not yet rated."""
        return score_band(self.score)

    @property
    def residual_band(self) -> ScoreBand:
        """Return the band of the residual score; unrated risks are not yet rated."""
        return score_band(self.residual_score)


class Risk(NaturalKeyModel, TimeStampedModel, SourcedModel, RatingFields):
    """A risk Denmark follows for a strategy, with its current rating and response."""

    NATURAL_KEY = ("strategy__slug", "key")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="risks", verbose_name=_("strategy")
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    title = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("title")
    )
    category = models.CharField(
        max_length=20,
        choices=RiskCategory.choices,
        blank=True,
        help_text=_("Danida risk category; empty until the desk officer categorises the risk."),
        verbose_name=_("category"),
    )
    description = limited_text_field(blank=True, verbose_name=_("description"))
    response = limited_text_field(blank=True, verbose_name=_("response"))
    priority_areas = models.ManyToManyField(
        PriorityArea, blank=True, related_name="risks", verbose_name=_("priority areas")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN, verbose_name=_("status")
    )
    closed_reason = limited_text_field(blank=True, verbose_name=_("closed reason"))
    next_review = models.DateField(null=True, blank=True, verbose_name=_("next review"))
    rating_is_illustrative = models.BooleanField(
        default=False,
        help_text=_("The current rating is illustrative demo data."),
        verbose_name=_("rating is illustrative"),
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    objects = NaturalKeyManager.from_queryset(RiskQuerySet)()
    history = HistoricalRecords(excluded_fields=["score", "residual_score"])

    class Meta:
        ordering = ["strategy", "order", "key"]
        constraints = [
            *text_length_checks(
                "residual_justification", "description", "response", "closed_reason"
            ),
            models.UniqueConstraint(
                fields=["strategy", "key"],
                name="risk_unique_key",
                violation_error_message=_("The strategy already has a risk with that key."),
                violation_error_code="duplicate_key",
            ),
            *rating_constraints("risk"),
            models.CheckConstraint(
                condition=~Q(status=RiskStatus.CLOSED, closed_reason=""),
                name="risk_closed_reason",
                violation_error_message=_("Give the reason for closing the risk."),
                violation_error_code="reason_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", kwargs={"slug": self.strategy.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        """Return whether the risk is still followed."""
        return self.status == RiskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        """Return whether the risk is open and its next review date has passed."""
        return (
            self.is_open
            and self.next_review is not None
            and self.next_review < timezone.localdate()
        )

    def clean(self) -> None:
        """Apply the rating rules and require a reason to close."""
        rating_clean(self)
        if self.status == RiskStatus.CLOSED and not self.closed_reason.strip():
            raise ValidationError(
                {
                    "closed_reason": ValidationError(
                        _("Give the reason for closing the risk."), code="reason_required"
                    )
                }
            )


class RiskRating(TimeStampedModel, IllustrativeModel, RatingFields):
    """A dated re-rating of a risk; ratings are added, never overwritten."""

    risk = models.ForeignKey(
        Risk, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("risk")
    )
    rated_on = models.DateField(verbose_name=_("rated on"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rated by"),
    )
    note = limited_text_field(blank=True, verbose_name=_("note"))

    history = HistoricalRecords(excluded_fields=["score", "residual_score"])

    class Meta:
        ordering = ["risk", "-rated_on", "-id"]
        constraints = [
            *text_length_checks("residual_justification", "note"),
            *rating_constraints("riskrating"),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=False),
                name="riskrating_rated",
                violation_error_message=_("A re-rating needs a likelihood and an impact."),
                violation_error_code="not_rated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} — {self.rated_on}"

    def clean(self) -> None:
        """Apply the rating rules and require an inherent rating."""
        if self.likelihood is None:
            raise ValidationError(
                {
                    "likelihood": ValidationError(
                        _("Rate the likelihood from 1 to 5."), code="required"
                    )
                }
            )
        rating_clean(self)

"""Indicators, their yearly progress, ratings of priority areas, and evidence files."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from priorities.choices import DefinitionStatus, Direction, Rating
from strategy_monitor.files import stored_file_delete_on_commit
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import (
    STATEMENT_MAX_LENGTH,
    text_length_checks,
    validate_single_line,
)

from ._common import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE
from .framework import PriorityArea, ResultsNode
from .strategy import StrategyYear, closed_year_check


def unit_is_percentage(unit: str) -> bool:
    """Return whether an indicator's unit is a percentage ("%", "% of country offices")."""
    text = (unit or "").strip().lower()
    return "%" in text or "percent" in text or "per cent" in text


# The names of an indicator's figures in its error messages.
FIGURE_LABELS = {
    "target": lambda: pgettext("figure", "Target"),
    "actual": lambda: gettext("Actual"),
    "baseline": lambda: gettext("Baseline"),
}


def indicator_value_errors(
    *, unit: str, allows_negative: bool, values: dict
) -> dict[str, ValidationError]:
    """Return the errors of an indicator's figures, keyed by field.

    Figures are not negative unless the indicator allows it (a change, a balance); a
    percentage is at most 100.
    """
    errors = {}
    for field, value in values.items():
        if value is None:
            continue
        label = FIGURE_LABELS[field]() if field in FIGURE_LABELS else field.capitalize()
        if value < 0 and not allows_negative:
            errors[field] = ValidationError(
                _(
                    "%(label)s cannot be negative for an indicator measured in “%(unit)s”. "
                    "Mark the indicator as allowing negative values if it measures a change."
                )
                % {"label": label, "unit": unit or gettext("no unit")},
                code="negative",
            )
        elif unit_is_percentage(unit) and value > 100:
            errors[field] = ValidationError(
                _("%(label)s is a percentage and cannot be above 100.") % {"label": label},
                code="over_100",
            )
    return errors


# A brief is read in a meeting: a few figures per area, not a table of everything.
KEY_INDICATORS_PER_AREA = 5


def key_indicators_check(*, priority_area_id: int, exclude_pk: int | None = None) -> None:
    """Refuse a further key indicator in an area that already has the most it may have.

    The database cannot count rows in a constraint; the service that marks an indicator calls
    this under the area's row lock, so two editors cannot both take the last place.
    """
    marked = Indicator.objects.filter(priority_area_id=priority_area_id, is_key=True)
    if exclude_pk is not None:
        marked = marked.exclude(pk=exclude_pk)
    if marked.count() >= KEY_INDICATORS_PER_AREA:
        raise ValidationError(
            {
                "is_key": ValidationError(
                    _(
                        "A priority area has at most %(limit)s key indicators: unmark another "
                        "one first."
                    ),
                    code="too_many_key_indicators",
                    params={"limit": KEY_INDICATORS_PER_AREA},
                )
            }
        )


class Indicator(NaturalKeyModel, TimeStampedModel, SourcedModel, IllustrativeModel):
    """A measure Denmark follows under a priority area, tied to a framework node."""

    NATURAL_KEY = ("priority_area__strategy__slug", "priority_area__slug", "key")

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="indicators"
    )
    node = models.ForeignKey(ResultsNode, on_delete=models.PROTECT, related_name="indicators")
    key = models.SlugField(max_length=60)
    code = models.CharField(max_length=30, validators=[validate_single_line], blank=True)
    title = limited_text_field(limit=STATEMENT_MAX_LENGTH, blank=True)
    unit = models.CharField(
        max_length=60,
        validators=[validate_single_line],
        blank=True,
        help_text=_("e.g. %, number of countries"),
    )
    allows_negative = models.BooleanField(
        default=False,
        help_text=_(
            "Figures may be negative (a change or a balance); counts and shares never are."
        ),
    )
    baseline = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    direction = models.CharField(
        max_length=20, choices=Direction.choices, default=Direction.INCREASE
    )
    status = models.CharField(
        max_length=20, choices=DefinitionStatus.choices, default=DefinitionStatus.DEFINED
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_key = models.BooleanField(
        _("Key indicator"),
        default=False,
        help_text=lazy(
            lambda: (
                _(
                    "Shown in the consultation brief for its priority area; at most %(most)s an "
                    "area. Without key indicators the brief shows those with both a target and an "
                    "actual for the year."
                )
                % {"most": KEY_INDICATORS_PER_AREA}
            ),
            str,
        )(),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "order", "key"]
        constraints = [
            *text_length_checks("title", limit=STATEMENT_MAX_LENGTH),
            models.UniqueConstraint(
                fields=["priority_area", "key"],
                name="indicator_unique_key",
                violation_error_message=_(
                    "The priority area already has an indicator with that key."
                ),
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__gte=MIN_YEAR, baseline_year__lte=MAX_YEAR),
                name="indicator_baseline_year_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
                violation_error_code="outside_years",
            ),
            models.CheckConstraint(
                condition=~Q(status=DefinitionStatus.DEFINED, title=""),
                name="indicator_defined_has_title",
                violation_error_message=_("A defined indicator needs a title."),
                violation_error_code="title_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Indicator under development")

    @property
    def is_percentage(self) -> bool:
        """Return whether the indicator's figures are percentages, at most 100."""
        return unit_is_percentage(self.unit)

    def clean(self) -> None:
        """Tie the indicator to its partner's framework and keep the baseline in range."""
        errors = indicator_value_errors(
            unit=self.unit, allows_negative=self.allows_negative, values={"baseline": self.baseline}
        )
        if errors:
            raise ValidationError(errors)
        if self.status == DefinitionStatus.DEFINED and not self.title:
            raise ValidationError(
                {
                    "title": ValidationError(
                        _("A defined indicator needs a title, or mark it under development."),
                        code="title_required",
                    )
                }
            )
        if self.is_key and self.priority_area_id:
            key_indicators_check(priority_area_id=self.priority_area_id, exclude_pk=self.pk)
        if self.priority_area_id and self.node_id:
            organisation_id = self.priority_area.strategy.organisation_id
            if self.node.framework.organisation_id != organisation_id:
                raise ValidationError(
                    {
                        "node": ValidationError(
                            _("The node belongs to another organisation's framework."),
                            code="other_organisation",
                        )
                    }
                )


PROGRESS_FIELDS = ("target", "actual", "comment", "source", "is_illustrative")
ASSESSMENT_FIELDS = ("rating", "narrative", "is_illustrative")


class IndicatorProgress(TimeStampedModel, SourcedModel, IllustrativeModel):
    """Record an indicator's target and actual for one year of the strategy."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="progress")
    strategy_year = models.ForeignKey(
        StrategyYear, on_delete=models.PROTECT, related_name="indicator_progress"
    )
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    actual = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    comment = limited_text_field(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "strategy_year__year"]
        verbose_name_plural = _("indicator progress")
        constraints = [
            *text_length_checks("comment"),
            models.UniqueConstraint(
                fields=["indicator", "strategy_year"],
                name="indicatorprogress_unique_year",
                violation_error_message=_("This indicator already has a record for that year."),
                violation_error_code="duplicate_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.strategy_year.year}"

    def clean(self) -> None:
        """Keep the year within the indicator's strategy, open, and the figures in range."""
        closed_year_check(self, PROGRESS_FIELDS)
        if self.indicator_id:
            errors = indicator_value_errors(
                unit=self.indicator.unit,
                allows_negative=self.indicator.allows_negative,
                values={"target": self.target, "actual": self.actual},
            )
            if errors:
                raise ValidationError(errors)
        if (
            self.indicator_id
            and self.strategy_year_id
            and self.strategy_year.strategy_id != self.indicator.priority_area.strategy_id
        ):
            raise ValidationError(
                {
                    "strategy_year": ValidationError(
                        _("The year belongs to another strategy."), code="other_strategy"
                    )
                }
            )


class Assessment(TimeStampedModel, IllustrativeModel):
    """Rate a priority area's progress in one year, with a narrative."""

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="assessments"
    )
    strategy_year = models.ForeignKey(
        StrategyYear, on_delete=models.PROTECT, related_name="assessments"
    )
    rating = models.CharField(max_length=20, choices=Rating.choices, default=Rating.NOT_ASSESSED)
    narrative = limited_text_field(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "strategy_year__year"]
        constraints = [
            *text_length_checks("narrative"),
            models.UniqueConstraint(
                fields=["priority_area", "strategy_year"],
                name="assessment_unique_year",
                violation_error_message=_("This priority area is already assessed for that year."),
                violation_error_code="duplicate_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_area} — {self.strategy_year.year}: {self.get_rating_display()}"

    def clean(self) -> None:
        """Keep the year within the area's strategy and open; a rating needs a narrative."""
        closed_year_check(self, ASSESSMENT_FIELDS)
        if self.rating != Rating.NOT_ASSESSED and not (self.narrative or "").strip():
            raise ValidationError(
                {
                    "narrative": ValidationError(
                        _("Explain the rating in a narrative: what moved, what held it back."),
                        code="narrative_required",
                    )
                }
            )
        if (
            self.priority_area_id
            and self.strategy_year_id
            and self.strategy_year.strategy_id != self.priority_area.strategy_id
        ):
            raise ValidationError(
                {
                    "strategy_year": ValidationError(
                        _("The year belongs to another strategy."), code="other_strategy"
                    )
                }
            )


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """Return a storage path for evidence: per strategy, with a random name.

    The uploaded name is never part of the path; it is kept in `original_name` for display.
    """
    from priorities.validators import KINDS_BY_TYPE

    kind = KINDS_BY_TYPE.get(instance.content_type)
    extension = kind.extension if kind else ""
    strategy_id = instance.progress.strategy_year.strategy_id
    return f"evidence/strategy-{strategy_id}/{uuid.uuid4().hex}{extension}"


EVIDENCE_FIELDS = ("progress_id", "file", "original_name", "content_type", "size")


class Evidence(TimeStampedModel):
    """A file that documents an indicator's figures for one year: a report, a table, a photo."""

    progress = models.ForeignKey(
        IndicatorProgress, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text=_("The file's name when uploaded."),
    )
    content_type = models.CharField(max_length=100, help_text=_("Read from the file's content."))
    size = models.PositiveBigIntegerField(help_text=_("Bytes."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["progress", "created_at", "id"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    @property
    def uploaded_at(self):
        """Return when the file was uploaded."""
        return self.created_at

    def clean(self) -> None:
        """Keep files within the size limit, of an accepted type, and out of closed years."""
        from priorities.validators import KINDS_BY_TYPE, evidence_max_bytes

        year = (
            StrategyYear.objects.get(pk=self.progress.strategy_year_id)
            if self.progress_id
            else None
        )
        if year is not None and not year.is_open:
            stored = Evidence.objects.filter(pk=self.pk).first() if self.pk else None
            if stored is None or any(
                getattr(stored, name) != getattr(self, name) for name in EVIDENCE_FIELDS
            ):
                year.edit_check()
        errors = {}
        if self.size is not None and self.size > evidence_max_bytes():
            errors["file"] = ValidationError(
                _("The file is larger than evidence files may be."), code="file_too_large"
            )
        if self.content_type and self.content_type not in KINDS_BY_TYPE:
            errors["content_type"] = ValidationError(
                _("Not an accepted type of evidence file."), code="file_type"
            )
        if errors:
            raise ValidationError(errors)


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence_file_delete")
def evidence_file_delete(sender, instance: Evidence, using: str, **kwargs) -> None:
    """Remove a deleted evidence row's file from storage once the deletion is committed.

    A signal rather than a service, because evidence also goes in cascades (with its figures,
    indicator, priority area or strategy) that no service of evidence sees; each leaves no
    orphan file behind, in a local folder or a blob container alike.
    """
    file = instance.file
    stored_file_delete_on_commit(storage=file.storage, name=file.name, using=using)

"""Strategies, their years and reporting state, relevant SDGs and team."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from priorities.choices import SDG, ChapterKey, TeamRole, YearState
from priorities.querysets import StrategyQuerySet
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyManager,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import (
    DOCUMENT_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    text_length_checks,
    validate_single_line,
)

from ._common import MAX_PERIOD_YEARS, MIN_PERIOD_YEARS, year_range_check
from .organisation import Organisation

# The chapters and front-page texts of the strategy document, kept as the document words them.
STRATEGY_TEXT_FIELDS = (
    "introduction",
    "overall_objective",
    "objective_text",
    "justification",
    "results_monitoring",
    "governance_involvement",
    "risks_summary",
    "lessons_learnt",
    "budget_text",
    "budget_note",
    "risks_text",
    "engagement_text",
    "partnership_agreement",
    "mid_term_review_scope",
)


class Strategy(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """One Danish organisation strategy with a partner, as its front page states it."""

    NATURAL_KEY = ("slug",)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    is_draft = models.BooleanField(default=False, help_text=_("The document is marked as a draft."))
    file_number = models.CharField(max_length=40, validators=[validate_single_line], blank=True)
    responsible_unit = models.CharField(
        max_length=200, validators=[validate_single_line], blank=True
    )
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    finance_act_code = models.CharField(
        max_length=100,
        validators=[validate_single_line],
        blank=True,
        help_text=_("As printed on the front page; budget lines carry their own codes."),
    )
    desk_officer = models.CharField(max_length=120, validators=[validate_single_line], blank=True)
    financial_officer = models.CharField(
        max_length=120, validators=[validate_single_line], blank=True
    )
    stated_commitment_total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text=_("DKK, as printed.")
    )
    stated_disbursement_total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text=_("DKK, as printed.")
    )
    introduction = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    overall_objective = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    objective_text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("The text of the objective chapter."),
    )
    justification = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("One point per line.")
    )
    results_monitoring = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("How results are ensured and progress monitored; one per line."),
    )
    governance_involvement = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    risks_summary = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("Front-page risks; one per line.")
    )
    lessons_learnt = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("The lessons-learnt chapter.")
    )
    budget_text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("The text of the budget chapter.")
    )
    budget_note = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Caption and footnotes of the budget table, as printed."),
    )
    risks_text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("The text of the risks chapter.")
    )
    engagement_text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("The text of the engagement chapter."),
    )
    partnership_agreement = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    mid_term_review_year = models.PositiveSmallIntegerField(null=True, blank=True)
    mid_term_review_half = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, _("First half")), (2, _("Second half"))],
    )
    mid_term_review_scope = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)

    objects = NaturalKeyManager.from_queryset(StrategyQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name_plural = _("strategies")
        constraints = [
            *text_length_checks(*STRATEGY_TEXT_FIELDS, limit=DOCUMENT_TEXT_MAX_LENGTH),
            year_range_check("start_year"),
            year_range_check("end_year"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year") + MIN_PERIOD_YEARS - 1)
                & Q(end_year__lte=F("start_year") + MAX_PERIOD_YEARS - 1),
                name="strategy_period_length",
                violation_error_message=lazy(
                    lambda: (
                        _("A strategy runs for %(fewest)s to %(most)s years.")
                        % {"fewest": MIN_PERIOD_YEARS, "most": MAX_PERIOD_YEARS}
                    ),
                    str,
                )(),
                violation_error_code="period_length",
            ),
            models.CheckConstraint(
                condition=Q(mid_term_review_half__isnull=True) | Q(mid_term_review_half__in=[1, 2]),
                name="strategy_mid_term_review_half",
                violation_error_message=_("The mid-term review falls in the first or second half."),
                violation_error_code="invalid_half",
            ),
            models.CheckConstraint(
                condition=Q(stated_commitment_total__isnull=True)
                | Q(stated_commitment_total__gte=0),
                name="strategy_commitment_total_non_negative",
                violation_error_message=_("A total cannot be negative."),
                violation_error_code="negative",
            ),
            models.CheckConstraint(
                condition=Q(stated_disbursement_total__isnull=True)
                | Q(stated_disbursement_total__gte=0),
                name="strategy_disbursement_total_non_negative",
                violation_error_message=_("A total cannot be negative."),
                violation_error_code="negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:strategy_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Keep the mid-term review inside the strategy period."""
        if (
            self.mid_term_review_year
            and self.start_year
            and self.end_year
            and not self.start_year <= self.mid_term_review_year <= self.end_year
        ):
            raise ValidationError(
                {
                    "mid_term_review_year": ValidationError(
                        _("The mid-term review must fall inside the period."), code="outside_period"
                    )
                }
            )

    @property
    def years(self) -> range:
        """Return the calendar years of the strategy period."""
        return range(self.start_year, self.end_year + 1)

    @property
    def period(self) -> str:
        """Return the period as printed, e.g. 2023-2026."""
        return f"{self.start_year}-{self.end_year}"

    @property
    def duration_years(self) -> int:
        """Return the number of years the strategy runs."""
        return self.end_year - self.start_year + 1

    def year_check(self, year: int, field: str = "year") -> None:
        """Refuse `year` when it falls outside the strategy period."""
        if year is not None and year not in self.years:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("%(year)s is outside the strategy period %(period)s.")
                        % {"year": year, "period": self.period},
                        code="outside_period",
                    )
                }
            )


class StrategyYear(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """One year of a strategy: its front-page plan and its reporting state."""

    NATURAL_KEY = ("strategy__slug", "year")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="strategy_years")
    year = models.PositiveSmallIntegerField()
    planned_commitment = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text=_("DKK (front page).")
    )
    planned_disbursement = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Projected annual disbursement, DKK (front page)."),
    )
    state = models.CharField(max_length=20, choices=YearState.choices, default=YearState.DRAFT)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state_comment = limited_text_field(blank=True)
    # Kept from the submission until the next one: the manager reads it when deciding.
    gaps_reason = limited_text_field(
        verbose_name=_("Why submitted with gaps"),
        blank=True,
        help_text=_("The desk officer's reason for submitting the year with something missing."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "year"]
        constraints = [
            *text_length_checks("state_comment", "gaps_reason"),
            models.UniqueConstraint(
                fields=["strategy", "year"],
                name="strategyyear_unique",
                violation_error_message=_("The strategy already has that year."),
                violation_error_code="duplicate_year",
            ),
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(planned_commitment__isnull=True) | Q(planned_commitment__gte=0),
                name="strategyyear_commitment_non_negative",
                violation_error_message=_("A planned commitment cannot be negative."),
                violation_error_code="negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_disbursement__isnull=True) | Q(planned_disbursement__gte=0),
                name="strategyyear_disbursement_non_negative",
                violation_error_message=_("A planned disbursement cannot be negative."),
                violation_error_code="negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy.slug} {self.year}"

    def clean(self) -> None:
        """Keep the year inside the strategy period."""
        if self.strategy_id:
            self.strategy.year_check(self.year)

    @property
    def is_locked(self) -> bool:
        """Return whether the year is approved and so closed to edits."""
        return self.state == YearState.APPROVED

    @property
    def is_open(self) -> bool:
        """Return whether the year's progress may be changed: only a draft year may."""
        return self.state == YearState.DRAFT

    def edit_check(self) -> None:
        """Refuse a change to the year's records unless the year is a draft.

        An approved year is locked until a manager reopens it. A submitted year waits for the
        manager's decision: it is open again only once the manager returns it.
        """
        if self.state == YearState.APPROVED:
            raise ValidationError(
                _(
                    "%(year)s is approved and locked, so this change was not saved. "
                    "A manager can reopen the year if it must change."
                )
                % {"year": self.year},
                code="year_locked",
            )
        if self.state == YearState.SUBMITTED:
            raise ValidationError(
                _(
                    "%(year)s is submitted for approval, so this change was not saved. "
                    "The year is open again once a manager returns it for changes."
                )
                % {"year": self.year},
                code="year_submitted",
            )


def closed_year_check(instance: models.Model, fields: tuple[str, ...]) -> None:
    """Refuse to add, change or move a record of a year that is not a draft.

    A record whose `fields` equal the stored ones passes, so that saving a form with an
    unchanged row of a closed year (as admin inlines do) is not refused.
    """
    if not instance.strategy_year_id:
        return
    stored = None
    if instance.pk:
        stored = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .select_related("strategy_year")
            .first()
        )
    if stored is not None:
        unchanged = stored.strategy_year_id == instance.strategy_year_id and all(
            getattr(stored, name) == getattr(instance, name) for name in fields
        )
        if unchanged:
            return
        if stored.strategy_year_id != instance.strategy_year_id:
            stored.strategy_year.edit_check()
        else:
            # The stored row's year, read just now: its state is current, a cached one may not be.
            stored.strategy_year.edit_check()
            return
    StrategyYear.objects.get(pk=instance.strategy_year_id).edit_check()


class RelevantSDG(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """Record a Sustainable Development Goal that a strategy names as relevant."""

    NATURAL_KEY = ("strategy__slug", "goal")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="sdgs")
    goal = models.PositiveSmallIntegerField(choices=SDG.choices)
    note = models.CharField(max_length=300, validators=[validate_single_line], blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "goal"]
        verbose_name = _("relevant SDG")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "goal"],
                name="relevantsdg_unique",
                violation_error_message=_("The strategy already names that goal."),
                violation_error_code="duplicate_goal",
            ),
            models.CheckConstraint(
                condition=Q(goal__gte=1, goal__lte=17),
                name="relevantsdg_goal_range",
                violation_error_message=_("There are seventeen SDGs."),
                violation_error_code="invalid_goal",
            ),
        ]

    def __str__(self) -> str:
        return f"SDG {self.goal}: {self.get_goal_display()}"


class Chapter(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A chapter of the strategy document, numbered and titled as its contents page prints it."""

    NATURAL_KEY = ("strategy__slug", "key")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="chapters")
    key = models.CharField(
        max_length=30,
        choices=ChapterKey.choices,
        help_text=_("Which part of the strategy the chapter holds."),
    )
    number = models.CharField(
        max_length=10,
        validators=[validate_single_line],
        blank=True,
        help_text=_('As printed, e.g. "5"; empty for an unnumbered chapter.'),
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "key"],
                name="chapter_unique_key",
                violation_error_message=_("The strategy already has that chapter."),
                violation_error_code="duplicate_chapter",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """Return the heading as printed, e.g. "5. Budget", or the bare title if unnumbered."""
        return f"{self.number}. {self.title}" if self.number else self.title


def chapter_headings(chapters) -> dict[str, str]:
    """Return each chapter key's heading: the strategy's own, else a plain title."""
    headings = {key: label for key, label in ChapterKey.choices}
    headings.update({chapter.key: chapter.heading for chapter in chapters})
    return headings


class TeamMembership(TimeStampedModel, IllustrativeModel):
    """Put a user on a strategy's team in a role that scopes what they may change."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "user", "role"],
                name="teammembership_unique",
                violation_error_message=_("This user already has that role on the team."),
                violation_error_code="duplicate_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.strategy.slug})"

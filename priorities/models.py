"""Organisations, strategies, priority areas, results frameworks, indicators and progress."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from priorities.choices import (
    SDG,
    DefinitionStatus,
    Direction,
    FigureUnit,
    NodeLevel,
    OfficeFunction,
    OfficeKind,
    PriorityKind,
    Rating,
    TeamRole,
    YearState,
)
from priorities.querysets import StrategyQuerySet
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyManager,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
)

MIN_YEAR = 1945
MAX_YEAR = 2100
MIN_PERIOD_YEARS = 3
MAX_PERIOD_YEARS = 5

# Partner frameworks number their results hierarchically: objective "3", long-term outcome
# "3b", short-term outcome "3b.4", output "3b.4.4". Purely numeric codes ("1.2.3") work too.
NODE_CODE_RE = re.compile(r"\d+[a-z]?(\.\d+)*")
NODE_CODE_EXAMPLE = 'Use a code like "3", "3b", "3b.4" or "3b.4.4".'


def node_code_normalise(code: str) -> str:
    """Return `code` as stored: trimmed, lower case, without the trailing dot tables print."""
    return code.strip().lower().rstrip(".")


def node_code_level(code: str) -> int:
    """Return the framework level (1 objective … 4 output) that `code` denotes."""
    segments = code.split(".")
    level = len(segments)
    if segments[0][-1].isalpha():
        level += 1
    return level


def node_code_parent(code: str) -> str | None:
    """Return the code of the parent node that `code` implies, or None for an objective."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    if code[-1].isalpha():
        return code[:-1]
    return None


def node_code_validate(code: str) -> None:
    """Refuse a code that is not of the hierarchical form, with an example of the right one."""
    if not NODE_CODE_RE.fullmatch(code) or node_code_level(code) > NodeLevel.OUTPUT:
        raise ValidationError(
            f"“{code}” is not a results-framework code. {NODE_CODE_EXAMPLE}",
            code="malformed_code",
        )


def unit_is_percentage(unit: str) -> bool:
    """Return whether an indicator's unit is a percentage ("%", "% of country offices")."""
    text = (unit or "").strip().lower()
    return "%" in text or "percent" in text or "per cent" in text


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
        label = field.replace("_", " ").capitalize()
        if value < 0 and not allows_negative:
            errors[field] = ValidationError(
                f"{label} cannot be negative for an indicator measured in "
                f"“{unit or 'no unit'}”. Mark the indicator as allowing negative values if it "
                "measures a change.",
                code="negative",
            )
        elif unit_is_percentage(unit) and value > 100:
            errors[field] = ValidationError(
                f"{label} is a percentage and cannot be above 100.", code="over_100"
            )
    return errors


def year_range_check(field: str, *, null: bool = False) -> models.CheckConstraint:
    """Return a constraint keeping `field` within the years the application can hold.

    With `null`, an empty year (one the source does not state) passes too.
    """
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if null:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_range",
        violation_error_message=f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.",
        violation_error_code="outside_years",
    )


class Organisation(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A multilateral partner that Denmark funds through an organisation strategy."""

    NATURAL_KEY = ("slug",)

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30)
    slug = models.SlugField(max_length=50, unique=True)
    mandate = models.TextField(blank=True)
    established = models.PositiveSmallIntegerField(null=True, blank=True)
    headquarters = models.CharField(max_length=100, blank=True)
    head_title = models.CharField(max_length=100, blank=True)
    head_name = models.CharField(max_length=100, blank=True)
    staff = models.PositiveIntegerField(null=True, blank=True, help_text="Staff worldwide.")
    country_presence = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Number of countries with a presence."
    )
    member_states = models.PositiveSmallIntegerField(null=True, blank=True)
    denmark_member_since = models.PositiveSmallIntegerField(null=True, blank=True)
    un_system_since = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of admission into the UN system."
    )
    governance = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(denmark_member_since__isnull=True)
                | Q(established__isnull=True)
                | Q(denmark_member_since__gte=F("established")),
                name="organisation_member_after_established",
                violation_error_message=(
                    "Denmark cannot have joined before the organisation existed."
                ),
                violation_error_code="member_before_established",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.name


class KeyFigure(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """State one dated figure about an organisation, as a strategy document gives it."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_figures"
    )
    key = models.SlugField(max_length=80, help_text="Stable identifier, e.g. expenditure-2021.")
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=18, decimal_places=2)
    unit = models.CharField(max_length=10, choices=FigureUnit.choices)
    qualifier = models.CharField(
        max_length=40, blank=True, help_text='How the document qualifies it: "nearly", "around".'
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the figure describes, where stated."
    )
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="keyfigure_unique_key",
                violation_error_message="The organisation already has a figure with that key.",
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="keyfigure_year_range",
                violation_error_message=f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.",
                violation_error_code="outside_years",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Office(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """An office of the partner: regional, liaison, UN or country office with its head."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offices")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)
    name = models.CharField(max_length=120, help_text="Country, or city of a regional office.")
    region = models.CharField(
        max_length=120, blank=True, help_text="Region a regional office covers."
    )
    regional_office = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="country_offices",
        limit_choices_to={"kind": OfficeKind.REGIONAL},
    )
    head = models.CharField(max_length=200, blank=True, help_text="Chief of mission as printed.")
    is_officer_in_charge = models.BooleanField(default=False, help_text="OIC")
    is_non_resident = models.BooleanField(default=False)
    is_accreditation_pending = models.BooleanField(default=False, help_text="AP")
    is_vacant = models.BooleanField(default=False)
    covered_by = models.CharField(max_length=120, blank=True)
    function = models.CharField(
        max_length=30, choices=OfficeFunction.choices, blank=True, default=OfficeFunction.NONE
    )
    note = models.CharField(max_length=300, blank=True)
    as_of = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="office_unique_key",
                violation_error_message="The organisation already has an office with that key.",
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=~Q(regional_office=F("id")),
                name="office_not_own_region",
                violation_error_message="An office cannot report to itself.",
                violation_error_code="own_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Let only country offices report to a regional office of the same organisation."""
        if self.regional_office_id:
            if self.kind != OfficeKind.COUNTRY:
                raise ValidationError(
                    {
                        "regional_office": ValidationError(
                            "Only a country office reports to a regional office.",
                            code="not_country_office",
                        )
                    }
                )
            if self.regional_office.organisation_id != self.organisation_id:
                raise ValidationError(
                    {
                        "regional_office": ValidationError(
                            "The regional office belongs to another organisation.",
                            code="other_organisation",
                        )
                    }
                )


class Strategy(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """One Danish organisation strategy with a partner, as its front page states it."""

    NATURAL_KEY = ("slug",)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=60, unique=True)
    is_draft = models.BooleanField(default=False, help_text="The document is marked as a draft.")
    file_number = models.CharField(max_length=40, blank=True)
    responsible_unit = models.CharField(max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    finance_act_code = models.CharField(
        max_length=100,
        blank=True,
        help_text="As printed on the front page; budget lines carry their own codes.",
    )
    desk_officer = models.CharField(max_length=120, blank=True)
    financial_officer = models.CharField(max_length=120, blank=True)
    stated_commitment_total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="DKK, as printed."
    )
    stated_disbursement_total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="DKK, as printed."
    )
    introduction = models.TextField(blank=True)
    overall_objective = models.TextField(blank=True)
    objective_text = models.TextField(blank=True, help_text="Chapter 1.")
    justification = models.TextField(blank=True, help_text="One point per line.")
    results_monitoring = models.TextField(
        blank=True, help_text="How results are ensured and progress monitored; one per line."
    )
    governance_involvement = models.TextField(blank=True)
    risks_summary = models.TextField(blank=True, help_text="Front-page risks; one per line.")
    lessons_learnt = models.TextField(blank=True, help_text="Chapter 3.")
    budget_text = models.TextField(blank=True, help_text="Chapter 5.")
    budget_note = models.TextField(
        blank=True, help_text="Caption and footnotes of the budget table, as printed."
    )
    risks_text = models.TextField(blank=True, help_text="Chapter 6.")
    engagement_text = models.TextField(blank=True, help_text="Chapter 7.")
    partnership_agreement = models.TextField(blank=True)
    mid_term_review_year = models.PositiveSmallIntegerField(null=True, blank=True)
    mid_term_review_half = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, "First half"), (2, "Second half")],
    )
    mid_term_review_scope = models.TextField(blank=True)

    objects = NaturalKeyManager.from_queryset(StrategyQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name_plural = "strategies"
        constraints = [
            year_range_check("start_year"),
            year_range_check("end_year"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year") + MIN_PERIOD_YEARS - 1)
                & Q(end_year__lte=F("start_year") + MAX_PERIOD_YEARS - 1),
                name="strategy_period_length",
                violation_error_message=(
                    f"A strategy runs for {MIN_PERIOD_YEARS} to {MAX_PERIOD_YEARS} years."
                ),
                violation_error_code="period_length",
            ),
            models.CheckConstraint(
                condition=Q(mid_term_review_half__isnull=True) | Q(mid_term_review_half__in=[1, 2]),
                name="strategy_mid_term_review_half",
                violation_error_message="The mid-term review falls in the first or second half.",
                violation_error_code="invalid_half",
            ),
            models.CheckConstraint(
                condition=Q(stated_commitment_total__isnull=True)
                | Q(stated_commitment_total__gte=0),
                name="strategy_commitment_total_non_negative",
                violation_error_message="A total cannot be negative.",
                violation_error_code="negative",
            ),
            models.CheckConstraint(
                condition=Q(stated_disbursement_total__isnull=True)
                | Q(stated_disbursement_total__gte=0),
                name="strategy_disbursement_total_non_negative",
                violation_error_message="A total cannot be negative.",
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
                        "The mid-term review must fall inside the period.", code="outside_period"
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
                        f"{year} is outside the strategy period {self.period}.",
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
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="DKK (front page)."
    )
    planned_disbursement = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Projected annual disbursement, DKK (front page).",
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
    state_comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "year"],
                name="strategyyear_unique",
                violation_error_message="The strategy already has that year.",
                violation_error_code="duplicate_year",
            ),
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(planned_commitment__isnull=True) | Q(planned_commitment__gte=0),
                name="strategyyear_commitment_non_negative",
                violation_error_message="A planned commitment cannot be negative.",
                violation_error_code="negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_disbursement__isnull=True) | Q(planned_disbursement__gte=0),
                name="strategyyear_disbursement_non_negative",
                violation_error_message="A planned disbursement cannot be negative.",
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
                f"{self.year} is approved and locked, so this change was not saved. "
                "A manager can reopen the year if it must change.",
                code="year_locked",
            )
        if self.state == YearState.SUBMITTED:
            raise ValidationError(
                f"{self.year} is submitted for approval, so this change was not saved. "
                "The year is open again once a manager returns it for changes.",
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
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "goal"]
        verbose_name = "relevant SDG"
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "goal"],
                name="relevantsdg_unique",
                violation_error_message="The strategy already names that goal.",
                violation_error_code="duplicate_goal",
            ),
            models.CheckConstraint(
                condition=Q(goal__gte=1, goal__lte=17),
                name="relevantsdg_goal_range",
                violation_error_message="There are seventeen SDGs.",
                violation_error_code="invalid_goal",
            ),
        ]

    def __str__(self) -> str:
        return f"SDG {self.goal}: {self.get_goal_display()}"


class TeamMembership(TimeStampedModel):
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
                violation_error_message="This user already has that role on the team.",
                violation_error_code="duplicate_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.strategy.slug})"


class PriorityArea(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A Danish priority area of a strategy, or a cross-cutting priority."""

    NATURAL_KEY = ("strategy__slug", "slug")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priority_areas")
    kind = models.CharField(max_length=20, choices=PriorityKind.choices)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=300, help_text="Heading of the chapter-4 section.")
    front_page_title = models.CharField(max_length=300, blank=True)
    key_result = models.CharField(max_length=300, blank=True, help_text="Front-page key result.")
    text = models.TextField(blank=True, help_text="Chapter-4 text.")
    monitoring_note = models.TextField(
        blank=True, help_text="What the results-framework annex says it draws on."
    )
    framework_under_development = models.BooleanField(
        default=False, help_text="The partner has not yet defined the results followed here."
    )
    indicators_under_development = models.BooleanField(
        default=False, help_text="The partner has not yet defined the indicators followed here."
    )
    order = models.PositiveSmallIntegerField(default=0)
    nodes = models.ManyToManyField(
        "ResultsNode", through="PriorityAreaNode", related_name="priority_areas", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "slug"],
                name="priorityarea_unique_slug",
                violation_error_message="The strategy has a priority area with that slug.",
                violation_error_code="duplicate_slug",
            ),
            models.UniqueConstraint(
                fields=["strategy", "number"],
                condition=Q(number__isnull=False),
                name="priorityarea_unique_number",
                violation_error_message="The strategy has a priority area with that number.",
                violation_error_code="duplicate_number",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PriorityKind.PRIORITY) & Q(number__isnull=False))
                | (Q(kind=PriorityKind.CROSS_CUTTING) & Q(number__isnull=True)),
                name="priorityarea_number_by_kind",
                violation_error_message=(
                    "Priority areas are numbered; cross-cutting priorities are not."
                ),
                violation_error_code="number_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the name as it is referred to: "Priority area 3" or the cross-cutting title."""
        if self.kind == PriorityKind.PRIORITY:
            return f"Priority area {self.number}: {self.title}"
        return f"Cross-cutting: {self.title}"


class ResultsFramework(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A partner's own results framework, such as IOM's Strategic Results Framework."""

    NATURAL_KEY = ("organisation__slug", "slug")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="frameworks"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    uses_codes = models.BooleanField(
        default=True, help_text="Nodes carry printed codes from which parents follow."
    )
    approved = models.CharField(max_length=100, blank=True, help_text="When it was approved.")
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                name="framework_unique_slug",
                violation_error_message="The organisation already has a framework with that slug.",
                violation_error_code="duplicate_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResultsNode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """An objective, outcome or output in a partner's results framework."""

    NATURAL_KEY = ("framework__organisation__slug", "framework__slug", "key")

    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(
        max_length=60, help_text="The printed code, or a stable key where none is printed."
    )
    code = models.CharField(max_length=30, blank=True, help_text="Printed code, e.g. 3b.4.4.")
    level = models.PositiveSmallIntegerField(choices=NodeLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DefinitionStatus.choices, default=DefinitionStatus.DEFINED
    )
    is_implied = models.BooleanField(
        default=False, help_text="Implied by a listed code but not itself listed."
    )
    section = models.CharField(
        max_length=120,
        blank=True,
        help_text="Part of the framework, e.g. Organizational Effectiveness.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "level", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "key"],
                name="resultsnode_unique_key",
                violation_error_message="This framework already has a node with that key.",
                violation_error_code="duplicate_key",
            ),
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=~Q(code=""),
                name="resultsnode_unique_code",
                violation_error_message="This framework already has a node with that code.",
                violation_error_code="duplicate_code",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=NodeLevel.OBJECTIVE, level__lte=NodeLevel.OUTPUT),
                name="resultsnode_level_range",
                violation_error_message="Level must be objective, outcome or output.",
                violation_error_code="invalid_level",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="resultsnode_not_own_parent",
                violation_error_message="A node cannot be its own parent.",
                violation_error_code="own_parent",
            ),
            models.CheckConstraint(
                condition=Q(level=NodeLevel.OBJECTIVE, parent__isnull=True)
                | (Q(level__gt=NodeLevel.OBJECTIVE) & Q(parent__isnull=False)),
                name="resultsnode_parent_by_level",
                violation_error_message="Objectives have no parent; every other node has one.",
                violation_error_code="parent_by_level",
            ),
            models.CheckConstraint(
                condition=~Q(status=DefinitionStatus.DEFINED, title="", is_implied=False),
                name="resultsnode_defined_has_title",
                violation_error_message="A defined node needs a title.",
                violation_error_code="title_required",
            ),
        ]

    def __str__(self) -> str:
        if self.code:
            return f"{self.code}: {self.title}" if self.title else self.code
        return self.title or f"{self.get_level_display()} (under development)"

    def clean(self) -> None:
        """Check the code's form, and that level and parent agree with it."""
        errors = {}
        if self.code:
            self.code = node_code_normalise(self.code)
            try:
                node_code_validate(self.code)
            except ValidationError as error:
                errors["code"] = error
            else:
                if self.level and self.level != node_code_level(self.code):
                    level = NodeLevel(node_code_level(self.code)).label.lower()
                    errors["level"] = ValidationError(
                        f"Code {self.code} denotes a {level}.", code="level_mismatch"
                    )
                expected_parent = node_code_parent(self.code)
                if self.parent_id and self.parent.code != (expected_parent or ""):
                    errors["parent"] = ValidationError(
                        f"The parent of {self.code} is {expected_parent or 'none'}.",
                        code="parent_mismatch",
                    )
        if self.parent_id:
            if self.parent.framework_id != self.framework_id:
                errors["parent"] = ValidationError(
                    "The parent belongs to another framework.", code="other_framework"
                )
            elif self.level and self.parent.level != self.level - 1:
                errors["parent"] = ValidationError(
                    "The parent must be one level above.", code="parent_level"
                )
        if self.status == DefinitionStatus.DEFINED and not self.title and not self.is_implied:
            errors["title"] = ValidationError(
                "A defined node needs a title; mark it under development otherwise.",
                code="title_required",
            )
        if errors:
            raise ValidationError(errors)


class PriorityAreaNode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """Map a Danish priority area to a node of the partner's framework that Denmark follows."""

    NATURAL_KEY = (
        "priority_area__strategy__slug",
        "priority_area__slug",
        "node__framework__organisation__slug",
        "node__framework__slug",
        "node__key",
    )

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="node_links"
    )
    node = models.ForeignKey(ResultsNode, on_delete=models.CASCADE, related_name="area_links")
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "order"]
        verbose_name = "priority area node"
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "node"],
                name="areanode_unique",
                violation_error_message="The priority area already follows that node.",
                violation_error_code="duplicate_node",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_area} → {self.node}"

    def clean(self) -> None:
        """Map only to nodes of the strategy partner's own frameworks."""
        if (
            self.priority_area_id
            and self.node_id
            and self.node.framework.organisation_id != self.priority_area.strategy.organisation_id
        ):
            raise ValidationError(
                {
                    "node": ValidationError(
                        "The node belongs to another organisation's framework.",
                        code="other_organisation",
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
    code = models.CharField(max_length=30, blank=True)
    title = models.TextField(blank=True)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, number of countries")
    allows_negative = models.BooleanField(
        default=False,
        help_text="Figures may be negative (a change or a balance); counts and shares never are.",
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "key"],
                name="indicator_unique_key",
                violation_error_message="The priority area already has an indicator with that key.",
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__gte=MIN_YEAR, baseline_year__lte=MAX_YEAR),
                name="indicator_baseline_year_range",
                violation_error_message=f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.",
                violation_error_code="outside_years",
            ),
            models.CheckConstraint(
                condition=~Q(status=DefinitionStatus.DEFINED, title=""),
                name="indicator_defined_has_title",
                violation_error_message="A defined indicator needs a title.",
                violation_error_code="title_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title or "Indicator under development"

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
                        "A defined indicator needs a title, or mark it under development.",
                        code="title_required",
                    )
                }
            )
        if self.priority_area_id and self.node_id:
            organisation_id = self.priority_area.strategy.organisation_id
            if self.node.framework.organisation_id != organisation_id:
                raise ValidationError(
                    {
                        "node": ValidationError(
                            "The node belongs to another organisation's framework.",
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
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "strategy_year__year"]
        verbose_name_plural = "indicator progress"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "strategy_year"],
                name="indicatorprogress_unique_year",
                violation_error_message="This indicator already has a record for that year.",
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
                        "The year belongs to another strategy.", code="other_strategy"
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
    narrative = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "strategy_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "strategy_year"],
                name="assessment_unique_year",
                violation_error_message="This priority area is already assessed for that year.",
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
                        "Explain the rating in a narrative: what moved, what held it back.",
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
                        "The year belongs to another strategy.", code="other_strategy"
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
    original_name = models.CharField(max_length=200, help_text="The file's name when uploaded.")
    content_type = models.CharField(max_length=100, help_text="Read from the file's content.")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
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
        verbose_name_plural = "evidence"

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
                "The file is larger than evidence files may be.", code="file_too_large"
            )
        if self.content_type and self.content_type not in KINDS_BY_TYPE:
            errors["content_type"] = ValidationError(
                "Not an accepted type of evidence file.", code="file_type"
            )
        if errors:
            raise ValidationError(errors)

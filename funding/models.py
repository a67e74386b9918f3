"""Budget lines, planned amounts, approvals, commitments, disbursements, allocations, donor data."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funding.choices import BudgetLineKind, Currency, Decision, FundingKind, Half
from funding.querysets import LineYearQuerySet
from priorities.models import MAX_YEAR, MIN_YEAR, Organisation, Strategy, year_range_check
from strategy_monitor.models import (
    IllustrativeModel,
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import TITLE_MAX_LENGTH, text_length_checks, validate_single_line

AMOUNT = {"max_digits": 16, "decimal_places": 2}


def amount_errors(amount, field: str = "amount") -> dict[str, ValidationError]:
    """Return the error for an amount that is not above zero, keyed by `field`."""
    if amount is not None and amount <= 0:
        return {
            field: ValidationError(
                _("Enter an amount above zero; record a correction by changing the record."),
                code="not_positive",
            )
        }
    return {}


def long_date(value: datetime.date) -> str:
    """Return a date as a document writes it, in the reader's language: 1 January 2023."""
    return date_format(value, "DATE_FORMAT")


def period_bounds(strategy: Strategy) -> tuple[datetime.date, datetime.date]:
    """Return the first and the last day of the strategy period."""
    return datetime.date(strategy.start_year, 1, 1), datetime.date(strategy.end_year, 12, 31)


def period_year_errors(strategy: Strategy, year, field: str = "year") -> dict:
    """Return the error for a year outside the strategy period, keyed by `field`."""
    if year is not None and year not in strategy.years:
        return {
            field: ValidationError(
                _("%(year)s is outside the strategy period %(period)s.")
                % {"year": year, "period": strategy.period},
                code="outside_period",
            )
        }
    return {}


def period_date_errors(strategy: Strategy, value, field: str) -> dict[str, ValidationError]:
    """Return the error for a date outside the strategy period, keyed by `field`."""
    first, last = period_bounds(strategy)
    if value is not None and not first <= value <= last:
        return {
            field: ValidationError(
                _("Enter a date inside the strategy period, %(first)s to %(last)s.")
                % {"first": long_date(first), "last": long_date(last)},
                code="outside_period",
            )
        }
    return {}


# The refusal of each amount that `positive_check` guards: (field, zero allowed) → message.
POSITIVE_MESSAGES = {
    ("amount", True): _("The amount cannot be negative."),
    ("amount", False): _("The amount cannot be zero or negative."),
    ("previous_amount", True): _("The previous amount cannot be negative."),
}


def positive_check(field: str, *, allow_zero: bool = False) -> models.CheckConstraint:
    """Return a constraint refusing negative (or zero) values of `field`."""
    lookup = "gte" if allow_zero else "gt"
    return models.CheckConstraint(
        condition=Q(**{f"{field}__{lookup}": 0}),
        name=f"%(app_label)s_%(class)s_{field}_{'non_negative' if allow_zero else 'positive'}",
        violation_error_message=POSITIVE_MESSAGES[field, allow_zero],
        # The same codes as `amount_errors`, which reports the rule on the field itself.
        violation_error_code="negative" if allow_zero else "not_positive",
    )


FINANCE_ACT_CODE_MAX_LENGTH = 60


class FinanceActCode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A Finance Act code the strategy's budget is appropriated under, as the document prints it."""

    NATURAL_KEY = ("strategy__slug", "code")

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="finance_act_codes",
        verbose_name=_("strategy"),
    )
    code = models.CharField(
        max_length=FINANCE_ACT_CODE_MAX_LENGTH,
        validators=[validate_single_line],
        help_text=_('As printed, e.g. "06.32.10.14" or "§06.39.01.10".'),
        verbose_name=_("code"),
    )
    label = models.CharField(
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_single_line],
        blank=True,
        help_text=_("What the Finance Act calls the account, where the document says."),
        verbose_name=_("label"),
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "code"]
        verbose_name = _("Finance Act code")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"],
                name="financeactcode_unique_code",
                violation_error_message=_("The strategy already has that Finance Act code."),
                violation_error_code="duplicate_code",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class BudgetLine(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A line of a strategy's budget: core, softly earmarked or personnel funding."""

    NATURAL_KEY = ("strategy__slug", "code")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("strategy")
    )
    code = models.CharField(
        max_length=10,
        validators=[validate_single_line],
        help_text=_('The line\'s letter, e.g. "a".'),
        verbose_name=_("code"),
    )
    name = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("name")
    )
    kind = models.CharField(max_length=20, choices=BudgetLineKind.choices, verbose_name=_("kind"))
    finance_act_code = models.ForeignKey(
        FinanceActCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        help_text=_("The Finance Act code the line is appropriated under."),
        verbose_name=_("finance act code"),
    )
    responsible_unit = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        verbose_name=_("responsible unit"),
    )
    description = limited_text_field(blank=True, verbose_name=_("description"))
    currency = models.CharField(
        max_length=3, choices=Currency.choices, default=Currency.DKK, verbose_name=_("currency")
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "code"]
        constraints = [
            *text_length_checks("description"),
            models.UniqueConstraint(
                fields=["strategy", "code"],
                name="budgetline_unique_code",
                violation_error_message=_("The strategy already has a budget line with that code."),
                violation_error_code="duplicate_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def clean(self) -> None:
        """Keep the line under a Finance Act code of its own strategy."""
        if (
            self.finance_act_code_id
            and self.strategy_id
            and self.finance_act_code.strategy_id != self.strategy_id
        ):
            raise ValidationError(
                {
                    "finance_act_code": ValidationError(
                        _("The Finance Act code belongs to another strategy."),
                        code="other_strategy",
                    )
                }
            )


class PlannedAmount(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """The amount planned for a budget line in one year."""

    NATURAL_KEY = ("line__strategy__slug", "line__code", "year")

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="planned_amounts", verbose_name=_("line")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year"],
                name="plannedamount_unique_year",
                violation_error_message=_("This line already has a planned amount for that year."),
                violation_error_code="duplicate_year",
            ),
            year_range_check("year"),
            positive_check("amount", allow_zero=True),
        ]

    def __str__(self) -> str:
        return f"{self.line.code} {self.year}: {self.amount}"

    def clean(self) -> None:
        """Plan amounts only for years inside the strategy period."""
        if self.line_id:
            errors = period_year_errors(self.line.strategy, self.year)
            if errors:
                raise ValidationError(errors)


class PlannedAmountRevision(TimeStampedModel):
    """A later figure for a planned amount: from when, where it is stated and why it changed.

    The planned amount itself holds the current figure; each revision keeps the figure it
    replaced, so the first revision's `previous_amount` is the original one, stated where the
    planned amount's `source` says.
    """

    planned_amount = models.ForeignKey(
        PlannedAmount,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("planned amount"),
    )
    previous_amount = models.DecimalField(**AMOUNT, verbose_name=_("previous amount"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))
    revised_on = models.DateField(
        help_text=_("The date of the document that states the figure."),
        verbose_name=_("revised on"),
    )
    source = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text=_('Where the new figure is stated, e.g. "final one-pager".'),
        verbose_name=_("source"),
    )
    reason = limited_text_field(blank=True, verbose_name=_("reason"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_amount", "revised_on", "pk"]
        constraints = [
            *text_length_checks("reason"),
            positive_check("amount", allow_zero=True),
            positive_check("previous_amount", allow_zero=True),
        ]

    def __str__(self) -> str:
        return f"{self.planned_amount}: {self.previous_amount} → {self.amount} ({self.revised_on})"

    def clean(self) -> None:
        """Refuse a revision that does not change the figure."""
        if self.amount is not None and self.amount == self.previous_amount:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _("The revised figure is the same as the current one."), code="unchanged"
                    )
                }
            )


class BudgetTotal(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A total row printed in a strategy's budget table, over the lines it covers."""

    NATURAL_KEY = ("strategy__slug", "key")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="budget_totals", verbose_name=_("strategy")
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    label = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("label")
    )
    lines = models.ManyToManyField(BudgetLine, related_name="totals", verbose_name=_("lines"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "key"],
                name="budgettotal_unique_key",
                violation_error_message=_("The strategy already has a total with that key."),
                violation_error_code="duplicate_key",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class BudgetTotalAmount(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """The amount a budget table prints in a total row for one year."""

    NATURAL_KEY = ("total__strategy__slug", "total__key", "year")

    total = models.ForeignKey(
        BudgetTotal, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("total")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["total", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["total", "year"],
                name="budgettotalamount_unique",
                violation_error_message=_("This total already has an amount for that year."),
                violation_error_code="duplicate_year",
            ),
            year_range_check("year"),
            positive_check("amount", allow_zero=True),
        ]

    def __str__(self) -> str:
        return f"{self.total} {self.year}: {self.amount}"


class LineYearModel(TimeStampedModel, IllustrativeModel):
    """A recorded amount for a budget line and a year inside the strategy period."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("line")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))
    reference = models.CharField(
        max_length=100, validators=[validate_single_line], blank=True, verbose_name=_("reference")
    )
    note = limited_text_field(blank=True, verbose_name=_("note"))

    objects = LineYearQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Keep the year and the date inside the strategy period and the amount above zero."""
        errors = amount_errors(self.amount)
        if self.line_id:
            strategy = self.line.strategy
            errors.update(period_year_errors(strategy, self.year))
            errors.update(self.date_errors(strategy))
        if errors:
            raise ValidationError(errors)

    def date_errors(self, strategy: Strategy) -> dict[str, ValidationError]:
        """Return errors of the record's own date; subclasses name their date field."""
        return {}


class ParliamentaryApproval(LineYearModel):
    """Parliament's approval of a budget line's funds for one year (the annual Finance Act)."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("line")
    )
    approved_on = models.DateField(verbose_name=_("approved on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["line", "year"],
                name="approval_unique_year",
                violation_error_message=_("This line is already approved for that year."),
                violation_error_code="already_approved",
            ),
            year_range_check("year"),
            positive_check("amount"),
        ]

    def __str__(self) -> str:
        return f"Approval {self.line.code} {self.year}"

    def date_errors(self, strategy: Strategy) -> dict[str, ValidationError]:
        """Date an approval from 1 January of the year before its year to 31 December of it.

        The Finance Act for a year is passed in December of the year before, and supplementary
        appropriations may follow during the year itself; an approval dated outside that window
        belongs to another year.
        """
        if not self.approved_on or not self.year:
            return {}
        first, last = datetime.date(self.year - 1, 1, 1), datetime.date(self.year, 12, 31)
        if first <= self.approved_on <= last:
            return {}
        return {
            "approved_on": ValidationError(
                _(
                    "Parliament approves %(year)s between %(first)s (the Finance Act is passed "
                    "the year before) and %(last)s."
                )
                % {"year": self.year, "first": long_date(first), "last": long_date(last)},
                code="approval_date_outside_year",
            )
        }


class Commitment(LineYearModel):
    """A commitment of funds from a budget line for one year."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("line")
    )
    committed_on = models.DateField(verbose_name=_("committed on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year", "committed_on"]
        constraints = [
            year_range_check("year"),
            positive_check("amount"),
            *text_length_checks("note"),
        ]

    def __str__(self) -> str:
        return f"Commitment {self.line.code} {self.year}: {self.amount}"

    def date_errors(self, strategy: Strategy) -> dict[str, ValidationError]:
        """Keep the commitment date inside the strategy period."""
        return period_date_errors(strategy, self.committed_on, "committed_on")


class Disbursement(LineYearModel):
    """A payment to the partner from a budget line, counted against one year."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("line")
    )
    paid_on = models.DateField(verbose_name=_("paid on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year", "paid_on"]
        constraints = [
            year_range_check("year"),
            positive_check("amount"),
            *text_length_checks("note"),
        ]

    def __str__(self) -> str:
        return f"Disbursement {self.line.code} {self.paid_on}: {self.amount}"

    def date_errors(self, strategy: Strategy) -> dict[str, ValidationError]:
        """Keep the payment date inside the strategy period."""
        return period_date_errors(strategy, self.paid_on, "paid_on")


class AllocationRound(TimeStampedModel, IllustrativeModel):
    """A six-monthly dialogue in which the partner proposes uses of softly earmarked funds."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("line")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    half = models.PositiveSmallIntegerField(choices=Half.choices, verbose_name=_("half"))
    dialogue_on = models.DateField(null=True, blank=True, verbose_name=_("dialogue on"))
    note = limited_text_field(blank=True, verbose_name=_("note"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "year", "half"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["line", "year", "half"],
                name="allocationround_unique",
                violation_error_message=_("There is already a round for that half-year."),
                violation_error_code="duplicate_round",
            ),
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(half__in=[1, 2]),
                name="allocationround_half",
                violation_error_message=_("A round is in the first or the second half."),
                violation_error_code="invalid_half",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_half_display().lower()}"

    def clean(self) -> None:
        """Hold rounds only for softly earmarked lines, with year and date inside the period."""
        if self.line_id:
            year_errors = period_year_errors(self.line.strategy, self.year)
            if year_errors:
                raise ValidationError(year_errors)
            if self.line.kind != BudgetLineKind.SOFT_EARMARKED:
                raise ValidationError(
                    {
                        "line": ValidationError(
                            _("Allocation rounds are for softly earmarked lines."),
                            code="not_soft_earmarked",
                        )
                    }
                )
            errors = period_date_errors(self.line.strategy, self.dialogue_on, "dialogue_on")
            if errors:
                raise ValidationError(errors)


class Allocation(TimeStampedModel, IllustrativeModel):
    """A proposed use of softly earmarked funds, and Denmark's decision on it."""

    round = models.ForeignKey(
        AllocationRound,
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("round"),
    )
    office = models.ForeignKey(
        "priorities.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        help_text=_("Country or regional office the funds go to."),
        verbose_name=_("office"),
    )
    theme = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("theme")
    )
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))
    description = limited_text_field(blank=True, verbose_name=_("description"))
    decision = models.CharField(
        max_length=20,
        choices=Decision.choices,
        default=Decision.PENDING,
        verbose_name=_("decision"),
    )
    decision_reason = limited_text_field(blank=True, verbose_name=_("decision reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            *text_length_checks("description", "decision_reason"),
            positive_check("amount"),
            models.CheckConstraint(
                condition=~Q(decision=Decision.REJECTED, decision_reason=""),
                name="allocation_rejection_reason",
                violation_error_message=_("Give the reason for a rejection."),
                violation_error_code="reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.amount})"

    def clean(self) -> None:
        """Keep the amount above zero, the office the partner's own, and rejections reasoned."""
        errors = amount_errors(self.amount)
        if self.decision == Decision.REJECTED and not self.decision_reason.strip():
            errors["decision_reason"] = ValidationError(
                _("Give the reason for a rejection."), code="reason_required"
            )
        if (
            self.round_id
            and self.office_id
            and self.office.organisation_id != self.round.line.strategy.organisation_id
        ):
            errors["office"] = ValidationError(
                _("The office belongs to another organisation."), code="other_organisation"
            )
        if errors:
            raise ValidationError(errors)


class DonorTable(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A donor table printed in a strategy's annexes, with its currency and date."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="donor_tables",
        verbose_name=_("organisation"),
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    title = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("title")
    )
    currency = models.CharField(
        max_length=3, choices=Currency.choices, default=Currency.USD, verbose_name=_("currency")
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year"))
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text=_("Date the table was last updated."),
        verbose_name=_("as of"),
    )
    notes = limited_text_field(
        blank=True, help_text=_("Footnotes and legends as printed."), verbose_name=_("notes")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "key"]
        constraints = [
            *text_length_checks("notes"),
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="donortable_unique_key",
                violation_error_message=_(
                    "The organisation already has a donor table with that key."
                ),
                violation_error_code="duplicate_key",
            ),
            year_range_check("year", null=True),
        ]

    def __str__(self) -> str:
        return self.title


class StatedTotal(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A total as a donor table prints it, kept beside the sum the application computes."""

    NATURAL_KEY = ("table__organisation__slug", "table__key", "key")

    table = models.ForeignKey(
        DonorTable, on_delete=models.CASCADE, related_name="stated_totals", verbose_name=_("table")
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    label = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("label")
    )
    kind = models.CharField(
        max_length=20, choices=FundingKind.choices, blank=True, verbose_name=_("kind")
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))
    growth_percent = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Growth on the year before."),
        verbose_name=_("growth percent"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "year", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "key"],
                name="statedtotal_unique_key",
                violation_error_message=_("The table already has a total with that key."),
                violation_error_code="duplicate_key",
            ),
            year_range_check("year", null=True),
        ]

    def __str__(self) -> str:
        return self.label


class FundingRow(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """One line of a donor's funding to the partner by project; refunds are negative."""

    NATURAL_KEY = ("table__organisation__slug", "table__key", "order")

    table = models.ForeignKey(
        DonorTable, on_delete=models.CASCADE, related_name="funding_rows", verbose_name=_("table")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    donor = models.CharField(
        max_length=100, validators=[validate_single_line], verbose_name=_("donor")
    )
    title = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], verbose_name=_("title")
    )
    kind = models.CharField(max_length=20, choices=FundingKind.choices, verbose_name=_("kind"))
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))
    is_refund = models.BooleanField(default=False, verbose_name=_("is refund"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "order"],
                name="fundingrow_unique_order",
                violation_error_message=_("The table already has a row in that place."),
                violation_error_code="duplicate_order",
            ),
            models.CheckConstraint(
                condition=Q(is_refund=False) | Q(amount__lte=0),
                name="fundingrow_refund_negative",
                violation_error_message=_("A refund is a negative amount."),
                violation_error_code="refund_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class UnearmarkedDonor(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A member state's row in the table of unearmarked funding, with its printed total."""

    NATURAL_KEY = ("table__organisation__slug", "table__key", "member_state")

    table = models.ForeignKey(
        DonorTable, on_delete=models.CASCADE, related_name="donors", verbose_name=_("table")
    )
    member_state = models.CharField(
        max_length=100, validators=[validate_single_line], verbose_name=_("member state")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    stated_total = models.DecimalField(
        **AMOUNT, null=True, blank=True, verbose_name=_("stated total")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "member_state"],
                name="unearmarkeddonor_unique",
                violation_error_message=_("The table already lists that member state."),
                violation_error_code="duplicate_member_state",
            ),
        ]

    def __str__(self) -> str:
        return self.member_state


class UnearmarkedContribution(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A member state's unearmarked contribution in one year; no amount where "-" is printed."""

    NATURAL_KEY = (
        "donor__table__organisation__slug",
        "donor__table__key",
        "donor__member_state",
        "year",
    )

    donor = models.ForeignKey(
        UnearmarkedDonor,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("donor"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    amount = models.DecimalField(
        **AMOUNT,
        null=True,
        blank=True,
        help_text=_('Empty where the table prints "-".'),
        verbose_name=_("amount"),
    )
    is_pledged = models.BooleanField(
        default=False,
        help_text=_("Pledged but not yet received (*)."),
        verbose_name=_("is pledged"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["donor", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["donor", "year"],
                name="unearmarked_unique_year",
                violation_error_message=_("The member state has a contribution for that year."),
                violation_error_code="duplicate_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="unearmarked_year_range",
                violation_error_message=format_lazy(
                    _("Enter a year between {low} and {high}."), low=MIN_YEAR, high=MAX_YEAR
                ),
                violation_error_code="outside_years",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="unearmarked_amount_non_negative",
                violation_error_message=_("A contribution cannot be negative."),
                violation_error_code="negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.year}"


class EarmarkedDonor(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A donor among the partner's top earmarked donors in a year, as ranked in the table."""

    NATURAL_KEY = ("table__organisation__slug", "table__key", "rank")

    table = models.ForeignKey(
        DonorTable,
        on_delete=models.CASCADE,
        related_name="earmarked_donors",
        verbose_name=_("table"),
    )
    rank = models.PositiveSmallIntegerField(verbose_name=_("rank"))
    donor = models.CharField(
        max_length=120, validators=[validate_single_line], verbose_name=_("donor")
    )
    amount = models.DecimalField(**AMOUNT, verbose_name=_("amount"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "rank"],
                name="earmarkeddonor_unique_rank",
                violation_error_message=_("The table already has a donor at that rank."),
                violation_error_code="duplicate_rank",
            ),
            positive_check("amount", allow_zero=True),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.donor}"

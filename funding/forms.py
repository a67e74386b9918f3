"""Forms for approvals, commitments, disbursements, rounds, proposals, decisions, budget set-up.

Forms read and check the input; the rules across records live in `funding.services`.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.choices import BudgetLineKind, Decision, Half
from funding.models import (
    FINANCE_ACT_CODE_MAX_LENGTH,
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
from funding.services import approval_amount_field
from priorities.choices import OfficeKind
from priorities.models import Office, Strategy
from strategy_monitor.concurrency import VersionedFormMixin
from strategy_monitor.forms import AmountField, MillionAmountField
from strategy_monitor.validators import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


class DateInput(forms.DateInput):
    """A browser date picker that submits ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DKK_HELP = _("In DKK, e.g. 20000000, 20,000,000 or 20.000.000; add “mio.” to give millions.")


def year_choices(strategy: Strategy) -> list[tuple[int, str]]:
    """Return the years of the strategy period as choices."""
    return [(year, str(year)) for year in strategy.years]


class ApprovalYearForm(forms.Form):
    """Parliament's approval of one year: a date and reference, and every line's amount."""

    year = forms.TypedChoiceField(coerce=int, label=_("Budget year"))
    approved_on = forms.DateField(
        label=_("Approved on"),
        widget=DateInput,
        help_text=_("The date the Finance Act (or a supplementary appropriation) was passed."),
    )
    reference = forms.CharField(
        max_length=100,
        required=False,
        label=_("Reference"),
        help_text=_('E.g. "Finance Act 2025, § 06.32.10.14".'),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        label=_("Note"),
    )

    def __init__(self, *args, strategy: Strategy, lines, planned: dict, open_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.fields["year"].choices = [(year, str(year)) for year in open_years]
        selected = self.initial.get("year")
        for line in self.lines:
            self.fields[approval_amount_field(line)] = MillionAmountField(
                # The approval refuses a negative or zero amount with its own message.
                allow_negative=True,
                label=f"{line.code}. {line.name}",
                help_text=_("The planned amount of the year is filled in."),
                initial=planned.get((line.pk, selected)),
            )

    def line_fields(self) -> list:
        """Return the bound amount fields, one per budget line, in budget order."""
        return [self[approval_amount_field(line)] for line in self.lines]

    def amounts(self) -> dict[int, Decimal | None]:
        """Return the cleaned amount of each line, by line id."""
        return {line.pk: self.cleaned_data.get(approval_amount_field(line)) for line in self.lines}


# The labels of the model fields the forms below show as the model names them.
LABELS = {
    "approved_on": _("Approved on"),
    "committed_on": _("Committed on"),
    "reference": _("Reference"),
    "note": _("Note"),
    "theme": _("Theme"),
    "description": _("Description"),
}


class ApprovalForm(VersionedFormMixin, forms.ModelForm):
    """Change one line's recorded approval for a year."""

    amount = MillionAmountField(
        label=_("Approved amount"), help_text=_("As the Finance Act prints it, e.g. 48 or 48.5.")
    )

    class Meta:
        model = ParliamentaryApproval
        fields = ["amount", "approved_on", "reference", "note"]
        widgets = {"approved_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        labels = LABELS


class LineYearForm(VersionedFormMixin, forms.ModelForm):
    """Shared fields of commitments and disbursements: a line of the strategy and a year."""

    amount = AmountField(label=_("Amount"), help_text=DKK_HELP)
    year = forms.TypedChoiceField(coerce=int, label=_("Budget year"))

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["line"].queryset = BudgetLine.objects.filter(strategy=strategy).order_by(
            "order", "code"
        )
        self.fields["line"].empty_label = None
        self.fields["line"].label = _("Budget line")
        self.fields["year"].choices = year_choices(strategy)


class CommitmentForm(LineYearForm):
    """Commit funds from a budget line for a year."""

    class Meta:
        model = Commitment
        fields = ["line", "year", "amount", "committed_on", "reference", "note"]
        widgets = {"committed_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        labels = LABELS


class DisbursementForm(LineYearForm):
    """Record a payment from a budget line; the budget year defaults to the payment's year."""

    class Meta:
        model = Disbursement
        fields = ["line", "paid_on", "year", "amount", "reference", "note"]
        widgets = {"paid_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {**LABELS, "paid_on": _("Paid on")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["year"].choices = [
            ("", _("The year it is paid in")),
            *self.fields["year"].choices,
        ]
        self.fields["year"].empty_value = None
        self.fields["year"].help_text = _("The budget year the payment counts against.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("year") and cleaned.get("paid_on"):
            cleaned["year"] = cleaned["paid_on"].year
        return cleaned


class AllocationRoundForm(forms.ModelForm):
    """Open a six-monthly round of the softly earmarked line."""

    year = forms.TypedChoiceField(coerce=int, label=_("Year"))
    half = forms.TypedChoiceField(coerce=int, choices=Half.choices, label=_("Half"))

    class Meta:
        model = AllocationRound
        fields = ["line", "year", "half", "dialogue_on", "note"]
        widgets = {"dialogue_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {**LABELS, "dialogue_on": _("Date of the dialogue")}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(
            strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED
        ).order_by("order", "code")
        self.fields["line"].empty_label = None
        self.fields["line"].label = _("Budget line")
        self.fields["year"].choices = year_choices(strategy)

    def _get_validation_exclusions(self):
        # The service refuses a second round for the same half-year with the message next to
        # this field; the database constraint would only say so at the top of the form.
        return {*super()._get_validation_exclusions(), "half"}


class AllocationRoundUpdateForm(VersionedFormMixin, forms.ModelForm):
    """Change the date of a round's dialogue and its note."""

    class Meta:
        model = AllocationRound
        fields = ["dialogue_on", "note"]
        widgets = {"dialogue_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {**LABELS, "dialogue_on": _("Date of the dialogue")}


def office_choices(organisation_id: int) -> tuple[list, dict[int, Office]]:
    """Return the partner's offices as choices grouped by region, and the offices by id."""
    offices = list(
        Office.objects.filter(organisation_id=organisation_id)
        .select_related("regional_office")
        .order_by("order", "name")
    )
    by_id = {office.pk: office for office in offices}
    countries: dict[int, list[Office]] = {}
    for office in offices:
        if office.kind == OfficeKind.COUNTRY and office.regional_office_id:
            countries.setdefault(office.regional_office_id, []).append(office)
    groups: list = [("", _("No particular office"))]
    for office in offices:
        if office.kind == OfficeKind.REGIONAL:
            label = office.region or office.name
            members = sorted(countries.get(office.pk, []), key=lambda o: o.name)
            groups.append(
                (
                    label,
                    [
                        (
                            office.pk,
                            _("%(region)s (regional office %(office)s)")
                            % {"region": label, "office": office.name},
                        )
                    ]
                    + [(country.pk, country.name) for country in members],
                )
            )
    others = [
        (office.pk, f"{office.name} ({office.get_kind_display().lower()})")
        for office in offices
        if office.kind in (OfficeKind.SPECIAL_LIAISON, OfficeKind.UN_OFFICE)
        or (office.kind == OfficeKind.COUNTRY and not office.regional_office_id)
    ]
    if others:
        groups.append((_("Other offices"), others))
    return groups, by_id


class AllocationForm(VersionedFormMixin, forms.ModelForm):
    """A proposal of the partner: where, what theme, how much and what for."""

    amount = AmountField(label=_("Amount"), help_text=DKK_HELP)
    office = forms.TypedChoiceField(
        required=False,
        label=_("Country or region"),
        help_text=_("The partner's office the funds go to (Annex 1)."),
        coerce=int,
        empty_value=None,
    )

    class Meta:
        model = Allocation
        fields = ["office", "theme", "amount", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = LABELS

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        choices, self.offices = office_choices(strategy.organisation_id)
        self.fields["office"].choices = choices
        if self.instance.pk and self.instance.office_id:
            self.initial["office"] = self.instance.office_id

    def clean_office(self):
        office_id = self.cleaned_data.get("office")
        return self.offices.get(office_id) if office_id else None


class AllocationDecisionForm(VersionedFormMixin, forms.ModelForm):
    """A manager's decision on a proposal, with the reason for it."""

    decision = forms.ChoiceField(
        choices=[(Decision.APPROVED, _("Approve")), (Decision.REJECTED, _("Reject"))],
        label=_("Decision"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Allocation
        fields = ["decision", "decision_reason"]
        widgets = {"decision_reason": forms.Textarea(attrs={"rows": 3})}
        labels = {"decision_reason": _("Reason")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_reason"].required = True
        if self.instance.decision == Decision.PENDING:
            self.initial.pop("decision", None)


class PlannedAmountRevisionForm(VersionedFormMixin, forms.Form):
    """A later figure for a planned amount, as a later version of the document states it."""

    amount = MillionAmountField(label=_("Revised amount (DKK million)"))
    revised_on = forms.DateField(
        label=_("Date"), widget=DateInput, help_text=_("The date of the document that states it.")
    )
    source = forms.CharField(
        max_length=200,
        label=_("Stated in"),
        help_text=_('The document and place, e.g. "final one-pager".'),
    )
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason"),
    )
    original_source = forms.CharField(
        max_length=200,
        required=False,
        label=_("Where the original figure is stated"),
        help_text=_('E.g. "draft strategy, section 5"; kept with the first figure.'),
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.initial.setdefault("original_source", instance.source)
        if instance.revisions.exists():
            del self.fields["original_source"]


class FinanceActCodeForm(VersionedFormMixin, forms.Form):
    """A Finance Act code of the strategy, as printed, with what the Finance Act calls it."""

    code = forms.CharField(max_length=FINANCE_ACT_CODE_MAX_LENGTH, label=_("Finance Act code"))
    label = forms.CharField(max_length=TITLE_MAX_LENGTH, required=False, label=_("Account name"))
    order = forms.IntegerField(min_value=0, required=False, label=_("Order"))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            for name in ("code", "label", "order"):
                self.initial.setdefault(name, getattr(instance, name))


class BudgetLineForm(VersionedFormMixin, forms.Form):
    """A budget line and its planned amount in each year of the period, in DKK million."""

    code = forms.CharField(
        max_length=10, label=_("Code"), help_text=_('The line\'s letter, e.g. "a".')
    )
    name = forms.CharField(max_length=TITLE_MAX_LENGTH, label=_("Name"))
    kind = forms.ChoiceField(label=_("Kind"))
    finance_act_code = forms.CharField(
        max_length=FINANCE_ACT_CODE_MAX_LENGTH,
        required=False,
        label=_("Finance Act code"),
        help_text=_("As printed; lines under the same code share it."),
        widget=forms.TextInput(attrs={"list": "finance-act-codes", "autocomplete": "off"}),
    )
    currency = forms.ChoiceField(label=_("Currency"))
    order = forms.IntegerField(min_value=0, required=False, label=_("Order"))

    def __init__(self, *args, strategy: Strategy, instance=None, **kwargs):
        self.instance = instance
        self.strategy = strategy
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *BudgetLine._meta.get_field("kind").choices]
        self.fields["currency"].choices = BudgetLine._meta.get_field("currency").choices
        self.fields["currency"].initial = "DKK"
        planned = {}
        if instance is not None:
            planned = {amount.year: amount.amount for amount in instance.planned_amounts.all()}
            for name in ("code", "name", "kind", "currency", "order"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("finance_act_code", str(instance.finance_act_code or ""))
        for year in strategy.years:
            name = f"amount_{year}"
            self.fields[name] = MillionAmountField(
                label=_("%(year)s (DKK million)") % {"year": year},
                required=False,
                error_messages={"negative": _("A planned amount cannot be negative.")},
            )
            self.initial.setdefault(name, planned.get(year))

    @property
    def amount_fields(self):
        return [self[f"amount_{year}"] for year in self.strategy.years]

    @property
    def line_fields(self):
        return [self[name] for name in ("code", "name", "kind", "finance_act_code", "currency")]

    def amounts(self) -> dict:
        return {year: self.cleaned_data.get(f"amount_{year}") for year in self.strategy.years}

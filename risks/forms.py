"""Forms for the risk register. They check input types; the rules live in the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from priorities.models import PriorityArea, Strategy
from risks.choices import RATING_MAX, RATING_MIN, Impact, Likelihood
from risks.models import Risk
from strategy_monitor.concurrency import VersionedFormMixin
from strategy_monitor.formats import person_name
from strategy_monitor.validators import TEXT_MAX_LENGTH

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class RiskForm(VersionedFormMixin, forms.ModelForm):
    """Add a risk, or change its details and response."""

    owner = OwnerChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("No owner"),
        label=_("Owner"),
        help_text=_("A member of the strategy's team who follows the risk."),
    )
    priority_areas = forms.ModelMultipleChoiceField(
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Priority areas affected"),
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "description",
            "response",
            "priority_areas",
            "owner",
            "next_review",
        ]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "category": _("Danida risk category"),
            "response": _("Response (risk mitigation)"),
            "next_review": _("Next review"),
        }
        help_texts = {
            "category": _("Contextual, programmatic or institutional; leave empty if not decided."),
            "next_review": _("Today or later."),
        }
        widgets = {
            "description": TEXTAREA,
            "response": TEXTAREA,
            "next_review": DATE_INPUT,
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Not categorised")),
            *Risk._meta.get_field("category").choices,
        ]
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__strategy=strategy)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["priority_areas"].queryset = strategy.priority_areas.order_by("order", "number")


def rating_field(label, rate_message, choices, *, required: bool) -> forms.TypedChoiceField:
    """Return a select of the whole numbers 1 to 5, with a message naming the scale."""
    message = format_lazy(rate_message, low=RATING_MIN, high=RATING_MAX)
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), *choices],
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={"required": message, "invalid_choice": message},
    )


class RiskRateForm(forms.Form):
    """Record a dated re-rating: likelihood and impact before and after the response."""

    rated_on = forms.DateField(label=_("Date of rating"), widget=DATE_INPUT)
    likelihood = rating_field(
        _("Likelihood"),
        _("Rate the likelihood as a whole number from {low} to {high}."),
        Likelihood.choices,
        required=True,
    )
    impact = rating_field(
        _("Impact"),
        _("Rate the impact as a whole number from {low} to {high}."),
        Impact.choices,
        required=True,
    )
    residual_likelihood = rating_field(
        _("Residual likelihood"),
        _("Rate the residual likelihood as a whole number from {low} to {high}."),
        Likelihood.choices,
        required=False,
    )
    residual_impact = rating_field(
        _("Residual impact"),
        _("Rate the residual impact as a whole number from {low} to {high}."),
        Impact.choices,
        required=False,
    )
    residual_justification = forms.CharField(
        label=_("Justification of the residual rating"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Needed only when the residual risk is rated above the inherent risk."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What changed since the last rating, and on what evidence."),
    )
    next_review = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Today or later; leave empty to keep the current date."),
    )

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("rated_on", timezone.localdate())
        if risk.is_rated:
            for field in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
                self.initial.setdefault(field, getattr(risk, field))


class RiskCloseForm(VersionedFormMixin, forms.Form):
    """Close a risk with the reason it is no longer followed."""

    closed_reason = forms.CharField(
        label=_("Reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Give the reason for closing the risk.")},
    )

    def __init__(self, *args, instance: Risk, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)


class RiskReopenForm(VersionedFormMixin, forms.Form):
    """Reopen a closed risk, with a note and a new review date."""

    note = forms.CharField(
        label=_("Why reopen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
    )
    next_review = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Today or later; leave empty to keep the current date."),
    )

    def __init__(self, *args, instance: Risk, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

"""Forms for the risk register. They check input types; the rules live in the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

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
        empty_label="No owner",
        help_text="A member of the strategy's team who follows the risk.",
    )
    priority_areas = forms.ModelMultipleChoiceField(
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Priority areas affected",
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
            "category": "Danida risk category",
            "response": "Response (risk mitigation)",
            "next_review": "Next review",
        }
        help_texts = {
            "category": "Contextual, programmatic or institutional; leave empty if not decided.",
            "next_review": "Today or later.",
        }
        widgets = {
            "description": TEXTAREA,
            "response": TEXTAREA,
            "next_review": DATE_INPUT,
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", "Not categorised"),
            *Risk._meta.get_field("category").choices,
        ]
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__strategy=strategy)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["priority_areas"].queryset = strategy.priority_areas.order_by("order", "number")


def rating_field(label: str, choices, *, required: bool) -> forms.TypedChoiceField:
    """Return a select of the whole numbers 1 to 5, with a message naming the scale."""
    message = f"Rate the {label.lower()} as a whole number from {RATING_MIN} to {RATING_MAX}."
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

    rated_on = forms.DateField(label="Date of rating", widget=DATE_INPUT)
    likelihood = rating_field("Likelihood", Likelihood.choices, required=True)
    impact = rating_field("Impact", Impact.choices, required=True)
    residual_likelihood = rating_field("Residual likelihood", Likelihood.choices, required=False)
    residual_impact = rating_field("Residual impact", Impact.choices, required=False)
    residual_justification = forms.CharField(
        label="Justification of the residual rating",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX_LENGTH,
        help_text="Needed only when the residual risk is rated above the inherent risk.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        help_text="What changed since the last rating, and on what evidence.",
    )
    next_review = forms.DateField(
        label="Next review",
        required=False,
        widget=DATE_INPUT,
        help_text="Today or later; leave empty to keep the current date.",
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
        label="Reason for closing",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": "Give the reason for closing the risk."},
    )

    def __init__(self, *args, instance: Risk, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)


class RiskReopenForm(VersionedFormMixin, forms.Form):
    """Reopen a closed risk, with a note and a new review date."""

    note = forms.CharField(
        label="Why reopen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
    )
    next_review = forms.DateField(
        label="Next review",
        required=False,
        widget=DATE_INPUT,
        help_text="Today or later; leave empty to keep the current date.",
    )

    def __init__(self, *args, instance: Risk, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

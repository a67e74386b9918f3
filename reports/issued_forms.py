"""Forms of issued briefs: what to issue, and why an administrator withdraws one."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engagement.models import Meeting
from priorities.models import Strategy
from reports.models import IssuedBrief
from strategy_monitor.validators import TEXT_MAX_LENGTH


class DateInput(forms.DateInput):
    """A browser date picker that reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IssuedBriefForm(forms.ModelForm):
    """Choose the brief to issue: its year, its meeting, the date it is read as of, the annex."""

    class Meta:
        model = IssuedBrief
        fields = ["year", "meeting", "as_of", "with_annex"]
        labels = {
            "year": gettext_lazy("Year the brief reports on"),
            "as_of": gettext_lazy("Figures as of"),
            "with_annex": gettext_lazy("With the annex"),
        }
        widgets = {"as_of": DateInput()}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["year"] = forms.TypedChoiceField(
            label=self._meta.labels["year"],
            choices=[(year, str(year)) for year in strategy.years],
            coerce=int,
        )
        meeting = self.fields["meeting"]
        meeting.queryset = Meeting.objects.filter(strategy=strategy).order_by("-held_on", "-id")
        meeting.empty_label = _("No meeting")
        meeting.label_from_instance = lambda item: (
            f"{item.title} ({date_format(item.held_on, 'SHORT_DATE_FORMAT')})"
        )
        meeting.help_text = _("The meeting the brief goes into; the brief names it.")
        as_of = self.fields["as_of"]
        as_of.required = False
        as_of.help_text = _(
            "The date the figures are read as of: the meeting's date for a meeting already "
            "held; empty for today."
        )
        self.fields["with_annex"].help_text = _("Print the annex of figures after the brief.")


class IssuedBriefWithdrawForm(forms.Form):
    """Say why an issued brief is withdrawn; the reason is kept with it and logged."""

    withdrawal_reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawing the brief"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown beside the brief wherever it is listed, and kept in the change log."
        ),
    )

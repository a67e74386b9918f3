"""Forms of the reports: the change log's filter and the workbook upload."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.forms import UserChoiceField
from priorities.selectors import history_user_list
from reports.importers import MAX_UPLOAD_BYTES
from strategy_monitor.changelog import kind_choices


class WorkbookImportForm(forms.Form):
    """Upload a monitoring workbook to create or update a strategy."""

    file = forms.FileField(
        label="Workbook (.xlsx)",
        help_text="A workbook of the layout the workbook export writes, at most "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    check_only = forms.BooleanField(
        label="Only check the workbook; change nothing",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
                code="too_large",
            )
        return upload


class HistoryFilterForm(forms.Form):
    """Narrow a strategy's change log by user, kind of record and date."""

    user = UserChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label=gettext_lazy("Anyone")
    )
    kind = forms.MultipleChoiceField(
        label=gettext_lazy("Record type"),
        required=False,
        choices=(),
        # Tick boxes: a multiple select needs Ctrl-click, which few know and some cannot do.
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = history_user_list(strategy=strategy)
        self.fields["kind"].choices = kind_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(
                {
                    "date_to": ValidationError(
                        _("Choose a date on or after “From”."), code="date_order"
                    )
                }
            )
        return data


class SearchForm(forms.Form):
    """The words to look for across the strategies the user may see."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        strip=True,
        help_text=gettext_lazy("Words from a title or text; every word must appear."),
    )


class HandoverForm(forms.Form):
    """Name the person who takes over a leaver's work."""

    successor = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label=gettext_lazy("Successor"),
        help_text=gettext_lazy(
            "An active user. They take over the open work and join the leaver's teams."
        ),
    )

    def __init__(self, *args, leaver, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk=leaver.pk)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["successor"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )

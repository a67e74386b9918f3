"""The form of a user's own settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategy_monitor.models import UserPreference
from strategy_monitor.preferences.services import START_PAGE_DEFAULT, start_page_options


class UserPreferenceForm(forms.ModelForm):
    """Choose the interface's language and the page to land on after logging in."""

    start_page = forms.ChoiceField(
        label=_("Start page"),
        widget=forms.RadioSelect,
        help_text=_("The page shown after logging in, unless a link asked for another."),
    )

    class Meta:
        model = UserPreference
        fields = ["language", "start_page"]
        labels = {"language": _("Language")}
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        options = start_page_options(user=user)
        self.fields["start_page"].choices = [(page.key, page.label) for page, _url in options]
        # A start page that no longer applies shows as what the user gets instead: My tasks.
        if self.instance.start_page not in {page.key for page, _url in options}:
            self.initial["start_page"] = START_PAGE_DEFAULT

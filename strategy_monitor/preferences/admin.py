"""The user's settings on the user's admin page."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from strategy_monitor.models import UserPreference
from strategy_monitor.preferences.services import start_pages


def all_start_pages() -> list[tuple[str, str]]:
    """Return every start page the apps offer; which apply to the user is decided at login."""
    return [(page.key, page.label) for page in start_pages]


class UserPreferenceAdminForm(forms.ModelForm):
    start_page = forms.ChoiceField(
        label=_("Start page"),
        choices=all_start_pages,
        help_text=_("One that does not apply to the user leads to My tasks."),
    )

    class Meta:
        model = UserPreference
        fields = ["language", "start_page"]


class UserPreferenceInline(admin.StackedInline):
    """The user's language and start page, which they also set themselves on their settings page."""

    model = UserPreference
    form = UserPreferenceAdminForm
    can_delete = False
    max_num = 1
    extra = 1

"""The user's settings page and the header's language switch."""

from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from strategy_monitor.preferences.forms import UserPreferenceForm
from strategy_monitor.preferences.services import (
    language_codes,
    session_language_set,
    user_preference_get,
    user_preference_update,
)
from strategy_monitor.views import ServiceFormView


def language_apply(request, language: str) -> None:
    """Speak `language` for the rest of this request, or the browser's language when it is ""."""
    translation.activate(language or translation.get_language_from_request(request))
    request.LANGUAGE_CODE = translation.get_language()


class UserPreferenceUpdateView(ServiceFormView):
    """Let a user choose their language and start page; the choice applies at once."""

    form_class = UserPreferenceForm
    template_name = "preferences/userpreference_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": user_preference_get(user=self.request.user),
            "user": self.request.user,
        }

    def save(self, form):
        preference = user_preference_update(
            user=self.request.user,
            language=form.cleaned_data["language"],
            start_page=form.cleaned_data["start_page"],
        )
        session_language_set(session=self.request.session, language=preference.language)
        # The message is worded in the language just chosen.
        language_apply(self.request, preference.language)
        return preference

    def get_success_message(self) -> str:
        return _("Your settings are saved.")

    def get_success_url(self) -> str:
        return reverse("preferences:userpreference_update")


@login_not_required
@require_POST
def language_set(request):
    """Switch the interface's language; a signed-in user's choice is kept in their settings.

    Django's `set_language` checks the language and the page to return to, and sets the
    language cookie, which keeps the choice on this browser after logging out too.
    """
    language = request.POST.get("language", "")
    if language in language_codes() and request.user.is_authenticated:
        user_preference_update(user=request.user, language=language)
        session_language_set(session=request.session, language=language)
    return set_language(request)

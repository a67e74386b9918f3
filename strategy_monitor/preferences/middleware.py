"""Speak the signed-in user's own language, where they chose one."""

from django.utils import translation
from django.utils.translation import check_for_language

from strategy_monitor.preferences.services import LANGUAGE_SESSION_KEY, language_codes


class UserLanguageMiddleware:
    """Speak the signed-in user's own language, where they chose one.

    It stands after AuthenticationMiddleware; LocaleMiddleware before it has activated the
    browser's language (Accept-Language, or the language cookie), else English, and that stays
    for visitors and for users who chose none. The session holds the choice, so a page reads no
    more than it did: the session and the user are read for every signed-in page anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
        if (
            language in language_codes()
            and check_for_language(language)
            and request.user.is_authenticated
        ):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

"""Each user's settings: the start pages on offer, where a user lands, and saving a choice.

The pages a user may start on belong to the apps above (My tasks and the dashboard to reports,
the strategies to priorities), so they are named through the `start_pages` hook, which those
apps fill from their `ready()`. An entry says for a given user where it leads, or that it does
not apply to them (no longer on exactly one team, say); a start page that no longer applies
falls back to My tasks.

The chosen language is read on every request, so it is kept in the session when the user logs
in or changes it, rather than read from the database each time.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import resolve_url
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from strategy_monitor.models import UserPreference
from strategy_monitor.registry import Hook

START_PAGE_DEFAULT = "my_tasks"
LANGUAGE_SESSION_KEY = "user_language"


@dataclass(frozen=True)
class StartPage:
    """A page a user may choose to land on: its key, its name, and where it leads for a user.

    `url` returns the page's address for the user, or None where it does not apply to them.
    """

    key: str
    label: str | Promise
    url: Callable[[Any], str | None]


start_pages: Hook[StartPage] = Hook(
    "start_pages", "The pages a user may choose to land on after logging in."
)


def start_page_options(*, user) -> list[tuple[StartPage, str]]:
    """Return the start pages that apply to `user`, each with the address it leads to."""
    options = []
    for page in start_pages:
        url = page.url(user)
        if url:
            options.append((page, url))
    return options


def user_preference_get(*, user) -> UserPreference:
    """Return the settings of `user`, unsaved defaults if they never saved any."""
    preference = UserPreference.objects.filter(user=user).first()
    return preference or UserPreference(user=user)


def start_page_url(*, user) -> str:
    """Return where `user` lands after logging in: their start page, else My tasks."""
    chosen = user_preference_get(user=user).start_page
    for key in (chosen, START_PAGE_DEFAULT):
        for page in start_pages:
            if page.key == key:
                url = page.url(user)
                if url:
                    return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def language_codes() -> set[str]:
    """Return the codes of the interface's languages."""
    return {code for code, _name in settings.LANGUAGES}


def user_language(user) -> str:
    """Return the language to write to `user` in where no browser asks: theirs, else the site's.

    For what reaches a user outside a request of theirs: e-mails, calendar feeds. Settings
    already loaded with the user (`select_related("preference")`) cost no query.
    """
    accessor = type(user).preference
    if not accessor.is_cached(user):
        return users_languages([user])[user.pk]
    preference = accessor.related.get_cached_value(user, default=None)
    language = preference.language if preference is not None else ""
    return language if language in language_codes() else settings.LANGUAGE_CODE


def users_languages(users: Iterable) -> dict[int, str]:
    """Return the language of each of `users` by id, as `user_language`, in a single query."""
    ids = [user.pk for user in users]
    offered = language_codes()
    chosen = dict(
        UserPreference.objects.filter(user_id__in=ids, language__in=offered).values_list(
            "user_id", "language"
        )
    )
    return {pk: chosen.get(pk, settings.LANGUAGE_CODE) for pk in ids}


@transaction.atomic
def user_preference_update(
    *, user, language: str | None = None, start_page: str | None = None
) -> UserPreference:
    """Save the settings of `user` that are given, creating them on the first save.

    A start page must be one that applies to the user; a language one of the interface's, or
    "" to follow the browser.
    """
    preference = UserPreference.objects.select_for_update().filter(user=user).first()
    preference = preference or UserPreference(user=user)
    if language is not None:
        if language and language not in language_codes():
            raise ValidationError(
                {
                    "language": ValidationError(
                        _("Choose one of the languages offered."), code="unknown_language"
                    )
                }
            )
        preference.language = language
    if start_page is not None:
        if start_page not in {page.key for page, _url in start_page_options(user=user)}:
            raise ValidationError(
                {
                    "start_page": ValidationError(
                        _("Choose one of the start pages offered."), code="unknown_start_page"
                    )
                }
            )
        preference.start_page = start_page
    preference.full_clean()
    preference.save()
    return preference


def session_language_set(*, session, language: str) -> None:
    """Keep `language` in the session for the middleware, or forget it when it is ""."""
    if language:
        session[LANGUAGE_SESSION_KEY] = language
    else:
        session.pop(LANGUAGE_SESSION_KEY, None)


def session_language_on_login(sender, request, user, **kwargs) -> None:
    """Put the language of the user who just logged in into their session."""
    if request is None or not hasattr(request, "session"):
        return
    language = UserPreference.objects.filter(user=user).values_list("language", flat=True)
    session_language_set(session=request.session, language=language.first() or "")

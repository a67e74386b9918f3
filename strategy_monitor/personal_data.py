"""Personal data: anonymising a departed user everywhere they appear, and retention.

A departed user keeps their row, their team memberships and every change they made: the
strategy's change log keeps its shape and still says that one person made those changes, and
their records stay attached to them. What identified them goes: user name, names, e-mail,
password, and every copy of their name or e-mail address in free text, in the records and in
the historical rows of the change log. They then read as "Former user <id>".

The applications above know where they keep a person's name as text (a strategy's desk
officer, a change reason that names a user) and what else holds a user's personal data (a
calendar feed's token); each registers an anonymiser into `user_anonymisers` from its
`AppConfig.ready()`.
"""

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from strategy_monitor.formats import ANONYMOUS_USERNAME_PREFIX, anonymous_name
from strategy_monitor.registry import Hook

logger = logging.getLogger("strategy_monitor.personal_data")

# Tables never searched for text: the user row is rewritten itself, a session's data is
# encoded (sessions end with the unusable password), and the rest hold no free text.
UNSEARCHED_MODELS = {
    "auth.user",
    "auth.permission",
    "contenttypes.contenttype",
    "sessions.session",
}


@dataclass(frozen=True)
class PersonTraces:
    """What identified a user before anonymisation, to be found and replaced in text."""

    user_id: int
    username: str
    full_name: str
    email: str

    @property
    def replacement(self) -> str:
        """Return the name that stands for the person from now on."""
        return anonymous_name(self.user_id)

    @property
    def anonymous_username(self) -> str:
        """Return the user name the person gets."""
        return f"{ANONYMOUS_USERNAME_PREFIX}{self.user_id}"

    def exact_values(self) -> list[str]:
        """Return the values a field holding only a person's name or address may equal."""
        return [value for value in (self.username, self.full_name, self.email) if value]

    def distinctive_values(self) -> list[str]:
        """Return the values safe to replace inside longer text.

        A user name may be a plain word ("desk") and a single first name a part of many
        words, so only a full name of two words or more and an e-mail address qualify.
        """
        values = [self.email] if self.email else []
        if len(self.full_name.split()) >= 2:
            values.append(self.full_name)
        return values

    def text_replace(self, text: str) -> str:
        """Return `text` with the person's full name and e-mail address replaced."""
        for value in self.distinctive_values():
            text = re.sub(re.escape(value), self.replacement, text, flags=re.IGNORECASE)
        return text


Anonymiser = Callable[..., None]
user_anonymisers: Hook[Anonymiser] = Hook(
    "user_anonymisers",
    "Called as anonymiser(traces=PersonTraces) inside the anonymisation's transaction: each "
    "application removes or replaces the personal data it keeps about the user.",
)


def is_anonymised(user) -> bool:
    """Return whether `user` has been anonymised."""
    return user.username == f"{ANONYMOUS_USERNAME_PREFIX}{user.pk}"


def _fitted(value: str, field: models.Field) -> str:
    limit = getattr(field, "max_length", None)
    return value[:limit] if limit else value


def exact_names_replace(
    *, model: type[models.Model], fields: Iterable[str], traces: PersonTraces
) -> int:
    """Replace, in `model` and its change history, fields that hold just the person's name.

    A field equal (in any case) to the user name, full name or e-mail address becomes
    "Former user <id>"; a longer text has the full name and address replaced within it.
    Rows are updated in place, so the change history gains no row. Returns the rows changed.
    """
    changed = 0
    targets = [model]
    history = getattr(model, "history", None)
    if history is not None:
        targets.append(history.model)
    for target in targets:
        for name in fields:
            field = target._meta.get_field(name)
            exact = models.Q()
            for value in traces.exact_values():
                exact |= models.Q(**{f"{name}__iexact": value})
            changed += target._default_manager.filter(exact).update(
                **{name: _fitted(traces.replacement, field)}
            )
    return changed + _text_replace(models_=targets, traces=traces, only=set(fields))


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices
    ]


def _text_replace(
    *, models_: Iterable[type[models.Model]], traces: PersonTraces, only: set[str] | None = None
) -> int:
    """Replace the full name and e-mail address inside the text fields of `models_`."""
    values = traces.distinctive_values()
    if not values:
        return 0
    changed = 0
    for model in models_:
        fields = [field for field in _text_fields(model) if only is None or field.name in only]
        if not fields:
            continue
        found = models.Q()
        for field in fields:
            for value in values:
                found |= models.Q(**{f"{field.attname}__icontains": value})
        manager = model._default_manager
        pk_name = model._meta.pk.attname
        for row in manager.filter(found).values(pk_name, *(field.attname for field in fields)):
            updates = {}
            for field in fields:
                text = row[field.attname]
                if text:
                    replaced = traces.text_replace(text)
                    if replaced != text:
                        updates[field.attname] = _fitted(replaced, field)
            if updates:
                changed += manager.filter(**{pk_name: row[pk_name]}).update(**updates)
    return changed


def _searched_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in UNSEARCHED_MODELS and not model._meta.proxy
    ]


def admin_log_rename(
    *, model: type[models.Model], object_ids: Iterable, traces: PersonTraces
) -> int:
    """Replace the user name in the admin log's names of these objects (their `str()`).

    The admin keeps each object's name as text when it records a change; an object named
    after its user (a team membership) names them there. Returns the entries changed.
    """
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    pattern = re.compile(rf"(?<![\w.@-]){re.escape(traces.username)}(?![\w.@-])")
    changed = 0
    entries = LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in object_ids]
    )
    for entry in entries.only("pk", "object_repr"):
        renamed = pattern.sub(traces.anonymous_username, entry.object_repr)
        if renamed != entry.object_repr:
            changed += LogEntry.objects.filter(pk=entry.pk).update(object_repr=renamed[:200])
    return changed


def _login_attempts_delete(*, traces: PersonTraces) -> None:
    """Delete the login attempts made with the user's name: of no use once they have left."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=traces.username).delete()


def _external_identities_delete(*, traces: PersonTraces) -> None:
    """Delete the links to the user's ministry account: the account ids identify the person.

    Should the account sign in again, it is met as a new person, with no access of the old one.
    """
    from strategy_monitor.models import ExternalIdentity

    ExternalIdentity.objects.filter(user_id=traces.user_id).delete()


def user_anonymise(*, user, acting_user=None):
    """Anonymise a departed user everywhere they appear, in one transaction.

    Refuses an active user (they still work here: deactivate them first) and a superuser.
    """
    if user.is_active:
        raise ValidationError(
            "%(user)s is still active: deactivate the account before anonymising it.",
            code="active_user",
            params={"user": user.username},
        )
    if user.is_superuser:
        raise ValidationError(
            "%(user)s is a superuser: take away the superuser status first.",
            code="superuser",
            params={"user": user.username},
        )
    if is_anonymised(user):
        return user
    traces = PersonTraces(
        user_id=user.pk,
        username=user.username,
        full_name=user.get_full_name().strip(),
        email=user.email.strip(),
    )
    with transaction.atomic():
        user.username = traces.anonymous_username
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        for anonymiser in user_anonymisers:
            anonymiser(traces=traces)
        admin_log_rename(model=type(user), object_ids=[user.pk], traces=traces)
        _login_attempts_delete(traces=traces)
        _external_identities_delete(traces=traces)
        # Last: whatever the applications left of the full name or address in any text.
        _text_replace(models_=_searched_models(), traces=traces)
    logger.info(
        "Anonymised user %s (by user %s)",
        user.pk,
        acting_user.pk if acting_user is not None else "-",
        extra={"user_id": acting_user.pk if acting_user is not None else None},
    )
    return user


def departed_users(*, now: datetime | None = None) -> models.QuerySet:
    """Return the inactive users not yet anonymised whose last login is past the retention.

    A user who never logged in counts from the day the account was made.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    return (
        get_user_model()
        .objects.filter(is_active=False)
        .exclude(username__startswith=ANONYMOUS_USERNAME_PREFIX)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
        .order_by("pk")
    )


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed."""

    login_attempts: int
    sessions: int


def login_records_purge(*, now: datetime | None = None) -> PurgeResult:
    """Delete login attempt records past their retention and every expired session."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOGIN_ATTEMPT_RETENTION_DAYS)
    attempts = 0
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            deleted, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
            attempts += deleted
        # An expired session can never be used again: it is kept no longer than that.
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    return PurgeResult(login_attempts=attempts, sessions=sessions)

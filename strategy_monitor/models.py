"""Abstract models shared by every app."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from strategy_monitor.validators import TEXT_MAX_LENGTH, validate_single_line


def limited_text_field(*, limit: int = TEXT_MAX_LENGTH, **kwargs) -> models.TextField:
    """Return a TextField held to `limit` characters by its form field and by full_clean.

    Pair it with `text_length_check` in the model's constraints, so the database holds the
    limit too.
    """
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


class TimeStampedModel(models.Model):
    """Record when a row was created and last changed."""

    # Defaults rather than auto_now: fixtures load with raw saves, which skip auto_now.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Stamp the change time, then save."""
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class SourcedModel(models.Model):
    """Name where in the strategy document a fact comes from."""

    source = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=gettext_lazy(
            'Where the fact is stated, e.g. "Front page", "Section 5", "Annex 4".'
        ),
    )

    class Meta:
        abstract = True


class IllustrativeModel(models.Model):
    """Flag records that are illustrative demo data rather than monitored fact."""

    is_illustrative = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Illustrative demo data, not a recorded fact; labelled wherever it shows."
        ),
    )

    class Meta:
        abstract = True


class NaturalKeyManager(models.Manager):
    """Find rows by their model's `NATURAL_KEY` lookups, so fixtures load idempotently."""

    def get_by_natural_key(self, *values):
        """Return the row whose natural key is `values`."""
        return self.get(**dict(zip(self.model.NATURAL_KEY, values, strict=True)))


class NaturalKeyModel(models.Model):
    """Give a model a natural key built from the lookups in `NATURAL_KEY`."""

    NATURAL_KEY: tuple[str, ...] = ()

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        """Return the values of this row's `NATURAL_KEY` lookups."""
        values = []
        for lookup in self.NATURAL_KEY:
            value = self
            for part in lookup.split("__"):
                value = getattr(value, part) if value is not None else None
            values.append(value)
        return tuple(values)


class FormSubmission(models.Model):
    """Record one sending of a rendered form, so that sending it again repeats nothing.

    A row is claimed by inserting its token: the unique column lets exactly one of any number
    of simultaneous posts through, on SQLite and PostgreSQL alike. `location` stays empty while
    that post is being handled and holds where it led once it succeeded.
    """

    token = models.CharField(max_length=64, unique=True)
    location = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "form submission"

    def __str__(self) -> str:
        return f"Form submission {self.token[:8]}…"


class ExternalIdentity(TimeStampedModel):
    """Tie a user to the account that signs them in through the ministry's identity provider.

    The key is stable for the life of the account: for Microsoft Entra ID the tenant (`tid`) and
    the object id (`oid`), elsewhere the issuer (`iss`) and the subject (`sub`). An e-mail
    address is never the key, so a renamed address neither makes a new user nor reaches another.
    """

    issuer = models.CharField(
        max_length=255, help_text="The tenant id (Entra ID) or the issuer of the account."
    )
    subject = models.CharField(
        max_length=255, help_text="The object id (Entra ID) or the subject of the account."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "external identity"
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="externalidentity_unique_account",
                violation_error_message="This account already signs in another user.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.issuer})"


class UserPreference(TimeStampedModel):
    """Keep one user's own settings: the interface language and the page they land on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        default="",
        # The languages name themselves, as they do in the header's switch.
        choices=[("", _("The browser's language")), ("en-gb", "English"), ("da", "Dansk")],
        help_text=_("Without a choice here, the language the browser asks for, else English."),
    )
    start_page = models.CharField(
        _("start page"),
        max_length=50,
        default="my_tasks",
        help_text=_("The page shown after logging in, unless a link asked for another."),
    )

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")

    def __str__(self) -> str:
        return _("Settings of %(user)s") % {"user": self.user}

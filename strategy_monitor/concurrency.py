"""Refuse a save that started from a stale copy of a record, saying what changed meanwhile.

Every edit form carries the `updated_at` stamp of the copy it was opened from. On save the
row is locked (`select_for_update`, effective on PostgreSQL), its stamp compared, and if someone
saved in between, the edit is refused with the fields that person changed, read from the change
history (`strategy_monitor.changes` words the message). Nothing is overwritten silently.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from strategy_monitor.changes import created_meanwhile_message, stale_message

STALE_CODE = "stale_edit"


def version_token(instance: models.Model) -> str:
    """Return the token that identifies the saved state of `instance`."""
    return instance.updated_at.isoformat() if instance.updated_at else ""


def stale_error(instance: models.Model, token: str) -> ValidationError:
    """Return the error for an edit that started from the stale state `token`."""
    return ValidationError(stale_message(instance, token), code=STALE_CODE)


def created_meanwhile_error(instance: models.Model, fields: Iterable[str]) -> ValidationError:
    """Return the error for a form opened before someone else created `instance`."""
    return ValidationError(created_meanwhile_message(instance, fields), code=STALE_CODE)


def lock_unchanged(instance: models.Model, token: str | None) -> None:
    """Lock the row of `instance` and refuse if it changed since `token`; call inside atomic."""
    if not instance.pk or token is None:
        return
    # No ordering: a model's default ordering may join other tables, whose rows would be locked too.
    current = (
        type(instance)
        ._default_manager.select_for_update()
        .filter(pk=instance.pk)
        .order_by()
        .first()
    )
    if current is not None and version_token(current) != token:
        raise stale_error(instance, token)


class VersionedFormMixin(forms.Form):
    """Carry the version of the record being edited through the form, as a hidden field."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial["version"] = version_token(instance)

    @property
    def started_from(self) -> str | None:
        """Return the version the user started from, or None for a new record."""
        instance = getattr(self, "instance", None)
        if instance is None or not instance.pk:
            return None
        return self.cleaned_data.get("version") or ""

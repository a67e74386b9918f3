"""Refuse a save that started from a stale copy of a record, saying what changed meanwhile.

Every edit form carries the `updated_at` stamp of the copy it was opened from. On save the
row is locked (`select_for_update`, effective on PostgreSQL), its stamp compared, and if someone
saved in between, the edit is refused with the fields that person changed, read from the change
history (`strategy_monitor.changes` words the message). Nothing is overwritten silently.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect

from strategy_monitor.changes import created_meanwhile_message, stale_message
from strategy_monitor.forms import error_codes, form_add_error

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


def save_unchanged(instance: models.Model, token: str | None, **save_kwargs) -> models.Model:
    """Validate and save `instance` in one transaction unless it changed since `token`."""
    with transaction.atomic():
        lock_unchanged(instance, token)
        instance.full_clean()
        instance.save(**save_kwargs)
    return instance


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


class VersionedSaveMixin:
    """Save a versioned form through `save_unchanged`, turning a stale edit into a form error.

    The refused form keeps the user's input and takes the current version, so that saving
    again, after reading what changed, is a deliberate choice.
    """

    def save_form(self, form) -> models.Model:
        """Save the form's instance unless it went stale; subclasses may override."""
        return save_unchanged(form.instance, form.started_from)

    def form_valid(self, form):
        try:
            self.object = self.save_form(form)
        except ValidationError as error:
            if STALE_CODE in error_codes(error):
                current = type(form.instance)._default_manager.get(pk=form.instance.pk)
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = version_token(current)
            form_add_error(form, error)
            return self.form_invalid(form)
        return self.form_saved(form)

    def form_saved(self, form):
        """Respond after a successful save: by default, go to the success URL."""
        return HttpResponseRedirect(self.get_success_url())

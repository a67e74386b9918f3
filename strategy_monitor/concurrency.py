"""Refuse a save that started from a stale copy of a record, saying what changed meanwhile.

Every edit form carries the `updated_at` stamp of the copy it was opened from. On save the
row is locked (`select_for_update`, effective on PostgreSQL), its stamp compared, and if someone
saved in between, the edit is refused with the fields that person changed, read from the change
history. Nothing is overwritten silently.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

STALE_CODE = "stale_edit"


def version_token(instance: models.Model) -> str:
    """Return the token that identifies the saved state of `instance`."""
    return instance.updated_at.isoformat() if instance.updated_at else ""


def _display(instance, field: models.Field, value) -> str:
    if value in (None, ""):
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def changes_since(instance: models.Model, token: str) -> list[str]:
    """Describe the fields of `instance` changed since the state identified by `token`."""
    current = type(instance)._default_manager.get(pk=instance.pk)
    started = parse_datetime(token) if token else None
    history = getattr(current, "history", None)
    before = None
    if history is not None and started is not None:
        before = history.filter(updated_at__lte=started).order_by("-history_date").first()
    latest = history.order_by("-history_date").first() if history is not None else None
    lines = []
    for field in type(instance)._meta.concrete_fields:
        if field.name in {"id", "created_at", "updated_at"} or getattr(field, "generated", False):
            continue
        new = getattr(current, field.attname)
        old = getattr(before, field.attname, new) if before is not None else None
        if before is not None and old != new:
            lines.append(
                f"{field.verbose_name.capitalize()}: {_display(current, field, old)} → "
                f"{_display(current, field, new)}"
            )
    who = ""
    if latest is not None:
        user = latest.history_user
        when = timezone.localtime(latest.history_date).strftime("%d %b %Y %H:%M")
        who = f" by {user.get_full_name() or user.username}" if user else ""
        who += f" at {when}"
    summary = "; ".join(lines) if lines else "the record was changed"
    return [f"Changed{who}: {summary}."]


def stale_error(instance: models.Model, token: str) -> ValidationError:
    """Return the error for an edit that started from the stale state `token`."""
    changes = " ".join(changes_since(instance, token))
    return ValidationError(
        "Someone else saved this record after you opened it, so your changes were not saved. "
        f"{changes} Review the current values below and save again.",
        code=STALE_CODE,
    )


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

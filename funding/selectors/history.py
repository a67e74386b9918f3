"""The change history of a funding record, field by field."""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record: who, when, what kind, why, and which fields changed."""

    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: tuple[FieldChange, ...]


HISTORY_SKIP = {"id", "created_at", "updated_at"}
HISTORY_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _history_value(field, value, related: dict) -> str:
    if value is None or value == "":
        return "–"
    if field.is_relation:
        return related.get(field.name, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def record_history(*, instance) -> tuple[HistoryEntry, ...]:
    """Return the change history of `instance`, newest first, with the fields each change set.

    One query reads the history with its users and one per related model names the related
    records, so a long history costs no more queries than a short one.
    """
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    fields = sorted(
        (
            f
            for f in type(instance)._meta.concrete_fields
            if f.name not in HISTORY_SKIP and not getattr(f, "generated", False)
        ),
        # The record's own fields first, in declaration order; the illustrative flag last.
        key=lambda f: (f.name == "is_illustrative", not f.is_relation),
    )
    related: dict[str, dict] = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in records} - {None}
            objects = f.related_model._default_manager.in_bulk(ids) if ids else {}
            related[f.name] = {pk: str(obj) for pk, obj in objects.items()}
    entries = []
    previous = None
    for record in records:
        changes = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if record.history_type == "-" or (previous is not None and old == new):
                continue
            if previous is None and new in (None, "", False):
                continue
            changes.append(
                FieldChange(
                    label=str(f.verbose_name).capitalize(),
                    old=_history_value(f, old, related) if previous is not None else "–",
                    new=_history_value(f, new, related),
                )
            )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "System",
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
        previous = record
    return tuple(reversed(entries))

"""Show what changed in a monitored record: who, when, and each field's old → new value.

One way of writing a value (choices by their label, relations by the related record's name,
booleans as Yes/No, amounts to the cent, figures as people write them, dates without a leading
zero, an empty value as "(empty)") serves the strategy's change log, a record's own history,
the message that refuses a stale edit and the one for a record created meanwhile.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from strategy_monitor.formats import amount_exact, figure_shown, person_name

EMPTY = gettext_lazy("(empty)")
NO_USER = pgettext_lazy("the author of a change made by no user", "System")
ACTIONS = {
    "+": pgettext_lazy("a change in the log", "Created"),
    "~": pgettext_lazy("a change in the log", "Changed"),
    "-": pgettext_lazy("a change in the log", "Deleted"),
}
ACTION_CLASSES = {"+": "created", "~": "changed", "-": "deleted"}
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}

# How to name a record that another record refers to, by model label, for models whose own
# `str()` would read other rows. Filled by the apps along with their tracked models.
reference_names: dict[str, Callable[[models.Model], str]] = {}


@dataclass(frozen=True)
class FieldChange:
    """One field changed by one change: its label and the old and new values as shown."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change to one record: when, who, what was done, why, and which fields.

    `kind` and `record` name the record where changes of several records are listed together.
    """

    when: datetime.datetime
    who: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...]
    kind: str = ""
    record: str = ""
    # "+", "~" or "-": what was done, whatever the language `action` is written in.
    code: str = ""

    @property
    def action_class(self) -> str:
        """Return the action in English for the page's styles: created, changed, deleted."""
        return ACTION_CLASSES.get(self.code, "")

    @classmethod
    def of(cls, row, changes, **names) -> "HistoryEntry":
        """Return the entry for the history row `row`, with its field `changes`."""
        return cls(
            when=row.history_date,
            who=person_text(row.history_user),
            action=ACTIONS.get(row.history_type, row.history_type),
            code=row.history_type,
            reason=row.history_change_reason or "",
            changes=tuple(changes),
            **names,
        )


def person_text(user) -> str:
    """Return how the change log names `user`; a change without one was made by the system."""
    return person_name(user, default=NO_USER)


def moment_text(moment: datetime.datetime) -> str:
    """Return a moment in local time as the change log shows it: 2 Jan 2025 14:05."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def short_text(text: str, words: int = 10) -> str:
    """Return `text` cut to its first `words` words."""
    return Truncator(text or "").words(words)


def reference_text(obj: models.Model) -> str:
    """Return the name of a record that another record refers to."""
    if isinstance(obj, get_user_model()):
        return person_text(obj)
    name = reference_names.get(obj._meta.label)
    return short_text(name(obj) if name else str(obj), 12)


def related_names(fields: Iterable[models.Field], rows: Iterable) -> dict[tuple, str]:
    """Return the names of the records that `rows` refer to in `fields`, one query per model.

    Keyed by (related model, primary key); a record deleted since has no name.
    """
    rows = list(rows)
    wanted: dict[type, set] = defaultdict(set)
    for field in fields:
        if field.is_relation:
            for row in rows:
                value = getattr(row, field.attname, None)
                if value is not None:
                    wanted[field.related_model].add(value)
    return names_of(wanted)


def names_of(wanted: dict[type, set]) -> dict[tuple, str]:
    """Return the names of the records `wanted` lists by model, one query per model."""
    names = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            names[(model, pk)] = reference_text(obj)
    return names


def value_text(field: models.Field, value, names: dict[tuple, str]) -> str:
    """Return `value` of `field` as the change log shows it; `names` from `related_names()`."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value)) or _("#%(id)s (removed)") % {"id": value}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        # Money is kept to the cent and shown so; figures keep spare places, shown only if used.
        if field.decimal_places is not None and field.decimal_places <= 2:
            return amount_exact(value, field.decimal_places)
        return figure_shown(value)
    if isinstance(value, datetime.datetime):
        return moment_text(value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return Truncator(str(value)).chars(300)


def field_label(field: models.Field) -> str:
    """Return the label of `field` as a change names it."""
    return str(field.verbose_name).capitalize()


def shown_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the fields of `model` whose changes are shown: not the keys, stamps or computed."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in HIDDEN_FIELDS and not getattr(field, "generated", False)
    ]


def record_history(*, instance) -> tuple[HistoryEntry, ...]:
    """Return the change history of `instance`, newest first, with the fields each change set.

    One query reads the history with its users and one per related model names the related
    records, so a long history costs no more queries than a short one.
    """
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    fields = sorted(
        shown_fields(type(instance)),
        # The record's own fields first, in declaration order; the illustrative flag last.
        key=lambda f: (f.name == "is_illustrative", not f.is_relation),
    )
    names = related_names(fields, records)
    entries = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if record.history_type == "-" or (previous is not None and old == new):
                continue
            if previous is None and new in (None, "", False):
                continue
            changes.append(
                FieldChange(
                    label=field_label(field),
                    old=value_text(field, old, names) if previous is not None else EMPTY,
                    new=value_text(field, new, names),
                )
            )
        entries.append(HistoryEntry.of(record, changes))
        previous = record
    return tuple(reversed(entries))


def _last_saved(instance: models.Model) -> str:
    """Return " by <person> at <moment>" for the latest recorded change of `instance`."""
    latest = instance.history.select_related("history_user").order_by("-history_date").first()
    if latest is None:
        return ""
    when = moment_text(latest.history_date)
    if latest.history_user_id:
        return _(" by %(person)s at %(moment)s") % {
            "person": person_text(latest.history_user),
            "moment": when,
        }
    return _(" at %(moment)s") % {"moment": when}


def changes_since(instance: models.Model, token: str) -> str:
    """Describe who changed which fields of `instance` since the state identified by `token`."""
    current = type(instance)._default_manager.get(pk=instance.pk)
    started = parse_datetime(token) if token else None
    before = None
    if started is not None:
        before = current.history.filter(updated_at__lte=started).order_by("-history_date").first()
    changed = []
    if before is not None:
        changed = [
            field
            for field in shown_fields(type(instance))
            if getattr(before, field.attname) != getattr(current, field.attname)
        ]
    names = related_names(changed, [before, current])
    lines = [
        f"{field_label(field)}: {value_text(field, getattr(before, field.attname), names)} → "
        f"{value_text(field, getattr(current, field.attname), names)}"
        for field in changed
    ]
    summary = "; ".join(lines) if lines else _("the record was changed")
    return _("Changed%(by_at)s: %(summary)s.") % {
        "by_at": _last_saved(current),
        "summary": summary,
    }


def stale_message(instance: models.Model, token: str) -> str:
    """Return the message refusing an edit of `instance` that started from the state `token`."""
    return _(
        "Someone else saved this record after you opened it, so your changes were not saved. "
        "%(changes)s Review the current values below and save again."
    ) % {"changes": changes_since(instance, token)}


def created_meanwhile_message(instance: models.Model, fields: Iterable[str]) -> str:
    """Return the message refusing a form opened before someone else created `instance`."""
    chosen = [instance._meta.get_field(name) for name in fields]
    names = related_names(chosen, [instance])
    values = "; ".join(
        f"{field_label(field)}: {value_text(field, getattr(instance, field.attname), names)}"
        for field in chosen
    )
    return _(
        "Someone else saved this record after you opened the form, so your changes were not "
        "saved. Saved%(by_at)s: %(values)s. Review the current values below and save again."
    ) % {"by_at": _last_saved(instance), "values": values}

"""The change log of a strategy: every recorded change to its monitored records, newest first.

Each app registers its monitored models from its `AppConfig.ready()` with `register()`,
naming the path from the model to the strategy, the kind of record the filter offers and how
to name one record; this module names no model of any app. The path is followed through the
live tables and the historical ones, so changes to records deleted since still show. One UNION
query over the historical tables picks the page of changes and counts them all (a window
count); then each kind of record on the page is read in one query, its previous versions in
another, and the old → new values are computed with django-simple-history's `diff_against`
and shown as `strategy_monitor.changes` shows every change. The number of queries depends on
the kinds of record on the page, never on the length of the history.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils import timezone

from strategy_monitor.changes import (
    HIDDEN_FIELDS,
    FieldChange,
    HistoryEntry,
    field_label,
    names_of,
    reference_names,
    value_text,
)
from strategy_monitor.registry import Hook


@dataclass(frozen=True, eq=False)
class TrackedModel:
    """A monitored model: how to reach its strategy and how to name one of its records.

    Two entries for the same model are equal, so that registering it again changes nothing.
    """

    label: str  # "app_label.ModelName"
    path: str  # lookups from the model to the strategy; "" for the strategy itself
    title: str  # the kind of record, as the filter offers it
    related: tuple[str, ...] = ()  # select_related for the record's name
    name: Callable = str

    @property
    def model(self) -> type[models.Model]:
        """Return the monitored model."""
        return apps.get_model(self.label)

    @property
    def key(self) -> str:
        """Return the key that names the kind of record in the filter and the query."""
        return self.label.lower()

    def __eq__(self, other) -> bool:
        return isinstance(other, TrackedModel) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


tracked_models: Hook[TrackedModel] = Hook(
    "tracked_models", "The monitored models whose changes every strategy's change log shows."
)


def tracked() -> dict[str, TrackedModel]:
    """Return the monitored models by key, in the order the apps registered them."""
    return {entry.key: entry for entry in tracked_models}


def register(
    label: str,
    *,
    path: str,
    title: str,
    related: tuple[str, ...] = (),
    name: Callable = str,
    reference: Callable[[models.Model], str] | None = None,
) -> TrackedModel:
    """Add the model `label` to every strategy's change log; call from `AppConfig.ready()`.

    `reference` names a record of the model where another record refers to it, for a model
    whose own `str()` reads other rows; it must read the row alone.
    """
    entry = tracked_models.register(TrackedModel(label, path, title, related, name))
    if reference is not None:
        reference_names[label] = reference
    return entry


def path_value(obj, path: str, default=None):
    """Return the attribute at dotted `path` of `obj`, or `default` where a step is missing."""
    for part in path.split("."):
        if obj is None:
            return default
        obj = getattr(obj, part, None)
    return default if obj is None else obj


def kind_choices() -> list[tuple[str, str]]:
    """Return the kinds of record the change log can be narrowed to."""
    return [(entry.key, entry.title) for entry in tracked_models]


@dataclass(frozen=True)
class HistoryPage:
    """A page of a strategy's change log."""

    entries: tuple[HistoryEntry, ...]
    page: Page


@functools.cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    """Return the historical model of `model`.

    Looked up once: `model.history` builds a new manager class at every access, which cost
    more than the rest of building the change log's query.
    """
    return model.history.model


def _history_rows(
    model: type[models.Model], path: str, strategy_id: int, built: dict
) -> models.QuerySet:
    """Return the historical rows of `model` whose path leads to the strategy.

    Each step matches the parent among the live rows and among the historical ones: live rows
    cover records loaded without history (fixtures), historical rows cover deleted records.
    Kinds that share a path (indicators and ratings under priority areas) share the steps
    already `built` for it.
    """
    if (model, path) in built:
        return built[(model, path)]
    history_model = _history_model(model)
    if not path:
        rows = history_model.objects.filter(id=strategy_id)
    elif "__" not in path:
        rows = history_model.objects.filter(**{f"{path}_id": strategy_id})
    else:
        first, _, rest = path.partition("__")
        related = model._meta.get_field(first).related_model
        live = (
            related._default_manager.filter(**{f"{rest}__pk": strategy_id}).order_by().values("pk")
        )
        past = _history_rows(related, rest, strategy_id, built).order_by().values("id")
        # One IN over the union, not two INs joined by OR: PostgreSQL answers an OR of two
        # subqueries by scanning the whole historical table, so the page slowed as history grew.
        rows = history_model.objects.filter(**{f"{first}_id__in": live.union(past)})
    built[(model, path)] = rows
    return rows


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def changes_query(
    *,
    strategy_id: int,
    keys: tuple[str, ...],
    user_id: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> models.QuerySet:
    """Return the union of the changes of the kinds `keys` that lead to the strategy.

    Each row holds `history_id`, `history_date` and `record_kind`; every value is a parameter
    of the query, none is written into its text.
    """
    parts, built, by_key = [], {}, tracked()
    for key in keys:
        entry = by_key[key]
        rows = _history_rows(entry.model, entry.path, strategy_id, built).order_by()
        if user_id:
            rows = rows.filter(history_user_id=user_id)
        if since:
            rows = rows.filter(history_date__gte=since)
        if until:
            rows = rows.filter(history_date__lt=until)
        parts.append(
            rows.annotate(record_kind=Value(entry.key, output_field=CharField())).values(
                "history_id", "history_date", "record_kind"
            )
        )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


# A page number beyond this is past the last page of any change log, and larger ones would not
# fit the database's integers as an offset.
MAX_PAGE_NUMBER = 10**9


def _page_number(value) -> int:
    """Return `value` as a page number: 1 if it is none or before the first page."""
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def _changes_window(sql: str, params, *, number: int, per_page: int) -> tuple[list[dict], int]:
    """Return the changes on page `number` of `sql`, newest first, and the number of all."""
    quote = connection.ops.quote_name
    history_id, history_date, record_kind = map(
        quote, ("history_id", "history_date", "record_kind")
    )
    # `sql` is the ORM's compiled union, its values bound as parameters; the names are quoted.
    window_sql = (
        f"SELECT {history_id}, {record_kind}, COUNT(*) OVER () FROM ({sql}) AS changes "  # nosec B608
        f"ORDER BY {history_date} DESC, {history_id} DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(window_sql, (*params, per_page, (number - 1) * per_page))
        rows = cursor.fetchall()
    window = [{"history_id": pk, "record_kind": kind} for pk, kind, _ in rows]
    return window, rows[0][2] if rows else 0


def _changes_page(changes: models.QuerySet, *, page_number, per_page: int) -> Page:
    """Return a page of `changes`, newest first: the nearest page that exists.

    One query reads both the page and the number of all changes (a window count), where a
    paginator runs the union twice, to count and for the page. Only a page number past the
    last costs two more queries: the count, then the last page.
    """
    sql, params = changes.query.sql_with_params()
    paginator = Paginator((), per_page)
    number = _page_number(page_number)
    window, count = _changes_window(sql, params, number=number, per_page=per_page)
    if not window and number != 1:
        paginator.count = changes.count()
        number = paginator.num_pages
        window, count = _changes_window(sql, params, number=number, per_page=per_page)
    paginator.count = count
    return Page(window, number, paginator)


def strategy_history(
    *,
    strategy,
    user_id: int | None = None,
    kinds: list[str] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    page_number=1,
    per_page: int = 25,
) -> HistoryPage:
    """Return one page of the strategy's change log, newest first, with old → new values."""
    by_key = tracked()
    keys = tuple(key for key in kinds or [] if key in by_key) or tuple(by_key)
    changes = changes_query(
        strategy_id=strategy.pk,
        keys=keys,
        user_id=user_id,
        since=_day_start(date_from) if date_from else None,
        until=_day_start(date_to + datetime.timedelta(days=1)) if date_to else None,
    )
    page = _changes_page(changes, page_number=page_number, per_page=per_page)
    window = page.object_list

    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for row in window:
        ids_by_kind[row["record_kind"]].append(row["history_id"])
    records = {}
    previous = {}
    for key, ids in ids_by_kind.items():
        entry = by_key[key]
        history_model = _history_model(entry.model)
        earlier = history_model.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date", "-history_id")
        rows = list(
            history_model.objects.filter(history_id__in=ids)
            .select_related("history_user", *entry.related)
            .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
        )
        for row in rows:
            records[(key, row.history_id)] = row
        previous_ids = [row.previous_id for row in rows if row.previous_id]
        if previous_ids:
            for row in history_model.objects.filter(history_id__in=previous_ids):
                previous[(key, row.history_id)] = row

    # Old and new values of relations, named in one query per related model on the page.
    deltas = {}
    wanted: dict[type, set] = defaultdict(set)
    for (key, history_id), row in records.items():
        before = previous.get((key, row.previous_id)) if row.previous_id else None
        if row.history_type != "~" or before is None:
            continue
        delta = row.diff_against(before)
        deltas[(key, history_id)] = delta
        for change in delta.changes:
            field = row.instance_type._meta.get_field(change.field)
            if field.is_relation:
                for value in (change.old, change.new):
                    if value is not None:
                        wanted[field.related_model].add(value)
    names = names_of(wanted)

    entries = []
    for row in window:
        key = row["record_kind"]
        entry = by_key[key]
        record = records.get((key, row["history_id"]))
        if record is None:
            continue
        changes = []
        delta = deltas.get((key, row["history_id"]))
        if delta is not None:
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                if field.name in HIDDEN_FIELDS:
                    continue
                changes.append(
                    FieldChange(
                        label=field_label(field),
                        old=value_text(field, change.old, names),
                        new=value_text(field, change.new, names),
                    )
                )
        try:
            name = entry.name(record)
        except (AttributeError, TypeError, ValueError):
            name = f"{entry.title} #{record.id}"
        entries.append(HistoryEntry.of(record, changes, kind=entry.title, record=name))
    return HistoryPage(entries=tuple(entries), page=page)

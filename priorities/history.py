"""The change log of a strategy: every recorded change to its monitored records, newest first.

Each monitored model names its path to the strategy. The path is followed through the live
tables and the historical ones, so changes to records deleted since still show. One
UNION query over the historical tables picks the page of changes and counts them all (a
window count); then each kind of record on the page is read in one query, its previous
versions in another, and the old → new values are computed with django-simple-history's
`diff_against`. The number of queries depends on the kinds of record on the page, never on
the length of the history.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.text import Truncator

from strategy_monitor.changes import figure_text

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


def _get(obj, path: str, default=None):
    for part in path.split("."):
        if obj is None:
            return default
        obj = getattr(obj, part, None)
    return default if obj is None else obj


def _short(text: str, words: int = 10) -> str:
    return Truncator(text or "").words(words)


def _area_label(area) -> str:
    if area is None:
        return "a removed priority area"
    return f"priority area {area.number}" if area.number else area.title


@dataclass(frozen=True)
class TrackedModel:
    """A monitored model: how to reach its strategy and how to name one of its records."""

    label: str  # "app_label.ModelName"
    path: str  # lookups from the model to the strategy; "" for the strategy itself
    title: str  # the kind of record, as the filter offers it
    related: tuple[str, ...] = ()  # select_related for the record's name
    name: Callable = str

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    @property
    def key(self) -> str:
        return self.label.lower()


TRACKED = (
    TrackedModel("priorities.Strategy", "", "Strategy (front page)", name=lambda h: h.title),
    TrackedModel(
        "priorities.StrategyYear", "strategy", "Reporting year", name=lambda h: f"Year {h.year}"
    ),
    TrackedModel(
        "priorities.PriorityArea",
        "strategy",
        "Priority area",
        name=lambda h: f"{_area_label(h).capitalize()}: {_short(h.title, 8)}",
    ),
    TrackedModel(
        "priorities.PriorityAreaNode",
        "priority_area__strategy",
        "Framework mapping",
        related=("priority_area", "node"),
        name=lambda h: (
            f"{_get(h, 'node.code') or _short(_get(h, 'node.title', ''), 6)} under "
            f"{_area_label(h.priority_area)}"
        ),
    ),
    TrackedModel(
        "priorities.RelevantSDG", "strategy", "Relevant SDG", name=lambda h: f"SDG {h.goal}"
    ),
    TrackedModel(
        "priorities.TeamMembership",
        "strategy",
        "Team member",
        related=("user",),
        name=lambda h: f"{_user_name(h.user)} as {h.get_role_display().lower()}",
    ),
    TrackedModel(
        "priorities.Indicator",
        "priority_area__strategy",
        "Indicator",
        name=lambda h: " ".join(filter(None, [h.code, _short(h.title, 10)])) or "Indicator",
    ),
    TrackedModel(
        "priorities.IndicatorProgress",
        "indicator__priority_area__strategy",
        "Indicator figures",
        related=("indicator", "strategy_year"),
        name=lambda h: (
            f"{_short(_get(h, 'indicator.title', 'Indicator'), 8)} — "
            f"{_get(h, 'strategy_year.year', '')}"
        ),
    ),
    TrackedModel(
        "priorities.Assessment",
        "priority_area__strategy",
        "Rating",
        related=("priority_area", "strategy_year"),
        name=lambda h: (
            f"Rating of {_area_label(h.priority_area)} — {_get(h, 'strategy_year.year', '')}"
        ),
    ),
    TrackedModel(
        "priorities.Evidence",
        "progress__indicator__priority_area__strategy",
        "Evidence file",
        name=lambda h: h.original_name,
    ),
    TrackedModel(
        "funding.BudgetLine", "strategy", "Budget line", name=lambda h: f"{h.code}. {h.name}"
    ),
    TrackedModel(
        "funding.PlannedAmount",
        "line__strategy",
        "Planned amount",
        related=("line",),
        name=lambda h: f"Plan {_get(h, 'line.code', '')} {h.year}",
    ),
    TrackedModel(
        "funding.ParliamentaryApproval",
        "line__strategy",
        "Parliamentary approval",
        related=("line",),
        name=lambda h: f"Approval {_get(h, 'line.code', '')} {h.year}",
    ),
    TrackedModel(
        "funding.Commitment",
        "line__strategy",
        "Commitment",
        related=("line",),
        name=lambda h: f"Commitment {_get(h, 'line.code', '')} {h.year}",
    ),
    TrackedModel(
        "funding.Disbursement",
        "line__strategy",
        "Disbursement",
        related=("line",),
        name=lambda h: f"Disbursement {_get(h, 'line.code', '')} {h.paid_on:%d %b %Y}",
    ),
    TrackedModel(
        "funding.AllocationRound",
        "line__strategy",
        "Allocation round",
        name=lambda h: f"Allocation round {h.year} {h.get_half_display().lower()}",
    ),
    TrackedModel(
        "funding.Allocation", "round__line__strategy", "Allocation", name=lambda h: h.theme
    ),
    TrackedModel("risks.Risk", "strategy", "Risk", name=lambda h: _short(h.title, 10)),
    TrackedModel(
        "risks.RiskRating",
        "risk__strategy",
        "Risk rating",
        related=("risk",),
        name=lambda h: (
            f"Rating of {_short(_get(h, 'risk.title', 'a risk'), 8)} ({h.rated_on:%d %b %Y})"
        ),
    ),
    TrackedModel("engagement.Meeting", "strategy", "Meeting", name=lambda h: h.title),
    TrackedModel(
        "engagement.ActionPoint", "strategy", "Action point", name=lambda h: _short(h.text, 10)
    ),
    TrackedModel("engagement.Milestone", "strategy", "Milestone", name=lambda h: h.title),
)
TRACKED_BY_KEY = {tracked.key: tracked for tracked in TRACKED}
TYPE_CHOICES = [(tracked.key, tracked.title) for tracked in TRACKED]


def _user_name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class FieldChange:
    """One field changed by one change: its label and the old and new values as shown."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeEntry:
    """One recorded change to one record."""

    when: datetime.datetime
    user: str
    kind: str
    record: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class HistoryPage:
    """A page of a strategy's change log."""

    entries: tuple[ChangeEntry, ...]
    page: Page


@functools.cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    """Return the historical model of `model`.

    Looked up once: `model.history` builds a new manager class at every access, which cost
    more than the rest of building the change log's query.
    """
    return model.history.model


def _history_rows(model: type[models.Model], path: str, strategy_id: int) -> models.QuerySet:
    """Return the historical rows of `model` whose path leads to the strategy.

    Each step matches the parent among the live rows and among the historical ones: live rows
    cover records loaded without history (fixtures), historical rows cover deleted records.
    """
    history_model = _history_model(model)
    if not path:
        return history_model.objects.filter(id=strategy_id)
    first, _, rest = path.partition("__")
    if not rest:
        return history_model.objects.filter(**{f"{first}_id": strategy_id})
    related = model._meta.get_field(first).related_model
    live = related._default_manager.filter(**{f"{rest}__pk": strategy_id}).order_by().values("pk")
    past = _history_rows(related, rest, strategy_id).order_by().values("id")
    # One IN over the union, not two INs joined by OR: PostgreSQL answers an OR of two
    # subqueries by scanning the whole historical table, so the page slowed as history grew.
    return history_model.objects.filter(**{f"{first}_id__in": live.union(past)})


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _display(field: models.Field, value, objects: dict) -> str:
    if value is None or value == "":
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = objects.get((field.related_model, value))
        if obj is None:
            return f"#{value} (removed)"
        if isinstance(obj, get_user_model()):
            return _user_name(obj)
        return _short(_related_name(obj), 12)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return figure_text(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %b %Y")
    return Truncator(str(value)).chars(300)


def _related_name(obj) -> str:
    # Names that read only the row itself, so resolving a page's references stays query-free.
    if hasattr(obj, "year") and type(obj).__name__ == "StrategyYear":
        return str(obj.year)
    if type(obj).__name__ in {"IndicatorProgress", "Evidence", "TeamMembership"}:
        return f"record #{obj.pk}"
    return str(obj)


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


def _changes_page(sql: str, params, *, page_number, per_page: int) -> Page:
    """Return a page of the changes `sql` selects, newest first: the nearest page that exists.

    One query reads both the page and the number of all changes (a window count), where a
    paginator runs the union twice, to count and for the page. Only a page number past the
    last costs two more queries: the count, then the last page.
    """
    paginator = Paginator((), per_page)
    number = _page_number(page_number)
    window, count = _changes_window(sql, params, number=number, per_page=per_page)
    if not window and number != 1:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS changes", params)  # nosec B608
            paginator.count = cursor.fetchone()[0]
        number = paginator.num_pages
        window, count = _changes_window(sql, params, number=number, per_page=per_page)
    paginator.count = count
    return Page(window, number, paginator)


# Stand-ins for one request's values while the union is compiled: an id that no row has and
# dates that no change has, each distinct from any other parameter of the union.
_STRATEGY_MARK = -1_000_001
_USER_MARK = -1_000_002
_FROM_MARK = datetime.datetime(1900, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)
_TO_MARK = datetime.datetime(1900, 1, 1, 0, 0, 2, tzinfo=datetime.UTC)
_DATE_MARKS = (_FROM_MARK, _TO_MARK)


@functools.lru_cache(maxsize=128)
def _changes_sql(
    keys: tuple[str, ...], by_user: bool, since: bool, until: bool
) -> tuple[str, tuple]:
    """Return the SQL of the union of the changes of `keys`, and its parameters with marks.

    Building the union of some twenty querysets, each with subqueries along its path to the
    strategy, and compiling it cost more than running it, so it is done once per choice of
    kinds and filters; `_bound()` puts a request's values in place of the marks.
    """
    parts = []
    for key in keys:
        tracked = TRACKED_BY_KEY[key]
        rows = _history_rows(tracked.model, tracked.path, _STRATEGY_MARK).order_by()
        if by_user:
            rows = rows.filter(history_user_id=_USER_MARK)
        if since:
            rows = rows.filter(history_date__gte=_FROM_MARK)
        if until:
            rows = rows.filter(history_date__lt=_TO_MARK)
        parts.append(
            rows.annotate(record_kind=Value(tracked.key, output_field=CharField())).values(
                "history_id", "history_date", "record_kind"
            )
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = combined.query.sql_with_params()
    return sql, tuple(params)


def _bound(params: tuple, values: dict) -> tuple:
    """Return `params` with each mark replaced by its value, adapted as the ORM adapts it."""
    adapt = connection.ops.adapt_datetimefield_value
    dates = {
        adapt(mark): (mark, adapt(value)) for mark, value in values.items() if mark in _DATE_MARKS
    }
    bound, used = [], set()
    for param in params:
        if isinstance(param, int) and not isinstance(param, bool) and param in values:
            used.add(int(param))
            # Keep the ORM's integer type (psycopg's Int4/Int8 on PostgreSQL).
            param = type(param)(values[param])
        elif isinstance(param, datetime.datetime | str) and param in dates:
            mark, param = dates[param]
            used.add(mark)
        bound.append(param)
    if used != set(values):
        # A mark the compiled union lost would leave the change log unfiltered.
        raise RuntimeError("The change log's query lost a filter.")
    return tuple(bound)


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
    keys = tuple(key for key in kinds or [] if key in TRACKED_BY_KEY) or tuple(TRACKED_BY_KEY)
    sql, marked = _changes_sql(keys, bool(user_id), bool(date_from), bool(date_to))
    values = {_STRATEGY_MARK: strategy.pk}
    if user_id:
        values[_USER_MARK] = user_id
    if date_from:
        values[_FROM_MARK] = _day_start(date_from)
    if date_to:
        values[_TO_MARK] = _day_start(date_to + datetime.timedelta(days=1))
    page = _changes_page(sql, _bound(marked, values), page_number=page_number, per_page=per_page)
    window = page.object_list

    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for row in window:
        ids_by_kind[row["record_kind"]].append(row["history_id"])
    records = {}
    previous = {}
    for key, ids in ids_by_kind.items():
        tracked = TRACKED_BY_KEY[key]
        history_model = _history_model(tracked.model)
        earlier = history_model.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date", "-history_id")
        rows = list(
            history_model.objects.filter(history_id__in=ids)
            .select_related("history_user", *tracked.related)
            .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
        )
        for row in rows:
            records[(key, row.history_id)] = row
        previous_ids = [row.previous_id for row in rows if row.previous_id]
        if previous_ids:
            for row in history_model.objects.filter(history_id__in=previous_ids):
                previous[(key, row.history_id)] = row

    # Old and new values of relations, read in one query per related model on the page.
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
    objects = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            objects[(model, pk)] = obj

    entries = []
    for row in window:
        key = row["record_kind"]
        tracked = TRACKED_BY_KEY[key]
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
                        field=str(field.verbose_name).capitalize(),
                        old=_display(field, change.old, objects),
                        new=_display(field, change.new, objects),
                    )
                )
        try:
            name = tracked.name(record)
        except (AttributeError, TypeError, ValueError):
            name = f"{tracked.title} #{record.id}"
        entries.append(
            ChangeEntry(
                when=record.history_date,
                user=_user_name(record.history_user) if record.history_user_id else "—",
                kind=tracked.title,
                record=name,
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
    return HistoryPage(entries=tuple(entries), page=page)

"""Step 3 of an import, and the import itself: everything written in one transaction.

`workbook_import()` reads a workbook of the layout that the export writes (`reports.layout`):

1. it checks the file itself: a zip archive of a sensible size that unpacks to at most 50 MB,
   no member compressed more than 100 times (a zip bomb is refused before it is unpacked);
2. it reads every sheet (openpyxl, read-only, values only) and checks the sheets, the headers
   and the type of every cell, collecting every problem with its sheet, row and column;
3. only if all of that is sound, it writes everything in one transaction: each record found
   by its natural key (strategy slug, priority-area slug, framework and node key, budget-line
   code, ...) is updated, or created, after `full_clean()`; the funding rules across records
   (`funding.rules`, as on the funding pages) are checked once everything is written. Any
   refusal rolls the whole import back, and every problem found is reported.

The import adds and changes; it never deletes a record or a link. Records without a natural
key (commitments, disbursements, allocations, action points) are matched on their identifying
columns, the n-th row with the same values to the n-th such record. Columns the workbook does
not carry keep their stored value. People are found by the user name the export keeps in a
hidden column beside their name, or by the name (or user name) typed in the visible column: an
unknown person is reported as a warning and the record is imported without them. The Summary
sheet is not read: it holds formulas over the data sheets. A new strategy takes the
states of its years from the workbook; an existing strategy keeps them, as only the yearly
workflow changes a year's state, and the records of its submitted or approved years refuse
changes.
"""

from collections import Counter
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat

from reports import layout
from strategy_monitor.history import recorded_save

from ._common import CHANGE_REASON, _label, _norm
from .donors import _DonorWriter
from .engagement import _EngagementWriter
from .framework import _FrameworkWriter
from .funding import _FundingWriter
from .reading import Parsed, Progress, Row, workbook_read
from .results import ImportResult, Problem, WorkbookRefused
from .strategy import _StrategyWriter

# The tables that name people, and the column that does.
PEOPLE = (
    ("team", "username"),
    ("risks", "owner"),
    ("actions", "owner"),
    ("allocations", "decided_by"),
)


def _names(user) -> set[str]:
    return {_norm(user.username), _norm(user.get_full_name())} - {""}


class _DryRun(Exception):
    pass


class _Writer(_StrategyWriter, _FrameworkWriter, _FundingWriter, _EngagementWriter, _DonorWriter):
    """Write the parsed tables in one transaction, collecting every refusal.

    The helpers and `run()` are here; the `*_write` methods come from one class per topic:
    strategy, framework, funding, engagement and donors, each in the module of that name.
    """

    def __init__(self, parsed: Parsed, user, progress: Progress | None = None):
        self.parsed = parsed
        self.progress = progress
        # Records looked at so far, out of about as many as the tables have rows: what the
        # progress of a long import moves with.
        self.seen = 0
        self.expected = max(
            1, sum(len(rows) for rows in parsed.tables.values() if isinstance(rows, list))
        )
        self.step = ""
        self.user = user
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.unchanged: Counter = Counter()
        self.values = parsed.tables["strategy_values"]
        self.years = parsed.tables["years_of_period"]
        self.users: dict = {}
        self.users_by_name: dict = {}
        self.ambiguous_names: set = set()
        self.strategy_created = False

    # Helpers ---------------------------------------------------------------------------------

    def rows(self, key: str) -> list[Row]:
        return self.parsed.tables.get(key, [])

    def problem(self, sheet: str, row: Row | int | None, column: str, message: str, code: str):
        number = row.number if isinstance(row, Row) else row
        self.problems.append(Problem(sheet, number, column, message, code))

    def where(self, table: str, key: str) -> str:
        return self.parsed.headers.get(table, {}).get(key, "")

    def _errors(self, error: ValidationError, sheet: str, table: str, row, columns: dict):
        items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, [error])]
        for name, errors in items:
            key = columns.get(name, name)
            column = self.where(table, key) if key else ""
            if table == "strategy" and isinstance(row, dict):
                number = row.get(key) or row.get(name)
                column = "B (Value)"
            else:
                number = row
            for item in errors:
                for message in item.messages if hasattr(item, "messages") else [str(item)]:
                    code = getattr(item, "code", None) or "invalid"
                    prefix = "" if column or name in (None, NON_FIELD_ERRORS) else f"{name}: "
                    self.problem(sheet, number, column, prefix + message, code)

    def save(
        self,
        instance: models.Model,
        *,
        sheet: str,
        table: str,
        row,
        values: dict,
        columns: dict | None = None,
        exclude: tuple[str, ...] = (),
        check: Callable[[models.Model], None] | None = None,
    ):
        """Update `instance` with `values` (or save it new), after full_clean(); None if refused.

        `check` runs the rules the service of the record applies beyond its model, no write.
        """
        self.seen += 1
        if self.progress is not None and self.seen % 50 == 0:
            self.progress(min(99, 100 * self.seen / self.expected), self.step)
        created = instance.pk is None
        changed = created
        for name, value in values.items():
            model_field = instance._meta.get_field(name)
            if model_field.is_relation:
                current = getattr(instance, model_field.attname)
                differs = current != (value.pk if value is not None else None)
            else:
                differs = getattr(instance, name) != value
            if differs:
                setattr(instance, name, value)
                changed = True
        label = _label(type(instance))
        if not changed:
            self.unchanged[label] += 1
            return instance
        try:
            instance.full_clean(exclude=exclude)
            if check is not None:
                check(instance)
        except ValidationError as error:
            self._errors(error, sheet, table, row, columns or {})
            return None
        try:
            with transaction.atomic():
                recorded_save(instance, user=self.user, reason=CHANGE_REASON, validate=False)
        except IntegrityError as error:
            self.problem(
                sheet,
                row if not isinstance(row, dict) else None,
                "",
                f"The database refused the row: {error}",
                "integrity",
            )
            return None
        (self.created if created else self.updated)[label] += 1
        return instance

    def person(self, sheet: str, row: Row, key: str, table: str):
        """Return the user that the cell `key` of `row` names, or None.

        The export shows a person's name and keeps the user name in a hidden column beside it;
        the name wins when someone has typed another one (a name or a user name), so that a
        manager can reassign a row without knowing user names. Older workbooks carry the user
        name in the visible column itself.
        """
        shown = row[key]
        username = row[layout.user_key(key)] if key != "username" else None
        if username:
            user = self.users.get(username)
            if user is not None and (not shown or _norm(shown) in _names(user)):
                return user
            if not shown:
                shown = username
        if not shown:
            return None
        user = self.users.get(shown) or self.users_by_name.get(_norm(shown))
        if user is None:
            found = "more than one user" if _norm(shown) in self.ambiguous_names else "no user"
            self.warnings.append(
                Problem(
                    sheet,
                    row.number,
                    self.where(table, key),
                    f'There is {found} "{shown}" in this installation: imported without them.',
                    "unknown_user",
                )
            )
        return user

    def users_load(self) -> None:
        """Find every person the workbook names, by user name or by full name, in two queries."""
        names = set()
        for table, key in PEOPLE:
            for row in self.rows(table):
                names |= {row[key], row[layout.user_key(key)] if key != "username" else None}
        names.discard(None)
        names.discard("")
        users = get_user_model().objects
        self.users = {user.username: user for user in users.filter(username__in=names)}
        self.users_by_name = {}
        self.ambiguous_names = set()
        for user in users.annotate(
            full_name=Concat("first_name", Value(" "), "last_name", output_field=CharField())
        ).filter(full_name__in=names):
            name = _norm(user.full_name)
            if name in self.users_by_name:
                self.ambiguous_names.add(name)
            self.users_by_name[name] = user
        for name in self.ambiguous_names:
            del self.users_by_name[name]

    # The tables ------------------------------------------------------------------------------

    def run(self):
        self.users_load()
        if not self.strategy_write():
            return
        steps = (
            (self.years_write, "years"),
            (self.team_write, "team"),
            (self.areas_write, "priority areas"),
            (self.framework_write, "results framework"),
            (self.indicators_write, "indicators and their figures"),
            (self.assessments_write, "assessments"),
            (self.budget_write, "budget"),
            (self.money_write, "approvals, commitments and disbursements"),
            (self.allocations_write, "allocations"),
            (self.risks_write, "risks"),
            (self.engagement_write, "meetings and action points"),
            (self.donors_write, "donor tables"),
        )
        for write, what in steps:
            self.step = f"Writing the {what}"
            if self.progress is not None:
                self.progress(min(99, 100 * self.seen / self.expected), self.step)
            write()
        if not self.problems:
            self.funding_rules_check()
        if not self.problems and self.strategy_created:
            self.states_write()


def workbook_import(
    *, data: bytes, user, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import the workbook in `data` as a whole strategy, all or nothing.

    Raises WorkbookRefused with every problem found; nothing is changed then. With `dry_run`,
    everything is checked and written, then rolled back, and the result says what would change.
    `progress(percent, step)`, if given, hears how far the import is (0 to 100): reading takes
    the first half, writing the second.
    """
    read_progress = write_progress = None
    if progress is not None:

        def read_progress(percent: float, step: str) -> None:
            progress(percent / 2, step)

        def write_progress(percent: float, step: str) -> None:
            progress(50 + percent / 2, step)

    parsed = workbook_read(data, progress=read_progress)
    if parsed.problems:
        raise WorkbookRefused(parsed.problems)
    if progress is not None:
        progress(50, "Writing everything in one transaction")
    writer = _Writer(parsed, user, write_progress)
    try:
        with transaction.atomic():
            writer.run()
            if writer.problems:
                raise WorkbookRefused(writer.problems)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return ImportResult(
        strategy_slug=writer.values["slug"],
        strategy_created=writer.strategy_created,
        created=tuple(sorted(writer.created.items())),
        updated=tuple(sorted(writer.updated.items())),
        unchanged=tuple(sorted(writer.unchanged.items())),
        warnings=tuple(writer.warnings),
        dry_run=dry_run,
    )

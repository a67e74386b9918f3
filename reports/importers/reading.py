"""Import of a monitoring workbook: a whole strategy, its structure and its data, all or nothing.

`workbook_import()` reads a workbook of the layout that the export writes (`reports.layout`):

1. it checks the file itself: a zip archive of a sensible size that unpacks to at most 50 MB,
   no member compressed more than 100 times (a zip bomb is refused before it is unpacked);
2. it reads every sheet (openpyxl, read-only, values only) and checks the sheets, the headers
   and the type of every cell, collecting every problem with its sheet, row and column;
3. only if all of that is sound, it writes everything in one transaction: each record found
   by its natural key (strategy slug, priority-area slug, framework and node key, budget-line
   code, ...) is updated, or created, after `full_clean()`; the funding rules across records
   are checked with the funding selectors once everything is written. Any refusal rolls the
   whole import back, and every problem found is reported.

The import adds and changes; it never deletes a record or a link. Records without a natural
key (commitments, disbursements, allocations, action points) are matched on their identifying
columns, the n-th row with the same values to the n-th such record. Columns the workbook does
not carry keep their stored value. People are found by user name: an unknown user name is
reported as a warning and the record is imported without that person. A new strategy takes the
states of its years from the workbook; an existing strategy keeps them, as only the yearly
workflow changes a year's state, and the records of its submitted or approved years refuse
changes.
"""

import datetime
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from engagement.models import ActionPoint, Meeting
from funding import selectors as funding_selectors
from funding.choices import BudgetLineKind, Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    DonorTable,
    EarmarkedDonor,
    FundingRow,
    ParliamentaryApproval,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from priorities.choices import OfficeKind
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    Office,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from priorities.services import RESERVED_SLUGS
from reports import layout
from risks.models import Risk
from strategy_monitor.exports import FORMULA_PREFIXES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2_000
MAX_ROWS = 20_000
CHANGE_REASON = "Imported from a workbook"
IMPORT_RESERVED_SLUGS = {*RESERVED_SLUGS, "import"}
CENT = Decimal("0.01")
FIGURE = Decimal("0.0001")


@dataclass(frozen=True)
class Problem:
    """One problem of a workbook: where it is and what was expected there."""

    sheet: str
    row: int | None
    column: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"sheet {self.sheet}" if self.sheet else "",
                f"row {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class WorkbookRefused(Exception):
    """The workbook was not imported; `problems` says why, each with its place."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))

    @property
    def codes(self) -> set[str]:
        return {problem.code for problem in self.problems}


@dataclass(frozen=True)
class ImportResult:
    """What an import created, changed and found unchanged, and what it warned about."""

    strategy_slug: str
    strategy_created: bool
    created: tuple[tuple[str, int], ...]
    updated: tuple[tuple[str, int], ...]
    unchanged: tuple[tuple[str, int], ...]
    warnings: tuple[Problem, ...] = ()
    dry_run: bool = False

    @property
    def created_count(self) -> int:
        return sum(count for _, count in self.created)

    @property
    def updated_count(self) -> int:
        return sum(count for _, count in self.updated)

    def summary(self) -> str:
        """Return one sentence on what the import did."""
        verb = "would create" if self.dry_run else "created"
        changed = "would change" if self.dry_run else "changed"
        return (
            f"{self.strategy_slug}: {verb} {self.created_count} and {changed} "
            f"{self.updated_count} records."
        )


class _DryRun(Exception):
    pass


# --- 1. The file --------------------------------------------------------------------------------


def file_problems(data: bytes) -> list[Problem]:
    """Return the problems of the file itself: not a zip, too big, a zip bomb, not a workbook."""
    if len(data) > MAX_UPLOAD_BYTES:
        return [
            Problem(
                "",
                None,
                "",
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
                "too_large",
            )
        ]
    buffer = io.BytesIO(data)
    if not data or not zipfile.is_zipfile(buffer):
        return [
            Problem(
                "",
                None,
                "",
                "The file is not an Excel workbook (.xlsx): it is not a zip archive.",
                "not_a_workbook",
            )
        ]
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [Problem("", None, "", "The zip archive is damaged.", "not_a_workbook")]
    if len(members) > MAX_MEMBERS:
        return [Problem("", None, "", "The archive holds too many files.", "zip_bomb")]
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            Problem(
                "",
                None,
                "",
                f"The workbook unpacks to {total // (1024 * 1024)} MB, more than the "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB accepted.",
                "zip_bomb",
            )
        ]
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            return [
                Problem(
                    "",
                    None,
                    "",
                    f"A part of the file ({member.filename}) is compressed {ratio:.0f} times, "
                    f"more than the {MAX_RATIO} times a workbook is: it looks like a zip bomb.",
                    "zip_bomb",
                )
            ]
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        return [
            Problem(
                "",
                None,
                "",
                "The zip archive is not an Excel workbook (it has no xl/workbook.xml).",
                "not_a_workbook",
            )
        ]
    return []


# --- 2. Reading and checking cells --------------------------------------------------------------


@dataclass
class Row:
    """A data row of a table: its row number and its values by column key."""

    number: int
    values: dict
    letters: dict  # column key -> letter

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        value = self.values.get(key)
        return default if value is None else value


@dataclass
class Parsed:
    """The workbook's tables as typed rows, and the problems found reading them."""

    tables: dict = field(default_factory=dict)  # table key -> list[Row]
    headers: dict = field(default_factory=dict)  # table key -> {column key: "C (Header)"}
    strategy_rows: dict = field(default_factory=dict)  # field key -> row number on Overview
    problems: list = field(default_factory=list)


def _norm(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def unneutralise(text: str) -> str:
    """Return text without the apostrophe the export puts before a would-be formula."""
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _trim(number: Decimal) -> Decimal:
    # Figures keep the places they need (2.5, not 2.5000), so that they fit any field.
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def convert(kind: str, value, choices=()):
    """Return a cell's value as `kind`; raise ValueError when it is not one."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    if kind in (layout.TEXT, layout.LONGTEXT):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            raise ValueError
        return unneutralise(str(value))
    if kind == layout.INT:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        raise ValueError
    if kind in (layout.DECIMAL, layout.MONEY, layout.PERCENT):
        if isinstance(value, bool) or isinstance(value, datetime.date | datetime.datetime):
            raise ValueError
        try:
            number = Decimal(str(value).replace(",", "")) if isinstance(value, str) else None
            if number is None:
                number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValueError from error
        if not number.is_finite():
            raise ValueError
        if kind == layout.MONEY:
            return number.quantize(CENT)
        return _trim(number.quantize(FIGURE))
    if kind == layout.DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            return datetime.date.fromisoformat(value)
        raise ValueError
    if kind == layout.DATETIME:
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, str):
            moment = datetime.datetime.fromisoformat(value)
        else:
            raise ValueError
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if kind == layout.BOOL:
        if isinstance(value, bool):
            return value
        text = _norm(value)
        if text in ("yes", "true", "1", "x"):
            return True
        if text in ("no", "false", "0"):
            return False
        raise ValueError
    if kind == layout.CHOICE:
        for stored, label in choices:
            if _norm(value) in (_norm(label), _norm(stored)):
                return stored
        raise ValueError
    raise ValueError  # pragma: no cover - every kind is handled above


def _blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _read_table(
    parsed: Parsed, sheet_name: str, grid: list, table: layout.Table, header_row: int
) -> int:
    """Read `table` with its header at `header_row` (1-based); return the row after it."""
    columns = table.columns
    header = list(grid[header_row - 1]) if header_row - 1 < len(grid) else []
    letters = {column.key: get_column_letter(index) for index, column in enumerate(columns, 1)}
    parsed.headers[table.key] = {
        column.key: f"{letters[column.key]} ({column.header})" for column in columns
    }
    header_ok = True
    for index, column in enumerate(columns):
        found = header[index] if index < len(header) else None
        if _norm(found) != _norm(column.header):
            header_ok = False
            parsed.problems.append(
                Problem(
                    sheet_name,
                    header_row,
                    letters[column.key],
                    f'Expected the header "{column.header}"'
                    + (f', found "{found}".' if found not in (None, "") else ", found nothing."),
                    "header",
                )
            )
    rows: list[Row] = []
    number = header_row
    while number < len(grid):
        cells = grid[number]
        number += 1
        if _blank(cells):
            break
        if table.sum_columns and _norm(cells[0] if cells else "") == _norm(layout.TOTAL_LABEL):
            break
        if not header_ok or table.derived:
            continue
        values = {}
        for index, column in enumerate(columns):
            if column.derived:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                value = convert(column.kind, raw, column.choices)
            except (ValueError, TypeError):
                parsed.problems.append(
                    Problem(
                        sheet_name,
                        number,
                        parsed.headers[table.key][column.key],
                        f"Expected {column.expected}, found {str(raw)[:60]!r}.",
                        "type",
                    )
                )
                continue
            if value is None and column.required:
                parsed.problems.append(
                    Problem(
                        sheet_name,
                        number,
                        parsed.headers[table.key][column.key],
                        f"Required: expected {column.expected}.",
                        "required",
                    )
                )
            values[column.key] = value
        rows.append(Row(number, values, letters))
    parsed.tables[table.key] = rows
    if len(rows) > MAX_ROWS:
        parsed.problems.append(
            Problem(sheet_name, None, "", f"More than {MAX_ROWS} rows.", "too_many_rows")
        )
    return number


def _read_sheet(parsed: Parsed, spec: layout.Sheet, grid: list) -> None:
    position = _read_table(parsed, spec.name, grid, spec.tables[0], layout.FIRST_HEADER_ROW)
    for table in spec.tables[1:]:
        title_row = next(
            (
                index + 1
                for index in range(position - 1, len(grid))
                if grid[index] and _norm(grid[index][0]) == _norm(table.title)
            ),
            None,
        )
        if title_row is None:
            parsed.problems.append(
                Problem(
                    spec.name,
                    None,
                    "A",
                    f'Expected a table titled "{table.title}" below the first table.',
                    "missing_table",
                )
            )
            parsed.tables[table.key] = []
            continue
        position = _read_table(parsed, spec.name, grid, table, title_row + 1)


def _grid(sheet) -> list[list]:
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS + 100:
            break
        rows.append(list(row))
    return rows


def _overview_years(parsed: Parsed, grid: list) -> tuple[int, ...]:
    spec = layout.layout(())[0]
    _read_sheet(parsed, spec, grid)
    values = {}
    for row in parsed.tables.get("strategy", []):
        label = row["field"]
        item = layout.FIELD_BY_LABEL.get(_norm(label))
        if item is None:
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW,
                    row.number,
                    "A (Field)",
                    f'Unknown field "{label}": expected one of the fields the export lists.',
                    "unknown_field",
                )
            )
            continue
        raw = grid[row.number - 1][1] if len(grid[row.number - 1]) > 1 else None
        try:
            value = convert(item.kind, raw, item.choices)
        except (ValueError, TypeError):
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW,
                    row.number,
                    "B (Value)",
                    f"{item.label}: expected {item.expected}, found {str(raw)[:60]!r}.",
                    "type",
                )
            )
            continue
        values[item.key] = value
        parsed.strategy_rows[item.key] = row.number
    for item in layout.STRATEGY_FIELDS:
        if item.required and values.get(item.key) in (None, ""):
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW,
                    parsed.strategy_rows.get(item.key),
                    "B (Value)",
                    f'Required: the field "{item.label}".',
                    "required",
                )
            )
    parsed.tables["strategy_values"] = values
    start, end = values.get("start_year"), values.get("end_year")
    if not start or not end or not 0 <= end - start <= 10:
        if start and end:
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW,
                    parsed.strategy_rows.get("end_year"),
                    "B (Value)",
                    "Expected a last year at most ten years after the first.",
                    "period",
                )
            )
        return ()
    return tuple(range(start, end + 1))


def workbook_read(data: bytes) -> Parsed:
    """Read every table of the workbook in `data`, with the problems of its form and cells."""
    parsed = Parsed()
    problems = file_problems(data)
    if problems:
        parsed.problems = problems
        return parsed
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        parsed.problems = [
            Problem("", None, "", "The file could not be read as an Excel workbook.", "unreadable")
        ]
        return parsed
    try:
        names = set(workbook.sheetnames)
        if layout.OVERVIEW not in names:
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW, None, "", "The sheet Overview is missing.", "missing_sheet"
                )
            )
            return parsed
        years = _overview_years(parsed, _grid(workbook[layout.OVERVIEW]))
        if not years:
            return parsed
        for spec in layout.layout(years)[1:]:
            if spec.name not in names:
                parsed.problems.append(
                    Problem(
                        spec.name, None, "", f"The sheet {spec.name} is missing.", "missing_sheet"
                    )
                )
                continue
            _read_sheet(parsed, spec, _grid(workbook[spec.name]))
        parsed.tables["years_of_period"] = years
    finally:
        workbook.close()
    return parsed


# --- 3. Writing -----------------------------------------------------------------------------------


def _label(model) -> str:
    return str(model._meta.verbose_name_plural)


class _Writer:
    """Write the parsed tables in one transaction, collecting every refusal."""

    def __init__(self, parsed: Parsed, user):
        self.parsed = parsed
        self.user = user
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.unchanged: Counter = Counter()
        self.values = parsed.tables["strategy_values"]
        self.years = parsed.tables["years_of_period"]
        self.users: dict = {}
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
    ):
        """Update `instance` with `values` (or save it new), after full_clean(); None if refused."""
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
        except ValidationError as error:
            self._errors(error, sheet, table, row, columns or {})
            return None
        instance._history_user = self.user
        instance._change_reason = CHANGE_REASON
        try:
            with transaction.atomic():
                instance.save()
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
        username = row[key]
        if not username:
            return None
        user = self.users.get(username)
        if user is None:
            self.warnings.append(
                Problem(
                    sheet,
                    row.number,
                    self.where(table, key),
                    f'No user "{username}" in this installation: imported without them.',
                    "unknown_user",
                )
            )
        return user

    # The tables ------------------------------------------------------------------------------

    def run(self):
        usernames = set()
        for table, key in (
            ("team", "username"),
            ("risks", "owner"),
            ("actions", "owner"),
            ("allocations", "decided_by"),
        ):
            usernames |= {row[key] for row in self.rows(table) if row[key]}
        self.users = {
            user.username: user for user in get_user_model().objects.filter(username__in=usernames)
        }
        if not self.strategy_write():
            return
        self.years_write()
        self.team_write()
        self.areas_write()
        self.framework_write()
        self.indicators_write()
        self.assessments_write()
        self.budget_write()
        self.money_write()
        self.allocations_write()
        self.risks_write()
        self.engagement_write()
        self.donors_write()
        if not self.problems:
            self.funding_rules_check()
        if not self.problems and self.strategy_created:
            self.states_write()

    def strategy_write(self) -> bool:
        values = self.values
        rows = self.parsed.strategy_rows
        slug = values["slug"]
        if slug in IMPORT_RESERVED_SLUGS:
            self.problem(
                layout.OVERVIEW,
                rows.get("slug"),
                "B (Value)",
                f"“{slug}” is reserved; choose another strategy slug.",
                "reserved_slug",
            )
            return False
        organisation = Organisation.objects.filter(slug=values["organisation_slug"]).first()
        organisation = self.save(
            organisation or Organisation(slug=values["organisation_slug"]),
            sheet=layout.OVERVIEW,
            table="strategy",
            row=rows,
            values={
                "name": values["organisation_name"],
                "acronym": values["organisation_acronym"],
            },
            columns={
                "name": "organisation_name",
                "acronym": "organisation_acronym",
                "slug": "organisation_slug",
            },
        )
        if organisation is None:
            return False
        self.organisation = organisation
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is not None:
            if strategy.organisation_id != organisation.pk:
                self.problem(
                    layout.OVERVIEW,
                    rows.get("organisation_slug"),
                    "B (Value)",
                    f"The strategy {slug} belongs to another partner "
                    f"({strategy.organisation.slug}).",
                    "other_organisation",
                )
                return False
            if (strategy.start_year, strategy.end_year) != (
                values["start_year"],
                values["end_year"],
            ):
                self.problem(
                    layout.OVERVIEW,
                    rows.get("start_year"),
                    "B (Value)",
                    f"The strategy runs {strategy.period}; the workbook says "
                    f"{values['start_year']}-{values['end_year']}. Change the period on the "
                    "strategy's set-up page first.",
                    "period_differs",
                )
                return False
        else:
            strategy = Strategy(slug=slug, organisation=organisation)
            self.strategy_created = True
        fields = {
            item.key: values.get(item.key)
            for item in layout.STRATEGY_FIELDS
            if item.key in values
            and item.key
            not in (
                "organisation_slug",
                "organisation_name",
                "organisation_acronym",
                "slug",
                "sdgs",
            )
        }
        for name, value in list(fields.items()):
            model_field = Strategy._meta.get_field(name)
            if value is None and not model_field.null:
                fields[name] = False if isinstance(model_field, models.BooleanField) else ""
        strategy = self.save(
            strategy,
            sheet=layout.OVERVIEW,
            table="strategy",
            row=rows,
            values=fields,
        )
        if strategy is None:
            return False
        self.strategy = strategy
        goals = [part.strip() for part in (values.get("sdgs") or "").split(",") if part.strip()]
        present = set(strategy.sdgs.values_list("goal", flat=True))
        for goal in goals:
            if not goal.isdigit() or not 1 <= int(goal) <= 17:
                self.problem(
                    layout.OVERVIEW,
                    rows.get("sdgs"),
                    "B (Value)",
                    f"Expected SDG numbers from 1 to 17 separated by commas, found {goal!r}.",
                    "sdg",
                )
                continue
            if int(goal) not in present:
                self.save(
                    RelevantSDG(strategy=strategy, goal=int(goal)),
                    sheet=layout.OVERVIEW,
                    table="strategy",
                    row=rows,
                    values={},
                )
        return True

    def years_write(self):
        strategy = self.strategy
        existing = {row.year: row for row in strategy.strategy_years.all()}
        listed = {row["year"]: row for row in self.rows("years")}
        self.strategy_years = {}
        for year in self.years:
            row = listed.get(year)
            instance = existing.get(year) or StrategyYear(strategy=strategy, year=year)
            values = {}
            if row is not None:
                values = {
                    "planned_commitment": row["planned_commitment"],
                    "planned_disbursement": row["planned_disbursement"],
                }
            saved = self.save(
                instance,
                sheet=layout.OVERVIEW,
                table="years",
                row=row.number if row else None,
                values=values,
            )
            if saved is not None:
                self.strategy_years[year] = saved
        for year, row in listed.items():
            if year not in self.years:
                self.problem(
                    layout.OVERVIEW,
                    row,
                    self.where("years", "year"),
                    f"{year} is outside the strategy period {self.years[0]}-{self.years[-1]}.",
                    "outside_period",
                )

    def team_write(self):
        present = set(
            TeamMembership.objects.filter(strategy=self.strategy).values_list(
                "user__username", "role"
            )
        )
        for row in self.rows("team"):
            user = self.person(layout.OVERVIEW, row, "username", "team")
            if user is None or (user.username, row["role"]) in present:
                if user is not None:
                    self.unchanged[_label(TeamMembership)] += 1
                continue
            self.save(
                TeamMembership(strategy=self.strategy, user=user, role=row["role"]),
                sheet=layout.OVERVIEW,
                table="team",
                row=row.number,
                values={},
                columns={"user": "username"},
            )
        self.team = set(
            TeamMembership.objects.filter(strategy=self.strategy).values_list(
                "user__username", flat=True
            )
        )

    def areas_write(self):
        existing = {area.slug: area for area in self.strategy.priority_areas.all()}
        self.areas = {}
        for row in self.rows("areas"):
            values = {
                key: row[key] if row[key] is not None else default
                for key, default in (
                    ("number", None),
                    ("kind", ""),
                    ("title", ""),
                    ("front_page_title", ""),
                    ("key_result", ""),
                    ("text", ""),
                    ("monitoring_note", ""),
                    ("framework_under_development", False),
                    ("indicators_under_development", False),
                    ("order", 0),
                )
            }
            area = self.save(
                existing.get(row["slug"]) or PriorityArea(strategy=self.strategy, slug=row["slug"]),
                sheet=layout.AREAS,
                table="areas",
                row=row.number,
                values=values,
            )
            if area is not None:
                self.areas[row["slug"]] = area
        for slug, area in existing.items():
            self.areas.setdefault(slug, area)

    def area(self, sheet: str, table: str, row: Row, key: str, required: bool = True):
        slug = row[key]
        if not slug:
            return None
        area = self.areas.get(slug)
        if area is None:
            self.problem(
                sheet,
                row,
                self.where(table, key),
                f'No priority area "{slug}": expected a slug from the sheet Priority areas.',
                "unknown_area",
            )
        return area

    def framework_write(self):
        organisation = self.organisation
        frameworks = {item.slug: item for item in organisation.frameworks.all()}
        nodes = {
            (node.framework.slug, node.key): node
            for node in ResultsNode.objects.filter(
                framework__organisation=organisation
            ).select_related("framework")
        }
        for row in self.rows("nodes"):
            slug = row["framework"]
            if slug not in frameworks:
                framework = self.save(
                    ResultsFramework(organisation=organisation, slug=slug),
                    sheet=layout.FRAMEWORK,
                    table="nodes",
                    row=row.number,
                    values={"name": row["framework_name"] or slug},
                    columns={"slug": "framework", "name": "framework_name"},
                )
                if framework is None:
                    continue
                frameworks[slug] = framework
            elif row["framework_name"] and frameworks[slug].name != row["framework_name"]:
                self.save(
                    frameworks[slug],
                    sheet=layout.FRAMEWORK,
                    table="nodes",
                    row=row.number,
                    values={"name": row["framework_name"]},
                    columns={"name": "framework_name"},
                )
            parent = None
            if row["parent"]:
                parent = nodes.get((slug, row["parent"]))
                if parent is None:
                    self.problem(
                        layout.FRAMEWORK,
                        row,
                        self.where("nodes", "parent"),
                        f'No node "{row["parent"]}" above this row in framework {slug}: '
                        "expected the key of a node listed before it.",
                        "unknown_parent",
                    )
                    continue
            instance = nodes.get((slug, row["key"])) or ResultsNode(
                framework=frameworks[slug], key=row["key"]
            )
            node = self.save(
                instance,
                sheet=layout.FRAMEWORK,
                table="nodes",
                row=row.number,
                values={
                    "code": row["code"] or "",
                    "level": row["level"],
                    "parent": parent,
                    "title": row["title"] or "",
                    "status": row["status"] or "defined",
                    "is_implied": bool(row["is_implied"]),
                    "section": row["section"] or "",
                },
            )
            if node is None:
                continue
            nodes[(slug, row["key"])] = node
            links = (
                set(
                    PriorityAreaNode.objects.filter(node=node).values_list(
                        "priority_area__slug", flat=True
                    )
                )
                if instance.pk
                else set()
            )
            for order, area_slug in enumerate(
                part.strip() for part in (row["priority_areas"] or "").split(",") if part.strip()
            ):
                area = self.areas.get(area_slug)
                if area is None:
                    self.problem(
                        layout.FRAMEWORK,
                        row,
                        self.where("nodes", "priority_areas"),
                        f'No priority area "{area_slug}": expected slugs from the sheet '
                        "Priority areas, separated by commas.",
                        "unknown_area",
                    )
                    continue
                if area_slug in links:
                    continue
                self.save(
                    PriorityAreaNode(
                        priority_area=area,
                        node=node,
                        order=area.node_links.count(),
                    ),
                    sheet=layout.FRAMEWORK,
                    table="nodes",
                    row=row.number,
                    values={},
                    columns={"priority_area": "priority_areas", "node": "key"},
                )
        self.nodes = nodes

    def indicators_write(self):
        existing = {
            (indicator.priority_area.slug, indicator.key): indicator
            for indicator in Indicator.objects.filter(
                priority_area__strategy=self.strategy
            ).select_related("priority_area")
        }
        progress = {
            (row.indicator_id, row.strategy_year.year): row
            for row in IndicatorProgress.objects.filter(
                indicator__priority_area__strategy=self.strategy
            ).select_related("strategy_year")
        }
        for row in self.rows("indicators"):
            area = self.area(layout.INDICATORS, "indicators", row, "area")
            node = self.nodes.get((row["framework"], row["node"]))
            if node is None:
                self.problem(
                    layout.INDICATORS,
                    row,
                    self.where("indicators", "node"),
                    f'No node "{row["node"]}" in framework {row["framework"]}: expected a key '
                    "from the sheet Results framework.",
                    "unknown_node",
                )
            if area is None or node is None:
                continue
            indicator = self.save(
                existing.get((area.slug, row["key"]))
                or Indicator(priority_area=area, key=row["key"]),
                sheet=layout.INDICATORS,
                table="indicators",
                row=row.number,
                values={
                    "node": node,
                    "code": row["code"] or "",
                    "title": row["title"] or "",
                    "unit": row["unit"] or "",
                    "allows_negative": bool(row["allows_negative"]),
                    "baseline": row["baseline"],
                    "baseline_year": row["baseline_year"],
                    "direction": row["direction"] or "increase",
                    "status": row["status"] or "defined",
                    "order": row["order"] or 0,
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={"priority_area": "area"},
            )
            if indicator is None:
                continue
            for year in self.years:
                figures = {
                    "target": row[f"target_{year}"],
                    "actual": row[f"actual_{year}"],
                    "comment": row[f"comment_{year}"] or "",
                    "is_illustrative": bool(row[f"illustrative_{year}"]),
                }
                current = progress.get((indicator.pk, year))
                if current is None and not any(
                    row[f"{name}_{year}"] not in (None, "")
                    for name in ("target", "actual", "comment", "illustrative")
                ):
                    continue
                self.save(
                    current
                    or IndicatorProgress(
                        indicator=indicator, strategy_year=self.strategy_years[year]
                    ),
                    sheet=layout.INDICATORS,
                    table="indicators",
                    row=row.number,
                    values=figures,
                    columns={
                        "target": f"target_{year}",
                        "actual": f"actual_{year}",
                        "comment": f"comment_{year}",
                        "is_illustrative": f"illustrative_{year}",
                        "strategy_year": f"target_{year}",
                        NON_FIELD_ERRORS: f"target_{year}",
                    },
                )

    def assessments_write(self):
        existing = {
            (item.priority_area.slug, item.strategy_year.year): item
            for item in Assessment.objects.filter(
                priority_area__strategy=self.strategy
            ).select_related("priority_area", "strategy_year")
        }
        for row in self.rows("assessments"):
            area = self.area(layout.ASSESSMENTS, "assessments", row, "area")
            year = self.strategy_years.get(row["year"])
            if year is None:
                self.problem(
                    layout.ASSESSMENTS,
                    row,
                    self.where("assessments", "year"),
                    f"Expected a year of the period {self.years[0]}-{self.years[-1]}.",
                    "outside_period",
                )
            if area is None or year is None:
                continue
            self.save(
                existing.get((area.slug, year.year))
                or Assessment(priority_area=area, strategy_year=year),
                sheet=layout.ASSESSMENTS,
                table="assessments",
                row=row.number,
                values={
                    "rating": row["rating"],
                    "narrative": row["narrative"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={
                    "priority_area": "area",
                    "strategy_year": "year",
                    NON_FIELD_ERRORS: "rating",
                },
            )

    def budget_write(self):
        lines = {line.code: line for line in self.strategy.budget_lines.all()}
        planned = {
            (item.line.code, item.year): item
            for item in PlannedAmount.objects.filter(line__strategy=self.strategy).select_related(
                "line"
            )
        }
        for row in self.rows("lines"):
            line = self.save(
                lines.get(row["code"]) or BudgetLine(strategy=self.strategy, code=row["code"]),
                sheet=layout.BUDGET,
                table="lines",
                row=row.number,
                values={
                    "name": row["name"],
                    "kind": row["kind"],
                    "finance_act_code": row["finance_act_code"] or "",
                    "responsible_unit": row["responsible_unit"] or "",
                    "currency": row["currency"] or "DKK",
                    "order": row["order"] or 0,
                },
            )
            if line is None:
                continue
            lines[line.code] = line
            for year in self.years:
                amount = row[f"planned_{year}"]
                current = planned.get((line.code, year))
                if amount is None:
                    continue
                self.save(
                    current or PlannedAmount(line=line, year=year),
                    sheet=layout.BUDGET,
                    table="lines",
                    row=row.number,
                    values={"amount": amount},
                    columns={"amount": f"planned_{year}", "year": f"planned_{year}"},
                )
        self.lines = lines

    def line(self, sheet: str, table: str, row: Row):
        line = self.lines.get(row["line"])
        if line is None:
            self.problem(
                sheet,
                row,
                self.where(table, "line"),
                f'No budget line "{row["line"]}": expected a code from the sheet Budget.',
                "unknown_line",
            )
        return line

    def money_write(self):
        approvals = {
            (item.line.code, item.year): item
            for item in ParliamentaryApproval.objects.filter(
                line__strategy=self.strategy
            ).select_related("line")
        }
        for row in self.rows("approvals"):
            line = self.line(layout.APPROVALS, "approvals", row)
            if line is None:
                continue
            self.save(
                approvals.get((line.code, row["year"]))
                or ParliamentaryApproval(line=line, year=row["year"]),
                sheet=layout.APPROVALS,
                table="approvals",
                row=row.number,
                values={
                    "amount": row["amount"],
                    "approved_on": row["approved_on"],
                    "reference": row["reference"] or "",
                    "note": row["note"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )
        self.money_rows: dict[tuple[str, int, str], list[Row]] = defaultdict(list)
        for model, table, sheet, date_key in (
            (Commitment, "commitments", layout.COMMITMENTS, "committed_on"),
            (Disbursement, "disbursements", layout.DISBURSEMENTS, "paid_on"),
        ):
            pool = defaultdict(list)
            for record in model.objects.filter(line__strategy=self.strategy).order_by("pk"):
                pool[
                    (record.line_id, record.year, getattr(record, date_key), record.reference)
                ].append(record)
            for row in self.rows(table):
                line = self.line(sheet, table, row)
                if line is None:
                    continue
                key = (line.pk, row["year"], row[date_key], row["reference"] or "")
                instance = pool[key].pop(0) if pool[key] else model(line=line)
                saved = self.save(
                    instance,
                    sheet=sheet,
                    table=table,
                    row=row.number,
                    values={
                        "year": row["year"],
                        "amount": row["amount"],
                        date_key: row[date_key],
                        "reference": row["reference"] or "",
                        "note": row["note"] or "",
                        "is_illustrative": bool(row["is_illustrative"]),
                    },
                )
                if saved is not None:
                    self.money_rows[(table, line.pk, row["year"])].append(row)

    def allocations_write(self):
        rounds = {
            (item.line.code, item.year, item.half): item
            for item in AllocationRound.objects.filter(line__strategy=self.strategy).select_related(
                "line"
            )
        }
        for row in self.rows("rounds"):
            line = self.line(layout.ALLOCATIONS, "rounds", row)
            if line is None:
                continue
            saved = self.save(
                rounds.get((line.code, row["year"], row["half"]))
                or AllocationRound(line=line, year=row["year"], half=row["half"]),
                sheet=layout.ALLOCATIONS,
                table="rounds",
                row=row.number,
                values={
                    "dialogue_on": row["dialogue_on"],
                    "note": row["note"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )
            if saved is not None:
                rounds[(line.code, row["year"], row["half"])] = saved
        offices = {
            _norm(office.name): office
            for office in Office.objects.filter(organisation=self.organisation).order_by(
                "kind", "order", "pk"
            )
        }
        pool = defaultdict(list)
        for record in Allocation.objects.filter(round__line__strategy=self.strategy).order_by("pk"):
            pool[(record.round_id, record.theme)].append(record)
        self.allocation_rows: dict[tuple[int, int], list[Row]] = defaultdict(list)
        for row in self.rows("allocations"):
            line = self.line(layout.ALLOCATIONS, "allocations", row)
            if line is None:
                continue
            allocation_round = rounds.get((line.code, row["year"], row["half"]))
            if allocation_round is None:
                self.problem(
                    layout.ALLOCATIONS,
                    row,
                    self.where("allocations", "half"),
                    f"No allocation round for line {line.code} in the "
                    f"{'first' if row['half'] == 1 else 'second'} half of {row['year']}: "
                    "expected it in the table Allocation rounds.",
                    "unknown_round",
                )
                continue
            office = None
            if row["office"]:
                office = offices.get(_norm(row["office"]))
                if office is None:
                    office = self.save(
                        Office(
                            organisation=self.organisation,
                            key=self._office_key(row["office"]),
                            kind=OfficeKind.COUNTRY,
                            name=row["office"],
                        ),
                        sheet=layout.ALLOCATIONS,
                        table="allocations",
                        row=row.number,
                        values={},
                        columns={"name": "office", "key": "office"},
                    )
                    if office is None:
                        continue
                    offices[_norm(office.name)] = office
                    self.warnings.append(
                        Problem(
                            layout.ALLOCATIONS,
                            row.number,
                            self.where("allocations", "office"),
                            f'The partner had no office "{row["office"]}": it was added as a '
                            "country office.",
                            "office_created",
                        )
                    )
            key = (allocation_round.pk, row["theme"])
            instance = pool[key].pop(0) if pool[key] else Allocation(round=allocation_round)
            saved = self.save(
                instance,
                sheet=layout.ALLOCATIONS,
                table="allocations",
                row=row.number,
                values={
                    "office": office,
                    "theme": row["theme"],
                    "amount": row["amount"],
                    "description": row["description"] or "",
                    "decision": row["decision"] or Decision.PENDING,
                    "decision_reason": row["decision_reason"] or "",
                    "decided_by": self.person(layout.ALLOCATIONS, row, "decided_by", "allocations"),
                    "decided_at": row["decided_at"],
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={"round": "half"},
            )
            if saved is not None:
                self.allocation_rows[(line.pk, row["year"])].append(row)

    def _office_key(self, name: str) -> str:
        base = slugify(name)[:70] or "office"
        key, number = base, 1
        while Office.objects.filter(organisation=self.organisation, key=key).exists():
            number += 1
            key = f"{base}-{number}"
        return key

    def owner(self, sheet: str, table: str, row: Row):
        user = self.person(sheet, row, "owner", table)
        if user is not None and user.username not in self.team:
            self.problem(
                sheet,
                row,
                self.where(table, "owner"),
                f"{user.username} is not on the strategy's team: expected the user name of a "
                "team member (see the table Team on the sheet Overview).",
                "not_on_team",
            )
            return None
        return user

    def risks_write(self):
        existing = {risk.key: risk for risk in Risk.objects.filter(strategy=self.strategy)}
        for row in self.rows("risks"):
            values = {
                "title": row["title"],
                "category": row["category"] or "",
                "description": row["description"] or "",
                "response": row["response"] or "",
                "likelihood": row["likelihood"],
                "impact": row["impact"],
                "residual_likelihood": row["residual_likelihood"],
                "residual_impact": row["residual_impact"],
                "residual_justification": row["residual_justification"] or "",
                "status": row["status"] or "open",
                "closed_reason": row["closed_reason"] or "",
                "next_review": row["next_review"],
                "owner": self.owner(layout.RISKS, "risks", row),
                "rating_is_illustrative": bool(row["rating_is_illustrative"]),
                "order": row["order"] or 0,
            }
            risk = self.save(
                existing.get(row["key"]) or Risk(strategy=self.strategy, key=row["key"]),
                sheet=layout.RISKS,
                table="risks",
                row=row.number,
                values=values,
                exclude=("score", "residual_score"),
            )
            if risk is None:
                continue
            linked = set(risk.priority_areas.values_list("slug", flat=True))
            for slug in (part.strip() for part in (row["priority_areas"] or "").split(",")):
                if not slug or slug in linked:
                    continue
                area = self.areas.get(slug)
                if area is None:
                    self.problem(
                        layout.RISKS,
                        row,
                        self.where("risks", "priority_areas"),
                        f'No priority area "{slug}": expected slugs from the sheet Priority '
                        "areas, separated by commas.",
                        "unknown_area",
                    )
                    continue
                risk.priority_areas.add(area)

    def engagement_write(self):
        meetings = {
            (meeting.title, meeting.held_on): meeting
            for meeting in Meeting.objects.filter(strategy=self.strategy)
        }
        for row in self.rows("meetings"):
            saved = self.save(
                meetings.get((row["title"], row["held_on"]))
                or Meeting(strategy=self.strategy, title=row["title"], held_on=row["held_on"]),
                sheet=layout.ACTIONS,
                table="meetings",
                row=row.number,
                values={
                    "kind": row["kind"],
                    "location": row["location"] or "",
                    "summary": row["summary"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )
            if saved is not None:
                meetings[(saved.title, saved.held_on)] = saved
        pool = defaultdict(list)
        for record in ActionPoint.objects.filter(strategy=self.strategy).order_by("pk"):
            pool[(record.meeting_id, record.text)].append(record)
        for row in self.rows("actions"):
            meeting = None
            if row["meeting"] or row["meeting_date"]:
                meeting = meetings.get((row["meeting"], row["meeting_date"]))
                if meeting is None:
                    self.problem(
                        layout.ACTIONS,
                        row,
                        self.where("actions", "meeting"),
                        f'No meeting "{row["meeting"]}" on {row["meeting_date"]}: expected a '
                        "meeting and date from the table Meetings.",
                        "unknown_meeting",
                    )
                    continue
            area = self.area(layout.ACTIONS, "actions", row, "priority_area")
            if row["priority_area"] and area is None:
                continue
            key = (meeting.pk if meeting else None, row["text"])
            instance = (
                pool[key].pop(0)
                if pool[key]
                else ActionPoint(strategy=self.strategy, meeting=meeting, text=row["text"])
            )
            self.save(
                instance,
                sheet=layout.ACTIONS,
                table="actions",
                row=row.number,
                values={
                    "owner": self.owner(layout.ACTIONS, "actions", row),
                    "due_on": row["due_on"],
                    "status": row["status"] or "open",
                    "closing_note": row["closing_note"] or "",
                    "priority_area": area,
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )

    def donors_write(self):
        organisation = self.organisation
        tables = {table.key: table for table in organisation.donor_tables.all()}
        for row in self.rows("donor_tables"):
            saved = self.save(
                tables.get(row["key"]) or DonorTable(organisation=organisation, key=row["key"]),
                sheet=layout.DONORS,
                table="donor_tables",
                row=row.number,
                values={
                    "title": row["title"],
                    "currency": row["currency"] or "USD",
                    "year": row["year"],
                    "as_of": row["as_of"],
                    "notes": row["notes"] or "",
                    "source": row["source"] or "",
                },
            )
            if saved is not None:
                tables[saved.key] = saved

        def table_of(table_key: str, row: Row):
            table = tables.get(row["table"])
            if table is None:
                self.problem(
                    layout.DONORS,
                    row,
                    self.where(table_key, "table"),
                    f'No donor table "{row["table"]}": expected a key from the table Tables.',
                    "unknown_table",
                )
            return table

        def upsert(table_key: str, model, lookup_keys: tuple[str, ...], value_keys: dict):
            for row in self.rows(table_key):
                table = table_of(table_key, row)
                if table is None:
                    continue
                lookup = {"table": table, **{key: row[key] for key in lookup_keys}}
                values = {
                    name: (row[key] if row[key] is not None else default)
                    for name, (key, default) in value_keys.items()
                }
                self.save(
                    model.objects.filter(**lookup).first() or model(**lookup),
                    sheet=layout.DONORS,
                    table=table_key,
                    row=row.number,
                    values=values,
                )

        upsert(
            "funding_rows",
            FundingRow,
            ("order",),
            {
                "donor": ("donor", ""),
                "title": ("title", ""),
                "kind": ("kind", ""),
                "amount": ("amount", None),
                "is_refund": ("is_refund", False),
            },
        )
        upsert(
            "unearmarked_donors",
            UnearmarkedDonor,
            ("member_state",),
            {"order": ("order", 0), "stated_total": ("stated_total", None)},
        )
        for row in self.rows("contributions"):
            table = table_of("contributions", row)
            if table is None:
                continue
            donor = UnearmarkedDonor.objects.filter(
                table=table, member_state=row["member_state"]
            ).first()
            if donor is None:
                self.problem(
                    layout.DONORS,
                    row,
                    self.where("contributions", "member_state"),
                    f'No member state "{row["member_state"]}" in table {table.key}: expected '
                    "it in the table of member states.",
                    "unknown_donor",
                )
                continue
            self.save(
                UnearmarkedContribution.objects.filter(donor=donor, year=row["year"]).first()
                or UnearmarkedContribution(donor=donor, year=row["year"]),
                sheet=layout.DONORS,
                table="contributions",
                row=row.number,
                values={"amount": row["amount"], "is_pledged": bool(row["is_pledged"])},
            )
        upsert(
            "earmarked_donors",
            EarmarkedDonor,
            ("rank",),
            {"donor": ("donor", ""), "amount": ("amount", None)},
        )
        upsert(
            "stated_totals",
            StatedTotal,
            ("key",),
            {
                "label": ("label", ""),
                "kind": ("kind", ""),
                "year": ("year", None),
                "amount": ("amount", None),
                "growth_percent": ("growth_percent", None),
            },
        )

    def funding_rules_check(self):
        """Apply the funding rules across records to what the import leaves in the database."""
        dkk = "DKK {:,.2f}".format
        lines = {line.pk: line for line in self.lines.values()}
        for (table, line_id, year), rows in self.money_rows.items():
            line = lines[line_id]
            last = rows[-1]
            if table == "commitments":
                approval = funding_selectors.approval_for(line=line, year=year)
                if approval is None:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "year"),
                        f"Parliament's approval of line {line.code} for {year} is not recorded: "
                        "expected it on the sheet Approvals.",
                        "not_approved",
                    )
                    continue
                first = funding_selectors.earliest_commitment_date(line=line, year=year)
                if first and first < approval.approved_on:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "committed_on"),
                        f"Parliament approved {year} on {approval.approved_on}; a commitment "
                        "cannot be dated before that.",
                        "before_approval",
                    )
                committed = funding_selectors.committed_total(line=line, year=year)
                if committed > approval.amount:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "amount"),
                        f"Commitments from line {line.code} for {year} reach {dkk(committed)}, "
                        f"more than the {dkk(approval.amount)} parliament approved.",
                        "over_approval",
                    )
            else:
                committed = funding_selectors.committed_total(line=line, year=year)
                disbursed = funding_selectors.disbursed_total(line=line, year=year)
                if disbursed > committed:
                    self.problem(
                        layout.DISBURSEMENTS,
                        last,
                        self.where(table, "amount"),
                        f"Disbursements of line {line.code} against {year} reach "
                        f"{dkk(disbursed)}, more than the {dkk(committed)} committed.",
                        "over_committed",
                    )
        for (line_id, year), rows in self.allocation_rows.items():
            line = lines[line_id]
            if line.kind != BudgetLineKind.SOFT_EARMARKED:
                continue
            approved = funding_selectors.approved_allocation_total(line=line, year=year)
            if not approved:
                continue
            planned = funding_selectors.planned_amount(line=line, year=year)
            if planned is None or approved > planned:
                self.problem(
                    layout.ALLOCATIONS,
                    rows[-1],
                    self.where("allocations", "amount"),
                    f"Approved allocations of line {line.code} in {year} reach {dkk(approved)}, "
                    f"more than the {dkk(planned or 0)} the budget plans for the line.",
                    "over_line_budget",
                )

    def states_write(self):
        listed = {row["year"]: row for row in self.rows("years")}
        now = timezone.now()
        for year, strategy_year in self.strategy_years.items():
            row = listed.get(year)
            if row is None or not row["state"] or row["state"] == strategy_year.state:
                continue
            self.save(
                strategy_year,
                sheet=layout.OVERVIEW,
                table="years",
                row=row.number,
                values={
                    "state": row["state"],
                    "state_changed_at": now,
                    "state_changed_by": self.user,
                    "state_comment": CHANGE_REASON,
                },
            )


def workbook_import(*, data: bytes, user, dry_run: bool = False) -> ImportResult:
    """Import the workbook in `data` as a whole strategy, all or nothing.

    Raises WorkbookRefused with every problem found; nothing is changed then. With `dry_run`,
    everything is checked and written, then rolled back, and the result says what would change.
    """
    parsed = workbook_read(data)
    if parsed.problems:
        raise WorkbookRefused(parsed.problems)
    writer = _Writer(parsed, user)
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

"""Step 2 of an import: every sheet read, its headers and the type of each cell checked."""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports import layout
from strategy_monitor.exports import FORMULA_PREFIXES

from ._common import _norm
from .results import Problem
from .upload import file_problems

MAX_ROWS = 20_000
# Told of an import's progress: a percentage (0 to 100) and the step it is at.
Progress = Callable[[float, str], None]
CENT = Decimal("0.01")
FIGURE = Decimal("0.0001")


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
        if text in ("yes", "true", "1", "x") or _says(text, layout.YES):
            return True
        if text in ("no", "false", "0") or _says(text, layout.NO):
            return False
        raise ValueError
    if kind == layout.CHOICE:
        for stored, label in choices:
            if _norm(value) in (_norm(label), _norm(stored)):
                return stored
        raise ValueError
    raise ValueError  # pragma: no cover - every kind is handled above


def _says(found, text: str) -> bool:
    """Return whether the cell `found` holds `text`, in English or in another interface language."""
    return _norm(found) in {_norm(variant) for variant in layout.words_read(text)}


def _sheet_name(names, name: str) -> str | None:
    """Return the name the workbook gives the sheet `name` (in either language), or None."""
    return next((variant for variant in layout.words_read(name) if variant in names), None)


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
    absent = set()
    for index, column in enumerate(columns):
        if table.derived:
            # The export computes these tables and the import skips them: a workbook written
            # before one of their headers changed still imports.
            break
        found = header[index] if index < len(header) else None
        if column.optional and _norm(found) == "":
            # A workbook exported before the column existed: read without it.
            absent.add(column.key)
            continue
        if not _says(found, column.header):
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
        if table.sum_columns and _says(cells[0] if cells else "", layout.TOTAL_LABEL):
            break
        if not header_ok or table.derived:
            continue
        values = {}
        for index, column in enumerate(columns):
            if column.derived or column.key in absent:
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
                if grid[index] and _says(grid[index][0], table.title)
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
        item = layout.field_by_label(label)
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


def workbook_read(data: bytes, *, progress: Progress | None = None) -> Parsed:
    """Read every table of the workbook in `data`, with the problems of its form and cells.

    `progress(percent, step)`, if given, hears of each sheet as it is read (0 to 100).
    """
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
        overview = _sheet_name(names, layout.OVERVIEW)
        if overview is None:
            parsed.problems.append(
                Problem(
                    layout.OVERVIEW, None, "", "The sheet Overview is missing.", "missing_sheet"
                )
            )
            return parsed
        years = _overview_years(parsed, _grid(workbook[overview]))
        if not years:
            return parsed
        specs = layout.layout(years)[1:]
        for done, spec in enumerate(specs):
            if progress is not None:
                progress(100 * done / len(specs), f"Reading the sheet {spec.name}")
            name = _sheet_name(names, spec.name)
            if name is None:
                parsed.problems.append(
                    Problem(
                        spec.name, None, "", f"The sheet {spec.name} is missing.", "missing_sheet"
                    )
                )
                continue
            _read_sheet(parsed, spec, _grid(workbook[name]))
        parsed.tables["years_of_period"] = years
    finally:
        workbook.close()
    return parsed

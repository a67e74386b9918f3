"""The monitoring workbook as XLSX, written with openpyxl from a `WorkbookReport`.

The first sheet, Summary, is for the manager: the strategy at a glance, its money by budget
line and year with execution rates, the ratings of its priority areas, its open risks by band
and its open action points, with two native charts. Its money, risk and action-point figures
are live formulas (SUMIFS, COUNTIFS, SUM) over the data sheets that follow, so that whoever
edits a data sheet sees the summary follow. The ratings are words, not sums: looking them up
by area and year would need array formulas that spreadsheets compute differently, so the
matrix holds the ratings as exported and names the Assessments sheet as the place to edit them.

The data sheets follow `reports.layout`, which the import reads back: headers a person can
read, people by name, technical columns (slugs, keys, user names) hidden but present, long
texts wrapped in rows as tall as the text needs (estimated from its length and the column's
width), an autofilter on the first table, panes frozen below its header, totals as =SUM(...).
Text is never a formula: a value that a spreadsheet would read as one (starting with =, +, -,
@) is neutralised with a leading apostrophe, as the table exports do.

The workbook is streamed in openpyxl's write-only mode, and each look is a named style made
once per workbook and assigned to cells by name: no style objects per cell.
"""

import io
import math
import warnings
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from engagement.choices import ActionStatus
from priorities.choices import PriorityKind, Rating
from reports import layout
from reports.builders import WorkbookReport
from reports.layout import words
from risks.choices import SCORE_BAND_RANGES, RiskStatus, ScoreBand
from strategy_monitor.exports import spreadsheet_safe

INK = "14324F"
FONT = "Calibri"
BAND_FILLS = {
    ScoreBand.LOW: ("DEEBF7", "1D1D1F"),
    ScoreBand.MEDIUM: ("9ECAE1", "1D1D1F"),
    ScoreBand.HIGH: ("4292C6", "FFFFFF"),
    ScoreBand.CRITICAL: ("08519C", "FFFFFF"),
}
# Room below the data for rows the user adds: validations, formats and the Summary's formulas
# reach that far on sheets that hold one table.
SPARE_ROWS = 200
GENERAL = "General"
# The Summary's amounts: whole kroner with thousands separators, labelled (DKK) in the headers.
KRONER = "#,##0"
# Points per line of wrapped text at the default font, and Excel's tallest row.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
# Characters of running text per unit of column width (a unit is the width of a "0").
CHARS_PER_WIDTH = 1.15

THIN = Side(style="thin", color="3C4650")
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)


def _font(**options) -> Font:
    return Font(name=FONT, size=options.pop("size", 11), **options)


@dataclass(frozen=True)
class Look:
    """A named style of the workbook: its parts, each left at the default when not given."""

    name: str
    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None
    number_format: str = GENERAL

    def named_style(self) -> NamedStyle:
        """Return a new named style with this look, for one workbook."""
        style = NamedStyle(name=self.name, number_format=self.number_format)
        style.font = self.font or _font()
        if self.fill is not None:
            style.fill = self.fill
        if self.alignment is not None:
            style.alignment = self.alignment
        if self.border is not None:
            style.border = self.border
        return style


TITLE = Look("SM title", font=_font(bold=True, size=14, color=INK))
TABLE_TITLE = Look("SM table title", font=_font(bold=True, color=INK))
NOTE = Look("SM note", font=_font(italic=True, color="5B6470"))
WARNING = Look(
    "SM illustrative",
    font=_font(bold=True, color="7A3E00"),
    fill=PatternFill("solid", fgColor="FFE8C2"),
    alignment=Alignment(vertical="top", wrap_text=True),
)
HEADER = Look(
    "SM header",
    font=_font(bold=True, color="FFFFFF"),
    fill=PatternFill("solid", fgColor=INK),
    alignment=Alignment(wrap_text=True, vertical="center"),
)
LABEL = Look("SM label", font=_font(bold=True), alignment=TOP)
TOTAL_LABEL = Look("SM total", font=_font(bold=True), border=Border(top=THIN))
TOTAL_BLANK = Look("SM total blank", border=Border(top=THIN))
TEXT = Look("SM text", alignment=TOP)
LONG_TEXT = Look("SM long text", alignment=WRAP)
SUMMARY_KRONER = Look("SM kroner", alignment=TOP, number_format=KRONER)
SUMMARY_KRONER_TOTAL = Look(
    "SM kroner total", font=_font(bold=True), border=Border(top=THIN), number_format=KRONER
)
SUMMARY_RATE = Look("SM rate", alignment=TOP, number_format=layout.NUMBER_FORMATS[layout.PERCENT])
SUMMARY_RATE_TOTAL = Look(
    "SM rate total",
    font=_font(bold=True),
    border=Border(top=THIN),
    number_format=layout.NUMBER_FORMATS[layout.PERCENT],
)
SUMMARY_COUNT = Look("SM count", alignment=TOP, number_format="0")
SUMMARY_COUNT_TOTAL = Look(
    "SM count total", font=_font(bold=True), border=Border(top=THIN), number_format="0"
)
SUMMARY_DATE = Look("SM long date", alignment=TOP, number_format="d mmmm yyyy")
NUMBER_LOOKS = {
    kind: Look(f"SM {kind}", alignment=TOP, number_format=number_format)
    for kind, number_format in layout.NUMBER_FORMATS.items()
}
TOTAL_LOOKS = {
    kind: Look(
        f"SM {kind} total", font=_font(bold=True), border=Border(top=THIN), number_format=fmt
    )
    for kind, fmt in layout.NUMBER_FORMATS.items()
}
LOOKS = (
    TITLE,
    TABLE_TITLE,
    NOTE,
    WARNING,
    HEADER,
    LABEL,
    TOTAL_LABEL,
    TOTAL_BLANK,
    TEXT,
    LONG_TEXT,
    SUMMARY_KRONER,
    SUMMARY_KRONER_TOTAL,
    SUMMARY_RATE,
    SUMMARY_RATE_TOTAL,
    SUMMARY_COUNT,
    SUMMARY_COUNT_TOTAL,
    SUMMARY_DATE,
    *NUMBER_LOOKS.values(),
    *TOTAL_LOOKS.values(),
)

SUMMARY = gettext_noop("Summary")
# The Summary's columns: A code or band, B name, C year or count, D-G amounts, H rate.
SUMMARY_WIDTHS = {"A": 22, "B": 40, "C": 13, "D": 16, "E": 16, "F": 16, "G": 16, "H": 14}
SUMMARY_FREEZE = "A4"
# Where the Summary's charts sit: to the right of its tables.
CHART_COLUMN = "J"


def looks_register(workbook: Workbook, looks=LOOKS) -> None:
    """Add the named styles of `looks` to `workbook`, once, before any cell wears them."""
    for look in looks:
        workbook.add_named_style(look.named_style())


def text_value(value) -> str:
    """Return `value` as cell text: no control characters, within Excel's limit, never a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > layout.CELL_MAX:
        text = text[: layout.CELL_MAX - 1] + "…"
    return spreadsheet_safe(text)


def cell_value(kind: str, value, choices=()):
    """Return the value a cell of `kind` holds for `value`."""
    if value is None or value == "":
        return None
    if kind == layout.BOOL:
        return words(layout.YES if value else layout.NO)
    if kind == layout.CHOICE:
        labels = {str(key): label for key, label in choices}
        return labels.get(str(value), str(value))
    if kind == layout.INT:
        return int(value)
    if kind in (layout.DECIMAL, layout.MONEY, layout.PERCENT):
        return Decimal(value) if not isinstance(value, Decimal) else value
    if kind in (layout.DATE, layout.DATETIME):
        return value
    return str(value)


def text_lines(text: str, width: float) -> int:
    """Return how many lines `text` takes when wrapped in a column `width` characters wide."""
    per_line = max(int(width * CHARS_PER_WIDTH), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


def row_height(lines: int) -> float | None:
    """Return the height of a row that shows `lines` lines; None leaves one line's default."""
    if lines <= 1:
        return None
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


class _Sheet:
    """A write-only sheet and the number of the next row it writes."""

    def __init__(self, workbook: Workbook, name: str):
        self.sheet = workbook.create_sheet(name)
        self.row = 1
        # Each named style's array, found once: assigning a style by name looks it up in the
        # workbook's list of styles for every cell, a good part of writing a large sheet.
        self.styles = {style.name: style.as_tuple() for style in workbook._named_styles}

    def cell(self, value, look: Look | None = None) -> WriteOnlyCell:
        """Return a cell of this sheet holding `value`, wearing `look`."""
        cell = WriteOnlyCell(self.sheet, value)
        if look is not None:
            # What `cell.style = look.name` sets, without looking the name up again.
            cell._style = copy(self.styles[look.name])
        return cell

    def text(self, value, look: Look = TEXT) -> WriteOnlyCell:
        """Return a text cell: inert, whatever the text starts with; empty when there is none."""
        text = text_value(value)
        cell = self.cell(text or None, look)
        if text:
            cell.data_type = "s"
        return cell

    def append(self, cells, *, height: float | None = None, outline: int = 0) -> int:
        """Write `cells` as the next row; return its number."""
        if height is not None or outline:
            dimension = self.sheet.row_dimensions[self.row]
            if height is not None:
                dimension.height = height
            if outline:
                dimension.outline_level = outline
        self.sheet.append(cells)
        self.row += 1
        return self.row - 1

    def skip(self, rows: int = 1) -> None:
        for _row in range(rows):
            self.append([])


def _page_setup(sheet, *, landscape: bool = True) -> None:
    """Print on A4, landscape, every column on the page's width."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --- The data sheets -------------------------------------------------------------------------


def _formula(column: layout.Column, row: int, letters: dict[str, str]) -> str:
    if column.row_sum:
        first, last = letters[column.row_sum[0]], letters[column.row_sum[-1]]
        return f"=SUM({first}{row}:{last}{row})"
    return column.formula.format(**{key: f"{letter}{row}" for key, letter in letters.items()})


def _validations(sheet, table: layout.Table, letters: dict[str, str], first: int, last: int):
    for column in table.columns:
        if column.derived:
            continue
        if column.kind == layout.BOOL:
            labels = [words(layout.YES), words(layout.NO)]
        elif column.kind == layout.CHOICE:
            labels = [label for _, label in column.choices]
        else:
            continue
        joined = ",".join(labels)
        if any("," in label or '"' in label for label in labels) or len(joined) > 250:
            continue
        validation = DataValidation(
            type="list",
            formula1=f'"{joined}"',
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle=words(column.header),
            error=f"Choose {column.expected}.",
        )
        validation.add(f"{letters[column.key]}{first}:{letters[column.key]}{last}")
        sheet.data_validations.append(validation)


def _score_formatting(sheet, letter: str, first: int, last: int) -> None:
    for band, (low, high) in SCORE_BAND_RANGES.items():
        fill, ink = BAND_FILLS[band]
        sheet.conditional_formatting.add(
            f"{letter}{first}:{letter}{last}",
            CellIsRule(
                operator="between",
                formula=[str(low), str(high)],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=ink, bold=True),
            ),
        )


def _header_height(table: layout.Table) -> float | None:
    return row_height(
        max(text_lines(words(column.header), column.width) for column in table.columns)
    )


def _table_name(workbook: Workbook, key: str) -> str:
    """Return a name for the table `key` that no other table of the workbook has."""
    name, number = key, 1
    while workbook._duplicate_name(name):
        number += 1
        name = f"{key}_{number}"
    return name


def _table_add(out: "_Sheet", table: layout.Table, headers: list[str], first: int, last: int):
    """Name the data area of `table` (header row `first` to row `last`) as a spreadsheet table.

    A named table tells a screen reader and Excel which row holds the headers and where the data
    end; its own filter replaces the sheet's. Write-only sheets need its columns named here.
    """
    names: list[str] = []
    for header in headers:
        name, number = header, 1
        while name in names:
            number += 1
            name = f"{header} {number}"
        names.append(name)
    ref = f"A{first}:{get_column_letter(len(headers))}{last}"
    named = Table(
        displayName=_table_name(out.sheet.parent, table.key),
        ref=ref,
        headerRowCount=1,
        tableColumns=[TableColumn(id=index, name=name) for index, name in enumerate(names, 1)],
    )
    named.autoFilter = AutoFilter(ref=ref)
    with warnings.catch_warnings():
        # openpyxl reminds write-only sheets to name the columns, which the lines above do.
        warnings.filterwarnings("ignore", message="In write-only mode")
        out.sheet.add_table(named)
    return named


def _write_table(out: _Sheet, spec: layout.Sheet, table: layout.Table, rows, is_first: bool) -> int:
    """Write `table` with its header at the next row; return the number of its last data row."""
    columns = table.columns
    letters = {column.key: get_column_letter(index) for index, column in enumerate(columns, 1)}
    headers = [words(column.header) for column in columns]
    start = out.append(
        [out.cell(header, HEADER) for header in headers], height=_header_height(table)
    )
    # What each column needs, worked out once per table rather than once per cell.
    plans = []
    for column in columns:
        formula = column.derived and bool(column.formula or column.row_sum)
        labels = {str(key): label for key, label in column.choices}
        plans.append((column, formula, labels))
    strategy_table = table.key == "strategy"
    for values in rows:
        row = out.row
        item = None
        if strategy_table:
            item = layout.FIELD_BY_LABEL.get(str(values.get("field", "")).casefold())
        cells = []
        lines = 1
        for column, formula, labels in plans:
            key = column.key
            if formula:
                look = NUMBER_LOOKS.get(column.kind, TEXT)
                cells.append(out.cell(_formula(column, row, letters), look))
                continue
            kind = column.kind
            if item is not None and key == "value":
                kind, labels = item.kind, {str(k): label for k, label in item.choices}
            elif strategy_table and key == "value":
                kind = layout.TEXT
            value = values.get(key)
            if value is None or value == "":
                cells.append(None)
                continue
            if strategy_table and key == "field":
                value = words(str(value))
            if kind == layout.BOOL:
                value = words(layout.YES if value else layout.NO)
            elif kind == layout.CHOICE:
                value = labels.get(str(value), str(value))
            elif kind in NUMBER_LOOKS:
                value = cell_value(kind, value)
                cells.append(out.cell(value, NUMBER_LOOKS[kind]))
                continue
            if kind == layout.LONGTEXT:
                cell = out.text(value, LONG_TEXT)
                lines = max(lines, text_lines(cell.value, column.width))
            else:
                cell = out.text(value, TEXT)
            cells.append(cell)
        outline = 0
        if table.outline and values.get(table.outline):
            outline = max(int(values[table.outline]) - 1, 0)
        out.append(cells, height=row_height(lines) if lines > 1 else None, outline=outline)
    last_data = out.row - 1
    if table.sum_columns and rows:
        cells = []
        for index, column in enumerate(columns, start=1):
            if column.key in table.sum_columns:
                letter = letters[column.key]
                total = f"=SUM({letter}{start + 1}:{letter}{last_data})"
                cells.append(out.cell(total, TOTAL_LOOKS[column.kind]))
            elif index == 1:
                cells.append(out.cell(words(layout.TOTAL_LABEL), TOTAL_LABEL))
            else:
                cells.append(out.cell(None, TOTAL_BLANK))
        out.append(cells)
    _table_add(out, table, headers, start, max(last_data, start + 1))
    if is_first:
        sheet = out.sheet
        if not table.derived:
            _validations(sheet, table, letters, start + 1, last_data + SPARE_ROWS)
        for key in table.score_columns:
            _score_formatting(sheet, letters[key], start + 1, last_data + SPARE_ROWS)
    return last_data


def _columns(sheet, spec: layout.Sheet) -> None:
    """Size the columns (the widest of the tables') and hide those every table keeps hidden."""
    widths: dict[int, int] = {}
    shown: dict[int, bool] = {}
    for table in spec.tables:
        for index, column in enumerate(table.columns, start=1):
            widths[index] = max(widths.get(index, 0), column.width)
            shown[index] = shown.get(index, False) or not column.hidden
    for index, width in widths.items():
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if not shown[index]:
            dimension.hidden = True


def _notes(report: WorkbookReport, spec: layout.Sheet) -> tuple[str, str]:
    data = report.sheet(spec.name)
    if spec.name == layout.OVERVIEW:
        stamp = _(
            "Monitoring workbook of %(title)s. Exported on %(date)s at %(time)s from "
            "Strategy Monitor."
        ) % {
            "title": report.title,
            "date": date_format(report.exported_at, "DATE_FORMAT"),
            "time": date_format(report.exported_at, "TIME_FORMAT"),
        }
        if report.has_illustrative:
            sheets = ", ".join(words(name) for name in report.illustrative_sheets)
            return stamp, _("Illustrative data on the sheets %(sheets)s. %(note)s") % {
                "sheets": sheets,
                "note": words(layout.ILLUSTRATIVE_NOTE),
            }
        return stamp, _("The workbook holds no illustrative data.")
    if data.has_illustrative:
        return words(layout.ILLUSTRATIVE_NOTE), ""
    return words(spec.note), ""


def _data_sheet(workbook: Workbook, report: WorkbookReport, spec: layout.Sheet) -> None:
    out = _Sheet(workbook, words(spec.name))
    sheet = out.sheet
    # Write-only: the columns, panes and page go before the first row.
    _columns(sheet, spec)
    sheet.freeze_panes = f"{get_column_letter(spec.freeze_column + 1)}{layout.FIRST_HEADER_ROW + 1}"
    sheet.sheet_properties.outlinePr.summaryBelow = False
    _page_setup(sheet)
    sheet.print_title_rows = f"{layout.FIRST_HEADER_ROW}:{layout.FIRST_HEADER_ROW}"
    out.append([out.text(f"{words(spec.title)} · {report.label}", TITLE)])
    for note in _notes(report, spec):
        out.append([out.text(note, NOTE)] if note else [])
    data = report.sheet(spec.name)
    for index, table in enumerate(spec.tables):
        if index:
            out.skip()
            out.append([out.text(words(table.title), TABLE_TITLE)])
        _write_table(out, spec, table, data.table(table.key).rows, index == 0)


# --- The Summary -----------------------------------------------------------------------------


def _range(sheet_name: str, letter: str, first: int, last: int) -> str:
    quoted = sheet_name.replace("'", "''")
    return f"'{quoted}'!${letter}${first}:${letter}${last}"


@dataclass(frozen=True)
class _Rows:
    """Where a table of a data sheet keeps its data rows, for the Summary's formulas."""

    sheet: str
    letters: dict[str, str]
    first: int
    last: int

    def column(self, key: str) -> str:
        return _range(self.sheet, self.letters[key], self.first, self.last)


def _rows_of(report: WorkbookReport, spec: layout.Sheet, *, spare: bool) -> _Rows:
    """Return where the first table of `spec` keeps its rows; with `spare`, the rows a user may
    add below it count too (for a sheet whose only table it is)."""
    table = spec.tables[0]
    count = len(report.sheet(spec.name).table(table.key).rows)
    first = layout.FIRST_HEADER_ROW + 1
    last = layout.FIRST_HEADER_ROW + max(count, 1) + (SPARE_ROWS if spare else 0)
    letters = {
        column.key: get_column_letter(index) for index, column in enumerate(table.columns, 1)
    }
    return _Rows(words(spec.name), letters, first, last)


def _summary_header(out: _Sheet, headers: tuple[str, ...]) -> int:
    return out.append(
        [out.cell(header, HEADER) if header else out.cell(None, HEADER) for header in headers],
        height=LINE_HEIGHT * 2,
    )


def _equal(cell: str) -> str:
    """Return a SUMIFS/COUNTIFS criterion that matches the text of `cell` as it is: a name that
    starts with < or > is compared for equality, not read as an operator."""
    return f'"="&{cell}'


def _rate(amount: str, base: str) -> str:
    return f'=IF(N({base})=0,"",{amount}/{base})'


def _summary_money(out: _Sheet, report: WorkbookReport, specs: dict) -> tuple[int, int]:
    """Write money by line and year, then by year; return the first and last rows by year."""
    lines = report.sheet(layout.BUDGET).table("lines").rows
    budget = _rows_of(report, specs[layout.BUDGET], spare=False)
    # The plan's rows only: the tables below it on the Budget sheet hold other figures.
    budget = _Rows(
        budget.sheet, budget.letters, budget.first, budget.first + max(len(lines), 1) - 1
    )
    flows = {
        "approved": _rows_of(report, specs[layout.APPROVALS], spare=True),
        "committed": _rows_of(report, specs[layout.COMMITMENTS], spare=True),
        "disbursed": _rows_of(report, specs[layout.DISBURSEMENTS], spare=True),
    }
    out.append([out.text(_("Money by budget line and year (DKK)"), TABLE_TITLE)])
    sheet_names = {
        "budget": words(layout.BUDGET),
        "approvals": words(layout.APPROVALS),
        "commitments": words(layout.COMMITMENTS),
        "disbursements": words(layout.DISBURSEMENTS),
    }
    out.append(
        [
            out.text(
                _(
                    "Planned from the sheet %(budget)s; approved, committed and disbursed summed "
                    "from the sheets %(approvals)s, %(commitments)s and %(disbursements)s. "
                    "Execution rate: disbursed as a share of approved."
                )
                % sheet_names,
                NOTE,
            )
        ]
    )
    headers = (
        _("Budget line"),
        _("Name"),
        _("Year"),
        _("Planned (DKK)"),
        _("Approved (DKK)"),
        _("Committed (DKK)"),
        _("Disbursed (DKK)"),
        _("Execution rate"),
    )
    header = _summary_header(out, headers)
    for line in lines:
        code = line.get("code")
        for year in report.years:
            row = out.row
            key = f"planned_{year}"
            planned = (
                f"=SUMIFS({budget.column(key)},{budget.column('code')},{_equal(f'$A{row}')})"
                if key in budget.letters
                else None
            )
            cells = [
                out.text(code),
                out.text(line.get("name") or "", LONG_TEXT),
                out.cell(year, SUMMARY_COUNT),
                out.cell(planned, SUMMARY_KRONER),
            ]
            for flow in flows.values():
                cells.append(
                    out.cell(
                        f"=SUMIFS({flow.column('amount')},{flow.column('line')},{_equal(f'$A{row}')},"
                        f"{flow.column('year')},$C{row})",
                        SUMMARY_KRONER,
                    )
                )
            cells.append(out.cell(_rate(f"G{row}", f"E{row}"), SUMMARY_RATE))
            out.append(cells, height=row_height(text_lines(line.get("name") or "", 40)))
    first, last = header + 1, max(out.row - 1, header + 1)
    _summary_total(out, first, last)

    out.skip()
    out.append([out.text(_("Money by year, all lines (DKK)"), TABLE_TITLE)])
    _summary_header(out, ("", "", _("Year"), *headers[3:]))
    by_year_first = out.row
    for year in report.years:
        row = out.row
        cells = [None, out.text(_("All lines")), out.cell(year, SUMMARY_COUNT)]
        for letter in "DEFG":
            cells.append(
                out.cell(
                    f"=SUMIFS({letter}${first}:{letter}${last},$C${first}:$C${last},$C{row})",
                    SUMMARY_KRONER,
                )
            )
        cells.append(out.cell(_rate(f"G{row}", f"E{row}"), SUMMARY_RATE))
        out.append(cells)
    by_year_last = max(out.row - 1, by_year_first)
    _summary_total(out, by_year_first, by_year_last)
    return by_year_first, by_year_last


def _summary_total(out: _Sheet, first: int, last: int) -> None:
    row = out.row
    cells = [out.cell(layout.TOTAL_LABEL, TOTAL_LABEL), out.cell(None, TOTAL_BLANK)]
    cells.append(out.cell(None, TOTAL_BLANK))
    for letter in "DEFG":
        cells.append(out.cell(f"=SUM({letter}{first}:{letter}{last})", SUMMARY_KRONER_TOTAL))
    cells.append(out.cell(_rate(f"G{row}", f"E{row}"), SUMMARY_RATE_TOTAL))
    out.append(cells)


def _summary_ratings(out: _Sheet, report: WorkbookReport) -> None:
    areas = report.sheet(layout.AREAS).table("areas").rows
    ratings = {
        (str(row.get("area")), row.get("year")): row.get("rating")
        for row in report.sheet(layout.ASSESSMENTS).table("assessments").rows
    }
    labels = dict(Rating.choices)
    out.append([out.text(_("Ratings by priority area and year"), TABLE_TITLE)])
    out.append(
        [
            out.text(
                _(
                    "The ratings as exported; edit them on the sheet %(sheet)s (an empty cell: "
                    "not yet rated)."
                )
                % {"sheet": words(layout.ASSESSMENTS)},
                NOTE,
            )
        ]
    )
    _summary_header(out, (_("Priority area"), _("Title"), *(str(year) for year in report.years)))
    listed = {str(area.get("slug")) for area in areas}
    # A numbered area by its number; a cross-cutting one says what it is.
    kinds = dict(PriorityKind.choices)
    rows = [
        (str(area["slug"]), area.get("number") or kinds.get(area.get("kind")), area.get("title"))
        for area in areas
    ]
    # Assessments of areas the Areas sheet does not list still show, by their key.
    for slug in dict.fromkeys(slug for slug, _year in ratings):
        if slug not in listed:
            rows.append((slug, None, ""))
    for slug, number, title in rows:
        cells = [out.text(number if number is not None else slug), out.text(title or "", LONG_TEXT)]
        for year in report.years:
            rating = ratings.get((slug, year))
            cells.append(out.text(labels.get(rating, rating)) if rating else None)
        out.append(cells, height=row_height(text_lines(title or "", 40)))


def _summary_risks(out: _Sheet, report: WorkbookReport, specs: dict) -> tuple[int, int]:
    """Write the open risks by band; return the first and last rows of the bands."""
    risks = _rows_of(report, specs[layout.RISKS], spare=True)
    # The label the Risks sheet writes for an open risk, whatever the language.
    open_label = dict(specs[layout.RISKS].tables[0].column("status").choices)[RiskStatus.OPEN]
    status = f'{risks.column("status")},"{open_label}"'
    score = risks.column("score")
    out.append([out.text(_("Open risks by score band (likelihood × impact)"), TABLE_TITLE)])
    _summary_header(out, ("", _("Band (score: likelihood × impact)"), _("Open risks")))
    first = out.row
    for band, (low, high) in SCORE_BAND_RANGES.items():
        formula = f'=COUNTIFS({status},{score},">={low}",{score},"<={high}")'
        out.append([None, out.text(ScoreBand(band).label), out.cell(formula, SUMMARY_COUNT)])
    last = out.row - 1
    row = out.row
    out.append(
        [
            None,
            out.text(_("Not rated yet")),
            out.cell(f"=C{row + 1}-SUM(C{first}:C{last})", SUMMARY_COUNT),
        ]
    )
    out.append(
        [
            out.cell(words(layout.TOTAL_LABEL), TOTAL_LABEL),
            out.cell(None, TOTAL_BLANK),
            out.cell(f"=COUNTIFS({status})", SUMMARY_COUNT_TOTAL),
        ]
    )
    return first, last


def _summary_actions(out: _Sheet, report: WorkbookReport, specs: dict) -> None:
    actions = _rows_of(report, specs[layout.ACTIONS], spare=False)
    open_label = dict(specs[layout.ACTIONS].tables[0].column("status").choices)[ActionStatus.OPEN]
    status = f'{actions.column("status")},"{open_label}"'
    rows = report.sheet(layout.ACTIONS).table("actions").rows
    owners = sorted(
        {row.get("owner") or "" for row in rows if row.get("status") == ActionStatus.OPEN},
        key=lambda name: (name == "", name.casefold()),
    )
    as_of = report.exported_at.date()
    out.append([out.text(_("Open action points by owner"), TABLE_TITLE)])
    overdue_header = _("Overdue on %(date)s") % {"date": date_format(as_of, "DATE_FORMAT")}
    _summary_header(out, ("", _("Owner"), _("Open"), overdue_header))
    first = out.row
    for owner in owners:
        row = out.row
        criterion = _equal(f"$B{row}") if owner else '""'
        base = f"{status},{actions.column('owner')},{criterion}"
        overdue = f'{actions.column("due_on")},"<"&DATE({as_of.year},{as_of.month},{as_of.day})'
        out.append(
            [
                None,
                out.text(owner or _("No owner")),
                out.cell(f"=COUNTIFS({base})", SUMMARY_COUNT),
                out.cell(f"=COUNTIFS({base},{overdue})", SUMMARY_COUNT),
            ]
        )
    last = max(out.row - 1, first)
    out.append(
        [
            out.cell(words(layout.TOTAL_LABEL), TOTAL_LABEL),
            out.cell(None, TOTAL_BLANK),
            out.cell(f"=SUM(C{first}:C{last})", SUMMARY_COUNT_TOTAL),
            out.cell(f"=SUM(D{first}:D{last})", SUMMARY_COUNT_TOTAL),
        ]
    )


def _bar_chart() -> BarChart:
    chart = BarChart()
    # Shown explicitly: Excel hides the axes of a chart that does not say so.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _money_chart(sheet, first: int, last: int) -> BarChart:
    chart = _bar_chart()
    chart.type = "col"
    chart.title = _("Planned, approved and disbursed by year (DKK)")
    chart.y_axis.title = "DKK"
    chart.y_axis.numFmt = KRONER
    chart.y_axis.majorGridlines = None
    for letter in "DEG":
        column = "DEFG".index(letter) + 4
        chart.add_data(
            Reference(sheet, min_col=column, min_row=first - 1, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=3, min_row=first, max_row=last))
    chart.height, chart.width = 7.5, 16
    return chart


def _risk_chart(sheet, first: int, last: int) -> BarChart:
    chart = _bar_chart()
    chart.type = "bar"
    chart.title = _("Open risks by score band")
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=2, min_row=first, max_row=last))
    chart.x_axis.title = _("Band")
    chart.y_axis.title = _("Open risks")
    chart.y_axis.majorUnit = 1
    chart.height, chart.width = 6, 16
    return chart


def _summary_sheet(workbook: Workbook, report: WorkbookReport, specs: dict) -> None:
    out = _Sheet(workbook, words(SUMMARY))
    sheet = out.sheet
    for letter, width in SUMMARY_WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = SUMMARY_FREEZE
    sheet.sheet_properties.outlinePr.summaryBelow = False
    _page_setup(sheet)
    out.append([out.text(f"{words(SUMMARY)} · {report.label}", TITLE)])
    out.append([out.text(report.title, NOTE)])
    if report.has_illustrative:
        sheets = ", ".join(words(name) for name in report.illustrative_sheets)
        label = _(
            "Illustrative data: the sheets %(sheets)s hold demo data, not recorded facts of the "
            "strategy, and the figures below include it."
        ) % {"sheets": sheets}
        out.append([out.text(label, WARNING)], height=LINE_HEIGHT * 2)
    else:
        out.append([out.text(_("The workbook holds no illustrative data."), NOTE)])
    out.skip()
    years = f"{report.years[0]}-{report.years[-1]}" if report.years else ""
    for label, value in (
        (_("Partner"), out.text(report.partner)),
        (_("Period"), out.text(years)),
        (_("File no."), out.text(report.file_number)),
        (_("As of"), out.cell(report.exported_at.date(), SUMMARY_DATE)),
        (_("Amounts"), out.text(_("DKK, whole kroner; exact figures on the data sheets"))),
    ):
        out.append([out.text(label, LABEL), value])
    out.skip()
    money_first, money_last = _summary_money(out, report, specs)
    out.skip()
    _summary_ratings(out, report)
    out.skip()
    risk_first, risk_last = _summary_risks(out, report, specs)
    out.skip()
    _summary_actions(out, report, specs)
    sheet.add_chart(_money_chart(sheet, money_first, money_last), f"{CHART_COLUMN}5")
    sheet.add_chart(_risk_chart(sheet, risk_first, risk_last), f"{CHART_COLUMN}22")


def workbook_xlsx(report: WorkbookReport) -> bytes:
    """Return the monitoring workbook of `report` as XLSX bytes."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Strategy Monitor"
    workbook.properties.title = _("Monitoring workbook · %(label)s") % {"label": report.label}
    # The formulas carry no computed values: the spreadsheet computes them on opening.
    workbook.calculation.fullCalcOnLoad = True
    looks_register(workbook)
    specs = {spec.name: spec for spec in layout.layout(report.years)}
    _summary_sheet(workbook, report, specs)
    for spec in specs.values():
        _data_sheet(workbook, report, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The monitoring workbook as XLSX, written with openpyxl from a `WorkbookReport`.

The layout (sheets, tables, columns) comes from `reports.layout`, which the import reads back.
Headers are styled, amounts carry a DKK number format, panes are frozen below the header,
the first table of each sheet has an autofilter, and totals are live formulas (=SUM(...)).
Text is never a formula: a value that a spreadsheet would read as one (starting with =, +, -,
@) is neutralised with a leading apostrophe, as the table exports do, and every text cell is
written as a string.

Only openpyxl's public API is used: each look is a `CellStyle` of Font, PatternFill, Alignment,
Border and number format objects, made once and assigned to every cell that wears it, and the
workbook is written with `Workbook.save` into memory.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports import layout
from reports.builders import WorkbookReport
from risks.choices import SCORE_BAND_RANGES, ScoreBand
from strategy_monitor.exports import spreadsheet_safe

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="14324F")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
TITLE_FONT = Font(bold=True, size=14, color="14324F")
TABLE_TITLE_FONT = Font(bold=True, size=11, color="14324F")
NOTE_FONT = Font(italic=True, color="5B6470")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin", color="3C4650"))
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
BAND_FILLS = {
    ScoreBand.LOW: ("DEEBF7", "1D1D1F"),
    ScoreBand.MEDIUM: ("9ECAE1", "1D1D1F"),
    ScoreBand.HIGH: ("4292C6", "FFFFFF"),
    ScoreBand.CRITICAL: ("08519C", "FFFFFF"),
}
# Room below the data for rows the user adds: validations and formats reach that far.
SPARE_ROWS = 200
GENERAL = "General"


@dataclass(frozen=True)
class CellStyle:
    """The look of a cell: the parts it sets, the others left at openpyxl's defaults."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None
    number_format: str = GENERAL

    def apply(self, cell: Cell) -> None:
        """Give `cell` this look."""
        if self.font is not None:
            cell.font = self.font
        if self.fill is not None:
            cell.fill = self.fill
        if self.alignment is not None:
            cell.alignment = self.alignment
        if self.border is not None:
            cell.border = self.border
        if self.number_format != GENERAL:
            cell.number_format = self.number_format


TITLE = CellStyle(font=TITLE_FONT)
TABLE_TITLE = CellStyle(font=TABLE_TITLE_FONT)
NOTE = CellStyle(font=NOTE_FONT)
HEADER = CellStyle(font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
TOTAL_LABEL = CellStyle(font=TOTAL_FONT, border=TOTAL_BORDER)
TOTAL_BLANK = CellStyle(border=TOTAL_BORDER)


@cache
def data_style(kind: str, *, is_text: bool) -> CellStyle:
    """Return the look of a value of `kind`: top-aligned, long text wrapped, numbers formatted."""
    if is_text:
        return CellStyle(alignment=WRAP if kind == layout.LONGTEXT else TOP)
    return CellStyle(alignment=TOP, number_format=layout.NUMBER_FORMATS.get(kind, GENERAL))


@cache
def total_style(kind: str) -> CellStyle:
    """Return the look of a column total of `kind`."""
    number_format = layout.NUMBER_FORMATS[kind]
    return CellStyle(font=TOTAL_FONT, border=TOTAL_BORDER, number_format=number_format)


def _put(sheet, row: int, column: int, value, style: CellStyle) -> Cell:
    """Write `value` with `style` into the cell at `row`, `column`; return the cell."""
    cell = sheet.cell(row=row, column=column)
    # The style first, so that a date keeps its own number format rather than the default one.
    style.apply(cell)
    if value is not None:
        cell.value = value
    return cell


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
        return layout.YES if value else layout.NO
    if kind == layout.CHOICE:
        labels = {str(key): label for key, label in choices}
        return labels.get(str(value), str(value))
    if kind in (layout.INT,):
        return int(value)
    if kind in (layout.DECIMAL, layout.MONEY, layout.PERCENT):
        return Decimal(value) if not isinstance(value, Decimal) else value
    if kind in (layout.DATE, layout.DATETIME):
        return value
    return str(value)


def _write(sheet, row: int, column: int, kind: str, value, choices=()) -> None:
    value = cell_value(kind, value, choices)
    if value is None:
        return
    if isinstance(value, str):
        cell = _put(sheet, row, column, text_value(value), data_style(kind, is_text=True))
        # A string cell is shown as text, never evaluated, whatever it starts with.
        cell.data_type = "s"
        return
    _put(sheet, row, column, value, data_style(kind, is_text=False))


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
            labels = [layout.YES, layout.NO]
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
            errorTitle=column.header,
            error=f"Choose {column.expected}.",
        )
        validation.add(f"{letters[column.key]}{first}:{letters[column.key]}{last}")
        sheet.add_data_validation(validation)


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


def _write_table(
    sheet,
    spec: layout.Sheet,
    table: layout.Table,
    rows,
    start: int,
    is_first: bool,
) -> int:
    """Write `table` with its header at row `start`; return the last row written."""
    letters = {
        column.key: get_column_letter(index) for index, column in enumerate(table.columns, 1)
    }
    for index, column in enumerate(table.columns, start=1):
        _put(sheet, start, index, column.header, HEADER)
    formula_styles = {
        column.key: data_style(column.kind, is_text=False)
        for column in table.columns
        if column.derived and (column.formula or column.row_sum)
    }
    row = start
    for values in rows:
        row += 1
        choices_for = {}
        if table.key == "strategy":
            field = layout.FIELD_BY_LABEL.get(str(values.get("field", "")).casefold())
            choices_for = {"value": (field.kind, field.choices) if field else (layout.TEXT, ())}
        for index, column in enumerate(table.columns, start=1):
            if column.key in formula_styles:
                _put(sheet, row, index, _formula(column, row, letters), formula_styles[column.key])
                continue
            kind, choices = choices_for.get(column.key, (column.kind, column.choices))
            _write(sheet, row, index, kind, values.get(column.key), choices)
        if table.outline and values.get(table.outline):
            sheet.row_dimensions[row].outline_level = max(int(values[table.outline]) - 1, 0)
    last_data = row
    if table.sum_columns and rows:
        row += 1
        for index, column in enumerate(table.columns, start=1):
            if column.key in table.sum_columns:
                letter = letters[column.key]
                total = f"=SUM({letter}{start + 1}:{letter}{last_data})"
                _put(sheet, row, index, total, total_style(column.kind))
            elif index == 1:
                _put(sheet, row, index, layout.TOTAL_LABEL, TOTAL_LABEL)
            else:
                _put(sheet, row, index, None, TOTAL_BLANK)
    if is_first:
        last_column = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A{start}:{last_column}{max(last_data, start + 1)}"
        sheet.freeze_panes = sheet.cell(row=start + 1, column=spec.freeze_column + 1)
        if not table.derived:
            _validations(sheet, table, letters, start + 1, last_data + SPARE_ROWS)
        for key in table.score_columns:
            _score_formatting(sheet, letters[key], start + 1, last_data + SPARE_ROWS)
    return row


def _widths(sheet, spec: layout.Sheet) -> None:
    widths: dict[int, int] = {}
    for table in spec.tables:
        for index, column in enumerate(table.columns, start=1):
            widths[index] = max(widths.get(index, 0), column.width)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width


def _notes(report: WorkbookReport, spec: layout.Sheet) -> tuple[str, str]:
    data = report.sheet(spec.name)
    if spec.name == layout.OVERVIEW:
        stamp = (
            f"Monitoring workbook of {report.title}. Exported on "
            f"{report.exported_at:%d %B %Y at %H:%M} from Strategy Monitor."
        )
        if report.has_illustrative:
            sheets = ", ".join(report.illustrative_sheets)
            return stamp, f"Illustrative data on the sheets {sheets}. {layout.ILLUSTRATIVE_NOTE}"
        return stamp, "The workbook holds no illustrative data."
    if data.has_illustrative:
        return layout.ILLUSTRATIVE_NOTE, ""
    return spec.note, ""


def workbook_xlsx(report: WorkbookReport) -> bytes:
    """Return the monitoring workbook of `report` as XLSX bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "Strategy Monitor"
    workbook.properties.title = f"Monitoring workbook · {report.label}"
    for spec in layout.layout(report.years):
        sheet = workbook.create_sheet(spec.name)
        data = report.sheet(spec.name)
        title = f"{spec.title} · {report.label}"
        _put(sheet, layout.TITLE_ROW, 1, title, TITLE)
        for offset, note in enumerate(_notes(report, spec)):
            if note:
                _put(sheet, layout.NOTE_ROW + offset, 1, text_value(note), NOTE)
        row = layout.FIRST_HEADER_ROW
        for index, table in enumerate(spec.tables):
            if index:
                row += 2
                _put(sheet, row, 1, table.title, TABLE_TITLE)
                row += 1
            rows = data.table(table.key).rows
            row = _write_table(sheet, spec, table, rows, row, index == 0)
        _widths(sheet, spec)
        sheet.sheet_properties.outlinePr.summaryBelow = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

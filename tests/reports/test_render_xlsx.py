"""The monitoring workbook as XLSX, rendered from hand-built report objects without a database."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from reports import layout
from reports.layout import TableRows
from reports.render.xlsx import workbook_xlsx
from tests.reports.reportdata import workbook_report

SUM_RE = re.compile(r"^=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")


def load(report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_xlsx(report)))


def evaluate(sheet, formula: str) -> Decimal:
    """Evaluate a =SUM(A1:B2) formula over the sheet's values, following nested sums."""
    match = SUM_RE.match(formula)
    assert match, formula
    first_col, first_row, last_col, last_row = match.groups()
    total = Decimal(0)
    for row in sheet[f"{first_col}{first_row}:{last_col}{last_row}"]:
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith("="):
                total += evaluate(sheet, value)
            elif value is not None:
                total += Decimal(str(value))
    return total


def test_workbook_has_every_sheet_in_order():
    workbook = load(workbook_report())
    assert workbook.sheetnames == [sheet.name for sheet in layout.layout((2023,))]


def test_budget_totals_are_formulas_over_the_right_cells_summing_to_100_and_400():
    sheet = load(workbook_report())[layout.BUDGET]
    headers = [cell.value for cell in sheet[4]]
    assert headers[:2] == ["Code", "Budget line"]
    assert headers[7:12] == [
        "Planned 2023 (DKK)",
        "Planned 2024 (DKK)",
        "Planned 2025 (DKK)",
        "Planned 2026 (DKK)",
        "Total (DKK)",
    ]
    assert [sheet[f"A{row}"].value for row in range(5, 9)] == ["a", "b", "c", "Total"]
    assert sheet["H8"].value == "=SUM(H5:H7)"
    assert sheet["K8"].value == "=SUM(K5:K7)"
    assert sheet["L5"].value == "=SUM(H5:K5)"
    assert sheet["L8"].value == "=SUM(L5:L7)"
    for column in "HIJK":
        assert evaluate(sheet, sheet[f"{column}8"].value) == Decimal(100_000_000)
    assert evaluate(sheet, sheet["L8"].value) == Decimal(400_000_000)
    assert sheet["H5"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "C5"
    assert sheet.auto_filter.ref == "A4:L7"
    assert sheet["A4"].font.bold


def test_risk_scores_are_formulas_with_conditional_formatting():
    sheet = load(workbook_report())[layout.RISKS]
    assert sheet["H5"].value == '=IF(AND(N(F5)>0,N(G5)>0),F5*G5,"")'
    ranges = {str(item.sqref): item.rules for item in sheet.conditional_formatting}
    assert "H5:H206" in ranges and "K5:K206" in ranges
    bounds = {tuple(rule.formula) for rule in ranges["H5:H206"]}
    assert bounds == {("1", "4"), ("5", "9"), ("10", "16"), ("20", "25")}


def test_framework_rows_are_outlined_by_level():
    sheet = load(workbook_report())[layout.FRAMEWORK]
    assert [sheet.row_dimensions[row].outline_level for row in (5, 6, 7)] == [0, 1, 2]
    assert sheet["E5"].value == "Objective"


@pytest.mark.parametrize("text", ["=1+1", "+CMD()", "-2+3", "@SUM(A1)", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_is_never_a_formula(text):
    report = workbook_report(
        sheets={
            layout.ASSESSMENTS: (
                TableRows(
                    "assessments",
                    ({"area": "1", "year": 2024, "rating": "on_track", "narrative": text},),
                ),
            )
        }
    )
    sheet = load(report)[layout.ASSESSMENTS]
    cell = sheet["D5"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    assert sheet["C5"].value == "On track"


def test_hostile_long_and_non_latin_text_stays_inert_and_within_excel_limits():
    hostile = "<script>alert(1)</script>\x00\x07 Ελληνικά 中文 العربية " + "x" * 40_000
    report = workbook_report(
        sheets={
            layout.ASSESSMENTS: (
                TableRows(
                    "assessments",
                    ({"area": "1", "year": 2024, "rating": "on_track", "narrative": hostile},),
                ),
            )
        }
    )
    value = load(report)[layout.ASSESSMENTS]["D5"].value
    assert value.startswith("<script>alert(1)</script> Ελληνικά 中文 العربية")
    assert len(value) <= layout.CELL_MAX and value.endswith("…")


def test_overview_notes_the_illustrative_sheets():
    report = workbook_report(
        sheets={
            layout.COMMITMENTS: (
                TableRows(
                    "commitments",
                    ({"line": "a", "year": 2024, "amount": Decimal(1), "is_illustrative": True},),
                ),
            )
        }
    )
    report = report.__class__(
        **{
            **report.__dict__,
            "sheets": tuple(
                sheet.__class__(sheet.name, sheet.tables, sheet.name == layout.COMMITMENTS)
                for sheet in report.sheets
            ),
        }
    )
    workbook = load(report)
    assert "Illustrative data on the sheets Commitments" in workbook[layout.OVERVIEW]["A3"].value
    sheet = workbook[layout.COMMITMENTS]
    assert sheet["G4"].value == "Illustrative" and sheet["G5"].value == "Yes"
    assert sheet["C6"].value == "=SUM(C5:C5)"

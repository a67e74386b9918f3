"""The monitoring workbook as XLSX, rendered from hand-built report objects without a database."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from reports import layout
from reports.layout import TableRows
from reports.render.xlsx import SUMMARY, workbook_xlsx
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


def test_workbook_opens_on_the_summary_then_every_data_sheet_in_order():
    workbook = load(workbook_report())
    assert workbook.sheetnames == [SUMMARY, *(sheet.name for sheet in layout.layout((2023,)))]


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
    # The first table is a named table, whose own filter spans its header and rows.
    assert sheet.tables["lines"].ref == sheet.tables["lines"].autoFilter.ref == "A4:L7"
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
    assert (sheet["E5"].value, sheet["F5"].value) == (1, "Impact")


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


def allocations_report():
    """Return a report with one proposal and one round on the Allocations sheet."""
    return workbook_report(
        sheets={
            layout.ALLOCATIONS: (
                TableRows(
                    "allocations",
                    (
                        {
                            "line": "b",
                            "year": 2024,
                            "half": 1,
                            "theme": "Health",
                            "amount": Decimal("1500000.50"),
                            "decision": "approved",
                            "decided_at": datetime.datetime(2024, 3, 1, 9, 30),
                        },
                    ),
                ),
                TableRows(
                    "rounds",
                    (
                        {
                            "line": "b",
                            "year": 2024,
                            "half": 2,
                            "dialogue_on": datetime.date(2024, 2, 1),
                            "note": "Dialogue with the partner",
                        },
                    ),
                ),
            )
        }
    )


def test_title_header_data_and_total_cells_carry_their_styles_and_formats():
    sheet = load(allocations_report())[layout.ALLOCATIONS]
    title = sheet["A1"]
    assert title.value == "Allocations decided in dialogue with the partner · PO 2023-2026"
    assert title.font.b and title.font.sz == 14 and title.font.color.rgb == "0014324F"
    assert all(cell.value is None for cell in sheet[2] + sheet[3])
    header = sheet["A4"]
    assert header.value == "Budget line"
    assert header.font.b and header.font.color.rgb == "00FFFFFF"
    assert header.fill.fill_type == "solid" and header.fill.fgColor.rgb == "0014324F"
    assert header.alignment.wrap_text and header.alignment.vertical == "center"
    assert sheet["A5"].value == "b" and sheet["A5"].data_type == "s"
    assert sheet["A5"].alignment.vertical == "top" and not sheet["A5"].alignment.wrap_text
    assert sheet["B5"].value == 2024 and sheet["B5"].number_format == "0"
    assert sheet["C5"].value == "First half" and sheet["H5"].value == "Approved"
    assert sheet["E5"].value == "Health" and sheet["E5"].alignment.wrap_text
    assert sheet["F5"].value == Decimal("1500000.5") and sheet["F5"].number_format == "#,##0.00"
    assert sheet["K5"].value == datetime.datetime(2024, 3, 1, 9, 30)
    assert sheet["K5"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D5"].value is None and sheet["L5"].value is None
    total = sheet["A6"]
    assert total.value == "Total" and total.font.b and total.border.top.style == "thin"
    assert sheet["F6"].value == "=SUM(F5:F5)" and sheet["F6"].font.b
    assert sheet["F6"].number_format == "#,##0.00" and sheet["F6"].border.top.style == "thin"
    # The cells of the total row without a value still close the table with the border.
    for column in "BCDEGHIJKL":
        assert sheet[f"{column}6"].value is None
        assert sheet[f"{column}6"].border.top.style == "thin"


def test_a_further_table_follows_one_blank_row_with_its_title_and_header():
    sheet = load(allocations_report())[layout.ALLOCATIONS]
    assert all(cell.value is None for cell in sheet[7])
    title = sheet["A8"]
    assert title.value == "Allocation rounds"
    assert title.font.b and title.font.sz == 11 and title.font.color.rgb == "0014324F"
    assert [cell.value for cell in sheet[9]][:6] == [
        "Budget line",
        "Year",
        "Half",
        "Dialogue on",
        "Note",
        "Illustrative",
    ]
    assert sheet["A9"].fill.fgColor.rgb == "0014324F"
    assert sheet["C10"].value == "Second half"
    assert sheet["D10"].value == datetime.datetime(2024, 2, 1)
    assert sheet["D10"].number_format == "yyyy-mm-dd"
    assert sheet["E10"].value == "Dialogue with the partner" and sheet["E10"].alignment.wrap_text
    assert sheet.max_row == 10


def test_first_table_sets_filter_panes_widths_and_validations_reaching_spare_rows():
    sheet = load(allocations_report())[layout.ALLOCATIONS]
    # The first table is a named table, whose own filter spans its header and rows.
    assert sheet.tables["allocations"].ref == sheet.tables["allocations"].autoFilter.ref == "A4:M5"
    assert sheet.freeze_panes == "B5"
    # A column is as wide as the widest of its tables' columns.
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ADEFK"}
    assert widths == {"A": 11, "D": 18, "E": 40, "F": 16, "K": 17}
    # The decider's user name stays for the import, out of the reader's way.
    assert sheet["M4"].value == "Decided by (user name)"
    assert sheet.column_dimensions["M"].hidden and not sheet.column_dimensions["J"].hidden
    ranges = {
        str(validation.sqref): validation for validation in sheet.data_validations.dataValidation
    }
    assert set(ranges) == {"C5:C205", "H5:H205", "L5:L205"}
    assert ranges["C5:C205"].formula1 == '"First half,Second half"'
    assert not ranges["C5:C205"].allow_blank and ranges["H5:H205"].allow_blank
    assert ranges["L5:L205"].formula1 == '"Yes,No"'


def test_a_sheet_without_rows_keeps_its_header_filter_and_validations():
    sheet = load(workbook_report())[layout.APPROVALS]
    assert [cell.value for cell in sheet[4]][:3] == ["Budget line", "Year", "Amount (DKK)"]
    assert sheet.max_row == 4
    # The first table is a named table, whose own filter spans its header and rows.
    assert sheet.tables["approvals"].ref == sheet.tables["approvals"].autoFilter.ref == "A4:G5"
    assert sheet.freeze_panes == "B5"
    assert [str(item.sqref) for item in sheet.data_validations.dataValidation] == ["G5:G204"]


def test_workbook_properties_and_outline_summaries_above():
    workbook = load(workbook_report())
    assert workbook.properties.creator == "Strategy Monitor"
    assert workbook.properties.title == "Monitoring workbook · PO 2023-2026"
    assert all(not sheet.sheet_properties.outlinePr.summaryBelow for sheet in workbook)


def long_text_report(text: str):
    """Return a report with one rated area whose narrative is `text`."""
    return workbook_report(
        sheets={
            layout.ASSESSMENTS: (
                TableRows(
                    "assessments",
                    ({"area": "1", "year": 2024, "rating": "on_track", "narrative": text},),
                ),
            )
        }
    )


def test_long_text_wraps_in_a_row_as_tall_as_its_lines():
    # The narrative column is 80 wide: about 92 characters a line.
    short = load(long_text_report("Fine."))[layout.ASSESSMENTS]
    assert short.row_dimensions[5].height is None
    sheet = load(long_text_report("word " * 200 + "\nA last paragraph."))[layout.ASSESSMENTS]
    cell = sheet["D5"]
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    # 1000 characters take 11 lines, and the paragraph after them one more.
    assert sheet.row_dimensions[5].height == 12 * 15
    chapter = load(long_text_report("x" * 30_000))[layout.ASSESSMENTS]
    assert chapter.row_dimensions[5].height == 409  # Excel's tallest row


def test_technical_columns_are_hidden_and_the_readable_ones_shown():
    workbook = load(workbook_report())
    hidden = {
        name: sorted(
            letter
            for letter, dimension in workbook[name].column_dimensions.items()
            if dimension.hidden
        )
        for name in (layout.RISKS, layout.FRAMEWORK, layout.INDICATORS, layout.AREAS)
    }
    assert hidden == {
        # key, order, owner's user name
        layout.RISKS: ["A", "S", "T"],
        # framework slug, parent key, order (the frameworks table's slug and order beneath)
        layout.FRAMEWORK: ["A", "G", "M"],
        # framework and node keys, order
        layout.INDICATORS: ["E", "F", "M"],
        layout.AREAS: ["A", "K"],
    }
    risks = workbook[layout.RISKS]
    # Hidden, not gone: the import reads the keys back.
    assert risks["A4"].value == "Key" and risks["A5"].value == "core"
    assert [risks[f"{letter}4"].value for letter in "PT"] == ["Owner", "Owner (user name)"]


def test_data_sheets_print_on_a4_landscape_fitted_to_the_width_with_their_headers():
    workbook = load(workbook_report())
    for sheet in workbook.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert workbook[layout.RISKS].print_title_rows == "$4:$4"


def test_user_text_on_the_summary_stays_inert():
    report = workbook_report()
    lines = report.sheet(layout.BUDGET).table("lines").rows
    hostile_lines = tuple({**line, "name": "=cmd|' /C calc'!A0"} for line in lines)
    report = workbook_report(
        sheets={
            layout.BUDGET: (TableRows("lines", hostile_lines),),
            layout.AREAS: (TableRows("areas", ({"slug": "1", "title": "+1+1"},)),),
            layout.ASSESSMENTS: (
                TableRows("assessments", ({"area": "1", "year": 2024, "rating": "on_track"},)),
            ),
            layout.ACTIONS: (
                TableRows(
                    "actions",
                    ({"text": "Follow up", "owner": "@SUM(1)", "status": "open"},),
                ),
            ),
        }
    )
    sheet = load(report)[SUMMARY]
    texts = {
        cell.value: cell.data_type
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("'")
    }
    assert texts == {"'=cmd|' /C calc'!A0": "s", "'+1+1": "s", "'@SUM(1)": "s"}
    # The owner is matched by a reference to the cell, never by the text inside a formula.
    owner_row = next(row for row in sheet.iter_rows() if row[1].value == "'@SUM(1)")
    assert "$B" in owner_row[2].value and "@SUM" not in owner_row[2].value


def test_summary_carries_a_money_chart_and_a_risk_chart_with_their_axes_shown():
    content = workbook_xlsx(workbook_report())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        money, risks = (archive.read(f"xl/charts/chart{n}.xml").decode() for n in (1, 2))
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
    assert '<barDir val="col"/>' in money and '<barDir val="bar"/>' in risks
    assert "Planned, approved and disbursed by year (DKK)" in money
    assert "'Summary'!$D$" in money and "'Summary'!$G$" in money
    assert "Open risks by score band" in risks and "'Summary'!$C$" in risks
    for chart in (money, risks):
        assert chart.count('<delete val="0"/>') == 2
    # Both anchored on the one drawing of the Summary, to the right of its tables (column J).
    assert drawing.count("<graphicFrame>") == 2 and drawing.count("<col>9</col>") == 2

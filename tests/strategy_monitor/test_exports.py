"""Table exports neutralise text that a spreadsheet would run as a formula."""

import io

import django_tables2 as tables
import openpyxl
import pytest

from strategy_monitor.exports import SafeTableExport, spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Plain text", "Plain text"),
        (-5, -5),
        (None, None),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


class NoteTable(tables.Table):
    note = tables.Column()


def test_xlsx_export_keeps_a_formula_as_text():
    table = NoteTable([{"note": "=1+1"}, {"note": "fine"}])
    content = SafeTableExport("xlsx", table).export()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell.value for cell in sheet["A"]]
    assert values == ["Note", "'=1+1", "fine"]
    assert sheet["A2"].data_type == "s"


def test_csv_export_keeps_a_formula_as_text():
    table = NoteTable([{"note": "@cmd"}])
    content = SafeTableExport("csv", table).export()
    assert "'@cmd" in content

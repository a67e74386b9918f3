"""Table exports neutralise text that a spreadsheet would run as a formula."""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal

import django_tables2 as tables
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from strategy_monitor.exports import SafeTableExport, spreadsheet_safe
from tests.funding.factories import CommitmentFactory, budget_create


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


class FigureTable(tables.Table):
    name = tables.Column(verbose_name="Name")
    amount = tables.Column(verbose_name="Amount (DKK)")
    share = tables.Column(verbose_name="Share")
    paid_on = tables.Column(verbose_name="Paid on")


FIGURES = [
    {
        "name": "Tværgående; prioritet",
        "amount": Decimal("1234567.89"),
        "share": 0.5,
        "paid_on": date(2026, 12, 7),
    },
    {"name": "Core", "amount": 12, "share": None, "paid_on": None},
]


def read_csv(content: str, delimiter: str) -> list[list[str]]:
    data = content.encode("utf-8")
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_in_english_has_a_byte_order_mark_commas_and_decimal_points():
    with translation.override("en-gb"):
        content = SafeTableExport("csv", FigureTable(FIGURES)).export()
    assert read_csv(content, ",") == [
        ["Name", "Amount (DKK)", "Share", "Paid on"],
        ["Tværgående; prioritet", "1234567.89", "0.5", "2026-12-07"],
        ["Core", "12", "", ""],
    ]


def test_csv_in_danish_has_semicolons_and_decimal_commas():
    with translation.override("da"):
        content = SafeTableExport("csv", FigureTable(FIGURES)).export()
    assert content.splitlines()[0] == "\ufeffName;Amount (DKK);Share;Paid on"
    assert read_csv(content, ";") == [
        ["Name", "Amount (DKK)", "Share", "Paid on"],
        ["Tværgående; prioritet", "1234567,89", "0,5", "2026-12-07"],
        ["Core", "12", "", ""],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "delimiter", "amount", "header"),
    [("en-GB", ",", "1234567.89", "Amount (DKK)"), ("da", ";", "1234567,89", "Beløb (DKK)")],
)
def test_list_download_follows_the_browsers_language(
    client_desk, strategy, language, delimiter, amount, header
):
    lines = budget_create(strategy)
    CommitmentFactory(line=lines["a"], amount=Decimal("1234567.89"))
    response = client_desk.get(
        reverse("funding:commitment_list", kwargs={"slug": strategy.slug}),
        {"_export": "csv"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = read_csv(response.content.decode("utf-8"), delimiter)
    assert [row[rows[0].index(header)] for row in rows[1:]] == [amount]

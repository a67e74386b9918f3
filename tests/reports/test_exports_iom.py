"""The exports of the IOM strategy 2023-2026 as loaded from its document, with the demo data."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.loader import demo_load
from priorities.models import Strategy
from reports import layout
from reports.builders import brief_build, iati_build, workbook_build
from reports.importers import workbook_import
from reports.render.iati import codelist_errors, iati_xml, schema_errors
from reports.render.pdf import brief_pdf
from reports.render.xlsx import workbook_xlsx
from tests.reports.test_render_pdf import MARK, shows_illustrative_value

SLUG = "iom-2023-2026"
# The demo's history as of a fixed day inside the period, so the exports hold whatever the date.
AS_OF = datetime.date(2026, 6, 30)


def iom() -> Strategy:
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    strategy = Strategy.objects.select_related("organisation").get(slug=SLUG)
    demo_load(strategy=strategy, password="pw", as_of=AS_OF)
    return Strategy.objects.select_related("organisation").get(slug=SLUG)


@pytest.mark.django_db
def test_iom_brief_holds_the_document_and_the_demo_figures():
    brief = brief_build(strategy=iom(), year=2024, today=datetime.date(2025, 5, 1))
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(brief_pdf(brief))).pages]
    text = "\n".join(texts)
    for expected in (
        "File no. 2022-18394 · Annual consultation brief 2024",
        "International Organization for Migration",
        "§06.32.10.14",
        "Lea Rasmussen",
        "Second half of 2024",
        "Core funding",
        "Annual consultations 2024",
        "Border officials trained",
        "3,820",
        "4,000",
    ):
        assert expected in text, expected
    assert [MARK in page for page in texts] == [shows_illustrative_value(page) for page in texts]
    assert any(MARK in page for page in texts)


@pytest.mark.django_db
def test_iom_iati_file_validates_and_leaves_out_the_demo_data():
    strategy = iom()
    content = iati_xml(iati_build(strategy=strategy))
    assert schema_errors(content) == [] and codelist_errors(content) == []
    assert b"DK-CVR-43271911-2022-18394" in content and b"XM-DAC-47066" in content
    assert b"<transaction-type" not in content  # every money flow of the demo is illustrative
    full = iati_xml(iati_build(strategy=strategy, include_illustrative=True))
    assert schema_errors(full) == [] and codelist_errors(full) == []
    # As of 30 June 2026: a commitment per line and year (12) and 15 payments.
    assert full.count(b"<transaction-type") == 27


@pytest.mark.django_db(transaction=True)
def test_iom_workbook_round_trip():
    first = workbook_xlsx(workbook_build(strategy=iom()))
    sheet = openpyxl.load_workbook(io.BytesIO(first))[layout.BUDGET]
    assert [sheet[f"{column}8"].value for column in "HL"] == ["=SUM(H5:H7)", "=SUM(L5:L7)"]
    users = {
        user.username: (user.first_name, user.last_name)
        for user in __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.all()
    }
    call_command("flush", interactive=False, verbosity=0)
    from tests.priorities.factories import UserFactory

    for username, (first_name, last_name) in users.items():
        UserFactory(username=username, first_name=first_name, last_name=last_name)
    workbook_import(data=first, user=None)
    again = workbook_xlsx(
        workbook_build(strategy=Strategy.objects.select_related("organisation").get(slug=SLUG))
    )

    def values(content):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return {
            (sheet.title, cell.coordinate): cell.value
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
            if (sheet.title, cell.coordinate) != (layout.OVERVIEW, "A2")
        }

    assert values(again) == values(first)

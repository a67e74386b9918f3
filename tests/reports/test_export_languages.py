"""The brief and the workbook in Danish or English, and the workbook's accessible tables.

An export is written in the language `?lang=` (or `--language`) names, else in the reader's;
the strategy's own texts stay as written. A Danish workbook imports as an English one does.
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from priorities.models import Strategy
from reports import layout
from reports.importers import workbook_import
from reports.models import Job
from tests.funding.factories import budget_create
from tests.priorities.factories import UserFactory
from tests.reports.test_import import cells, export, full_strategy


def pdf_text(content: bytes) -> tuple[str, str]:
    """Return the PDF's language and its text, whitespace folded."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return str(reader.trailer["/Root"]["/Lang"]), " ".join(text.split())


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def header(sheet, row: int = layout.FIRST_HEADER_ROW) -> list:
    return [cell.value for cell in sheet[row] if cell.value is not None]


@pytest.mark.django_db
def test_the_brief_download_follows_lang_then_the_readers_language(client_desk, strategy):
    budget_create(strategy)
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])
    language, text = pdf_text(client_desk.get(url + "?lang=da").content)
    assert language == "da"
    assert "Årligt konsultationsnotat 2024" in text
    assert "Prioritetsområder" in text and "Budgetlinje 2024" in text
    # The strategy's own title stays as written.
    assert strategy.title in text
    # A reader whose browser asks for Danish gets Danish, unless the address asks for English.
    language, text = pdf_text(client_desk.get(url, HTTP_ACCEPT_LANGUAGE="da").content)
    assert language == "da" and "Årligt konsultationsnotat 2024" in text
    language, text = pdf_text(client_desk.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="da").content)
    assert language.startswith("en") and "Annual consultation brief 2024" in text
    # A language the interface does not have is ignored.
    language, text = pdf_text(client_desk.get(url + "?lang=xx").content)
    assert "Annual consultation brief 2024" in text


@pytest.mark.django_db
def test_the_workbook_download_takes_lang(client_desk, strategy):
    budget_create(strategy)
    url = reverse("reports:workbook_download", args=[strategy.slug])
    danish = workbook(client_desk.get(url + "?lang=da").content)
    assert danish.sheetnames[:3] == ["Resumé", "Oversigt", "Prioritetsområder"]
    assert "Budget" in danish.sheetnames and "Bevillinger" in danish.sheetnames
    english = workbook(client_desk.get(url).content)
    assert english.sheetnames[:3] == ["Summary", "Overview", "Priority areas"]


@pytest.mark.django_db
def test_the_export_commands_take_a_language(strategy, tmp_path):
    budget_create(strategy)
    brief_path, workbook_path = tmp_path / "b.pdf", tmp_path / "w.xlsx"
    call_command(
        "export_brief",
        strategy.slug,
        "--year",
        "2024",
        "--language",
        "da",
        "--output",
        str(brief_path),
    )
    language, text = pdf_text(brief_path.read_bytes())
    assert language == "da" and "Årligt konsultationsnotat 2024" in text
    call_command(
        "export_workbook", strategy.slug, "--language", "da", "--output", str(workbook_path)
    )
    assert "Oversigt" in openpyxl.load_workbook(workbook_path).sheetnames
    call_command("export_workbook", strategy.slug, "--output", str(workbook_path))
    assert "Overview" in openpyxl.load_workbook(workbook_path).sheetnames
    with pytest.raises(CommandError, match='There is no language "klingon"'):
        call_command(
            "export_workbook", strategy.slug, "--language", "klingon", "--output", "x.xlsx"
        )


@pytest.mark.django_db(transaction=True)
def test_a_danish_workbook_reads_danish_and_imports_as_the_english_one(strategy):
    full_strategy(strategy)
    english = export(strategy)
    with translation.override("da"):
        danish = export(strategy)
    book = workbook(danish)
    assert book.sheetnames == [
        "Resumé",
        "Oversigt",
        "Prioritetsområder",
        "Resultatramme",
        "Indikatorer",
        "Vurderinger",
        "Budget",
        "Bevillinger",
        "Tilsagn",
        "Udbetalinger",
        "Allokeringer",
        "Risici",
        "Opfølgningspunkter",
        "Donordata",
    ]
    assert {"Sandsynlighed", "Konsekvens", "Risikohåndtering"} <= set(header(book["Risici"]))
    assert header(book["Bevillinger"])[:3] == ["Budgetlinje", "År", "Beløb (DKK)"]
    fields = [row[0].value for row in book["Oversigt"].iter_rows(min_row=5, max_row=8)]
    assert fields == [
        "Partnerens kortnavn",
        "Partnerorganisation",
        "Partnerens forkortelse",
        "Strategiens kortnavn",
    ]
    assert "Ja" in {cell.value for row in book["Bevillinger"].iter_rows() for cell in row}
    assert "Mål 2024" in header(book["Indikatorer"])
    # Read back into an empty database, with Danish as the reader's language, it gives the
    # same strategy: its English workbook is the one first exported.
    call_command("flush", interactive=False, verbosity=0)
    UserFactory(username="desk", first_name="Anna", last_name="Holm")
    with translation.override("da"):
        result = workbook_import(data=danish, user=None)
    assert result.strategy_created
    assert cells(export(Strategy.objects.get(slug="test-2023-2026"))) == cells(english)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "da"])
def test_every_data_area_is_a_named_table_over_its_header_and_rows(strategy, language):
    full_strategy(strategy)
    with translation.override(language):
        book = workbook(export(strategy))
        sheets = {layout.words(spec.name): spec for spec in layout.layout(tuple(strategy.years))}
    named = 0
    for sheet in book:
        # No merged cells anywhere: a screen reader reads every cell for itself.
        assert not sheet.merged_cells.ranges, sheet.title
        spec = sheets.get(sheet.title)
        if spec is None:
            continue
        assert set(sheet.tables) == {table.key for table in spec.tables}, sheet.title
        for table in sheet.tables.values():
            named += 1
            assert table.headerRowCount == 1
            top_left, bottom_right = table.ref.split(":")
            row = int("".join(filter(str.isdigit, top_left)))
            header_cells = [cell.value for cell in sheet[table.ref][0]]
            assert [column.name for column in table.tableColumns] == header_cells
            assert all(isinstance(value, str) and value for value in header_cells)
            assert row >= layout.FIRST_HEADER_ROW
    assert named == sum(len(spec.tables) for spec in sheets.values())


@pytest.mark.django_db
def test_background_exports_keep_the_language_they_were_asked_in(
    client_desk, strategy, django_capture_on_commit_callbacks
):
    budget_create(strategy)
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])
    page = client_desk.get(url, {"annex": "1", "lang": "da"}).content.decode()
    assert 'name="lang" value="da"' in page
    assert f'href="{url}?lang=da"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client_desk.post(
            reverse("reports:brief_annex_start", args=[strategy.slug, 2024]), {"lang": "da"}
        )
        client_desk.post(reverse("reports:workbook_start", args=[strategy.slug]))
    brief_job, workbook_job = Job.objects.order_by("created_at")
    assert brief_job.parameters["language"] == "da"
    assert workbook_job.parameters["language"] == "en-gb"
    download = reverse("reports:job_download", args=[brief_job.pk])
    language, text = pdf_text(b"".join(client_desk.get(download).streaming_content))
    assert language == "da" and "Bilag" in text
    download = reverse("reports:job_download", args=[workbook_job.pk])
    book = workbook(b"".join(client_desk.get(download).streaming_content))
    assert "Overview" in book.sheetnames


@pytest.mark.django_db
def test_the_portfolio_of_workbooks_is_written_in_the_readers_language(
    client_desk, strategy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_desk.post(reverse("reports:portfolio_export_start"), HTTP_ACCEPT_LANGUAGE="da")
    job = Job.objects.get()
    assert job.parameters == {"language": "da"}
    download = reverse("reports:job_download", args=[job.pk])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client_desk.get(download).streaming_content)))
    (name,) = archive.namelist()
    assert "Oversigt" in workbook(archive.read(name)).sheetnames

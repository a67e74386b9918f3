"""The download views and the import page: who may use them, what they answer, failures."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from priorities.models import Strategy
from reports import layout
from tests.funding.factories import budget_create

pytestmark = pytest.mark.django_db
TEAM = ["client_desk", "client_finance", "client_mission", "client_manager", "client_admin"]


def urls(strategy) -> dict[str, str]:
    return {
        "brief": reverse("reports:brief_download", args=[strategy.slug, 2024]),
        "workbook": reverse("reports:workbook_download", args=[strategy.slug]),
        "iati": reverse("reports:iati_download", args=[strategy.slug]),
    }


@pytest.mark.parametrize("client_name", TEAM)
def test_team_and_managers_download_every_export(request, client_name, strategy):
    budget_create(strategy)
    client = request.getfixturevalue(client_name)
    answers = {name: client.get(url) for name, url in urls(strategy).items()}
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "brief": 200,
        "workbook": 200,
        "iati": 200,
    }
    assert answers["brief"]["Content-Type"] == "application/pdf"
    assert answers["brief"].content.startswith(b"%PDF")
    assert answers["brief"]["Content-Disposition"] == (
        f'attachment; filename="{strategy.slug}-consultation-brief-2024.pdf"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(answers["workbook"].content))
    assert workbook[layout.BUDGET]["H8"].value == "=SUM(H5:H7)"
    assert answers["iati"]["Content-Type"] == "application/xml"
    assert b"<iati-activities" in answers["iati"].content


def test_a_year_outside_the_period_is_not_found(client_desk, strategy):
    url = reverse("reports:brief_download", args=[strategy.slug, 2031])
    assert client_desk.get(url).status_code == 404


def test_a_failing_export_sends_the_user_back_with_a_message(client_desk, strategy, monkeypatch):
    def broken(brief):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("reports.views.exports.brief_pdf", broken)
    response = client_desk.get(urls(strategy)["brief"], follow=True)
    assert response.redirect_chain[-1][0] == strategy.get_absolute_url()
    assert "could not be produced" in response.text
    assert "layout failed" not in response.text


def test_overview_links_the_exports(client_desk, client_admin, strategy):
    page = client_desk.get(strategy.get_absolute_url()).text
    for url in urls(strategy).values():
        assert url in page
    assert reverse("reports:workbook_import") not in page
    assert reverse("reports:workbook_import") in client_admin.get(strategy.get_absolute_url()).text


IMPORT_URL = "/strategies/import/"


def test_import_url_is_not_read_as_a_strategy(client_admin):
    assert reverse("reports:workbook_import") == IMPORT_URL
    response = client_admin.get(IMPORT_URL)
    assert response.status_code == 200
    assert "Import a monitoring workbook" in response.text


def test_upload_creates_the_strategy(
    client_admin, strategy, tmp_path, django_capture_on_commit_callbacks
):
    budget_create(strategy)
    path = tmp_path / "wb.xlsx"
    call_command("export_workbook", strategy.slug, "--output", str(path))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[layout.OVERVIEW]
    for row in range(5, 40):
        if sheet[f"A{row}"].value == "Strategy slug":
            sheet[f"B{row}"] = "copy-2023-2026"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("wb.xlsx", buffer.getvalue())
    # The import runs as a job; the test's tasks run as soon as the start is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_admin.post(IMPORT_URL, {"file": upload})
    response = client_admin.get(response.url)
    copy = Strategy.objects.get(slug="copy-2023-2026")
    assert "Workbook imported." in response.text
    assert f'href="{copy.get_absolute_url()}"' in response.text
    assert copy.budget_lines.count() == 3


def test_upload_check_only_reports_and_changes_nothing(
    client_admin, strategy, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "wb.xlsx"
    call_command("export_workbook", strategy.slug, "--output", str(path))
    upload = SimpleUploadedFile("wb.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_admin.post(IMPORT_URL, {"file": upload, "check_only": "on"})
    response = client_admin.get(response.url)
    assert response.status_code == 200
    assert "The workbook can be imported" in response.text


def test_upload_of_a_bad_file_lists_the_problems(client_admin, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("notes.xlsx", b"<html><script>alert(1)</script></html>")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_admin.post(IMPORT_URL, {"file": upload})
    response = client_admin.get(response.url)
    assert response.status_code == 200
    assert "The workbook was not imported" in response.text
    assert "not a zip archive" in response.text
    assert "<script>alert(1)" not in response.text


def test_upload_without_a_file_shows_the_field_error(client_admin):
    response = client_admin.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_export_commands_write_files(strategy, tmp_path):
    budget_create(strategy)
    call_command(
        "export_brief", strategy.slug, "--year", "2024", "--output", str(tmp_path / "b.pdf")
    )
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(Exception, match="outside the strategy period"):
        call_command("export_brief", strategy.slug, "--year", "2030", "--output", "x.pdf")
    with pytest.raises(Exception, match='There is no strategy "nope"'):
        call_command("export_workbook", "nope", "--output", str(tmp_path / "w.xlsx"))

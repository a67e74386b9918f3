"""Evidence files: checked by content and size, stored under random names, served to readers."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorities import services
from priorities.models import Evidence
from priorities.validators import evidence_file_check
from tests.priorities.builders import (
    approve,
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
)
from tests.priorities.factories import PDF_BYTES, EvidenceFactory, IndicatorProgressFactory

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40
GIF_BYTES = b"GIF89a" + b"\x00" * 40
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 42
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF_BYTES, "application/pdf"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.JPG", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("chart.gif", GIF_BYTES, "image/gif"),
        (
            "note.doc",
            OLE2 + "WordDocument".encode("utf-16-le") + b"\x00" * 20,
            "application/msword",
        ),
        (
            "table.xls",
            OLE2 + "Workbook".encode("utf-16-le") + b"\x00" * 20,
            "application/vnd.ms-excel",
        ),
        (
            "note.docx",
            zip_bytes(["[Content_Types].xml", "word/document.xml"]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "table.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name, data, content_type):
    assert evidence_file_check(upload(name, data)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "file_content"),
        ("report.pdf", PNG_BYTES, "file_type_mismatch"),
        (
            "table.xlsx",
            zip_bytes(["[Content_Types].xml", "word/document.xml"]),
            "file_type_mismatch",
        ),
        ("note.docx", zip_bytes(["word/document.xml"]), "file_content"),
        ("archive.docx", zip_bytes(["readme.txt"]), "file_content"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "file_content"),
        ("note.doc", OLE2 + b"\x00" * 40, "file_content"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 40, "file_type"),
        ("report", PDF_BYTES, "file_type"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_disguised_unknown_and_empty_files_are_refused(name, data, code):
    with pytest.raises(ValidationError) as refused:
        evidence_file_check(upload(name, data))
    assert refused.value.code == code


def test_file_above_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 64
    with pytest.raises(ValidationError) as refused:
        evidence_file_check(upload("big.pdf", PDF_BYTES + b"0" * 100))
    assert refused.value.code == "file_too_large"
    assert "at most 64" in refused.value.messages[0]


@pytest.fixture
def progress(strategy):
    area, node = area_with_nodes(strategy)
    return IndicatorProgressFactory(indicator=indicator_in(area, node))


def test_evidence_is_stored_under_a_random_name_inside_the_media_root(progress, desk, settings):
    evidence = services.evidence_add(
        progress=progress, upload=upload("../../etc/Annual report.pdf", PDF_BYTES), user=desk
    )
    assert evidence.original_name == "Annual report.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence")
    assert f"strategy-{progress.strategy_year.strategy_id}" in evidence.file.name
    assert "Annual" not in evidence.file.name and ".." not in evidence.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert evidence.history.first().history_user == desk


def test_evidence_cannot_be_added_to_a_locked_year(progress, desk):
    approve(progress.strategy_year.strategy)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(progress=progress, upload=upload("a.pdf", PDF_BYTES), user=desk)
    assert refused.value.code == "year_locked"
    assert not Evidence.objects.exists()


def test_evidence_model_clean_refuses_a_new_file_in_a_locked_year(progress):
    approve(progress.strategy_year.strategy)
    evidence = EvidenceFactory.build(progress=progress)
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert refused.value.error_dict["__all__"][0].code == "year_locked"


def test_evidence_is_removed_with_its_file(progress, desk, django_capture_on_commit_callbacks):
    evidence = services.evidence_add(
        progress=progress, upload=upload("a.pdf", PDF_BYTES), user=desk
    )
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, user=desk)
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_evidence_of_a_locked_year_cannot_be_removed(progress, desk):
    evidence = services.evidence_add(
        progress=progress, upload=upload("a.pdf", PDF_BYTES), user=desk
    )
    approve(progress.strategy_year.strategy)
    with pytest.raises(ValidationError) as refused:
        services.evidence_delete(evidence=evidence, user=desk)
    assert refused.value.code == "year_locked"
    assert Path(evidence.file.path).exists()


# The pages


def progress_url(progress) -> str:
    return reverse(
        "priorities:progress_edit",
        kwargs={
            "slug": progress.strategy_year.strategy.slug,
            "pk": progress.indicator_id,
            "year": progress.strategy_year.year,
        },
    )


def download_url(evidence) -> str:
    return reverse(
        "priorities:evidence_download",
        kwargs={"slug": evidence.progress.strategy_year.strategy.slug, "pk": evidence.pk},
    )


def test_files_uploaded_with_the_figures_are_saved_and_confirmed(client_desk, progress):
    response = client_desk.post(
        progress_url(progress),
        {
            "target": "20",
            "actual": "19",
            "comment": "",
            "source": "Annual report",
            "version": progress.updated_at.isoformat(),
            "files": [upload("report.pdf", PDF_BYTES), upload("photo.png", PNG_BYTES)],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2 evidence files added" in response.text
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "photo.png",
        "report.pdf",
    ]


def test_disguised_upload_is_refused_on_the_form_and_nothing_is_saved(client_desk, progress):
    response = client_desk.post(
        progress_url(progress),
        {
            "target": "20",
            "actual": "19",
            "version": progress.updated_at.isoformat(),
            "files": [upload("report.pdf", b"<html></html>")],
        },
    )
    assert response.status_code == 200
    assert "is not a PDF, Word (.doc, .docx)" in response.text
    assert not Evidence.objects.exists()
    progress.refresh_from_db()
    assert progress.actual != 19


def test_oversized_upload_is_refused_on_the_form(client_desk, progress, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    response = client_desk.post(
        progress_url(progress),
        {
            "target": "20",
            "actual": "19",
            "version": progress.updated_at.isoformat(),
            "files": [upload("report.pdf", PDF_BYTES)],
        },
    )
    assert "evidence files may be at most 50" in response.text
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "client_name",
    ["client_desk", "client_finance", "client_mission", "client_manager", "client_admin"],
)
def test_readers_of_the_strategy_download_evidence_as_an_attachment(request, client_name, progress):
    evidence = EvidenceFactory(progress=progress, original_name="Annual report.pdf")
    response = request.getfixturevalue(client_name).get(download_url(evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Annual report.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_desk_officer_removes_evidence_of_a_draft_year(client_desk, progress):
    evidence = EvidenceFactory(progress=progress)
    url = reverse(
        "priorities:evidence_delete",
        kwargs={"slug": progress.strategy_year.strategy.slug, "pk": evidence.pk},
    )
    response = client_desk.post(url, follow=True)
    assert "Evidence file “report.pdf” removed." in response.text
    assert not Evidence.objects.exists()


def test_removal_of_evidence_of_a_locked_year_is_refused_with_a_message(client_desk, progress):
    evidence = EvidenceFactory(progress=progress)
    approve(progress.strategy_year.strategy)
    url = reverse(
        "priorities:evidence_delete",
        kwargs={"slug": progress.strategy_year.strategy.slug, "pk": evidence.pk},
    )
    response = client_desk.post(url, follow=True)
    assert "2024 is approved and locked" in response.text
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize(
    "client_name",
    ["client_finance", "client_mission", "client_manager", "client_admin", "client_outsider"],
)
def test_others_may_not_remove_evidence(request, client_name, progress):
    evidence = EvidenceFactory(progress=progress)
    url = reverse(
        "priorities:evidence_delete",
        kwargs={"slug": progress.strategy_year.strategy.slug, "pk": evidence.pk},
    )
    assert request.getfixturevalue(client_name).post(url).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_progress_page_lists_evidence_with_remove_buttons_only_for_desk_officers(
    client_desk, client_manager, progress
):
    EvidenceFactory(progress=progress, original_name="Annual report.pdf")
    desk_page = client_desk.get(progress_url(progress)).text
    manager_page = client_manager.get(progress_url(progress)).text
    assert "Annual report.pdf" in desk_page and "Annual report.pdf" in manager_page
    assert "Remove</button>" in desk_page
    assert "Remove</button>" not in manager_page
    assert year_of(progress.strategy_year.strategy).is_open

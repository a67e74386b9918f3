"""Workbooks that declare XML entities are refused unread, wherever they come in.

A billion-laughs workbook (entities that expand to gigabytes) and an XXE workbook (an external
entity naming a file of the server) are each sent through the import page, the importer and
the import command, and through openpyxl directly: every one refuses them with a clear
message, expands nothing and never reads the marker file.
"""

import io
import zipfile

import openpyxl
import openpyxl.xml.functions
import pytest
from defusedxml import DefusedXmlException
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from reports.importers import WorkbookRefused, file_problems, workbook_import
from strategy_monitor.untrusted import xml_declares_doctype
from tests.xml.hostile import (
    BILLION_LAUGHS,
    BILLION_LAUGHS_REFERENCE,
    TARGETS,
    XXE_REFERENCE,
    hostile_workbook,
    plain_workbook,
    xxe_doctype,
)

MESSAGE = "declares XML entities (a DOCTYPE), which no Excel workbook does"


@pytest.fixture(params=sorted(TARGETS))
def part(request) -> str:
    return request.param


@pytest.fixture(params=["billion_laughs", "xxe"])
def hostile(request, part, marker) -> bytes:
    """Return a workbook whose `part` declares a billion-laughs or an external entity."""
    if request.param == "xxe":
        return hostile_workbook(part, xxe_doctype(marker), XXE_REFERENCE)
    return hostile_workbook(part, BILLION_LAUGHS, BILLION_LAUGHS_REFERENCE)


def assert_nothing_leaked(text: str, marker) -> None:
    assert marker.read_text() not in text
    assert "lollol" not in text


def test_plain_workbook_passes_the_file_check():
    assert file_problems(plain_workbook()) == []


@pytest.mark.django_db
def test_importer_refuses_a_workbook_with_entities(hostile, part, marker):
    with pytest.raises(WorkbookRefused) as refused:
        workbook_import(data=hostile, user=None)
    assert refused.value.codes == {"unsafe_xml"}
    assert f"({part}) {MESSAGE}" in str(refused.value)
    assert_nothing_leaked(str(refused.value), marker)


@pytest.mark.django_db
def test_import_page_shows_the_refusal_as_a_problem_of_the_workbook(
    client_admin, hostile, marker, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("hostile.xlsx", hostile)
    # The import runs as a job: its page shows the refusal.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_admin.post(reverse("reports:workbook_import"), {"file": upload})
    response = client_admin.get(response.url)
    assert response.status_code == 200
    assert "The workbook was not imported" in response.text
    assert MESSAGE in response.text
    assert_nothing_leaked(response.text, marker)


@pytest.mark.django_db
def test_import_command_refuses_a_workbook_with_entities(hostile, marker, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="was not imported: 1 problem"):
        call_command("import_workbook", str(path), stderr=errors)
    assert MESSAGE in errors.getvalue()
    assert_nothing_leaked(errors.getvalue(), marker)


def _causes(error: BaseException) -> list[BaseException]:
    chain = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


@pytest.mark.parametrize("read_only", [True, False])
def test_openpyxl_itself_refuses_a_workbook_with_entities(hostile, marker, read_only):
    with pytest.raises(Exception) as refused:
        openpyxl.load_workbook(io.BytesIO(hostile), read_only=read_only)
    causes = _causes(refused.value)
    # The sheets are read through defusedxml; the workbook part through lxml, which expands
    # no entity and refuses entities in attributes.
    assert any(isinstance(cause, DefusedXmlException | etree.XMLSyntaxError) for cause in causes)
    assert_nothing_leaked(" ".join(str(cause) for cause in causes), marker)


def test_openpyxl_reads_sheets_through_defusedxml(marker):
    sheet = zipfile.ZipFile(
        io.BytesIO(hostile_workbook("xl/worksheets/sheet1.xml", xxe_doctype(marker), "&xxe;"))
    ).read("xl/worksheets/sheet1.xml")
    with pytest.raises(DefusedXmlException):
        list(openpyxl.xml.functions.iterparse(io.BytesIO(sheet)))


def test_doctype_in_a_part_of_any_name_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain_workbook())) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        archive.writestr("xl/media/image1.bin", f"{BILLION_LAUGHS}<a>&lol9;</a>")
    problems = file_problems(buffer.getvalue())
    assert [problem.code for problem in problems] == ["unsafe_xml"]
    assert "xl/media/image1.bin" in problems[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_doctype_is_found_in_any_encoding(encoding):
    document = f'<?xml version="1.0" encoding="{encoding}"?>{BILLION_LAUGHS}<a>&lol9;</a>'
    assert xml_declares_doctype(io.BytesIO(document.encode(encoding)))


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!-- <!DOCTYPE x> is only mentioned --><a>&lt;!DOCTYPE</a>',
        b"<a>" + b"<b>text</b>" * 100_000 + b"</a>",
        b"\x89PNG\r\n\x1a\n not xml at all",
        b"",
    ],
    ids=["comment", "large", "binary", "empty"],
)
def test_parts_without_doctype_pass(content):
    assert not xml_declares_doctype(io.BytesIO(content))


def test_part_that_cannot_be_unpacked_is_reported_as_damaged():
    data = bytearray(plain_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        member = archive.getinfo("xl/workbook.xml")
    # The compressed bytes follow the member's local header (30 bytes, its name, its extra).
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start : start + 8] = b"\xff" * 8
    problems = file_problems(bytes(data))
    assert [(problem.code, problem.message) for problem in problems] == [
        ("not_a_workbook", "The zip archive is damaged.")
    ]

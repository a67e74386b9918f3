"""Step 1 of an import: the file itself, checked before anything is unpacked."""

import io
import zipfile
import zlib

from strategy_monitor.untrusted import xml_declares_doctype

from .results import Problem

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2_000


def file_problems(data: bytes) -> list[Problem]:
    """Return the problems of the file itself: not a zip, too big, a zip bomb, not a workbook."""
    if len(data) > MAX_UPLOAD_BYTES:
        return [
            Problem(
                "",
                None,
                "",
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
                "too_large",
            )
        ]
    buffer = io.BytesIO(data)
    if not data or not zipfile.is_zipfile(buffer):
        return [
            Problem(
                "",
                None,
                "",
                "The file is not an Excel workbook (.xlsx): it is not a zip archive.",
                "not_a_workbook",
            )
        ]
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [Problem("", None, "", "The zip archive is damaged.", "not_a_workbook")]
    if len(members) > MAX_MEMBERS:
        return [Problem("", None, "", "The archive holds too many files.", "zip_bomb")]
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            Problem(
                "",
                None,
                "",
                f"The workbook unpacks to {total // (1024 * 1024)} MB, more than the "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB accepted.",
                "zip_bomb",
            )
        ]
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            return [
                Problem(
                    "",
                    None,
                    "",
                    f"A part of the file ({member.filename}) is compressed {ratio:.0f} times, "
                    f"more than the {MAX_RATIO} times a workbook is: it looks like a zip bomb.",
                    "zip_bomb",
                )
            ]
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        return [
            Problem(
                "",
                None,
                "",
                "The zip archive is not an Excel workbook (it has no xl/workbook.xml).",
                "not_a_workbook",
            )
        ]
    return _doctype_problems(buffer, members)


def _doctype_problems(buffer: io.BytesIO, members: list[zipfile.ZipInfo]) -> list[Problem]:
    """Refuse a workbook any of whose parts declares a DOCTYPE, before any part is parsed.

    No Excel workbook declares one; a DOCTYPE is how XML entity bombs and external entities
    (which read files of the server) get in. Every part is looked at, whatever its name, since
    the workbook's relationships may point a reader at any of them.
    """
    try:
        with zipfile.ZipFile(buffer) as archive:
            for member in members:
                if member.is_dir():
                    continue
                with archive.open(member) as part:
                    if xml_declares_doctype(part):
                        return [
                            Problem(
                                "",
                                None,
                                "",
                                f"A part of the file ({member.filename}) declares XML entities "
                                "(a DOCTYPE), which no Excel workbook does; the file was not "
                                "read. Save it again from Excel and import that copy.",
                                "unsafe_xml",
                            )
                        ]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error):
        return [Problem("", None, "", "The zip archive is damaged.", "not_a_workbook")]
    return []

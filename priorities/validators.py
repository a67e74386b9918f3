"""Check evidence files by their content, never by their name alone.

An upload is accepted when its first bytes show one of the accepted formats (PDF, PNG, JPEG,
GIF, the old Word and Excel formats, or the Office Open XML formats .docx and .xlsx, whose
ZIP directory must hold the parts of a Word or an Excel file) and its file name ends in an
extension of that same format. A script renamed report.pdf, or a workbook renamed photo.png,
is refused.
"""

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    """An accepted evidence format: its name, MIME type and the extensions it may carry."""

    label: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        """Return the extension stored files of this kind are given."""
        return self.extensions[0]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
PNG = FileKind(_("PNG image"), "image/png", (".png",))
JPEG = FileKind(_("JPEG image"), "image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind(_("GIF image"), "image/gif", (".gif",))
DOC = FileKind(_("Word document (.doc)"), "application/msword", (".doc",))
XLS = FileKind(_("Excel workbook (.xls)"), "application/vnd.ms-excel", (".xls",))
DOCX = FileKind(
    _("Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    _("Excel workbook"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
KINDS = (PDF, PNG, JPEG, GIF, DOC, XLS, DOCX, XLSX)
KINDS_BY_TYPE = {kind.content_type: kind for kind in KINDS}
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS for ext in kind.extensions)
ACCEPTED_TEXT = "PDF, Word (.doc, .docx), Excel (.xls, .xlsx) or an image (PNG, JPEG, GIF)"
ACCEPTED_TEXT_WITH_ARTICLE = _(
    "a PDF, Word (.doc, .docx), Excel (.xls, .xlsx) or an image (PNG, JPEG, GIF)"
)

# OLE2 directory entries name their streams in UTF-16: a Word file has "WordDocument", an
# Excel file "Workbook" (or "Book" in Excel 5/95).
WORD_STREAM = "WordDocument".encode("utf-16-le")
EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


def evidence_max_bytes() -> int:
    """Return the largest evidence file accepted, in bytes (setting EVIDENCE_MAX_BYTES)."""
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def _read(upload, size: int | None = None) -> bytes:
    upload.seek(0)
    data = upload.read() if size is None else upload.read(size)
    upload.seek(0)
    return data


def _ole2_kind(upload) -> FileKind | None:
    data = _read(upload)
    if WORD_STREAM in data:
        return DOC
    if any(stream in data for stream in EXCEL_STREAMS):
        return XLS
    return None


def _zip_kind(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def file_kind_sniff(upload) -> FileKind | None:
    """Return the accepted format the content of `upload` shows, or None."""
    head = _read(upload, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind(upload)
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(upload)
    return None


def original_name_clean(name: str) -> str:
    """Return the uploaded file's own name, without any folder part or control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-200:] or "evidence"


def uploaded_file_check(
    upload,
    *,
    what: str,
    extensions,
    accepted_text: str,
    sniff: Callable[[object], FileKind | None],
) -> FileKind:
    """Return the format of an upload, or refuse it: too large, empty, unknown or disguised.

    `what` names such files in the messages ("evidence files", "a minutes file"); `sniff` reads
    the format from the content, which must agree with the name's extension.
    """
    name = original_name_clean(getattr(upload, "name", ""))
    limit = evidence_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            gettext("“%(name)s” is %(size)s; %(what)s may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "what": what,
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(gettext("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    extension = os.path.splitext(name)[1].lower()
    if extension not in extensions:
        raise ValidationError(
            gettext("“%(name)s” is not an accepted type. Upload %(accepted)s.")
            % {"name": name, "accepted": accepted_text},
            code="file_type",
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            gettext("The content of “%(name)s” is not %(accepted)s, whatever its name says.")
            % {"name": name, "accepted": accepted_text},
            code="file_content",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            gettext(
                "“%(name)s” is named as a %(extension)s file but its content is a %(kind)s. "
                "Upload it under its real type."
            )
            % {"name": name, "extension": extension, "kind": kind.label},
            code="file_type_mismatch",
        )
    return kind


def evidence_file_check(upload) -> FileKind:
    """Return the format of an evidence upload, or refuse it: too large, unknown or disguised."""
    return uploaded_file_check(
        upload,
        what=gettext("evidence files"),
        extensions=ACCEPTED_EXTENSIONS,
        accepted_text=str(ACCEPTED_TEXT_WITH_ARTICLE),
        sniff=file_kind_sniff,
    )

"""Check a meeting's minutes file by its content and size, as evidence files are checked.

Minutes are circulated as a PDF, a Word document (.docx) or an OpenDocument text (.odt). The
first bytes must show one of these, and the name must end in an extension of the same format:
a script renamed minutes.pdf, or a workbook renamed minutes.docx, is refused.
"""

import os
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from priorities.validators import (
    DOCX,
    PDF,
    ZIP_MAGIC,
    FileKind,
    evidence_max_bytes,
    file_kind_sniff,
    original_name_clean,
)

ODT = FileKind("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
MINUTES_KINDS = (PDF, DOCX, ODT)
MINUTES_KINDS_BY_TYPE = {kind.content_type: kind for kind in MINUTES_KINDS}
MINUTES_KINDS_BY_EXTENSION = {ext: kind for kind in MINUTES_KINDS for ext in kind.extensions}
MINUTES_EXTENSIONS = tuple(ext for kind in MINUTES_KINDS for ext in kind.extensions)
MINUTES_ACCEPTED_TEXT = "PDF, Word (.docx) or OpenDocument text (.odt)"


def _odt_sniff(upload) -> bool:
    """Return whether `upload` is an OpenDocument text: a ZIP whose `mimetype` part says so."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if "mimetype" not in archive.namelist():
                return False
            return archive.read("mimetype").strip() == ODT.content_type.encode("ascii")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False
    finally:
        upload.seek(0)


def minutes_kind_sniff(upload) -> FileKind | None:
    """Return the minutes format the content of `upload` shows, or None."""
    kind = file_kind_sniff(upload)
    if kind in MINUTES_KINDS:
        return kind
    if kind is None:
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head.startswith(ZIP_MAGIC) and _odt_sniff(upload):
            return ODT
    return None


def minutes_file_check(upload) -> FileKind:
    """Return the format of a minutes upload, or refuse it: too large, empty, unknown, disguised."""
    name = original_name_clean(getattr(upload, "name", ""))
    limit = evidence_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; a minutes file may be at most "
            f"{filesizeformat(limit)}.",
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"“{name}” is empty.", code="file_empty")
    extension = os.path.splitext(name)[1].lower()
    if extension not in MINUTES_EXTENSIONS:
        raise ValidationError(
            f"“{name}” is not an accepted type. Upload the minutes as a {MINUTES_ACCEPTED_TEXT}.",
            code="file_type",
        )
    kind = minutes_kind_sniff(upload)
    if kind is None:
        raise ValidationError(
            f"The content of “{name}” is not a {MINUTES_ACCEPTED_TEXT}, whatever its name says.",
            code="file_content",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            f"“{name}” is named as a {extension} file but its content is a {kind.label}. "
            "Upload it under its real type.",
            code="file_type_mismatch",
        )
    return kind

"""Check a meeting's minutes file, or a review's report, by content and size, as evidence is.

Minutes are circulated as a PDF, a Word document (.docx) or an OpenDocument text (.odt). The
first bytes must show one of these, and the name must end in an extension of the same format:
a script renamed minutes.pdf, or a workbook renamed minutes.docx, is refused.
"""

import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.validators import (
    DOCX,
    PDF,
    ZIP_MAGIC,
    FileKind,
    file_kind_sniff,
    uploaded_file_check,
)

ODT = FileKind("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
MINUTES_KINDS = (PDF, DOCX, ODT)
MINUTES_KINDS_BY_TYPE = {kind.content_type: kind for kind in MINUTES_KINDS}
MINUTES_KINDS_BY_EXTENSION = {ext: kind for kind in MINUTES_KINDS for ext in kind.extensions}
MINUTES_EXTENSIONS = tuple(ext for kind in MINUTES_KINDS for ext in kind.extensions)
MINUTES_ACCEPTED_TEXT = gettext_lazy("PDF, Word (.docx) or OpenDocument text (.odt)")


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
    return uploaded_file_check(
        upload,
        what=_("a minutes file"),
        extensions=MINUTES_EXTENSIONS,
        accepted_text=_("a %(accepted)s") % {"accepted": MINUTES_ACCEPTED_TEXT},
        sniff=minutes_kind_sniff,
    )


def review_report_check(upload) -> FileKind:
    """Return the format of a review report upload, or refuse it as a minutes file is refused."""
    return uploaded_file_check(
        upload,
        what=_("a report file"),
        extensions=MINUTES_EXTENSIONS,
        accepted_text=_("a %(accepted)s") % {"accepted": MINUTES_ACCEPTED_TEXT},
        sniff=minutes_kind_sniff,
    )

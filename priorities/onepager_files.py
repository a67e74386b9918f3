"""Turn an uploaded strategy (PDF or Word) into the text the one-pager reader takes.

The upload is checked as evidence files are (size, name and content must agree) and then read
without trusting it: a Word file's `word/document.xml` is parsed through
`strategy_monitor.untrusted` (no DTD, no entities), its size checked before it is unpacked; a
PDF's pages are read by pypdf, only as many as a strategy document has.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from priorities.validators import DOCX, PDF, evidence_file_check, original_name_clean
from strategy_monitor.untrusted import UnsafeXML, xml_parse_untrusted

# A strategy document runs to some twenty pages; the one-pager is the first.
MAX_PDF_PAGES = 40
# word/document.xml of a long strategy is well under a few megabytes.
MAX_DOCUMENT_XML_BYTES = 20 * 1024 * 1024
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _unreadable(name: str, what: str) -> ValidationError:
    return ValidationError(
        gettext("“%(name)s” could not be read as %(what)s. Paste the one-pager's text instead.")
        % {"name": name, "what": what},
        code="unreadable_file",
    )


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == WORD + "t":
            parts.append(node.text or "")
        elif node.tag == WORD + "tab":
            parts.append("\t")
        elif node.tag in (WORD + "br", WORD + "cr"):
            parts.append("\n")
    return "".join(parts)


def docx_text(upload) -> str:
    """Return a Word document's paragraphs and table rows as lines, tabs between cells."""
    name = original_name_clean(getattr(upload, "name", ""))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                raise _unreadable(name, gettext("a Word document of a usual size"))
            data = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable(name, gettext("a Word document")) from error
    finally:
        upload.seek(0)
    try:
        root = xml_parse_untrusted(data)
    except UnsafeXML as error:
        raise _unreadable(name, gettext("a Word document")) from error
    body = root.find(WORD + "body")
    if body is None:
        return ""
    lines = []
    for block in body:
        if block.tag == WORD + "p":
            lines.append(_paragraph_text(block))
        elif block.tag == WORD + "tbl":
            for row in block.iter(WORD + "tr"):
                cells = [
                    " ".join(_paragraph_text(p) for p in cell.iter(WORD + "p")).strip()
                    for cell in row.iter(WORD + "tc")
                ]
                lines.append("\t".join(cells))
    return "\n".join(lines)


def pdf_text(upload) -> str:
    """Return the text of a PDF's first pages, a line per printed line."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    name = original_name_clean(getattr(upload, "name", ""))
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as error:
        raise _unreadable(name, gettext("a PDF")) from error
    finally:
        upload.seek(0)
    return "\n".join(pages)


def onepager_upload_text(upload) -> str:
    """Return the text of an uploaded PDF or Word strategy; refuse any other file."""
    kind = evidence_file_check(upload)
    if kind == PDF:
        return pdf_text(upload)
    if kind == DOCX:
        return docx_text(upload)
    raise ValidationError(
        gettext(
            "“%(name)s” is a %(kind)s; upload the strategy as a PDF "
            "or a Word document (.docx), or paste the one-pager's text."
        )
        % {"name": original_name_clean(upload.name), "kind": kind.label},
        code="file_type",
    )

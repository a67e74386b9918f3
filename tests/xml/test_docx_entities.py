"""An uploaded Word strategy declaring entities is refused before anything is expanded or read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from priorities.onepager_files import docx_text
from tests.priorities.test_onepager_setup import docx_bytes
from tests.xml.hostile import BILLION_LAUGHS, BILLION_LAUGHS_REFERENCE, XXE_REFERENCE, xxe_doctype


@pytest.mark.parametrize("kind", ["billion_laughs", "xxe"])
def test_a_word_document_with_entities_is_refused(kind, marker):
    if kind == "xxe":
        doctype, reference = xxe_doctype(marker), XXE_REFERENCE
    else:
        doctype, reference = BILLION_LAUGHS, BILLION_LAUGHS_REFERENCE
    upload = SimpleUploadedFile(
        "strategy.docx", docx_bytes([f"File No. {reference}"], [["a"]], doctype=doctype)
    )
    with pytest.raises(ValidationError) as refused:
        docx_text(upload)
    assert refused.value.code == "unreadable_file"
    assert marker.read_text() not in str(refused.value)


def test_a_plain_word_document_is_read():
    upload = SimpleUploadedFile("strategy.docx", docx_bytes(["File No.\t2024-1"], [["a", "b"]]))
    assert docx_text(upload) == "File No.\t2024-1\na\tb"

"""The application's own lxml parsing (the IATI checks) expands no entity and reads no file.

libxml2 either keeps an entity unexpanded or refuses the document (its amplification limit
stops a billion laughs): both are safe, a file's content or an expansion in the result is not.
"""

import pytest
from lxml import etree

from reports.render.iati import codelist_errors, identifier_errors, schema_errors
from strategy_monitor.untrusted import xml_parser
from tests.xml.hostile import BILLION_LAUGHS, xxe_doctype


def activity(doctype: str, reference: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<iati-activities version="2.03">'
        f"<iati-activity><iati-identifier>{reference}/x</iati-identifier></iati-activity>"
        "</iati-activities>"
    ).encode()


@pytest.fixture(params=["billion_laughs", "xxe"])
def hostile(request, marker) -> bytes:
    if request.param == "xxe":
        return activity(xxe_doctype(marker), "&xxe;")
    return activity(BILLION_LAUGHS, "&lol9;")


def outcome(read) -> str:
    """Return what reading produced, or the parser's refusal."""
    try:
        return read()
    except etree.LxmlError as refusal:
        return f"refused: {refusal}"


def test_safe_parser_expands_no_entity(hostile, marker):
    text = outcome(lambda: "".join(etree.fromstring(hostile, parser=xml_parser()).itertext()))
    assert marker.read_text() not in text
    assert "lollol" not in text


def test_safe_parser_reads_no_external_entity(marker):
    document = etree.fromstring(activity(xxe_doctype(marker), "&xxe;"), parser=xml_parser())
    # The reference stays a reference: nothing was read in its place.
    assert "".join(document.itertext()) == "&xxe;/x"


@pytest.mark.parametrize("check", [identifier_errors, schema_errors, codelist_errors])
def test_iati_checks_expand_no_entity_and_read_no_file(check, hostile, marker):
    reported = outcome(lambda: " ".join(check(hostile)))
    assert marker.read_text() not in reported
    assert "lollol" not in reported

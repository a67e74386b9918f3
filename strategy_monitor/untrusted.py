"""Untrusted files: XML read without entities, DTDs or network access.

Office Open XML (the parts of an .xlsx) never declares a DTD, so a part that does is refused
outright: an entity declaration is how a "billion laughs" bomb expands a few bytes into
gigabytes and how an external entity (XXE) reads a file of the server into the document.
openpyxl reads through defusedxml (see `checks.py`); the application's own lxml parsing goes
through `xml_parser()`.
"""

import io
import xml.parsers.expat
from typing import IO

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from lxml import etree

# The prologue (declaration, comments, DOCTYPE) comes before the root element; it is read in
# chunks until the root element starts.
CHUNK_BYTES = 64 * 1024


class _DoctypeFound(Exception):
    pass


class _RootReached(Exception):
    pass


def xml_parser() -> etree.XMLParser:
    """Return an lxml parser that expands no entity, loads no DTD and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
    )


def xml_declares_doctype(stream: IO[bytes]) -> bool:
    """Return whether the XML document in `stream` declares a DOCTYPE before its root element.

    Expat reads only the prologue, in whatever encoding the document declares, and expands
    nothing: it stops at the DOCTYPE or at the root element. Content that is not XML has no
    DOCTYPE; whether it is a valid part is for its reader to say.
    """
    parser = xml.parsers.expat.ParserCreate()

    def doctype(*args) -> None:
        raise _DoctypeFound

    def root(*args) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DoctypeFound:
        return True
    except (_RootReached, xml.parsers.expat.ExpatError):
        return False
    return False


class UnsafeXML(ValueError):
    """The XML declares a DOCTYPE or entities, or is not well-formed."""


def xml_parse_untrusted(data: bytes):
    """Return the root element of an uploaded XML part, parsed by defusedxml.

    A part declaring a DOCTYPE is refused before parsing; defusedxml refuses entities and
    external references all the same, should one slip past.
    """
    if xml_declares_doctype(io.BytesIO(data)):
        raise UnsafeXML("The document declares a DOCTYPE.")
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeElementTree.ParseError) as error:
        raise UnsafeXML(str(error)) from error

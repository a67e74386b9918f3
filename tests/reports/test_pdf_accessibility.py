"""The brief PDF is tagged for assistive technology: read back with pypdf, without a database.

A tagged PDF carries a structure tree that a screen reader follows, marks itself as tagged,
names its language and title (and asks a reader to show the title rather than the file name),
has a bookmark for every chapter, and gives every figure an alternative text.
"""

import io
import re

import pytest
from django.utils import translation
from lxml import html as lxml_html
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from reports.builders import ChapterText
from reports.render.pdf import brief_html, brief_pdf
from tests.reports.reportdata import brief


def _catalog(reader: PdfReader) -> DictionaryObject:
    return reader.trailer["/Root"]


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(" ".join(item.title.split()))
    return titles


def _structure_elements(node, found: list[DictionaryObject]) -> list[DictionaryObject]:
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            _structure_elements(kid, found)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            _structure_elements(node["/K"], found)
    return found


def _chapter_headings(document) -> list[str]:
    tree = lxml_html.fromstring(brief_html(document))
    return [" ".join(heading.text_content().split()) for heading in tree.iter("h1", "h2")]


@pytest.fixture
def annexed_brief():
    chapters = (ChapterText("3. Lessons learnt", (("", "Relevance of the work."),)),)
    return brief(annex=True, annex_chapters=chapters)


def test_the_brief_pdf_is_tagged_with_its_language_and_title(annexed_brief):
    reader = PdfReader(io.BytesIO(brief_pdf(annexed_brief)))
    catalog = _catalog(reader)
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]).lower().startswith("en")
    assert reader.metadata.title.startswith("Annual consultation brief 2024")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    kinds = {str(element["/S"]) for element in _structure_elements(catalog["/StructTreeRoot"], [])}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= kinds


def test_every_chapter_of_the_brief_and_its_annex_has_a_bookmark(annexed_brief):
    reader = PdfReader(io.BytesIO(brief_pdf(annexed_brief)))
    bookmarks = _outline_titles(reader.outline)
    headings = _chapter_headings(annexed_brief)
    # The brief's numbered chapters and the annex's lettered parts are all there to check.
    assert any(re.match(r"1\. ", heading) for heading in headings)
    assert "Annex" in headings
    assert any(heading.startswith("D. ") for heading in headings)
    missing = [heading for heading in headings if heading not in bookmarks]
    assert not missing, f"Chapters without a bookmark: {missing}"


def test_every_figure_of_the_brief_has_an_alternative_text(annexed_brief):
    reader = PdfReader(io.BytesIO(brief_pdf(annexed_brief)))
    elements = _structure_elements(_catalog(reader)["/StructTreeRoot"], [])
    figures = [element for element in elements if element["/S"] in ("/Figure", "/Formula")]
    # The annex draws the two risk heat maps.
    assert len(figures) == 2
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "A figure without alternative text"
    assert "Inherent risk" in str(figures[0]["/Alt"])


def test_a_danish_brief_says_it_is_danish_and_reads_danish():
    with translation.override("da"):
        document = brief(annex=True)
        pdf = brief_pdf(document)
    reader = PdfReader(io.BytesIO(pdf))
    assert str(_catalog(reader)["/Lang"]) == "da"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for danish in ("Årligt konsultationsnotat 2024", "Prioritetsområder", "Bilag", "Side 2 af"):
        assert danish in text
    assert "Annual consultation brief" not in text
    assert reader.metadata.title.startswith("Årligt konsultationsnotat 2024")
    bookmarks = _outline_titles(reader.outline)
    assert "Bilag" in bookmarks
    figures = [
        element
        for element in _structure_elements(_catalog(reader)["/StructTreeRoot"], [])
        if element["/S"] == "/Figure"
    ]
    assert str(figures[0]["/Alt"]).startswith("Iboende risiko")

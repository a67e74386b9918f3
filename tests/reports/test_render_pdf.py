"""The brief as PDF and its heat map, rendered from hand-built briefs without a database."""

import datetime
import io
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from reports.builders import BriefIssue, ChapterText, KeyMessageRow
from reports.render.pdf import (
    BASE_URL,
    FetchRefused,
    StaticFilesFetcher,
    brief_html,
    brief_pdf,
    html_pdf,
    static_file,
)
from reports.render.svg import heatmap_svg
from tests.reports.reportdata import area, brief

SVG = "{http://www.w3.org/2000/svg}"

MARK = "Illustrative data on this page"
STATIC = BASE_URL + "static/"


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def shows_illustrative_value(text: str) -> bool:
    return "Illustrative" in text.replace(MARK, "")


def test_brief_pdf_holds_the_figures_and_the_running_header():
    texts = pages(brief_pdf(brief()))
    text = "\n".join(texts)
    assert texts[0].startswith("File no.") or "Annual consultation brief 2024" in texts[0]
    for expected in (
        "Annual consultation brief 2024",
        "Test strategy 2023-2026",
        "Officials trained under area 1",
        "3,200",
        "4,000",
        "3,820",
        "Weak core structure",
        "Draft the terms of reference for the mid-term review.",
        "Annual consultation 2025",
    ):
        assert expected in text
    # Budget of the year and of the period, in DKK million with one decimal, with totals.
    assert "48.0" in text and "100.0" in text and "400.0" in text and "50 %" in text
    assert "DKK 50.0 million disbursed of 100.0 approved (50 %)" in " ".join(text.split())
    for number, page_text in enumerate(texts[1:], start=2):
        assert "File no. 2022-18394 · Annual consultation brief 2024" in page_text
        assert f"Page {number} of {len(texts)}" in page_text
    assert MARK not in text


def test_brief_pdf_is_a4():
    reader = PdfReader(io.BytesIO(brief_pdf(brief())))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (
        210,
        297,
    )


@pytest.mark.parametrize("section", ["areas", "budget", "risks"])
def test_illustrative_mark_is_on_exactly_the_pages_that_show_illustrative_data(section):
    # The strategy's own chapters in the annex show no illustrative value: pages to leave bare.
    chapters = (ChapterText("3. Lessons learnt", (("", "Relevance of the work. " * 600),)),)
    document = brief(
        illustrative_sections={section, "summary"}, annex=True, annex_chapters=chapters
    )
    texts = pages(brief_pdf(document))
    marked = [MARK in text for text in texts]
    showing = [shows_illustrative_value(text) for text in texts]
    assert any(marked) and not all(marked)
    assert marked == showing


def test_hostile_narrative_is_inert_in_the_pdf(caplog):
    hostile = (
        '<script>alert("x")</script><img src="http://example.org/x.png">'
        '<img src="file:///etc/passwd">=HYPERLINK("http://example.org")'
    )
    long_text = "Ελληνικά кириллица العربية " + "word " * 4000
    document = brief(areas=(area(1, narrative=hostile + "\n\n" + long_text),))
    html = brief_html(document)
    assert "<script>" not in html and '<img src="http' not in html
    assert "&lt;script&gt;" in html
    text = "\n".join(pages(brief_pdf(document)))
    assert '<script>alert("x")</script>' in text.replace("\n", "")
    assert "Ελληνικά" in text and "кириллица" in text


def test_fetcher_serves_static_files_only():
    path = static_file(STATIC + "css/brief.css")
    assert path.name == "brief.css" and path.is_file()
    response = StaticFilesFetcher().fetch(STATIC + "css/brief.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/static/css/brief.css",
        "file:///etc/passwd",
        "data:text/plain,hello",
        STATIC + "../../settings.py",
        STATIC + "css/%2e%2e/%2e%2e/manage.py",
        STATIC + "css/missing.css",
        BASE_URL + "admin/",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(FetchRefused):
        StaticFilesFetcher().fetch(url)


def test_weasyprint_never_fetches_an_outside_address(monkeypatch):
    asked = []
    original = StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy)
    pdf = html_pdf(
        '<link rel="stylesheet" href="/static/css/brief.css">'
        '<p>Text</p><img src="http://example.org/x.png"><img src="file:///etc/passwd">'
    )
    assert pdf.startswith(b"%PDF")
    assert STATIC + "css/brief.css" in asked
    # Asked, refused, and never opened: the fetcher raised for both.
    assert not any(Path(url).name == "passwd" and url.startswith(STATIC) for url in asked)


def test_heatmap_svg_counts_and_escapes():
    counts = ((0, 0, 0, 0, 1), (0, 0, 0, 2, 0), (0,) * 5, (0,) * 5, (3, 0, 0, 0, 0))
    svg = heatmap_svg(counts=counts, title='Risks <b>"x"</b> & more')
    # 25 squares, a hatch over the 17 amber and red ones, a chip behind each of the 3 counts,
    # the 4 keys of the legend with a hatch over 3 of them, and the stroke of the amber hatch.
    assert svg.startswith("<svg") and svg.count("<rect") == 25 + 17 + 3 + 4 + 3 + 1
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; more" in svg
    assert "<b>" not in svg
    assert ">3</text>" in svg and ">2</text>" in svg
    assert "6 open risks" in svg


def test_heatmap_svg_escapes_hostile_text_in_its_label_and_title():
    hostile = """Risks" onload="alert(1)"><script>alert('x')</script> & <title>"""
    counts = ((0,) * 5,) * 4 + ((1, 0, 0, 0, 0),)
    svg = heatmap_svg(counts=counts, title=hostile, label=hostile)
    assert "<script>" not in svg and 'onload="' not in svg
    escaped = "Risks&quot; onload=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)"
    assert f'aria-label="{escaped}' in svg
    # Still one well-formed drawing whose texts read back as typed.
    root = etree.fromstring(svg.encode())
    assert root.get("aria-label") == hostile
    assert root.find(f"{SVG}title").text.startswith(f"{hostile}: 1 open risk placed")
    assert [text.text for text in root.iter(f"{SVG}text")][0] == hostile
    assert len(root.findall(f"{SVG}script")) == 0


def test_heatmap_svg_refuses_a_wrong_shape():
    with pytest.raises(ValueError):
        heatmap_svg(counts=((1, 2),), title="x")


def test_key_messages_and_the_issue_reference_are_escaped_and_marked():
    hostile = '<img src="http://example.org/x.png"> & <b>bold</b>'
    document = brief(
        key_messages=(KeyMessageRow(area="", text=hostile, is_illustrative=False),),
        issue=BriefIssue(
            reference='UM<2026>"7"', issued_on=datetime.date(2026, 6, 5), issued_by="Lea"
        ),
    )
    html = brief_html(document)
    assert "<img" not in html and "&lt;img src=" in html and "<b>bold</b>" not in html
    # The marks every page repeats come from the masthead, escaped like any other text.
    assert (
        '<p class="mark-status">Ref. UM&lt;2026&gt;&quot;7&quot; · File no. 2022-18394 · '
        "Issued 5 June 2026</p>" in html
    )
    assert '<p class="mark-internal">For internal use — contains Denmark' in html
    assert "Draft — not issued" not in html

"""The annual consultation brief as an A4 PDF, rendered by WeasyPrint from `reports/brief.html`.

WeasyPrint fetches nothing but the application's own static files: `StaticFilesFetcher` serves
URLs under STATIC_URL from the static-file finders (or STATIC_ROOT) and refuses every other
address, whatever a narrative might try to load. User text is escaped by the template anyway.

Every page that shows illustrative data carries the mark "Illustrative data on this page" in
its header. The stylesheet puts the mark in the top-right margin box of every page; after
layout, the pages on which no element flagged `data-illustrative` was placed lose that margin
box. Margin boxes never take part in the layout of the page's content, so removing one changes
nothing else, and the document is laid out only once.

The brief's standing is on every page as well: "Draft — not issued" on a draft, its reference,
the strategy's file number and the issue date on an issued brief, and "For internal use —
contains Denmark's key messages" on a brief that holds them. The first page's masthead names
them, and the stylesheet carries them into the bottom margin boxes of every page (`string-set`).

The PDF is tagged (`pdf_tags`) so that a screen reader can follow its headings and tables;
`PDF_OPTIONS` is the one place for WeasyPrint's options, which the benchmark's floor uses too.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.builders import Brief
from reports.render.svg import heatmap_svg

logger = logging.getLogger(__name__)

# The document's own address: relative links resolve against it, and the fetcher accepts only
# static files under it. The .invalid top-level domain never resolves (RFC 2606).
BASE_URL = "https://strategy-monitor.invalid/"
TEMPLATE = "reports/brief.html"
# The unhashed name: the finders and STATIC_ROOT both hold it, whether or not collectstatic ran.
STYLESHEET = "css/brief.css"
ILLUSTRATIVE_ATTRIBUTE = "data-illustrative"
# WeasyPrint's options for the brief: tagged for accessibility.
PDF_OPTIONS = {"pdf_tags": True}
MARK_MARGIN = "@top-right"


class FetchRefused(Exception):
    """WeasyPrint asked for an address outside the application's static files."""


def static_prefix() -> str:
    """Return the absolute address under which the document's static files live."""
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_file(url: str) -> Path:
    """Return the static file that `url` names; refuse any other address with FetchRefused."""
    prefix = static_prefix()
    if not url.startswith(prefix) or urlsplit(url).query:
        raise FetchRefused(f"Only the application's static files are fetched, not {url!r}.")
    relative = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    parts = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or relative.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise FetchRefused(f"Not a static file: {url!r}.")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise FetchRefused(f"Not a static file: {url!r}.") from error
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        root_path = Path(root).resolve()
        candidate = (root_path / relative).resolve()
        if candidate.is_relative_to(root_path) and candidate.is_file():
            return candidate
    raise FetchRefused(f"No static file {relative!r}.")


class StaticFilesFetcher(URLFetcher):
    """Serve WeasyPrint the application's static files only; refuse everything else."""

    def fetch(self, url, headers=None):
        path = static_file(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def brief_html(brief: Brief) -> str:
    """Return the brief as the HTML that WeasyPrint lays out."""
    context = {"brief": brief, "stylesheet": static_prefix() + STYLESHEET}
    if brief.annex:
        # Only the annex shows the heat maps.
        context["inherent_svg"] = heatmap_svg(
            counts=brief.risks.inherent.counts, title=_("Inherent risk (before the response)")
        )
        context["residual_svg"] = heatmap_svg(
            counts=brief.risks.residual.counts, title=_("Residual risk (after the response)")
        )
    return render_to_string(TEMPLATE, context)


def _is_margin_box(box) -> bool:
    return getattr(box, "at_keyword", None) is not None


def _shows_illustrative(page) -> bool:
    for child in page._page_box.children:
        if _is_margin_box(child):
            continue
        for box in child.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get(ILLUSTRATIVE_ATTRIBUTE) is not None:
                return True
    return False


def illustrative_pages_mark(document) -> list[int]:
    """Keep the illustrative mark only on the pages that show illustrative data.

    Returns the numbers (from 1) of the marked pages. Should WeasyPrint's page structure ever
    differ from what this expects, every page keeps its mark: a page may then say so needlessly,
    but never hides illustrative data.
    """
    try:
        marked = []
        for number, page in enumerate(document.pages, start=1):
            if _shows_illustrative(page):
                marked.append(number)
                continue
            page._page_box.children = [
                child
                for child in page._page_box.children
                if getattr(child, "at_keyword", None) != MARK_MARGIN
            ]
        return marked
    except AttributeError:  # pragma: no cover - guards against a changed WeasyPrint
        logger.warning("Could not find the illustrative pages; every page keeps the mark.")
        return list(range(1, len(document.pages) + 1))


def html_pdf(html: str) -> bytes:
    """Lay out `html` once, mark the illustrative pages and return the PDF."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render(
        **PDF_OPTIONS
    )
    illustrative_pages_mark(document)
    return document.write_pdf(**PDF_OPTIONS)


def brief_pdf(brief: Brief) -> bytes:
    """Return the annual consultation brief as PDF bytes."""
    return html_pdf(brief_html(brief))

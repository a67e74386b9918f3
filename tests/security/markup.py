"""Checks that pages show markup as markup and that table downloads hold plain values."""

import csv
import io
import re

import openpyxl

# Our own markup escaped a second time shows on the page as text: `&lt;span class=…`.
ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9-]*(?:\s|&gt;|/)")
# An entity escaped a second time: "Donors &amp;amp; partners".
ESCAPED_ENTITY = re.compile(r"&amp;(?:amp|quot|lt|gt|#\d+|#x[0-9a-fA-F]+);")
# In a download, any tag or entity is markup that leaked out of a page cell.
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
ENTITY = re.compile(r"&(?:amp|quot|lt|gt|apos|nbsp|#\d+|#x[0-9a-fA-F]+);")


def escaped_markup(html: str) -> list[str]:
    """Return the bits of `html` that are markup escaped into text, with some context."""
    found = []
    for pattern in (ESCAPED_TAG, ESCAPED_ENTITY):
        for match in pattern.finditer(html):
            found.append(html[max(match.start() - 40, 0) : match.end() + 40])
    return found


def visible_markup(text: str) -> list[str]:
    """Return the bits of a page's visible text that are tags or entities, with some context.

    What the browser shows as text should never read `<span class=…>` or `&amp;`: either is
    markup escaped once too often, or marked safe where it was text.
    """
    return [
        text[max(match.start() - 40, 0) : match.end() + 40]
        for pattern in (TAG, ENTITY)
        for match in pattern.finditer(text)
    ]


def download_cells(response) -> list[list[str]]:
    """Return the rows of a CSV or XLSX download as text cells, headers first."""
    content_type = response["Content-Type"]
    if content_type.startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return [list(row) for row in csv.reader(io.StringIO(text))]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        ["" if value is None else str(value) for value in row]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]


def marked_cells(rows: list[list[str]]) -> list[str]:
    """Return the cells of a download that hold a tag or an HTML entity."""
    return [cell for row in rows for cell in row if TAG.search(cell) or ENTITY.search(cell)]

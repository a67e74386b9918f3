"""Workbooks for the jobs' tests and the benchmark: a strategy's export, grown to many rows."""

import io

import openpyxl

from priorities.models import Strategy
from reports import layout
from reports.builders import workbook_build
from reports.render.xlsx import workbook_xlsx


def workbook_of(strategy) -> bytes:
    """Return the monitoring workbook of `strategy`, as the export writes it."""
    strategy = Strategy.objects.select_related("organisation").get(pk=strategy.pk)
    return workbook_xlsx(workbook_build(strategy=strategy))


def workbook_grown(content: bytes, *, slug: str, risks: int) -> bytes:
    """Return `content` as the workbook of a new strategy `slug` with `risks` more risks.

    The risks are rows of the Risk register under its header, each with its own key, so the
    import has as many records to check and write.
    """
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    overview = workbook[layout.OVERVIEW]
    for row in range(1, 60):
        if overview[f"A{row}"].value == "Strategy slug":
            overview[f"B{row}"] = slug
    sheet = workbook[layout.RISKS]
    header = next(row for row in range(1, 30) if sheet[f"A{row}"].value == "Key")
    titles = [cell.value for cell in sheet[header]]
    first = header + 1
    while sheet[f"A{first}"].value not in (None, ""):
        first += 1
    key_column = titles.index("Key") + 1
    title_column = titles.index("Risk") + 1
    for number in range(risks):
        sheet.cell(first + number, key_column, f"generated-{number:05d}")
        sheet.cell(first + number, title_column, f"Generated risk {number}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_broken(content: bytes) -> bytes:
    """Return `content` with a risk whose likelihood is not a number: the import refuses it."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[layout.RISKS]
    header = next(row for row in range(1, 30) if sheet[f"A{row}"].value == "Key")
    titles = [cell.value for cell in sheet[header]]
    row = header + 1
    while sheet[f"A{row}"].value not in (None, ""):
        row += 1
    sheet.cell(row, titles.index("Key") + 1, "broken")
    sheet.cell(row, titles.index("Risk") + 1, "A risk rated in words")
    sheet.cell(row, titles.index("Likelihood") + 1, "very likely")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

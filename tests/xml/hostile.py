"""Hostile workbooks: a real .xlsx with one XML part rewritten to declare entities."""

import io
import re
import zipfile

import openpyxl

PLACEHOLDER = "PLACEHOLDER-CELL"
# Ten levels of ten: expanded, the cell would hold 10⁹ times "lol", about 3 GB.
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    + "]>"
)
BILLION_LAUGHS_REFERENCE = "&lol9;"
XXE_REFERENCE = "&xxe;"


def xxe_doctype(path) -> str:
    """Return a DOCTYPE whose entity `xxe` is the content of the file at `path`."""
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{path.as_uri()}">]>'


def plain_workbook() -> bytes:
    """Return a small genuine workbook whose sheet Overview holds the placeholder text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Overview"
    sheet["A1"] = PLACEHOLDER
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Where the entity is referenced in each part: the cell's text, or the sheet's name.
TARGETS = {
    "xl/worksheets/sheet1.xml": PLACEHOLDER,
    "xl/workbook.xml": 'name="Overview"',
}


def hostile_workbook(part: str, doctype: str, reference: str) -> bytes:
    """Return the plain workbook with `part` declaring `doctype` and using `reference`."""
    source = zipfile.ZipFile(io.BytesIO(plain_workbook()))
    target = TARGETS[part]
    replacement = target.replace(PLACEHOLDER, reference).replace("Overview", reference)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                text = content.decode()
                assert target in text
                # The DOCTYPE follows the XML declaration, if there is one, else opens the part.
                declaration = re.match(r"<\?xml[^>]*\?>", text)
                at = declaration.end() if declaration else 0
                text = text[:at] + doctype + text[at:]
                content = text.replace(target, replacement).encode()
            archive.writestr(item.filename, content)
    return buffer.getvalue()

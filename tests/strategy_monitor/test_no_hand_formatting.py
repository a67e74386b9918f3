"""No date is formatted by hand: code and templates name a format, so each language has its own.

A page, message or export writes a date through a named format (`|date:"DATE_FORMAT"`,
`django.utils.formats.date_format(value, "DATE_FORMAT")`), which strategy_monitor.formats_locale
defines per language: "7 December 2026" in English, "7. december 2026" in Danish. A format
written out by hand ("j F Y", `f"{d:%d %B %Y}"`, `strftime`) prints English month names to a
Danish reader, so these checks keep them from creeping back.

Machine formats are allowed, because a program rather than a person reads them; each is named
here with its reason.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Not application code: the tests, the developer tools, the environments and packages.
SKIPPED = {"tests", "tools", "node_modules", ".venv", "var", "media", "migrations", ".git"}

# Formats a machine reads, allowed wherever they appear.
MACHINE_FORMATS = {
    # ISO 8601 dates: file names, command output, <time datetime>, CSV and Excel date cells.
    "%Y-%m-%d",
    "Y-m-d",
    # ISO 8601 date and time, as <time datetime> and feeds want it.
    "c",
    # ICS (RFC 5545) date-times in calendar feeds.
    "%Y%m%dT%H%M%SZ",
    "%Y%m%d",
    # HTTP dates (RFC 9110), e.g. Last-Modified and Retry-After.
    "%a, %d %b %Y %H:%M:%S GMT",
    "r",
    # A weekday's name, written beside a named date format: {{ d|date:"l" }}.
    "l",
}
# The formats a template may name: they are defined per language in strategy_monitor.formats_locale.
NAMED_FORMAT = re.compile(r"^[A-Z_]+_FORMAT$")

PYTHON_DATE_FORMATS = [
    # value.strftime("…")
    re.compile(r"""\.strftime\(\s*(?P<q>["'])(?P<format>[^"']*)(?P=q)"""),
    # f"{value:%d %B %Y}"
    re.compile(r"""\{[^{}:]+:(?P<format>%[^{}]*)\}"""),
    # "%d %B %Y" kept in a string and used elsewhere
    re.compile(r"""(?P<q>["'])(?P<format>%-?d[ .]*%[bB][^"']*)(?P=q)"""),
]
TEMPLATE_DATE_FORMAT = re.compile(r"""\|(?:date|time):(?P<q>["'])(?P<format>[^"']*)(?P=q)""")


def source_files(*suffixes: str):
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if path.suffix in suffixes and path.is_file() and not parts & SKIPPED:
            yield path


def hand_formats_in_python(text: str) -> list[str]:
    """Return the date formats written out by hand in a module, each once."""
    found = {
        match["format"]
        for pattern in PYTHON_DATE_FORMATS
        for match in pattern.finditer(text)
        if match["format"] not in MACHINE_FORMATS
    }
    return sorted(found)


def hand_formats_in_template(text: str) -> list[str]:
    """Return the date formats written out by hand in a template, each once."""
    found = {
        match["format"]
        for match in TEMPLATE_DATE_FORMAT.finditer(text)
        if match["format"] not in MACHINE_FORMATS and not NAMED_FORMAT.match(match["format"])
    }
    return sorted(found)


def test_the_checks_find_hand_formats_and_let_machine_and_named_formats_pass():
    assert hand_formats_in_python('x = f"Due {d:%d %B %Y}."') == ["%d %B %Y"]
    assert hand_formats_in_python('d.strftime("%-d %b %Y")') == ["%-d %b %Y"]
    assert hand_formats_in_python('d.strftime("%H:%M")') == ["%H:%M"]
    assert hand_formats_in_python('FORMAT = "%d %B %Y"') == ["%d %B %Y"]
    assert hand_formats_in_python('name = f"export-{day:%Y-%m-%d}.csv"') == []
    assert hand_formats_in_python('f"{n:,} rows, {share:.1f} %"') == []
    assert hand_formats_in_template('{{ d|date:"j F Y" }} {{ t|time:"H:i" }}') == ["H:i", "j F Y"]
    assert (
        hand_formats_in_template(
            """{{ d|date:"DATE_FORMAT" }} <time datetime="{{ d|date:'Y-m-d' }}">{{ d|date:"l" }}"""
        )
        == []
    )


def test_no_python_module_formats_a_date_by_hand():
    found = {
        str(path.relative_to(ROOT)): hits
        for path in source_files(".py")
        if (hits := hand_formats_in_python(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "name a format: django.utils.formats.date_format(value, 'DATE_FORMAT')"


def test_no_template_formats_a_date_by_hand():
    found = {
        str(path.relative_to(ROOT)): hits
        for path in source_files(".html", ".txt", ".svg", ".ics", ".xml")
        if (hits := hand_formats_in_template(path.read_text(encoding="utf-8")))
    }
    assert found == {}, 'name a format: |date:"DATE_FORMAT" (strategy_monitor/formats_locale)'

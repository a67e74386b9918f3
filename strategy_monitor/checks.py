"""System checks (`manage.py check`) for what the server needs beyond its Python packages.

Each check is a function of its own, registered with Django's check framework when the
module is imported (from `StrategyMonitorConfig.ready()`).
"""

import importlib
import logging

from django.core import checks

# The consultation brief's fonts (static/css/brief.css).
BRIEF_FONTS = ("DejaVu Sans", "DejaVu Serif")
# Debian packages: what WeasyPrint loads to lay out and print a PDF, and the brief's fonts.
PDF_LIBRARY_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz0b",
    "libharfbuzz-subset0",
    "libfontconfig1",
)
FONT_PACKAGES = ("fontconfig", "fonts-dejavu-core")

PDF_LIBRARIES_MISSING = "strategy_monitor.E101"
PDF_NO_FONT = "strategy_monitor.E102"
PDF_BRIEF_FONT_MISSING = "strategy_monitor.W103"
UNSAFE_XML_ID = "strategy_monitor.E301"


def _apt_install(packages: tuple[str, ...]) -> str:
    return "Install them with: apt-get install " + " ".join(packages)


def weasyprint_import() -> None:
    """Import WeasyPrint, which loads Pango, HarfBuzz and fontconfig (OSError when missing)."""
    # Its import logs each style sheet it parses at INFO: noise in every command's output.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    importlib.import_module("weasyprint")


def font_family_match(family: str) -> str | None:
    """Return the family fontconfig gives WeasyPrint for `family`, or None if it finds none.

    fontconfig answers with its nearest font when the family is not installed, so the caller
    compares the answer with what it asked for.
    """
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return None
        try:
            name = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(match, b"family", 0, name) != 0:
                return None
            return ffi.string(name[0]).decode()
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


@checks.register("pdf")
def pdf_libraries_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Check that WeasyPrint can load its system libraries and find the brief's fonts."""
    try:
        weasyprint_import()
    except (OSError, ImportError) as error:
        return [
            checks.Error(
                "The PDF brief cannot be printed: WeasyPrint cannot load its system "
                f"libraries (Pango, HarfBuzz, fontconfig): {error}",
                hint=_apt_install(PDF_LIBRARY_PACKAGES + FONT_PACKAGES),
                id=PDF_LIBRARIES_MISSING,
            )
        ]
    found = {family: font_family_match(family) for family in BRIEF_FONTS}
    if not any(found.values()):
        return [
            checks.Error(
                "The PDF brief cannot be printed: fontconfig finds no font at all.",
                hint=_apt_install(FONT_PACKAGES),
                id=PDF_NO_FONT,
            )
        ]
    missing = [
        family
        for family, match in found.items()
        if match is None or match.casefold() != family.casefold()
    ]
    if missing:
        return [
            checks.Warning(
                f"The PDF brief's fonts are not installed ({', '.join(missing)}): it will be "
                "printed in another font.",
                hint=_apt_install(FONT_PACKAGES),
                id=PDF_BRIEF_FONT_MISSING,
            )
        ]
    return []


@checks.register()
def openpyxl_xml_protected_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Refuse a deployment whose openpyxl would expand XML entities of an uploaded workbook.

    openpyxl parses a workbook's sheets through defusedxml only when defusedxml is importable
    and OPENPYXL_DEFUSEDXML is not set to False; without it an imported workbook could expand a
    "billion laughs" bomb or read a server file through an external entity.
    """
    import openpyxl.xml
    import openpyxl.xml.functions

    iterparse_module = getattr(openpyxl.xml.functions.iterparse, "__module__", "")
    if openpyxl.xml.DEFUSEDXML and iterparse_module.startswith("defusedxml"):
        return []
    return [
        checks.Error(
            "openpyxl is not protected against XML entity attacks: uploaded workbooks could "
            "expand entity bombs or read files of the server.",
            hint="Install defusedxml (pinned in pyproject.toml) and leave OPENPYXL_DEFUSEDXML "
            "unset.",
            id=UNSAFE_XML_ID,
        )
    ]

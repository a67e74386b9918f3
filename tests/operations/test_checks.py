"""`manage.py check` says which Debian packages to install when PDF printing cannot work."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from strategy_monitor import checks


def test_pdf_printing_passes_the_check_on_this_machine():
    assert checks.pdf_libraries_check() == []


def test_the_brief_fonts_are_found_through_weasyprints_fontconfig():
    assert checks.font_family_match("DejaVu Serif") == "DejaVu Serif"
    assert checks.font_family_match("DejaVu Sans") == "DejaVu Sans"


def missing_pango():
    raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")


def test_missing_pango_fails_the_check_naming_the_packages(monkeypatch):
    monkeypatch.setattr(checks, "weasyprint_import", missing_pango)
    [error] = checks.pdf_libraries_check()
    assert error.id == checks.PDF_LIBRARIES_MISSING
    assert "libpango-1.0-0" in error.msg
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b" in error.hint
    assert "fonts-dejavu-core" in error.hint


def test_missing_pango_stops_manage_py_check(monkeypatch):
    monkeypatch.setattr(checks, "weasyprint_import", missing_pango)
    with pytest.raises(SystemCheckError, match="apt-get install libpango-1.0-0"):
        call_command("check")


def test_no_font_at_all_fails_the_check(monkeypatch):
    monkeypatch.setattr(checks, "font_family_match", lambda family: None)
    [error] = checks.pdf_libraries_check()
    assert error.id == checks.PDF_NO_FONT
    assert "apt-get install fontconfig fonts-dejavu-core" in error.hint


def test_a_fallback_font_in_place_of_the_brief_fonts_is_a_warning(monkeypatch):
    # fontconfig answers with its nearest font when the family asked for is not installed.
    monkeypatch.setattr(checks, "font_family_match", lambda family: "Liberation Sans")
    [warning] = checks.pdf_libraries_check()
    assert warning.id == checks.PDF_BRIEF_FONT_MISSING
    assert "DejaVu Sans, DejaVu Serif" in warning.msg
    assert "fonts-dejavu-core" in warning.hint

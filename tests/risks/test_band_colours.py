"""The colours of the risk bands: green, amber and red, each with text readable on it (WCAG AA)."""

import colorsys
import re
from pathlib import Path

import pytest

from reports.render import svg
from risks import charts as risk_charts
from risks.choices import SCORED_BANDS, ScoreBand

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "monitor.css"


def luminance(colour: str) -> float:
    """Return the relative luminance of a #rrggbb colour, as WCAG 2 defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_band_colours() -> dict[str, dict[str, str]]:
    text = CSS.read_text()
    found = re.findall(r"--band-(low|medium|high|critical)-(bg|ink|edge): (#[0-9a-f]{6});", text)
    colours: dict[str, dict[str, str]] = {}
    for band, part, colour in found:
        colours.setdefault(band, {})[part] = colour
    return colours


def hue(colour: str) -> str:
    """Return "green", "amber" or "red": the family of a band colour, by its hue angle."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    angle = colorsys.rgb_to_hls(red, green, blue)[0] * 360
    if 80 <= angle <= 170:
        return "green"
    if 30 <= angle <= 60:
        return "amber"
    if angle < 15 or angle > 330:
        return "red"
    return f"another colour ({angle:.0f}°)"


@pytest.mark.parametrize("band", [band.value for band in SCORED_BANDS])
def test_page_band_text_has_aa_contrast_on_its_colour(band):
    colours = css_band_colours()[band]
    assert contrast(colours["bg"], colours["ink"]) >= 4.5


@pytest.mark.parametrize("band", SCORED_BANDS)
def test_brief_band_text_has_aa_contrast_on_its_colour(band):
    assert contrast(svg.BAND_FILL[band], svg.BAND_INK[band]) >= 4.5


def test_bands_run_green_amber_red_on_the_page_and_in_the_brief():
    colours = css_band_colours()
    expected = {"low": "green", "medium": "amber", "high": "red", "critical": "red"}
    assert {band: hue(colours[band]["bg"]) for band in expected} == expected
    assert {band: hue(svg.BAND_FILL[ScoreBand(band)]) for band in expected} == expected
    # The brief draws the same colours as the page.
    assert {band: svg.BAND_FILL[ScoreBand(band)] for band in expected} == {
        band: colours[band]["bg"] for band in expected
    }


@pytest.mark.parametrize("band", SCORED_BANDS)
def test_dashboard_matrix_fills_bands_in_the_colours_of_the_pages(band):
    colours = css_band_colours()[band.value]
    assert risk_charts.BAND_FILL[band] == colours["bg"]
    assert risk_charts.BAND_INK[band] == colours["ink"]

"""The stylesheet's focus ring is seen on every surface it meets, and motion can be turned off.

WCAG 2.1 asks a focus indicator, like any graphic a user needs, for 3:1 contrast against what
is next to it (1.4.11). The ring is one colour, --focus, drawn just outside the focused element:
on the page, on a panel, on the light navy of tabs and rows, and on the navy of the header and
the primary buttons. The contrast is computed here from the stylesheet's custom properties, as
WCAG defines it, so that a new colour cannot slip below it.
"""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "monitor.css"
# The surfaces the ring may sit on, by their custom property.
SURFACES = ("paper", "background", "navy-light", "navy", "navy-dark", "amber-bg", "green-bg")


def custom_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root))


def luminance(colour: str) -> float:
    """Return the relative luminance of a #rrggbb colour (WCAG 2.1)."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#777777") == 1.0
    # The ring the stylesheet had: too faint on the page's background.
    assert round(contrast("#7aa7e0", "#f5f6f8"), 1) == 2.3


def test_the_focus_ring_has_3_to_1_contrast_on_every_surface_it_meets():
    colours = custom_properties(STYLESHEET.read_text(encoding="utf-8"))
    ring = colours["focus"]
    too_faint = {
        surface: round(contrast(ring, colours[surface]), 2)
        for surface in SURFACES
        if contrast(ring, colours[surface]) < 3
    }
    assert not too_faint, f"The focus ring {ring} is too faint on {too_faint}"


def test_every_focus_outline_is_drawn_in_the_focus_colour():
    css = STYLESHEET.read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]*:focus[^{}]*){([^}]*)}", css)
    outlines = [
        (selector.strip(), body) for selector, body in rules if re.search(r"outline\s*:", body)
    ]
    assert outlines, "No rule draws the focus ring"
    for selector, body in outlines:
        outline = re.search(r"outline\s*:\s*([^;]+)", body).group(1)
        assert "var(--focus)" in outline, f"{selector} draws its focus in {outline}"
    assert any("a:focus-visible" in selector for selector, _ in outlines)
    assert any("button:focus-visible" in selector for selector, _ in outlines)


def test_motion_is_turned_off_for_whoever_asks_for_less():
    css = STYLESHEET.read_text(encoding="utf-8")
    query = re.search(r"@media\s*\(prefers-reduced-motion:\s*reduce\)\s*{(.*?)}\s*}", css, re.S)
    assert query, "No rule for prefers-reduced-motion"
    for turned_off in ("animation: none", "transition: none", "scroll-behavior: auto"):
        assert turned_off in query.group(1)

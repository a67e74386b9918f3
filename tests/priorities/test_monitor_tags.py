"""The template tags that render labels and rating cells without a template per cell."""

from django.template import Context, Template
from django.utils.safestring import SafeString

from reports.dashboards import RatingCell


def render(source: str, **context) -> str:
    return Template("{% load monitor %}" + source).render(Context(context))


def test_illustrative_renders_the_label_template():
    html = render("{% illustrative %}")
    assert html == render('{% include "includes/illustrative.html" %}')
    assert 'class="illustrative"' in html


def test_rating_cells_show_symbol_label_tint_and_the_illustrative_mark():
    cells = (
        RatingCell(year=2023, rating="on_track", label="On track", symbol="✓"),
        RatingCell(
            year=2024, rating="off_track", label="Off track", symbol="✕", is_illustrative=True
        ),
        RatingCell(year=2027, rating="", label="", symbol=""),
    )
    html = render("<tr>{% rating_cells cells %}</tr>", cells=cells)
    assert html.count("<td") == 3
    assert '<td class="rating-cell rating-cell-on_track">' in html
    assert "✓</span> On track</td>" in html
    assert '✕</span> Off track <span class="illustrative"' in html
    assert html.count('class="illustrative"') == 1
    assert "rating-cell-outside" in html and "Outside the strategy period" in html


def test_rating_cells_escape_what_they_show():
    hostile = RatingCell(year=2023, rating='x"><script>', label="<b>bold</b>", symbol="<i>")
    html = render("{% rating_cells cells %}", cells=(hostile,))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert isinstance(html, SafeString)

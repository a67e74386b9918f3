"""Template filters for amounts and labels used across the application."""

import functools

from django import template
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from strategy_monitor.formats import (
    amount_exact,
    amount_in_currency,
    amount_in_millions,
    amount_in_millions_fixed,
    figure_grouped,
)

register = template.Library()

ILLUSTRATIVE_TEMPLATE = "includes/illustrative.html"


@register.filter
def million(amount, places: int = 1) -> str:
    """Show an amount in millions as the strategy documents do: 48, 2.5, 17.39."""
    return amount_in_millions(amount, places)


@register.filter
def exact(amount, places: int = 2) -> str:
    """Show an exact amount with thousands separators, e.g. 48,000,000.00."""
    return amount_exact(amount, places)


@register.simple_tag
def money(amount, currency: str = "DKK", places: int = 1):
    """Render an amount in millions to `places` decimals (48.0, 2.5), the exact DKK on hover."""
    if amount is None or amount == "":
        return mark_safe('<span class="muted">–</span>')  # nosec B308 # constant markup
    # A list shows every amount to the same decimal, so that the column reads down; the exact
    # amount is on hover and in the downloads.
    return format_html(
        '<span class="amount" title="{}">{}</span>',
        amount_in_currency(amount, currency),
        amount_in_millions_fixed(amount, places),
    )


@register.filter
def lines(text: str) -> list[str]:
    """Split a text stored one point per line into its points."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def paragraphs(text: str) -> list[str]:
    """Split a text into paragraphs at blank lines."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


@register.filter
def figure(value) -> str:
    """Show an indicator figure grouped, without trailing zeros: 2.5, 18,000; a dash when empty."""
    return figure_grouped(value)


def illustrative_label() -> SafeString:
    """Return the "Illustrative data" label as safe markup, rendered once per language."""
    return _illustrative_label(get_language())


@functools.cache
def _illustrative_label(language: str | None) -> SafeString:
    # render_to_string() returns safe markup: the template escapes what it shows. Keep it whole:
    # a str method such as strip() returns a plain str, which the page would then escape.
    return render_to_string(ILLUSTRATIVE_TEMPLATE)


@receiver(file_changed, dispatch_uid="monitor_illustrative_label_changed")
def _illustrative_label_changed(sender, file_path, **kwargs) -> None:
    # The development server reloads templates without a restart: render the label anew.
    if str(file_path).endswith(ILLUSTRATIVE_TEMPLATE):
        _illustrative_label.cache_clear()
        _rating_cell.cache_clear()


@register.simple_tag
def illustrative():
    """Render the "Illustrative data" label: `{% include "includes/illustrative.html" %}`.

    The label never changes, so it is rendered once, not included anew beside every value that
    carries it: a dashboard table labels hundreds of cells, and the includes were a good part
    of its time.
    """
    return illustrative_label()


RATING_CELL = (
    '<td class="rating-cell rating-cell-{}"><span class="rating-symbol" aria-hidden="true">{}'
    "</span> {}{}</td>"
)
OUTSIDE_PERIOD_CELL = (
    '<td class="rating-cell rating-cell-outside"><span class="visually-hidden">{}</span></td>'
)


@functools.lru_cache(maxsize=64)
def _rating_cell(
    rating: str, symbol: str, label: str, is_illustrative: bool, language: str | None
) -> str:
    if not rating:
        return format_html(OUTSIDE_PERIOD_CELL, gettext("Outside the strategy period"))
    extra = format_html(" {}", illustrative_label()) if is_illustrative else ""
    return format_html(RATING_CELL, rating, symbol, label, extra)


@register.simple_tag
def rating_cells(cells):
    """Render a row of a rating matrix: each year's symbol, label and tint, or outside the period.

    `cells` are `reports.dashboards.RatingCell`s, whose `rating` is empty outside the period.
    One tag per row rather than template markup per cell: the portfolio's matrix has hundreds
    of cells, and their lookups and tags were the largest part of the page's template. A
    matrix has only a few kinds of cell, each rendered once.
    """
    # Each cell is made by format_html(), which escapes the values and keeps the label's markup.
    return format_html_join(
        "",
        "{}",
        (
            (
                _rating_cell(
                    cell.rating, cell.symbol, cell.label, cell.is_illustrative, get_language()
                ),
            )
            for cell in cells
        ),
    )


FINANCE_ACT_SIGN = "§"


@register.filter
def finance_act(code) -> str:
    """Show a Finance Act code with one section sign, "§ 06.32.10.14", however it was typed."""
    code = str(code or "").strip().lstrip(FINANCE_ACT_SIGN).strip()
    return f"{FINANCE_ACT_SIGN} {code}" if code else ""


@register.filter
def for_year(items, year):
    """Return the first of `items` whose `year` is `year`, or None: a table cell's figures."""
    for item in items or ():
        if item.year == year:
            return item
    return None

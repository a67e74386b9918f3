"""Template helpers for the money side: fixed-decimal millions, printed amounts, percentages."""

from decimal import ROUND_HALF_EVEN, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from strategy_monitor.formats import (
    amount_exact,
    amount_in_currency,
    amount_in_millions_fixed,
    amount_printed,
    amount_signed,
)

register = template.Library()


@register.simple_tag
def fixed_million(amount, currency: str = "USD", places: int = 2):
    """Render an amount in millions with fixed decimals, as a table prints it: 4.10."""
    if amount is None or amount == "":
        return mark_safe('<span class="muted">–</span>')  # nosec B308 # constant markup
    return format_html(
        '<span class="amount" title="{}">{}</span>',
        amount_in_currency(amount, currency),
        amount_in_millions_fixed(amount, places),
    )


@register.filter
def printed(amount) -> str:
    """Show a whole amount with thousands separators, a negative one in parentheses: (1,039)."""
    return amount_printed(amount)


@register.filter
def signed(amount) -> str:
    """Show a difference with its sign: +2, −2, 0."""
    return amount_signed(amount)


@register.filter
def pct(value) -> str:
    """Show a percentage to one decimal in the reader's language: 42.5 % (42,5 % in Danish)."""
    if value is None or value == "":
        return "–"
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return f"{number_format(rounded, 1, force_grouping=True)} %"


@register.filter
def exact_dkk(amount) -> str:
    """Show an exact amount with two decimals and thousands separators."""
    return amount_exact(amount)

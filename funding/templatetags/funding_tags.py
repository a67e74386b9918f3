"""Template helpers for the money side: fixed-decimal millions, printed amounts, percentages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

MILLION = Decimal(1_000_000)


@register.simple_tag
def fixed_million(amount, currency: str = "USD", places: int = 2):
    """Render an amount in millions with fixed decimals, as a table prints it: 4.10."""
    if amount is None:
        return mark_safe('<span class="muted">–</span>')  # nosec B308 # constant markup
    value = Decimal(amount) / MILLION
    return format_html(
        '<span class="amount" title="{} {}">{}</span>',
        currency,
        f"{Decimal(amount):,.2f}",
        f"{value:,.{int(places)}f}",
    )


@register.filter
def printed(amount) -> str:
    """Show a whole amount with thousands separators, a negative one in parentheses: (1,039)."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount)
    text = f"{abs(value):,.0f}" if value == value.to_integral_value() else f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


@register.filter
def signed(amount) -> str:
    """Show a difference with its sign: +2, −2, 0."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount)
    text = f"{abs(value):,.0f}" if value == value.to_integral_value() else f"{abs(value):,.2f}"
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return "0"


@register.filter
def pct(value) -> str:
    """Show a percentage to one decimal: 42.5 %."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value):,.1f} %"


@register.filter
def exact_dkk(amount) -> str:
    """Show an exact amount with two decimals and thousands separators."""
    if amount is None or amount == "":
        return "–"
    return f"{Decimal(amount):,.2f}"

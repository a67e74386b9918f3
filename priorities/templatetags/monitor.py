"""Template filters for amounts and labels used across the application."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

MILLION = Decimal(1_000_000)


def _grouped(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


@register.filter
def million(amount, places: int = 1) -> str:
    """Show an amount in millions as the strategy documents do: 48, 2.5, 17.39."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount) / MILLION
    text = _grouped(value, int(places))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@register.filter
def exact(amount, places: int = 2) -> str:
    """Show an exact amount with thousands separators, e.g. 48,000,000.00."""
    if amount is None or amount == "":
        return "–"
    return _grouped(Decimal(amount), int(places))


@register.simple_tag
def money(amount, currency: str = "DKK", places: int = 1):
    """Render an amount in millions with the exact figure on hover."""
    if amount is None:
        return mark_safe('<span class="muted">–</span>')  # nosec B308 # constant markup
    return format_html(
        '<span class="amount" title="{} {}">{}</span>',
        currency,
        exact(amount),
        million(amount, places),
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
    """Show an indicator figure without trailing zeros: 2.5, 4450; a dash when empty."""
    if value is None or value == "":
        return "–"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text

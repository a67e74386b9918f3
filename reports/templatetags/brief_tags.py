"""Template filters of the consultation brief, which prints every amount one way."""

from django import template

from reports.builders import million_text

register = template.Library()


@register.filter
def million_fixed(amount) -> str:
    """Show an amount in DKK million with one decimal, as the brief prints it: 48.0."""
    return million_text(amount)

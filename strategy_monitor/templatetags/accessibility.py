"""The footer's link to the official accessibility statement."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def accessibility_statement_url() -> str:
    """Return the address of the official accessibility statement, or "" when none is set."""
    return settings.ACCESSIBILITY_STATEMENT_URL

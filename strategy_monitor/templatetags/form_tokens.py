"""The `{% form_token %}` tag: a one-time token for the form it stands in."""

from django import template
from django.utils.html import format_html

from strategy_monitor.formtokens import FORM_TOKEN_FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """Render a hidden field holding a fresh one-time token for this form."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, form_token_new()
    )

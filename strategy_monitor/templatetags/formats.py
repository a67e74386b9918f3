"""Template filters over `strategy_monitor.formats`, so that pages write people as code does."""

from django import template

from strategy_monitor import formats

register = template.Library()


@register.filter
def person_name(user) -> str:
    """Show `user` by full name, else by user name; nothing when there is no user."""
    return formats.person_name(user or None)

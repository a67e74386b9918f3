"""Template filters over `strategy_monitor.formats`: pages write people and numbers as code does.

Numbers follow the active language: "1,234.5" and "DKK 48.5m" in English, "1.234,5" and
"48,5 mio. kr." in Danish.
"""

from django import template

from strategy_monitor import formats

register = template.Library()


@register.filter
def person_name(user) -> str:
    """Show `user` by full name, else by user name; nothing when there is no user."""
    return formats.person_name(user or None)


@register.filter
def grouped(value, places=None) -> str:
    """Show a number grouped in the active language, to `places` decimals if given: 1,234.50."""
    if value is None or value == "":
        return formats.DASH
    return formats.number_grouped(value, None if places in (None, "") else int(places))


@register.filter
def figure_grouped(value) -> str:
    """Show a figure grouped, without trailing zeros: 18,000, 2.5; a dash when empty."""
    return formats.figure_grouped(value)


@register.filter
def percent(value, places=1) -> str:
    """Show a percentage to `places` decimals: 42.5 % (Danish 42,5 %)."""
    return formats.percentage(value, int(places))


@register.filter
def millions(amount, currency="DKK") -> str:
    """Show an amount in millions with its currency: DKK 48.5m (Danish 48,5 mio. kr.)."""
    return formats.money_in_millions(amount, currency or "DKK")


@register.filter
def in_currency(amount, currency="DKK") -> str:
    """Show an exact amount with its currency: DKK 48,000,000 (Danish 48.000.000 kr.)."""
    if amount is None or amount == "":
        return formats.DASH
    return formats.amount_in_currency(amount, currency or "DKK")

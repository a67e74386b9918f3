"""How the application writes people and amounts, in one place for every page, message and export.

Each function is one format a reader meets; where two places show an amount differently, they
do so on purpose and call different functions here. Amounts are `Decimal` (or anything
`Decimal()` reads exactly: an int, a string); a missing amount shows as a dash.
"""

from decimal import Decimal

DASH = "–"
MILLION = Decimal(1_000_000)
MINUS = "\u2212"
# The user name of an anonymised (departed) user (strategy_monitor.personal_data).
ANONYMOUS_USERNAME_PREFIX = "former-user-"


def anonymous_name(user_id: int) -> str:
    """Return the name shown for an anonymised user: "Former user <id>"."""
    return f"Former user {user_id}"


def person_name(user, *, default: str = "") -> str:
    """Return the name the application shows for `user`: the full name, else the user name.

    No user (a record made by the system, an unassigned owner) gives `default`; an anonymised
    user reads "Former user <id>".
    """
    if user is None:
        return default
    full_name = user.get_full_name()
    if full_name:
        return full_name
    if user.username == f"{ANONYMOUS_USERNAME_PREFIX}{user.pk}":
        return anonymous_name(user.pk)
    return user.username


def figure_text(value: Decimal | None) -> str:
    """Return a figure as people write it: 2.5, 4450, 12.25 (no trailing zeros)."""
    if value is None:
        return DASH
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def figure_grouped(value: Decimal | int | None) -> str:
    """Return a figure as a page shows it: 18,000, 2.5, 1,234.25 (grouped, no trailing zeros)."""
    if value is None or value == "":
        return DASH
    text = format(Decimal(value), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def amount_exact(amount, places: int = 2) -> str:
    """Return an exact amount with thousands separators, as tables show it: 48,000,000.00."""
    if amount is None or amount == "":
        return DASH
    return f"{Decimal(amount):,.{int(places)}f}"


def amount_in_currency(amount, currency: str = "DKK") -> str:
    """Return an exact amount after its currency, as messages write it: DKK 48,000,000.

    Øre show only where there are some: DKK 1,000.50.
    """
    return f"{currency} {_whole_or_cents(Decimal(amount))}"


def amount_in_millions(amount, places: int = 1) -> str:
    """Return an amount in millions as the strategy documents print it: 48, 2.5, 17.39.

    Rounded to `places` decimals, then without trailing zeros.
    """
    if amount is None or amount == "":
        return DASH
    text = f"{Decimal(amount) / MILLION:,.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def amount_in_millions_fixed(amount, places: int = 2) -> str:
    """Return an amount in millions with a fixed number of decimals, as annex tables do: 4.10."""
    if amount is None or amount == "":
        return DASH
    return f"{Decimal(amount) / MILLION:,.{int(places)}f}"


def _whole_or_cents(value: Decimal) -> str:
    # An amount printed in whole units keeps them; one with cents shows both decimals.
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def amount_printed(amount) -> str:
    """Return an amount as printed in an annex, a negative one in parentheses: 1,039; (1,039)."""
    if amount is None or amount == "":
        return DASH
    value = Decimal(amount)
    text = _whole_or_cents(abs(value))
    return f"({text})" if value < 0 else text


def amount_signed(amount) -> str:
    """Return a difference with its sign, a true minus for a negative one: +2, −2, 0."""
    if amount is None or amount == "":
        return DASH
    value = Decimal(amount)
    if value > 0:
        return f"+{_whole_or_cents(value)}"
    if value < 0:
        return f"{MINUS}{_whole_or_cents(-value)}"
    return "0"


def total_mismatch(stated, computed, *, of: str = "the sum of the years") -> str:
    """Return a warning when a printed total differs from the computed sum, else "".

    Figures are in DKK million as the documents print them: "printed total 2,055 differs from
    the sum of the years, 2,550".
    """
    if stated is None or computed is None or Decimal(stated) == Decimal(computed):
        return ""
    return (
        f"printed total {amount_in_millions(stated, 2)} differs from {of}, "
        f"{amount_in_millions(computed, 2)}"
    )

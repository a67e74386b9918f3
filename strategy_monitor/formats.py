"""How the application writes people and amounts, in one place for every page, message and export.

Each function is one format a reader meets; where two places show an amount differently, they
do so on purpose and call different functions here. Amounts are `Decimal` (or anything
`Decimal()` reads exactly: an int, a string); a missing amount shows as a dash.

Numbers follow the active language through `django.utils.formats`: its separators come from
the language's format module (strategy_monitor.formats_locale), so that English reads
"1,234.5" and Danish "1.234,5". Rounding is done here, before the separators are put in.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import formats as django_formats
from django.utils import numberformat
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

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


def _language() -> str:
    # Outside a request (a command, a job) the default language applies.
    return get_language() or settings.LANGUAGE_CODE


def decimal_separator() -> str:
    """Return the decimal separator of the active language: "." in English, "," in Danish."""
    return django_formats.get_format("DECIMAL_SEPARATOR", _language(), use_l10n=True)


def thousand_separator() -> str:
    """Return the thousands separator of the active language: "," in English, "." in Danish."""
    return django_formats.get_format("THOUSAND_SEPARATOR", _language(), use_l10n=True)


def number_grouped(value, places: int | None = None) -> str:
    """Return `value` with the active language's separators, grouped: 1,234.50 / 1.234,50.

    With `places`, the value is first rounded half to even to that many decimals and keeps
    them; without, it keeps the digits it has.
    """
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-int(places)))
    language = _language()
    return numberformat.format(
        number,
        django_formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        decimal_pos=None if places is None else int(places),
        grouping=django_formats.get_format("NUMBER_GROUPING", language, use_l10n=True),
        thousand_sep=django_formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        force_grouping=True,
        use_l10n=True,
    )


def _without_trailing_zeros(text: str) -> str:
    separator = decimal_separator()
    if separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def figure_text(value: Decimal | None) -> str:
    """Return a figure as a form field reads it back: 2.5, 4450, 12.25 (no trailing zeros).

    Always with a decimal point, which every number field reads; `figure_shown` writes a
    figure for a reader, in the active language.
    """
    if value is None:
        return DASH
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def figure_shown(value: Decimal | None) -> str:
    """Return a figure as a reader of the active language writes it: 2.5 or 2,5, no grouping."""
    if value is None:
        return DASH
    return figure_text(value).replace(".", decimal_separator())


def figure_grouped(value: Decimal | int | None) -> str:
    """Return a figure as a page shows it: 18,000, 2.5, 1,234.25 (grouped, no trailing zeros)."""
    if value is None or value == "":
        return DASH
    return _without_trailing_zeros(number_grouped(value))


def amount_exact(amount, places: int = 2) -> str:
    """Return an exact amount with thousands separators, as tables show it: 48,000,000.00."""
    if amount is None or amount == "":
        return DASH
    return number_grouped(amount, places)


def amount_in_currency(amount, currency: str = "DKK") -> str:
    """Return an exact amount with its currency, as messages write it: DKK 48,000,000.

    Øre show only where there are some: DKK 1,000.50. Danish writes "48.000.000 kr.".
    """
    return _with_currency(_whole_or_cents(Decimal(amount)), currency)


def _with_currency(text: str, currency: str) -> str:
    if currency == "DKK":
        return pgettext("amount in Danish kroner", "DKK %(amount)s") % {"amount": text}
    return pgettext("amount in a currency", "%(currency)s %(amount)s") % {
        "currency": currency,
        "amount": text,
    }


def amount_in_millions(amount, places: int = 1) -> str:
    """Return an amount in millions as the strategy documents print it: 48, 2.5, 17.39.

    Rounded to `places` decimals, then without trailing zeros.
    """
    if amount is None or amount == "":
        return DASH
    return _without_trailing_zeros(number_grouped(Decimal(amount) / MILLION, places)) or "0"


def amount_in_millions_fixed(amount, places: int = 2) -> str:
    """Return an amount in millions with a fixed number of decimals, as annex tables do: 4.10."""
    if amount is None or amount == "":
        return DASH
    return number_grouped(Decimal(amount) / MILLION, places)


def money_in_millions(amount, currency: str = "DKK", places: int = 1) -> str:
    """Return an amount in millions with its currency, as a sentence writes it: DKK 48.5m.

    Danish writes "48,5 mio. kr."; trailing zeros are dropped as in `amount_in_millions`.
    """
    if amount is None or amount == "":
        return DASH
    text = amount_in_millions(amount, places)
    if currency == "DKK":
        return pgettext("amount in millions of Danish kroner", "DKK %(amount)sm") % {"amount": text}
    return pgettext("amount in millions of a currency", "%(currency)s %(amount)sm") % {
        "currency": currency,
        "amount": text,
    }


def percentage(value, places: int = 1) -> str:
    """Return a percentage to `places` decimals, with a space before the sign: 42.5 %."""
    if value is None or value == "":
        return DASH
    # Both languages put a space before the sign.
    return f"{number_grouped(value, places)} %"


def _whole_or_cents(value: Decimal) -> str:
    # An amount printed in whole units keeps them; one with cents shows both decimals.
    if value == value.to_integral_value():
        return number_grouped(value, 0)
    return number_grouped(value, 2)


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


# What a printed total is compared with; callers pass one of these, which are translated here.
SUM_OF_YEARS = gettext_noop("the sum of the years")
SUM_OF_LINES = gettext_noop("the sum of its lines")


def total_mismatch(stated, computed, *, of: str = SUM_OF_YEARS) -> str:
    """Return a warning when a printed total differs from the computed sum, else "".

    Figures are in DKK million as the documents print them: "printed total 2,055 differs from
    the sum of the years, 2,550".
    """
    if stated is None or computed is None or Decimal(stated) == Decimal(computed):
        return ""
    return gettext("printed total %(stated)s differs from %(of)s, %(computed)s") % {
        "stated": amount_in_millions(stated, 2),
        "of": gettext(of),
        "computed": amount_in_millions(computed, 2),
    }

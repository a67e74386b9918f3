"""Form helpers shared by every app."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from strategy_monitor.formats import (
    amount_exact,
    amount_in_currency,
    decimal_separator,
    figure_grouped,
    figure_shown,
)


def form_add_error(form, error: ValidationError) -> None:
    """Copy a service's ValidationError onto `form`, next to the fields it names.

    Errors on fields the form does not show go to the top of the form, so that no message is
    lost.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def error_codes(error: ValidationError) -> set[str]:
    """Return every code in `error`, whether it holds a list or a dict of errors."""
    if hasattr(error, "error_dict"):
        return {item.code for errors in error.error_dict.values() for item in errors}
    return {item.code for item in error.error_list}


def form_values(form, names) -> dict:
    """Return the cleaned values of the form's fields among `names`, for a service's keywords."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- Amounts as people write them -----------------------------------------------------------

MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")
UNIT_DKK = "DKK"
UNIT_MILLION = "DKK million"
# The units as a reader sees them beside a field and in its label.
UNIT_LABELS = {
    UNIT_DKK: pgettext_lazy("unit of an amount", "DKK"),
    UNIT_MILLION: pgettext_lazy("unit of an amount", "DKK million"),
}
# Words after a number that put it in millions, whatever the field's unit: 48 mio., 48,5 m.
MILLION_WORDS = re.compile(r"^(?P<number>.*?)\s*(mio|mio\.|m|mn|mill\.|million|millions)$", re.I)
# Spaces and underscores people group thousands with: 48 000 000, 48_000_000.
GROUPING_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "_")
# A whole number, or one point or comma before its decimals: 48, 48.5, 48,5, 0.125, 1234.567.
AMOUNT_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
# Thousands grouped by points or commas, the decimals after the other sign: 1.234,5 or 1,234.5.
AMOUNT_GROUPED = {
    ".": re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$"),
    ",": re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$"),
}
# One point or comma followed by exactly three digits, after a number that does not start with
# 0: "48,500" is 48,500 to an English reader and 48.5 to a Danish one.
AMOUNT_AMBIGUOUS = re.compile(r"^(?P<whole>[1-9]\d{0,2})[.,](?P<part>\d{3})$")


def _ambiguous(typed: str, whole: str, part: str) -> ValidationError:
    decimal = figure_shown(Decimal(f"{whole}.{part}").normalize())
    thousands = int(f"{whole}{part}")
    return ValidationError(
        _("“%(typed)s” could mean %(decimal)s or %(grouped)s — write %(decimal)s or %(thousands)s.")
        % {
            "typed": typed,
            "decimal": decimal,
            "grouped": figure_grouped(thousands),
            "thousands": thousands,
        },
        code="ambiguous",
    )


def number_read(raw: str, *, typed: str | None = None, invalid) -> Decimal:
    """Return the number `raw` as a Danish or an English reader writes it, never guessed.

    "1.234,5" and "1,234.5" are the same number, as are "48,5" and "48.5"; spaces may group
    thousands. A number the two readers read differently ("18,000") is refused with both
    readings (code "ambiguous"); anything else that is not a number with the message `invalid`
    (code "invalid"). `typed` is what the user typed, quoted in the message.
    """
    typed = raw if typed is None else typed
    for space in GROUPING_SPACES:
        raw = raw.replace(space, "")
    ambiguous = AMOUNT_AMBIGUOUS.match(raw)
    if ambiguous:
        raise _ambiguous(typed, ambiguous["whole"], ambiguous["part"])
    if AMOUNT_PLAIN.match(raw):
        return Decimal(raw.replace(",", "."))
    if AMOUNT_GROUPED["."].match(raw):
        return Decimal(raw.replace(".", "").replace(",", "."))
    if AMOUNT_GROUPED[","].match(raw):
        return Decimal(raw.replace(",", ""))
    raise ValidationError(invalid, code="invalid")


def number_field_text(value: Decimal) -> str:
    """Return a number as a field shows it back in the active language: 2.5 or 2,5, ungrouped.

    A number with exactly three decimals gets a fourth, so that it never reads as thousands
    ("2.055" would be refused as ambiguous when sent back).
    """
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if AMOUNT_AMBIGUOUS.match(text):
        text += "0"
    return text.replace(".", decimal_separator())


def amount_parse(text: str, *, unit: str = UNIT_DKK) -> Decimal:
    """Return the exact DKK of `text`, typed in `unit` as a Danish or English reader would.

    A bare number is in `unit` (DKK or DKK million); "mio.", "m" or "million" after it puts it
    in millions. Points and commas mean what they mean to both readers: "48.000.000,00" and
    "48,000,000.00" are the same amount. A figure that the two read differently ("48,500") is
    refused with both readings, never guessed. Raise `ValidationError` with the code "invalid",
    "ambiguous", "negative" or "too_precise"; the sign is the field's business.
    """
    typed = str(text).strip()
    raw = typed
    in_millions = unit == UNIT_MILLION
    words = MILLION_WORDS.match(raw)
    if words and words["number"]:
        raw, in_millions = words["number"], True
    number = number_read(raw, typed=typed, invalid=AMOUNT_INVALID[unit])
    amount = number * (MILLION if in_millions else 1)
    if amount != amount.quantize(CENT):
        if in_millions:
            message = _("An amount is kept to the øre: give at most eight decimals in DKK million.")
        else:
            message = _("An amount is kept to the øre: give at most two decimals in DKK.")
        raise ValidationError(message, code="too_precise")
    return amount.quantize(CENT)


AMOUNT_INVALID = {
    UNIT_DKK: gettext_lazy(
        "Enter the amount in DKK as a number, e.g. 48000000, 48,000,000, 48.000.000,00 "
        "or 48,5 mio., without the currency."
    ),
    UNIT_MILLION: gettext_lazy(
        "Enter the amount in DKK million as printed, e.g. 48, 48.5 or 48,5, without the currency."
    ),
}


def millions_parse(text: str) -> Decimal:
    """Return the exact amount in DKK of `text`, a figure in millions as a document prints it."""
    return amount_parse(text, unit=UNIT_MILLION)


def millions_format(amount: Decimal | None) -> str:
    """Return an amount in DKK as millions, as the field reads it back: 48.5, 2.0550.

    No more decimals than it needs, except that a figure with exactly three decimals gets a
    fourth, so that it never reads as thousands ("2.055" would be refused as ambiguous).
    """
    if amount is None:
        return ""
    return number_field_text(Decimal(amount) / MILLION)


def dkk_format(amount: Decimal | None) -> str:
    """Return an amount in DKK as the field reads it back, grouped and with øre: 1,000.00."""
    if amount is None:
        return ""
    return amount_exact(amount, 2)


class AmountInput(forms.TextInput):
    """A text box for an amount, its unit after it and, once typed, the exact amount in DKK."""

    def __init__(self, attrs=None, *, unit: str = UNIT_DKK):
        self.unit = unit
        super().__init__(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                # static/js/amount-echo.js echoes the exact DKK under the field while typing.
                "data-amount-unit": unit,
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        exact = ""
        if value not in (None, ""):
            try:
                amount = amount_parse(str(value), unit=self.unit)
            except ValidationError:
                amount = None
            if amount is not None:
                exact = format_html(
                    ' <span class="amount-exact" id="{}_exact">= {}</span>',
                    (attrs or {}).get("id", name),
                    amount_in_currency(amount),
                )
        return format_html(
            '<span class="amount-input">{}<span class="amount-unit" aria-hidden="true">{}'
            "</span></span>{}",
            html,
            UNIT_LABELS.get(self.unit, self.unit),
            exact,
        )


class AmountBoundField(forms.BoundField):
    """An amount's field, its label naming the unit unless the label already does."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        unit = str(UNIT_LABELS.get(field.unit, field.unit))
        if unit not in str(self.label):
            self.label = f"{self.label} ({unit})"


class AmountField(forms.DecimalField):
    """An amount of money typed as people write it, kept as exact DKK; the one amount parser.

    A bare number is in the field's `unit`, DKK or DKK million (budget amounts are typed in
    millions, as the documents print them; commitments, disbursements and allocations in DKK).
    Never read through a float. Negative amounts are refused unless `allow_negative`; the
    amounts whose model refuses them anyway keep the model's message.
    """

    unit = UNIT_DKK
    default_error_messages = {
        "invalid": AMOUNT_INVALID[UNIT_DKK],
        "negative": gettext_lazy("An amount cannot be negative."),
    }

    def __init__(self, *, allow_negative: bool = True, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", AmountInput(unit=self.unit))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            # A float has already lost the exact amount; refuse rather than guess.
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = str(value).strip().replace("\u2212", "-")
        negative = text.startswith("-")
        if negative and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        try:
            amount = amount_parse(text.removeprefix("-"), unit=self.unit)
        except ValidationError as error:
            if error.code == "invalid":
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            raise
        return -amount if negative else amount

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return dkk_format(Decimal(value))
        return value

    def get_bound_field(self, form, field_name):
        return AmountBoundField(form, self, field_name)

    def widget_attrs(self, widget):
        # A text box, not a number spinner: no step or min attributes that invite floats.
        return {}


class MillionAmountField(AmountField):
    """An amount typed in DKK million as the document prints it, kept as exact DKK.

    "48", "48.5", "0.75" and the Danish "48,5" give 48,500,000.00; the form shows a stored
    amount back in millions. Negative amounts are refused unless `allow_negative`.
    """

    unit = UNIT_MILLION
    default_error_messages = {
        "invalid": AMOUNT_INVALID[UNIT_MILLION],
        "max_digits": gettext_lazy(
            "That amount is too large for DKK million: type it in DKK million as printed, "
            "e.g. 400 for DKK 400 million."
        ),
    }

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("DKK million, as printed."))
        super().__init__(allow_negative=allow_negative, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return millions_format(Decimal(value))
        return value

"""Form helpers shared by every app."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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


# --- Amounts typed in millions, as the documents print them ------------------------------------

MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")
# A plain number, with a point or a comma before its decimals: 48, 48.5, 0.75, 48,5.
MILLIONS_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
# Thousands grouped by points or commas, the decimals after the other sign: 1.234,5 or 1,234.5.
MILLIONS_GROUPED = {
    ".": re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$"),
    ",": re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$"),
}
# One point or comma followed by exactly three digits, after a number that does not start with
# 0: "2.055" is 2,055 million in Danish print and 2.055 million in English.
MILLIONS_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")


def millions_parse(text: str) -> Decimal:
    """Return the exact amount in DKK of `text`, a figure in millions as a document prints it.

    Raise `ValidationError` (code "invalid" or "ambiguous") for anything else.
    """
    raw = str(text).strip()
    for space in (" ", "\u00a0", "\u202f", "_"):
        raw = raw.replace(space, "")
    if MILLIONS_AMBIGUOUS.match(raw):
        whole, decimals = raw[:-4], raw[-3:]
        raise ValidationError(
            f"“{text.strip()}” could be {whole}{decimals} million or {whole}.{decimals} million: "
            f"type {whole}{decimals} for the first, {whole}.{decimals}0 for the second.",
            code="ambiguous",
        )
    if MILLIONS_PLAIN.match(raw):
        number = raw.replace(",", ".")
    elif MILLIONS_GROUPED["."].match(raw):
        number = raw.replace(".", "").replace(",", ".")
    elif MILLIONS_GROUPED[","].match(raw):
        number = raw.replace(",", "")
    else:
        raise ValidationError(MillionAmountField.default_error_messages["invalid"], code="invalid")
    amount = Decimal(number) * MILLION
    if amount != amount.quantize(CENT):
        raise ValidationError(
            "Give at most eight decimals in millions: an amount is kept to the øre.",
            code="too_precise",
        )
    return amount.quantize(CENT)


def millions_format(amount: Decimal | None) -> str:
    """Return an amount in DKK as millions, with no more decimals than it needs: 48.5."""
    if amount is None:
        return ""
    millions = (Decimal(amount) / MILLION).normalize()
    return format(millions, "f")


class MillionAmountField(forms.DecimalField):
    """An amount typed in DKK million as the document prints it, kept as exact DKK.

    "48", "48.5", "0.75" and the Danish "48,5" give 48,500,000.00 and so on; the form shows a
    stored amount back in millions. Negative amounts are refused unless `allow_negative`.
    """

    default_error_messages = {
        "invalid": (
            "Enter the amount in DKK million as printed, e.g. 48, 48.5, 0.75 or 48,5, "
            "without the word million or a currency."
        ),
        "negative": "An amount cannot be negative.",
        "max_digits": (
            "That amount is too large for DKK million: type it in DKK million as printed, "
            "e.g. 400 for DKK 400 million."
        ),
    }

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        kwargs.setdefault("help_text", "DKK million, as printed.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = str(value).strip().replace("\u2212", "-")
        negative = text.startswith("-")
        if negative and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        amount = millions_parse(text.lstrip("-"))
        return -amount if negative else amount

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return millions_format(Decimal(value))
        return value

    def widget_attrs(self, widget):
        # A text box, not a number spinner: no step or min attributes that invite floats.
        return {}

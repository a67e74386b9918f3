"""Amounts typed in DKK million as the documents print them, kept as exact DKK."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from strategy_monitor.forms import MillionAmountField, millions_format


class AmountForm(forms.Form):
    amount = MillionAmountField(required=False)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("48", "48000000.00"),
        ("48.5", "48500000.00"),
        ("0.75", "750000.00"),
        ("48,5", "48500000.00"),
        (" 100 ", "100000000.00"),
        ("0.125", "125000.00"),
        ("2.0550", "2055000.00"),
        ("1 250", "1250000000.00"),
        ("1.234.567", "1234567000000.00"),
        ("1,234.5", "1234500000.00"),
        ("1.234,5", "1234500000.00"),
        ("0.00000001", "0.01"),
    ],
)
def test_typed_millions_are_kept_as_exact_dkk(typed, kept):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(kept)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("48m", "invalid"),
        ("DKK 48", "invalid"),
        ("48 million", "invalid"),
        ("4,8,5", "invalid"),
        ("-1", "negative"),
        ("2.055", "ambiguous"),
        ("2,055", "ambiguous"),
        ("0.000000001", "too_precise"),
    ],
)
def test_anything_else_is_refused_with_a_clear_message(typed, code):
    field = MillionAmountField()
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.code == code


def test_ambiguous_thousands_say_both_readings():
    with pytest.raises(ValidationError) as refused:
        MillionAmountField().clean("2.055")
    assert "2055 million or 2.055 million" in refused.value.messages[0]


def test_negative_amounts_only_where_allowed():
    assert MillionAmountField(allow_negative=True).clean("-1.5") == Decimal("-1500000.00")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("48000000.00", "48"), ("48500000.00", "48.5"), ("750000.00", "0.75"), ("100000000", "100")],
)
def test_stored_amounts_are_shown_back_in_millions(stored, shown):
    assert millions_format(Decimal(stored)) == shown
    form = AmountForm(initial={"amount": Decimal(stored)})
    assert f'value="{shown}"' in str(form["amount"])


def test_unchanged_amount_is_not_a_change():
    form = AmountForm({"amount": "48"}, initial={"amount": Decimal("48000000.00")})
    assert not form.has_changed()

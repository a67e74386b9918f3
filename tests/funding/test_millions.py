"""Amounts typed as people write them: in the field's unit, Danish or English, kept as exact DKK."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from strategy_monitor.forms import (
    AmountField,
    MillionAmountField,
    amount_parse,
    millions_format,
)


class AmountForm(forms.Form):
    amount = MillionAmountField(required=False)


class DkkForm(forms.Form):
    amount = AmountField(required=False)


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
        # The words for millions change nothing in a field that is in millions already.
        ("48m", "48000000.00"),
        ("48 mio.", "48000000.00"),
        ("48,5 mio.", "48500000.00"),
        ("48 million", "48000000.00"),
        # Exact DKK, grouped as either reader groups it, is still read in the field's unit.
        ("48.000.000,00", "48000000000000.00"),
    ],
)
def test_typed_millions_are_kept_as_exact_dkk(typed, kept):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(kept)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # A bare number is in DKK.
        ("48000000", "48000000.00"),
        ("1000.25", "1000.25"),
        # English grouping, with and without øre.
        ("48,000,000", "48000000.00"),
        ("48,000,000.00", "48000000.00"),
        # Danish grouping, with and without øre.
        ("48.000.000", "48000000.00"),
        ("48.000.000,00", "48000000.00"),
        ("1.000,5", "1000.50"),
        # Spaces and underscores group thousands in both.
        ("48 000 000", "48000000.00"),
        ("1_000.5", "1000.50"),
        # A decimal comma or point that cannot be a thousands group.
        ("48,5", "48.50"),
        ("0.125", None),
        # "mio.", "mio", "m" and "million" force millions.
        ("48 mio.", "48000000.00"),
        ("48 mio", "48000000.00"),
        ("48m", "48000000.00"),
        ("48 M", "48000000.00"),
        ("48 million", "48000000.00"),
        ("48,5 mio.", "48500000.00"),
        ("48.5m", "48500000.00"),
        ("2,055.5 mio.", "2055500000.00"),
    ],
)
def test_typed_dkk_are_kept_as_exact_dkk(typed, kept):
    form = DkkForm({"amount": typed})
    if kept is None:
        # 0.125 has three decimals: both readers read it so, and the øre refuse it.
        assert form.errors.as_data()["amount"][0].code == "too_precise"
        return
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(kept)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DKK 48", "invalid"),
        ("48 kr.", "invalid"),
        ("4,8,5", "invalid"),
        ("1,00,000", "invalid"),
        ("1e5", "invalid"),
        ("m", "invalid"),
        ("abc", "invalid"),
        ("48.000,000.00", "invalid"),
        ("-1", "negative"),
        ("−1 mio.", "negative"),
        ("2.055", "ambiguous"),
        ("2,055", "ambiguous"),
        ("48,500 mio.", "ambiguous"),
        ("0.000000001", "too_precise"),
    ],
)
def test_anything_else_in_millions_is_refused_with_a_clear_message(typed, code):
    field = MillionAmountField()
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("48.000", "ambiguous"),
        ("48,500", "ambiguous"),
        ("1.000", "ambiguous"),
        ("DKK 100", "invalid"),
        ("12,5,0", "invalid"),
        ("1,00,000", "invalid"),
        ("1e5", "invalid"),
        ("12.3456", "too_precise"),
        ("12345678901234567", "max_digits"),
    ],
)
def test_anything_else_in_dkk_is_refused_with_a_clear_message(typed, code):
    with pytest.raises(ValidationError) as refused:
        AmountField().clean(typed)
    assert {error.code for error in refused.value.error_list} == {code}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("48,500", "“48,500” could mean 48.5 or 48,500 — write 48.5 or 48500."),
        ("48.000", "“48.000” could mean 48 or 48,000 — write 48 or 48000."),
        ("2.055 mio.", "“2.055 mio.” could mean 2.055 or 2,055 — write 2.055 or 2055."),
    ],
)
def test_ambiguous_thousands_offer_both_readings(typed, message):
    with pytest.raises(ValidationError) as refused:
        amount_parse(typed)
    assert refused.value.messages == [message]


def test_negative_amounts_only_where_allowed():
    assert MillionAmountField(allow_negative=True).clean("-1.5") == Decimal("-1500000.00")
    # The models of commitments, disbursements and allocations refuse them with their own word.
    assert AmountField().clean("-5") == Decimal("-5.00")
    with pytest.raises(ValidationError) as refused:
        AmountField(allow_negative=False).clean("-5")
    assert refused.value.code == "negative"


def test_a_float_is_refused_rather_than_rounded():
    with pytest.raises(ValidationError) as refused:
        AmountField().clean(0.1)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("48000000.00", "48"),
        ("48500000.00", "48.5"),
        ("750000.00", "0.75"),
        ("100000000", "100"),
        # Three decimals would read as thousands and be refused when saved unchanged.
        ("2055000.00", "2.0550"),
    ],
)
def test_stored_amounts_are_shown_back_in_millions(stored, shown):
    assert millions_format(Decimal(stored)) == shown
    form = AmountForm(initial={"amount": Decimal(stored)})
    assert f'value="{shown}"' in str(form["amount"])
    assert AmountForm({"amount": shown}, initial={"amount": Decimal(stored)}).is_valid()


@pytest.mark.parametrize("stored", ["1000.00", "48000000.00", "0.50", "1000.25"])
def test_stored_dkk_are_shown_back_so_that_they_read_the_same(stored):
    form = DkkForm(initial={"amount": Decimal(stored)})
    shown = f"{Decimal(stored):,.2f}"
    assert f'value="{shown}"' in str(form["amount"])
    again = DkkForm({"amount": shown}, initial={"amount": Decimal(stored)})
    assert again.is_valid()
    assert not again.has_changed()


def test_unchanged_amount_is_not_a_change():
    form = AmountForm({"amount": "48"}, initial={"amount": Decimal("48000000.00")})
    assert not form.has_changed()


def test_the_field_shows_its_unit_in_the_label_and_after_the_box():
    millions, dkk = AmountForm()["amount"], DkkForm()["amount"]
    assert millions.label == "Amount (DKK million)"
    assert dkk.label == "Amount (DKK)"
    assert '<span class="amount-unit" aria-hidden="true">DKK million</span>' in str(millions)
    assert '<span class="amount-unit" aria-hidden="true">DKK</span>' in str(dkk)


def test_a_label_that_names_the_unit_keeps_it_once():
    class Revised(forms.Form):
        amount = MillionAmountField(label="Revised amount (DKK million)")

    assert Revised()["amount"].label == "Revised amount (DKK million)"


def test_the_field_echoes_the_exact_dkk_of_what_was_typed():
    form = AmountForm({"amount": "48,5"})
    assert '<span class="amount-exact" id="id_amount_exact">= DKK 48,500,000</span>' in str(
        form["amount"]
    )
    assert "= DKK 48,000,000" in str(DkkForm({"amount": "48 mio."})["amount"])
    # Nothing to echo for an amount that could not be read.
    assert "amount-exact" not in str(DkkForm({"amount": "48,500"})["amount"])

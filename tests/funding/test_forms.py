"""Forms read amounts straight into Decimal and refuse what is not a plain amount."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.forms import AmountField, DisbursementForm
from strategy_monitor.forms import error_codes
from tests.funding.factories import budget_create


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("48000000", Decimal("48000000")),
        ("48,000,000.00", Decimal("48000000.00")),
        ("48 000 000", Decimal("48000000")),
        (" 0.01 ", Decimal("0.01")),
        ("1_000.5", Decimal("1000.5")),
        ("-5", Decimal("-5")),
    ],
)
def test_amount_field_reads_plain_and_grouped_amounts(typed, expected):
    value = AmountField().clean(typed)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12,5", "invalid"),
        ("1e5", "invalid"),
        ("abc", "invalid"),
        ("DKK 100", "invalid"),
        ("1,00,000", "invalid"),
        ("12.345", "max_decimal_places"),
        ("12345678901234567", "max_digits"),
    ],
)
def test_amount_field_refuses_malformed_amounts(typed, code):
    field = AmountField()
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert error_codes(refused.value) == {code}


def test_amount_field_refuses_a_float():
    with pytest.raises(ValidationError) as refused:
        AmountField().clean(0.1)
    assert error_codes(refused.value) == {"invalid"}


@pytest.mark.django_db
def test_disbursement_year_defaults_to_the_year_it_is_paid_in(strategy):
    lines = budget_create(strategy)
    form = DisbursementForm(
        {"line": lines["a"].pk, "paid_on": "2025-03-14", "year": "", "amount": "1,000.25"},
        strategy=strategy,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["year"] == 2025
    assert form.cleaned_data["amount"] == Decimal("1000.25")
    assert form.cleaned_data["paid_on"] == datetime.date(2025, 3, 14)


@pytest.mark.django_db
def test_disbursement_form_shows_a_negative_amount_next_to_the_field(strategy):
    lines = budget_create(strategy)
    form = DisbursementForm(
        {"line": lines["a"].pk, "paid_on": "2025-03-14", "year": "2025", "amount": "-10"},
        strategy=strategy,
    )
    assert not form.is_valid()
    assert form.errors.as_data()["amount"][0].code == "not_positive"


@pytest.mark.django_db
def test_disbursement_form_offers_only_the_strategys_lines(strategy, other_strategy):
    budget_create(strategy)
    foreign = budget_create(other_strategy)
    form = DisbursementForm(
        {"line": foreign["a"].pk, "paid_on": "2025-03-14", "amount": "10"}, strategy=strategy
    )
    assert not form.is_valid()
    assert form.errors.as_data()["line"][0].code == "invalid_choice"

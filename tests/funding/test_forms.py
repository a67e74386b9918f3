"""Forms read amounts straight into Decimal and refuse what is not a plain amount."""

import datetime
from decimal import Decimal

import pytest

from funding.forms import DisbursementForm
from tests.funding.factories import budget_create


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

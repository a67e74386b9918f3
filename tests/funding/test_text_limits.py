"""Funding notes and descriptions are bounded in forms, full_clean and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from funding.models import Allocation, Commitment
from strategy_monitor.validators import TEXT_MAX_LENGTH
from tests.funding.factories import AllocationFactory, CommitmentFactory, budget_create

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


@pytest.fixture
def commitment(strategy):
    return CommitmentFactory(line=budget_create(strategy)["a"])


def test_full_clean_rejects_a_commitment_note_over_10000_characters(commitment):
    commitment.note = TOO_LONG
    with pytest.raises(ValidationError) as caught:
        commitment.full_clean()
    assert field_codes(caught.value, "note") == {"max_length"}


def test_database_refuses_a_long_commitment_note(commitment):
    commitment.note = TOO_LONG
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(note=TOO_LONG)


def test_database_refuses_a_long_allocation_description():
    allocation = AllocationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(description=TOO_LONG)


def test_commitment_reference_with_a_line_break_is_refused(commitment):
    commitment.reference = "2024-1\nBcc: everyone"
    with pytest.raises(ValidationError) as caught:
        commitment.full_clean()
    assert field_codes(caught.value, "reference") == {"line_break"}


def test_commitment_form_shows_a_character_counter_for_the_note(client_finance, strategy):
    budget_create(strategy)
    response = client_finance.get(
        reverse("funding:commitment_create", kwargs={"slug": strategy.slug})
    )
    content = response.content.decode()
    assert 'maxlength="10000"' in content
    assert "0 of 10,000 characters" in content
    assert 'data-counter-for="id_note"' in content

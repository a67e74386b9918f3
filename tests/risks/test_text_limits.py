"""Risk texts are bounded in forms, full_clean and the database; risk titles are one line."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from risks.models import Risk, RiskRating
from strategy_monitor.validators import TEXT_MAX_LENGTH
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


@pytest.fixture
def risk(strategy):
    return RiskFactory(strategy=strategy)


@pytest.mark.parametrize("field", ["description", "response", "closed_reason"])
def test_full_clean_rejects_a_risk_text_over_10000_characters(risk, field):
    setattr(risk, field, TOO_LONG)
    with pytest.raises(ValidationError) as caught:
        risk.full_clean()
    assert field_codes(caught.value, field) == {"max_length"}


@pytest.mark.parametrize("field", ["description", "response", "residual_justification"])
def test_database_refuses_a_long_risk_text(risk, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(**{field: TOO_LONG})


def test_database_refuses_a_long_rating_note(risk):
    rating = RiskRatingFactory(risk=risk)
    rating.note = TOO_LONG
    with pytest.raises(IntegrityError), transaction.atomic():
        rating.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskRating.objects.filter(pk=rating.pk).update(note=TOO_LONG)


def test_risk_title_with_a_line_break_or_over_200_characters_is_refused(risk):
    risk.title = "Weak core\nstructure"
    with pytest.raises(ValidationError) as caught:
        risk.full_clean()
    assert field_codes(caught.value, "title") == {"line_break"}
    risk.title = "x" * 201
    with pytest.raises(ValidationError) as caught:
        risk.full_clean()
    assert field_codes(caught.value, "title") == {"max_length"}


def test_risk_form_shows_counters_for_title_and_texts(client_desk, strategy):
    response = client_desk.get(reverse("risks:risk_create", kwargs={"slug": strategy.slug}))
    content = response.content.decode()
    assert 'maxlength="200"' in content
    assert "0 of 200 characters" in content
    assert 'data-counter-for="id_description"' in content
    assert "0 of 10,000 characters" in content

"""Priorities texts are bounded in forms, in full_clean and in the database; titles are one line."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from priorities.models import Assessment, Strategy
from strategy_monitor.validators import DOCUMENT_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH
from tests.priorities.builders import area_with_nodes
from tests.priorities.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "iom_2023_2026.json"


def rating_url(area, year: int = 2024) -> str:
    return reverse(
        "priorities:assessment_edit",
        kwargs={"slug": area.strategy.slug, "pk": area.pk, "year": year},
    )


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


@pytest.fixture
def assessment(strategy):
    area, _ = area_with_nodes(strategy)
    return AssessmentFactory(priority_area=area)


def test_full_clean_accepts_a_narrative_of_exactly_10000_characters(assessment):
    assessment.narrative = "x" * TEXT_MAX_LENGTH
    assessment.full_clean()


def test_full_clean_rejects_a_narrative_of_10001_characters(assessment):
    assessment.narrative = "x" * (TEXT_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as caught:
        assessment.full_clean()
    assert field_codes(caught.value, "narrative") == {"max_length"}


def test_database_refuses_a_long_narrative_saved_without_full_clean(assessment):
    assessment.narrative = "x" * (TEXT_MAX_LENGTH + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()


def test_database_refuses_a_long_narrative_written_by_a_queryset_update(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(narrative="x" * (TEXT_MAX_LENGTH + 1))


def test_strategy_chapter_holds_a_long_document_chapter_but_not_more(strategy):
    strategy.lessons_learnt = "x" * 10_490
    strategy.full_clean()
    strategy.lessons_learnt = "x" * (DOCUMENT_TEXT_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as caught:
        strategy.full_clean()
    assert field_codes(caught.value, "lessons_learnt") == {"max_length"}
    with pytest.raises(IntegrityError), transaction.atomic():
        strategy.save()


def test_strategy_title_over_200_characters_is_refused(strategy):
    strategy.title = "x" * 201
    with pytest.raises(ValidationError) as caught:
        strategy.full_clean()
    assert field_codes(caught.value, "title") == {"max_length"}


def test_strategy_title_with_a_line_break_is_refused(strategy):
    strategy.title = "Strategy for IOM\n2023-2026"
    with pytest.raises(ValidationError) as caught:
        strategy.full_clean()
    assert field_codes(caught.value, "title") == {"line_break"}


def test_rating_form_shows_a_character_counter(client_desk, assessment):
    response = client_desk.get(rating_url(assessment.priority_area))
    content = response.content.decode()
    assert 'maxlength="10000"' in content
    assert "20 of 10,000 characters" in content  # "Progress as planned."
    assert 'aria-live="polite"' in content
    assert 'data-counter-for="id_narrative"' in content
    assert "js/char-counter.js" in content


def test_rating_form_refuses_an_overlong_narrative_next_to_the_field(client_desk, assessment):
    response = client_desk.post(
        rating_url(assessment.priority_area),
        {"rating": "off_track", "narrative": "x" * (TEXT_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["narrative"]] == [
        "max_length"
    ]
    assert "10,001 of 10,000 characters" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.narrative == "Progress as planned."


def test_every_fixture_text_fits_its_field():
    for row in json.loads(FIXTURE.read_text()):
        model = apps.get_model(row["model"])
        for name, value in row["fields"].items():
            field = model._meta.get_field(name)
            if isinstance(value, str) and hasattr(field, "max_length") and field.max_length:
                try:
                    field.run_validators(value)
                except ValidationError as error:  # pragma: no cover - the message names the row
                    pytest.fail(f"{row['model']}.{name}: {error.messages}")


def test_trim_migration_shortens_an_overlong_title_in_the_history(strategy):
    # The history column shrinks to 200 characters; SQLite would keep a longer value as it is.
    if connection.vendor != "sqlite":
        pytest.skip(
            "PostgreSQL's varchar(200) refuses the over-long value this test plants; there the "
            "migration trims the rows before the column shrinks"
        )
    history = Strategy.history.model
    row = history.objects.filter(id=strategy.pk).latest("history_id")
    history.objects.filter(pk=row.pk).update(title="y" * 250)
    migration = importlib.import_module("priorities.migrations.0007_trim_overlong_text")
    migration.texts_trim(apps, None)
    row.refresh_from_db()
    assert len(row.title) == 200
    assert row.title.endswith("…")

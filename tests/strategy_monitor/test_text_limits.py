"""Every text people type has a limit: titles are single lines, texts are bounded everywhere."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length

from strategy_monitor.validators import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    text_length_check,
    validate_single_line,
)

PROJECT_APPS = ("priorities", "funding", "risks", "engagement")
# Filled in by the application from other fields, never typed by a user.
SYSTEM_FIELDS = {
    "priorities.Evidence.content_type",
    "engagement.Reminder.title",
    "engagement.CalendarToken.selector",
    "engagement.CalendarToken.secret",
}
TITLE_NAMES = {"title", "name", "label", "theme"}


def project_fields(field_class):
    return [
        (model, field)
        for app_label in PROJECT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if type(field) is field_class and f"{model._meta.label}.{field.name}" not in SYSTEM_FIELDS
    ]


TEXT_FIELDS = project_fields(models.TextField)
LINE_FIELDS = [
    (model, field) for model, field in project_fields(models.CharField) if not field.choices
]


def label(pair) -> str:
    model, field = pair
    return f"{model._meta.label}.{field.name}"


@pytest.mark.parametrize("value", ["Two\nlines", "Two\r\nlines", "Old\rMac", "Para\u2028graph"])
def test_validate_single_line_refuses_a_line_break(value):
    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)
    assert caught.value.code == "line_break"


def test_validate_single_line_accepts_one_line():
    validate_single_line("Core funding — IOM 2023-2026")
    validate_single_line("")


def test_text_length_check_reports_the_limit_with_the_max_length_code():
    check = text_length_check("narrative")
    assert check.violation_error_code == "max_length"
    assert check.violation_error_message == "The narrative may be at most 10,000 characters long."


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS, ids=map(label, TEXT_FIELDS))
def test_every_text_field_is_bounded_by_field_validator_and_database(model, field):
    assert field.max_length, "The form's textarea gets no maxlength and no counter."
    assert any(
        isinstance(validator, MaxLengthValidator) and validator.limit_value == field.max_length
        for validator in field.validators
    ), "full_clean does not report the limit next to the field."
    conditions = [
        constraint.condition
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]
    assert any(
        isinstance(condition.lhs, Length)
        and condition.lhs.source_expressions[0].name == field.name
        and condition.rhs == field.max_length
        for condition in conditions
        if hasattr(condition, "lhs")
    ), "The database does not hold the limit."


@pytest.mark.parametrize(("model", "field"), LINE_FIELDS, ids=map(label, LINE_FIELDS))
def test_every_single_line_field_refuses_line_breaks(model, field):
    assert validate_single_line in field.validators


@pytest.mark.parametrize(
    ("model", "field"),
    [pair for pair in LINE_FIELDS if pair[1].name in TITLE_NAMES],
    ids=map(label, [pair for pair in LINE_FIELDS if pair[1].name in TITLE_NAMES]),
)
def test_titles_and_names_hold_at_most_200_characters(model, field):
    assert field.max_length <= TITLE_MAX_LENGTH


def test_narratives_hold_10000_characters():
    narrative = apps.get_model("priorities", "Assessment")._meta.get_field("narrative")
    assert narrative.max_length == TEXT_MAX_LENGTH

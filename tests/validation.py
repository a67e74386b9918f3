"""Helpers for tests of model validation."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def clean_errors(obj) -> dict[str, list[ValidationError]]:
    """Return the errors, by field, that `obj.full_clean()` raises; fail if it raises none."""
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.error_dict


def constraint_messages(obj) -> list[str]:
    """Return the messages of the database constraints that `obj.full_clean()` reports."""
    return [message for error in clean_errors(obj)[NON_FIELD_ERRORS] for message in error.messages]


def constraint_codes(obj) -> list[str]:
    """Return the codes of the database constraints that `obj.full_clean()` reports."""
    return [error.code for error in clean_errors(obj)[NON_FIELD_ERRORS]]

"""Every database constraint reports a refusal through full_clean() with a message and a code."""

import pytest
from django.apps import apps
from django.db import models

PROJECT_APPS = ("priorities", "funding", "risks", "engagement")
CONSTRAINTS = [
    (model, constraint)
    for app_label in PROJECT_APPS
    for model in apps.get_app_config(app_label).get_models()
    for constraint in model._meta.constraints
]


@pytest.mark.parametrize(
    ("model", "constraint"),
    CONSTRAINTS,
    ids=[f"{model._meta.label_lower}.{constraint.name}" for model, constraint in CONSTRAINTS],
)
def test_constraint_carries_a_message_and_a_code(model, constraint):
    assert constraint.violation_error_code, f"{constraint.name} has no violation_error_code."
    # A unique constraint on fields keeps Django's generic message and its "unique_together"
    # code unless it is given a message of its own.
    assert constraint.violation_error_message != constraint.default_violation_error_message


def test_every_project_app_has_constraints():
    labels = {model._meta.app_label for model, _ in CONSTRAINTS}
    assert labels == set(PROJECT_APPS)
    assert all(
        isinstance(constraint, (models.CheckConstraint, models.UniqueConstraint))
        for _, constraint in CONSTRAINTS
    )

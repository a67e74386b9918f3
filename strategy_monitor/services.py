"""What every app's services share when they change a record."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, fields: Iterable[str], data: Mapping[str, Any]) -> tuple[M, bool]:
    """Set the fields among `fields` whose value in `data` differs; return whether any did.

    Fields that `data` does not hold are left as they are. Nothing is validated or saved here:
    the service goes on inside its transaction to check the new values against its rules, then
    validates with `full_clean()` and saves with its user and change reason, so a refused change
    saves nothing. A relation is compared by its key, so that no related row is read.

    After HackSoft's `common.services.model_update`; a form that edits `instance` may already
    have put the new values on it, so the answer is only as good as the instance passed in.
    """
    has_updated = False
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        field = instance._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            raise ValueError(f"{name} is not a column of {type(instance).__name__}.")
        if field.is_relation:
            before = getattr(instance, field.attname)
            after = value.pk if isinstance(value, models.Model) else value
        else:
            before, after = getattr(instance, name), value
        if before != after:
            setattr(instance, name, value)
            has_updated = True
    return instance, has_updated

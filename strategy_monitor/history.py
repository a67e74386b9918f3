"""Record who changed a monitored record, and why: the one way services save and delete.

Every service that writes monitored data names the user and why, often with a title the user
typed, through `recorded_save()` or `recorded_delete()`. The change log keeps at most 100
characters of a reason, and a longer one would make the save itself fail, so every reason goes
through `change_reason()`. When is recorded by django-simple-history itself.
"""

from django.db import models

# django-simple-history stores the reason in a varchar(100).
CHANGE_REASON_LENGTH = 100
ELLIPSIS = "…"
# The reason the demo data gives for everything it writes, so a report can tell its changes.
DEMO_CHANGE_REASON = "Illustrative demo data"
# Characters that read badly just before the ellipsis.
TRAILING = " ,;:.-–—(/"


def change_reason(text: str) -> str:
    """Return `text` on one line, shortened with an ellipsis to fit the change log."""
    line = " ".join(str(text).split())
    if len(line) <= CHANGE_REASON_LENGTH:
        return line
    room = CHANGE_REASON_LENGTH - len(ELLIPSIS)
    cut = line[: room + 1]
    # End on a whole word unless that throws most of the reason away (one very long word).
    space = cut.rfind(" ")
    cut = cut[:space] if space >= room // 2 else cut[:room]
    return cut.rstrip(TRAILING) + ELLIPSIS


def recorded_save(instance: models.Model, *, user, reason: str, validate: bool = True):
    """Save `instance` with the user and reason the change log records; validate it first.

    A service that has already validated the record in its own way (some checks left to the
    database) passes `validate=False`.
    """
    if validate:
        instance.full_clean()
    instance._history_user = user
    instance._change_reason = change_reason(reason)
    instance.save()
    return instance


def recorded_delete(instance: models.Model, *, user, reason: str) -> None:
    """Delete `instance`, recording the user and reason in the change log."""
    instance._history_user = user
    instance._change_reason = change_reason(reason)
    instance.delete()

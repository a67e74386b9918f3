"""The change reason that the change log records with a save or a delete.

Every service that writes monitored data names why, often with a title the user typed. The
change log keeps at most 100 characters of a reason, and a longer one would make the save
itself fail, so every reason goes through `change_reason()`.
"""

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

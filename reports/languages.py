"""The language an export is written in: the one asked for, else the reader's own."""

from django.utils.translation import get_language, get_supported_language_variant


def export_language(raw: str | None) -> str | None:
    """Return the interface language that `raw` names ("da", "en", "en-gb"), or None."""
    raw = (raw or "").strip().lower()
    if not raw:
        return None
    try:
        return get_supported_language_variant(raw)
    except LookupError:
        return None


def export_language_or_current(raw: str | None) -> str:
    """Return the language `raw` names, or the active one (the reader's) when it names none."""
    return export_language(raw) or get_language()

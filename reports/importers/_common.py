"""Helpers that the reading and the writing of a workbook share."""

CHANGE_REASON = "Imported from a workbook"


def _norm(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _label(model) -> str:
    return str(model._meta.verbose_name_plural)

"""Helpers the funding selectors share: percentages and the matching of names."""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """Return `part` as a percentage of `whole` to one decimal, or None when `whole` is empty."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()

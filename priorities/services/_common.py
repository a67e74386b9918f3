"""Shared by the services: stale copies and the strategy's years."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from priorities.models import Strategy, StrategyYear
from strategy_monitor.concurrency import STALE_CODE


def _display(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, Decimal):
        return figure_text(value)
    return str(value)


def figure_text(value: Decimal | None) -> str:
    """Return a figure as people write it: 2.5, 4450, 12.25 (no trailing zeros)."""
    if value is None:
        return "–"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _created_meanwhile(instance: models.Model, fields: Iterable[str]) -> ValidationError:
    """Return the error for a form opened before someone else created the same record."""
    latest = instance.history.order_by("-history_date").first()
    who = ""
    if latest is not None:
        user = latest.history_user
        when = timezone.localtime(latest.history_date).strftime("%d %b %Y %H:%M")
        who = (f" by {user.get_full_name() or user.username}" if user else "") + f" at {when}"
    values = "; ".join(
        f"{instance._meta.get_field(name).verbose_name.capitalize()}: "
        f"{_display(getattr(instance, name))}"
        for name in fields
    )
    return ValidationError(
        "Someone else saved this record after you opened the form, so your changes were not "
        f"saved. Saved{who}: {values}. Review the current values below and save again.",
        code=STALE_CODE,
    )


def _year_for_update(strategy: Strategy, year: int, field: str = "year") -> StrategyYear:
    """Lock and return the strategy's year `year`; refuse a year outside the period."""
    strategy.year_check(year, field)
    # No ordering: the default one joins the strategy, whose row would be locked as well.
    strategy_year = (
        StrategyYear.objects.select_for_update()
        .filter(strategy=strategy, year=year)
        .order_by()
        .first()
    )
    if strategy_year is None:
        raise ValidationError(
            {field: ValidationError(f"The strategy has no year {year}.", code="no_such_year")}
        )
    return strategy_year

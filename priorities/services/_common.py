"""Shared by the services: the strategy's years, locked for a change."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from priorities.models import Strategy, StrategyYear


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
            {
                field: ValidationError(
                    _("The strategy has no year %(year)s.") % {"year": year}, code="no_such_year"
                )
            }
        )
    return strategy_year

"""Query helpers for recorded amounts: totals per budget line and year, in one grouped query."""

from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class MoneySum(Coalesce):
    """A sum of amounts, zero when no rows match, returned as a Decimal to the øre.

    PostgreSQL sums `numeric` exactly. SQLite sums in floating point and Django hands back 15
    significant digits of a computed value; quantising to the øre restores the exact amount for
    totals below 10^13 (DKK 10,000 billion), far above any budget this application holds.
    """

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), self.quantize]

    @staticmethod
    def quantize(value, expression, connection):
        return value.quantize(CENT) if value is not None else value


def decimal_sum(field: str = "amount", **filter_kwargs) -> MoneySum:
    """Return a Sum of `field` that is a Decimal zero, not None, when no rows match."""
    output = models.DecimalField(max_digits=18, decimal_places=2)
    total = Sum(field, filter=Q(**filter_kwargs) if filter_kwargs else None, output_field=output)
    return MoneySum(total, models.Value(ZERO, output_field=output), output_field=output)


class LineYearQuerySet(models.QuerySet):
    """Approvals, commitments or disbursements, summed per budget line and year."""

    def for_strategy(self, strategy) -> "LineYearQuerySet":
        """Return the records of `strategy`'s budget lines."""
        return self.filter(line__strategy=strategy)

    def totals_by_line_year(self) -> models.QuerySet:
        """Return one row per (line, year): its total, its count and its illustrative count."""
        return (
            self.order_by()
            .values("line_id", "year")
            .annotate(
                total=decimal_sum(),
                count=Count("id"),
                illustrative=Count("id", filter=Q(is_illustrative=True)),
            )
        )

    def total(self) -> Decimal:
        """Return the sum of the amounts, zero when there are none."""
        return self.order_by().aggregate(total=decimal_sum())["total"]

"""Years the application can hold, and the constraint that keeps a year field within them."""

from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 1945
MAX_YEAR = 2100
MIN_PERIOD_YEARS = 3
MAX_PERIOD_YEARS = 5
YEAR_RANGE_MESSAGE = lazy(
    lambda: (
        _("Enter a year between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
    ),
    str,
)()


def year_range_check(field: str, *, null: bool = False) -> models.CheckConstraint:
    """Return a constraint keeping `field` within the years the application can hold.

    With `null`, an empty year (one the source does not state) passes too.
    """
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if null:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_range",
        violation_error_message=YEAR_RANGE_MESSAGE,
        violation_error_code="outside_years",
    )

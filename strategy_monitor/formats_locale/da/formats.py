"""Danish formats: "7. december 2026", "1.234,5"."""

from django.conf.locale.da.formats import *  # noqa: F403

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "j. b. Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = "j. b. Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

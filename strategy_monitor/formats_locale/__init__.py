"""The named date and number formats of each language (FORMAT_MODULE_PATH).

Templates and code name a format ("DATE_FORMAT") rather than write one, so that each language
prints dates its own way: "7 December 2026" in English, "7. december 2026" in Danish.

==========================  ======================  =========================
Name                        English                 Danish
==========================  ======================  =========================
DATE_FORMAT                 7 December 2026         7. december 2026
SHORT_DATE_FORMAT           7 Dec 2026              7. dec. 2026
DATETIME_FORMAT             7 December 2026, 14:05  7. december 2026, 14:05
SHORT_DATETIME_FORMAT       7 Dec 2026 14:05        7. dec. 2026 14:05
YEAR_MONTH_FORMAT           December 2026           december 2026
MONTH_DAY_FORMAT            7 December              7. december
==========================  ======================  =========================
"""

"""Limits on the text people type, shared by every app.

Titles and names are single lines of at most 200 characters; narratives, notes and descriptions
hold at most 10,000 characters. The chapters of a strategy document, loaded as printed, may run
longer, up to 30,000, and a results framework's statements up to 500. Each limit is checked by
the model field (so forms and full_clean report it next to the field) and, for text fields, by a
database constraint as well, so that no write path can store a text that makes a page or an
export slow.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy_monitor.formats import number_grouped

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
# The IOM strategy's chapter 3 alone runs to some 10,500 characters. The workbook carries each
# chapter in one cell, and a cell holds at most 32,767 characters, so the limit stays below that.
DOCUMENT_TEXT_MAX_LENGTH = 30_000
# Outcome and indicator statements of a partner's results framework, as the partner words them:
# IOM's run to some 230 characters.
STATEMENT_MAX_LENGTH = 500

# Every character Python's str.splitlines() breaks on: a mail client or a calendar treats them
# all as new lines.
LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """Refuse a value that holds a line break."""
    if value and LINE_BREAKS.search(value):
        raise ValidationError(
            _("Keep this on one line: remove the line breaks."),
            code="line_break",
        )


def _grouped(number: int) -> str:
    return number_grouped(number, 0)


# A limit written when a message is shown, in the language of the reader: 5,000 or 5.000.
_grouped_lazy = lazy(_grouped, str)


def text_length_check(field: str, *, limit: int = TEXT_MAX_LENGTH) -> models.CheckConstraint:
    """Return a constraint refusing a value of `field` longer than `limit` characters."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"%(app_label)s_%(class)s_{field}_length",
        violation_error_message=format_lazy(
            gettext_lazy("The {field} may be at most {limit} characters long."),
            field=field.replace("_", " "),
            limit=_grouped_lazy(limit),
        ),
        # The code Django's MaxLengthValidator gives, which reports the rule on the field itself.
        violation_error_code="max_length",
    )


def text_length_checks(*fields: str, limit: int = TEXT_MAX_LENGTH) -> list[models.CheckConstraint]:
    """Return a length constraint for each of `fields`."""
    return [text_length_check(field, limit=limit) for field in fields]

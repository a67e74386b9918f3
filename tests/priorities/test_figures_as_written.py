"""A figure is typed as people write it, in Danish or in English, and never guessed.

The figure fields read numbers with the amount fields' reader: both conventions, spaces as
thousands separators, and a figure the two conventions read differently refused with both
readings. A stored figure is shown back in the field in the reader's language.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from priorities.forms import figure_field


@pytest.mark.parametrize(
    ("typed", "figure"),
    [
        ("12", Decimal("12")),
        ("12.5", Decimal("12.5")),
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("18 000", Decimal("18000")),
        ("18000", Decimal("18000")),
        ("0,125", Decimal("0.125")),
        ("-3,5", Decimal("-3.5")),
        ("", None),
    ],
)
def test_a_figure_reads_as_either_reader_writes_it(typed, figure):
    assert figure_field("Actual").clean(typed) == figure


def test_a_figure_the_two_conventions_read_differently_is_refused_with_both_readings():
    with pytest.raises(Exception) as refused:
        figure_field("Actual").clean("18,000")
    assert refused.value.code == "ambiguous"
    assert "18,000" in str(refused.value.messages) and "18000" in str(refused.value.messages)


def test_text_is_refused_with_what_a_number_looks_like():
    with pytest.raises(Exception) as refused:
        figure_field("Actual").clean("twelve")
    assert refused.value.messages == ["Enter a number, such as 12, 12.5 or 12,5, without units."]


@pytest.mark.parametrize(
    ("language", "stored", "shown"),
    [
        ("en-gb", Decimal("2.5000"), "2.5"),
        ("da", Decimal("2.5000"), "2,5"),
        ("da", Decimal("18000"), "18000"),
        ("en-gb", Decimal("2.055"), "2.0550"),
        ("da", Decimal("2.055"), "2,0550"),
    ],
)
def test_a_stored_figure_is_shown_back_in_the_readers_language(language, stored, shown):
    with translation.override(language):
        assert figure_field("Actual").prepare_value(stored) == shown
        # What the field shows reads back as the same figure.
        assert figure_field("Actual").clean(shown) == stored

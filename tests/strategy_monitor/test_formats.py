"""How people and amounts are written, without a database."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation

from strategy_monitor.formats import (
    amount_exact,
    amount_in_currency,
    amount_in_millions,
    amount_in_millions_fixed,
    amount_printed,
    amount_signed,
    figure_grouped,
    figure_shown,
    figure_text,
    money_in_millions,
    percentage,
    person_name,
    total_mismatch,
)


def test_person_name_is_the_full_name_else_the_user_name():
    assert person_name(User(username="lra", first_name="Lea", last_name="Rasmussen")) == (
        "Lea Rasmussen"
    )
    assert person_name(User(username="lra", first_name="Lea")) == "Lea"
    assert person_name(User(username="lra")) == "lra"


def test_person_name_of_no_user_is_the_default():
    assert person_name(None) == ""
    assert person_name(None, default="no owner yet") == "no owner yet"


@pytest.mark.parametrize(
    ("amount", "places", "text"),
    [
        (Decimal("48000000"), 2, "48,000,000.00"),
        (Decimal("1234.5"), 2, "1,234.50"),
        (Decimal("-1234.567"), 2, "-1,234.57"),
        ("17394702", 0, "17,394,702"),
        (0, 2, "0.00"),
        (None, 2, "–"),
        ("", 2, "–"),
    ],
)
def test_amount_exact_groups_thousands_to_the_places(amount, places, text):
    assert amount_exact(amount, places) == text


def test_amount_in_currency_puts_the_currency_first():
    assert amount_in_currency(Decimal("48000000")) == "DKK 48,000,000"
    assert amount_in_currency(Decimal("4100000.5"), "USD") == "USD 4,100,000.50"
    assert amount_in_currency(0) == "DKK 0"


@pytest.mark.parametrize(
    ("amount", "places", "text"),
    [
        (Decimal("48000000"), 1, "48"),
        (Decimal("2500000"), 1, "2.5"),
        (Decimal("17394702"), 2, "17.39"),
        (Decimal("17394702"), 1, "17.4"),
        (Decimal("1234000000"), 1, "1,234"),
        (Decimal("40000"), 1, "0"),
        (Decimal("-2500000"), 1, "-2.5"),
        (None, 1, "–"),
    ],
)
def test_amount_in_millions_drops_trailing_zeros(amount, places, text):
    assert amount_in_millions(amount, places) == text


def test_amount_in_millions_fixed_keeps_its_decimals():
    assert amount_in_millions_fixed(Decimal("4100000")) == "4.10"
    assert amount_in_millions_fixed(Decimal("48000000"), 1) == "48.0"
    assert amount_in_millions_fixed(Decimal("1234000000"), 0) == "1,234"
    assert amount_in_millions_fixed(None) == "–"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1039"), "1,039"),
        (Decimal("-1039"), "(1,039)"),
        (Decimal("1039.5"), "1,039.50"),
        (Decimal("-0.25"), "(0.25)"),
        (0, "0"),
        ("", "–"),
    ],
)
def test_amount_printed_puts_a_negative_amount_in_parentheses(amount, text):
    assert amount_printed(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("2"), "+2"),
        (Decimal("-2"), "\u22122"),
        (Decimal("1234.5"), "+1,234.50"),
        (Decimal("-1234.5"), "\u22121,234.50"),
        (Decimal("0.00"), "0"),
        (None, "–"),
    ],
)
def test_amount_signed_shows_the_sign_with_a_true_minus(amount, text):
    assert amount_signed(amount) == text


def test_person_name_filter_writes_the_name_escaped_and_nothing_for_no_user():
    template = Template("{% load formats %}[{{ user|person_name }}]")
    hostile = User(username="x", first_name="<b>Lea</b>", last_name="& Co")

    assert template.render(Context({"user": hostile})) == "[&lt;b&gt;Lea&lt;/b&gt; &amp; Co]"
    assert template.render(Context({"user": User(username="lra")})) == "[lra]"
    assert template.render(Context({"user": None})) == "[]"
    assert template.render(Context({})) == "[]"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("18000"), "18,000"),
        (18000, "18,000"),
        (Decimal("1234567.250"), "1,234,567.25"),
        (Decimal("2.50"), "2.5"),
        (Decimal("0"), "0"),
        (None, "–"),
        ("", "–"),
    ],
)
def test_figure_grouped_writes_thousands_and_a_dash_for_nothing(value, text):
    assert figure_grouped(value) == text


def test_pages_group_figures_and_show_money_in_millions_with_exact_dkk_on_hover():
    rendered = Template(
        "{% load monitor %}{{ staff|figure }} staff · {{ empty|figure }} · "
        "{% money line %} · {% money nothing %}"
    ).render(Context({"staff": 18000, "empty": None, "line": Decimal("48000000.00")}))
    assert rendered == (
        '18,000 staff · – · <span class="amount" title="DKK 48,000,000">48.0</span> · '
        '<span class="muted">–</span>'
    )


# --- The active language's numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "english", "danish"),
    [
        (lambda: amount_exact(Decimal("48000000")), "48,000,000.00", "48.000.000,00"),
        (lambda: amount_exact(Decimal("-1234.567")), "-1,234.57", "-1.234,57"),
        (lambda: figure_grouped(Decimal("1234.5")), "1,234.5", "1.234,5"),
        (lambda: figure_grouped(18000), "18,000", "18.000"),
        (lambda: figure_shown(Decimal("2.50")), "2.5", "2,5"),
        (lambda: figure_text(Decimal("2.50")), "2.5", "2.5"),
        (lambda: amount_in_millions(Decimal("48500000")), "48.5", "48,5"),
        (lambda: amount_in_millions(Decimal("1234000000")), "1,234", "1.234"),
        (lambda: amount_in_millions_fixed(Decimal("4100000")), "4.10", "4,10"),
        (lambda: amount_printed(Decimal("-1039.5")), "(1,039.50)", "(1.039,50)"),
        (lambda: amount_signed(Decimal("-1234.5")), "\u22121,234.50", "\u22121.234,50"),
    ],
)
def test_numbers_follow_the_active_language(call, english, danish):
    with translation.override("en-gb"):
        assert call() == english
    with translation.override("da"):
        assert call() == danish


def test_numbers_outside_a_request_are_english():
    with translation.override(None):
        assert amount_exact(Decimal("1234.5")) == "1,234.50"


@pytest.mark.parametrize(
    ("call", "english", "danish"),
    [
        (lambda: money_in_millions(Decimal("48500000")), "DKK 48.5m", "48,5 mio. kr."),
        (lambda: money_in_millions(Decimal("4100000"), "USD", 2), "USD 4.1m", "4,1 mio. USD"),
        (lambda: amount_in_currency(Decimal("48000000")), "DKK 48,000,000", "48.000.000 kr."),
        (lambda: amount_in_currency(Decimal("1000.5"), "USD"), "USD 1,000.50", "1.000,50 USD"),
        (lambda: percentage(Decimal("42.25")), "42.2 %", "42,2 %"),
        (lambda: percentage(None), "–", "–"),
        (
            lambda: total_mismatch(Decimal("2055000000"), Decimal("2550000000")),
            "printed total 2,055 differs from the sum of the years, 2,550",
            "trykt total 2.055 afviger fra summen af årene, 2.550",
        ),
    ],
)
def test_money_patterns_are_translated(call, english, danish):
    with translation.override("en-gb"):
        assert call() == english
    with translation.override("da"):
        assert call() == danish


def test_format_filters_write_numbers_in_the_active_language():
    template = Template(
        "{% load formats %}{{ n|grouped:1 }} | {{ n|figure_grouped }} | {{ p|percent }} | "
        "{{ m|millions }} | {{ m|in_currency }} | {{ none|millions }}"
    )
    context = {"n": Decimal("1234.56"), "p": Decimal("7.5"), "m": Decimal("48500000"), "none": None}
    with translation.override("en-gb"):
        assert template.render(Context(context)) == (
            "1,234.6 | 1,234.56 | 7.5 % | DKK 48.5m | DKK 48,500,000 | –"
        )
    with translation.override("da"):
        assert template.render(Context(context)) == (
            "1.234,6 | 1.234,56 | 7,5 % | 48,5 mio. kr. | 48.500.000 kr. | –"
        )

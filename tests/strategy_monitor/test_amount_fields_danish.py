"""Amount fields read back in the reader's language, and read what they show."""

from decimal import Decimal

from django import forms
from django.utils import translation

from strategy_monitor.forms import AmountField, MillionAmountField


class AmountForm(forms.Form):
    paid = AmountField(label="Amount")
    planned = MillionAmountField(label="Planned")


def test_a_danish_form_shows_amounts_the_danish_way_and_reads_them_back():
    with translation.override("da"):
        form = AmountForm(initial={"paid": Decimal("1234567.50"), "planned": Decimal("48500000")})
        shown_paid = form.fields["paid"].prepare_value(Decimal("1234567.50"))
        shown_planned = form.fields["planned"].prepare_value(Decimal("48500000"))
        assert (shown_paid, shown_planned) == ("1.234.567,50", "48,5")
        assert form["planned"].label == "Planned (mio. kr.)"
        bound = AmountForm(data={"paid": shown_paid, "planned": shown_planned})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data == {"paid": Decimal("1234567.50"), "planned": Decimal("48500000")}


def test_an_english_form_is_unchanged():
    with translation.override("en-gb"):
        form = AmountForm()
        assert form.fields["paid"].prepare_value(Decimal("1234567.50")) == "1,234,567.50"
        assert form.fields["planned"].prepare_value(Decimal("48500000")) == "48.5"
        assert form["planned"].label == "Planned (DKK million)"


def test_an_ambiguous_amount_is_explained_in_the_readers_numbers():
    with translation.override("da"):
        bound = AmountForm(data={"paid": "48,500", "planned": "1"})
        assert not bound.is_valid()
        assert bound.errors["paid"] == [
            "“48,500” kan betyde 48,5 eller 48.500 — skriv 48,5 eller 48500."
        ]

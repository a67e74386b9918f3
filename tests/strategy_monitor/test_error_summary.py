"""The error summary lists every problem of every validated form on a page, each with its field."""

from django import forms
from django.template import Context

from strategy_monitor.templatetags.error_summary import Problem, page_problems


class NoteForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="Title")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)

    def clean(self):
        raise forms.ValidationError("Someone else changed the note.")


class RowForm(forms.Form):
    amount = forms.IntegerField(label="Amount")


class RowFormSet(forms.BaseFormSet):
    def clean(self):
        raise forms.ValidationError("The rows do not add up.")


Rows = forms.formset_factory(RowForm, formset=RowFormSet, extra=0)


def test_every_problem_of_a_form_and_a_formset_is_listed_with_its_field():
    form = NoteForm(data={})
    form.is_valid()
    rows = Rows(
        data={"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-1-amount": "x"},
        prefix="rows",
    )
    rows.is_valid()
    problems = page_problems(Context({"form": form, "formset": rows, "again": [form]}))
    assert problems == [
        Problem("Someone else changed the note.", "id_title"),
        # The hidden version is about the form as a whole: it leads to the first field.
        Problem("This field is required.", "id_title"),
        Problem("Title: This field is required.", "id_title"),
        # A radio field has no id of its own: its first choice has.
        Problem("Kind: This field is required.", "id_kind_0"),
        Problem("The rows do not add up.", "id_rows-0-amount"),
        # The first row was left empty, as an extra row may be; the second was not.
        Problem("Row 2 · Amount: Enter a whole number.", "id_rows-1-amount"),
    ]


def test_a_form_the_view_did_not_validate_is_not_reported():
    assert page_problems(Context({"form": NoteForm(data={})})) == []
    assert page_problems(Context({"form": NoteForm()})) == []

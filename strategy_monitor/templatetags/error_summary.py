"""The error summary at the top of every page with a refused form (GOV.UK's error summary pattern).

A page may hold several forms — a form and its formset of rows, a set-up page with one form per
row, a panel per framework — and the summary must list the problems of all of them, in the order
of the page, each linking to the field it is about. Rather than ask each of sixty templates to
name its forms, the tag reads the page's context: every bound form and formset in it, also inside
lists and inside objects that carry a list of `forms` (the framework panels). One tag in
`base.html` thus covers every form, and the summary's wording is the same everywhere.
"""

import re
from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()

_ROW = re.compile(r"-(\d+)$")


@dataclass(frozen=True)
class Problem:
    """One line of the summary: what is wrong, and the id of the field it links to ("" for none)."""

    message: str
    target: str


def _field_target(bound_field) -> str:
    # Radio buttons and checkbox lists have no single id: their label points nowhere, so link to
    # the first choice, as Django names it.
    return bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")


def _first_visible_target(form: BaseForm) -> str:
    for bound_field in form.visible_fields():
        return _field_target(bound_field)
    return ""


def _row_label(form: BaseForm) -> str:
    # A row of a formset says which row it is, so that "Target: Enter a number." is findable
    # among twenty rows; a form of its own says nothing.
    match = _ROW.search(form.prefix or "")
    return _("Row %(number)s · ") % {"number": int(match.group(1)) + 1} if match else ""


def _validated(form_or_formset) -> bool:
    # Only what the view has validated: asking a form the view never checked for its errors
    # would validate it here, with its queries, on a page that shows it only as it was sent.
    return form_or_formset.is_bound and form_or_formset._errors is not None


def _form_problems(form: BaseForm) -> list[Problem]:
    if not _validated(form) or not form.errors:
        return []
    row = _row_label(form)
    problems = [
        Problem(f"{row}{message}", _first_visible_target(form))
        for message in form.non_field_errors()
    ]
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        bound_field = form[name] if name in form.fields else None
        if bound_field is None or bound_field.is_hidden:
            # A hidden field (the stale-edit version) is about the form as a whole.
            label, target = "", _first_visible_target(form)
        else:
            label, target = f"{bound_field.label}: ", _field_target(bound_field)
        problems.extend(Problem(f"{row}{label}{message}", target) for message in messages)
    return problems


def _formset_problems(formset: BaseFormSet) -> list[Problem]:
    if not _validated(formset):
        return []
    problems: list[Problem] = []
    if formset.non_form_errors():
        target = next((_first_visible_target(form) for form in formset.forms), "")
        problems.extend(Problem(message, target) for message in formset.non_form_errors())
    for form in formset.forms:
        problems.extend(_form_problems(form))
    return problems


def _candidates(value):
    """Yield the forms and formsets `value` is or holds, one level deep."""
    if isinstance(value, BaseForm | BaseFormSet):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, BaseForm | BaseFormSet):
                yield item
            elif isinstance(getattr(item, "forms", None), list | tuple):
                yield from (form for form in item.forms if isinstance(form, BaseForm))


def page_problems(context) -> list[Problem]:
    """Return every problem of every bound form in `context`, each form counted once."""
    seen: set[int] = set()
    problems: list[Problem] = []
    values = context.flatten()
    # The page's main form is at its top, whatever order the view named its forms in.
    ordered = [values.pop("form")] if "form" in values else []
    for value in [*ordered, *values.values()]:
        for candidate in _candidates(value):
            if id(candidate) in seen:
                continue
            seen.add(id(candidate))
            if isinstance(candidate, BaseFormSet):
                seen.update(id(form) for form in candidate.forms)
                problems.extend(_formset_problems(candidate))
            else:
                problems.extend(_form_problems(candidate))
    return problems


@register.simple_tag(takes_context=True)
def error_problems(context) -> list[Problem]:
    """Return the page's problems, for `base.html` to title the page and show the summary."""
    return page_problems(context)

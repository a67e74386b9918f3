"""Helpers for tests that post admin add and change forms as a browser would."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client
from django.urls import reverse

from tests.priorities.factories import UserFactory


def superuser_create():
    """Return a superuser, who may use every admin page."""
    return UserFactory(username="superuser", is_superuser=True, is_staff=True)


def client_for(user) -> Client:
    """Return a client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def admin_url(model, action: str, *args) -> str:
    """Return the admin address of `action` (add, change, delete, changelist) for `model`."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(getattr(item, "pk", item)) for item in value]
    if isinstance(value, (datetime.date, Decimal, int)):
        return str(value)
    return value


def _form_values(form) -> dict:
    values = {}
    for name in form.fields:
        value = _post_value(form[name].value())
        if value is not None:
            values[form.add_prefix(name)] = value
    return values


def form_data(response, **changes) -> dict:
    """Return the data an unchanged admin form in `response` posts, with `changes` applied.

    Inline formsets are included with their management forms, so that a form with inlines
    validates; a change set to None leaves the field out (an unticked box).
    """
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.initial_forms:
            data.update(_form_values(form))
    data["_save"] = "Save"
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = _post_value(value)
    return data


def admin_post(client, model, action: str, *args, **changes):
    """Open the admin form of `action` and post it back with `changes`."""
    url = admin_url(model, action, *args)
    return client.post(url, form_data(client.get(url), **changes))


def form_error_codes(response, field: str = NON_FIELD_ERRORS) -> set[str]:
    """Return the codes of the errors the admin form in `response` shows on `field`."""
    assert response.status_code == 200, "The form was accepted."
    form = response.context["adminform"].form
    return {error.code for error in form.errors.as_data().get(field, [])}


def inline_error_codes(response, index: int = 0) -> dict[str, set[str]]:
    """Return the error codes, by field, of the inline formsets in `response`."""
    assert response.status_code == 200, "The form was accepted."
    formset = response.context["inline_admin_formsets"][index].formset
    codes: dict[str, set[str]] = {}
    for form in formset.forms:
        for field, errors in form.errors.as_data().items():
            codes.setdefault(field, set()).update(error.code for error in errors)
    for error in formset.non_form_errors().as_data():
        codes.setdefault(NON_FIELD_ERRORS, set()).add(error.code)
    return codes

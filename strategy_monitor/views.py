"""The one way every edit page saves: a service form view and a service delete view.

A page validates the input with its form and writes through a service, never with
`form.save()`: the service holds the rules, the transaction and the change reason. A service's
refusal (`ValidationError`) goes onto the form next to the fields it names, and the page is
shown again with the user's input. A refusal because someone else saved the record meanwhile
(`STALE_CODE`) keeps the user's input too, and gives the form the current version, so that
saving again after reading what changed is a deliberate choice. A saved change is announced
with one success message through the messages framework, then the page redirects.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import DeleteView, FormView

from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.formats import amount_in_currency
from strategy_monitor.forms import (
    UNIT_DKK,
    UNIT_MILLION,
    AmountField,
    MillionAmountField,
    error_codes,
    form_add_error,
)

# Longer than any amount anyone types; the rest is not read.
MAX_TYPED = 64


def current_version(instance: models.Model | None) -> str:
    """Return the version of the stored row of `instance`, or "" if none is stored."""
    if instance is None or not instance.pk:
        return ""
    current = type(instance)._default_manager.filter(pk=instance.pk).first()
    return version_token(current) if current else ""


def form_take_version(form, version: str) -> None:
    """Give a form refused as stale the current `version`, keeping the user's input."""
    if "version" not in form.fields:
        return
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = version


def form_refuse(form, error: ValidationError, *, version: str | None = None) -> None:
    """Show a service's refusal on `form`; a stale edit takes `version`, by default the stored."""
    if STALE_CODE in error_codes(error):
        form_take_version(
            form,
            current_version(getattr(form, "instance", None)) if version is None else version,
        )
    form_add_error(form, error)


class ServiceFormView(FormView):
    """Validate with the form, write through a service, and show its refusals on the form.

    Subclasses write in `save(form)` and return what was saved, which becomes `self.object`
    for the success message and URL. Combined with `UpdateView`, the record being edited is
    `self.object` until the save replaces it.
    """

    success_message = gettext_lazy("Saved.")

    def save(self, form):
        """Write the form's input through a service and return what was saved."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            self.form_refused(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def form_refused(self, form, error: ValidationError) -> None:
        """Put the service's refusal on the form; a stale edit takes the current version."""
        form_refuse(form, error, version=self.current_version(form))

    def current_version(self, form) -> str:
        """Return the version of the stored record the form edits, or ""."""
        return current_version(getattr(form, "instance", None))

    def get_success_message(self) -> str:
        return self.success_message


class ServiceDeleteView(DeleteView):
    """Ask for confirmation, delete through a service, and show a refusal on the confirmation.

    Subclasses delete in `delete_object(obj)`. The success URL is worked out before the
    record is gone, as Django's own `DeleteView` does.
    """

    success_message = gettext_lazy("Deleted.")

    def delete_object(self, obj) -> None:
        """Delete `obj` through a service."""
        raise NotImplementedError

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.delete_object(self.object)
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(success_url)

    def get_success_message(self) -> str:
        return self.success_message


@require_GET
def amount_exact(request):
    """Return as JSON the exact DKK of an amount as typed, or why it cannot be read.

    The amount fields ask this while the user types (static/js/amount-echo.js), so that the
    echo under the field reads the figure with the one parser the form uses on saving.
    """
    unit = request.GET.get("unit", UNIT_DKK)
    if unit not in (UNIT_DKK, UNIT_MILLION):
        return JsonResponse({"error": gettext_lazy("Unknown unit.")}, status=400)
    typed = request.GET.get("value", "")[:MAX_TYPED].strip()
    if not typed:
        return JsonResponse({"exact": ""})
    field = MillionAmountField() if unit == UNIT_MILLION else AmountField()
    try:
        amount = field.clean(typed)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)})
    return JsonResponse({"exact": amount_in_currency(amount)})

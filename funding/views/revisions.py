"""Revisions of the plan: a later figure for a planned amount, with the one it replaces."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from funding import services
from funding.forms import PlannedAmountRevisionForm
from funding.models import PlannedAmount
from strategy_monitor.formats import amount_in_currency, amount_in_millions
from strategy_monitor.views import ServiceFormView

from .base import FundingMixin


class PlannedAmountReviseView(FundingMixin, ServiceFormView):
    """Record that a later document states another figure for a line's year."""

    required = "revise"
    form_class = PlannedAmountRevisionForm
    template_name = "funding/plannedamount_revise.html"

    def dispatch(self, request, *args, **kwargs):
        self.planned = get_object_or_404(
            PlannedAmount.objects.select_related("line"),
            pk=kwargs["pk"],
            line__strategy__slug=kwargs["slug"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.planned}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            planned=self.planned,
            revisions=list(self.planned.revisions.order_by("revised_on", "pk")),
            **kwargs,
        )

    def save(self, form):
        data = form.cleaned_data
        return services.planned_amount_revise(
            planned=self.planned,
            amount=data["amount"],
            revised_on=data["revised_on"],
            source=data["source"],
            reason=data["reason"],
            original_source=data.get("original_source"),
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _(
            "Planned amount of line %(code)s for %(year)s revised to %(millions)s million "
            "(%(amount)s)."
        ) % {
            "code": self.planned.line.code,
            "year": self.planned.year,
            "millions": amount_in_millions(self.object.amount, 2),
            "amount": amount_in_currency(self.object.amount),
        }

    def get_success_url(self) -> str:
        return reverse("funding:budget", kwargs={"slug": self.strategy.slug})

"""Allocation rounds and the partner's proposals in them, and the managers' decisions."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, UpdateView

from funding import selectors, services
from funding.choices import Decision
from funding.forms import (
    AllocationDecisionForm,
    AllocationForm,
    AllocationRoundForm,
    AllocationRoundUpdateForm,
)
from funding.models import Allocation, AllocationRound
from strategy_monitor.changes import record_history
from strategy_monitor.formats import amount_in_currency
from strategy_monitor.views import ServiceFormView

from .base import FundingMixin, RecordDetailMixin


class RoundQuerysetMixin:
    def get_queryset(self):
        return AllocationRound.objects.filter(line__strategy=self.strategy).select_related("line")

    def get_success_url(self) -> str:
        obj = self.object
        return self.strategy_url("allocationround_detail", pk=obj.pk)


class AllocationRoundCreateView(FundingMixin, RoundQuerysetMixin, ServiceFormView):
    required = "record"
    form_class = AllocationRoundForm
    template_name = "funding/allocationround_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def save(self, form):
        data = form.cleaned_data
        return services.allocationround_create(
            line=data["line"],
            year=data["year"],
            half=data["half"],
            dialogue_on=data["dialogue_on"],
            note=data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        return _("Allocation round %(round)s opened.") % {"round": obj}


class AllocationRoundDetailView(FundingMixin, RoundQuerysetMixin, DetailView):
    """Show a round's proposals, their totals, the year's room and the share going to Africa."""

    template_name = "funding/allocationround_detail.html"
    context_object_name = "allocation_round"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=selectors.allocationround_summary(allocation_round=self.object),
            history=record_history(instance=self.object),
            **kwargs,
        )


class AllocationRoundUpdateView(FundingMixin, RoundQuerysetMixin, ServiceFormView, UpdateView):
    required = "record"
    form_class = AllocationRoundUpdateForm
    template_name = "funding/allocationround_form.html"
    context_object_name = "allocation_round"

    def save(self, form):
        return services.allocationround_update(
            allocation_round=form.instance,
            version=form.started_from,
            dialogue_on=form.cleaned_data["dialogue_on"],
            note=form.cleaned_data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        return _("Allocation round %(round)s changed.") % {"round": obj}


class AllocationQuerysetMixin:
    def get_queryset(self):
        return Allocation.objects.filter(round__line__strategy=self.strategy).select_related(
            "round__line", "office", "decided_by"
        )

    def get_success_url(self) -> str:
        obj = self.object
        return self.strategy_url("allocationround_detail", pk=obj.round_id)


class AllocationCreateView(FundingMixin, ServiceFormView):
    """Record one of the partner's proposals in a round."""

    required = "record"
    form_class = AllocationForm
    template_name = "funding/allocation_form.html"

    def get_round(self) -> AllocationRound:
        if not hasattr(self, "_round"):
            self._round = get_object_or_404(
                AllocationRound.objects.select_related("line"),
                pk=self.kwargs["pk"],
                line__strategy=self.strategy,
            )
        return self._round

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation_round=self.get_round(), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.allocation_create(
            allocation_round=self.get_round(),
            office=data["office"],
            theme=data["theme"],
            amount=data["amount"],
            description=data["description"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        return _("Proposal “%(theme)s” of %(amount)s recorded.") % {
            "theme": obj.theme,
            "amount": amount_in_currency(obj.amount),
        }

    def get_success_url(self) -> str:
        obj = self.object
        return self.strategy_url("allocationround_detail", pk=obj.round_id)


class AllocationDetailView(FundingMixin, AllocationQuerysetMixin, RecordDetailMixin, DetailView):
    template_name = "funding/allocation_detail.html"
    context_object_name = "allocation"


class AllocationUpdateView(FundingMixin, AllocationQuerysetMixin, ServiceFormView, UpdateView):
    """Change a proposal that still awaits a decision."""

    required = "record"

    form_class = AllocationForm
    template_name = "funding/allocation_form.html"
    context_object_name = "allocation"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation_round=self.object.round, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.allocation_update(
            allocation=form.instance,
            version=form.started_from,
            office=data["office"],
            theme=data["theme"],
            amount=data["amount"],
            description=data["description"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        return _("Proposal “%(theme)s” changed.") % {"theme": obj.theme}


class AllocationDecideView(FundingMixin, AllocationQuerysetMixin, ServiceFormView, UpdateView):
    """Let a manager approve or reject a proposal, with the reason."""

    required = "decide"
    form_class = AllocationDecisionForm
    template_name = "funding/allocation_decision_form.html"
    context_object_name = "allocation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=selectors.allocationround_summary(allocation_round=self.object.round),
            **kwargs,
        )

    def save(self, form):
        return services.allocation_decide(
            allocation=form.instance,
            version=form.started_from,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        if obj.decision == Decision.APPROVED:
            message = _("Approved: “%(theme)s”, %(amount)s.")
        else:
            message = _("Rejected: “%(theme)s”, %(amount)s.")
        return message % {"theme": obj.theme, "amount": amount_in_currency(obj.amount)}

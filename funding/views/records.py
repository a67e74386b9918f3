"""Commitments and disbursements: recorded, viewed, changed and deleted."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import DetailView, UpdateView

from funding import services
from funding.forms import CommitmentForm, DisbursementForm
from funding.models import Commitment, Disbursement
from strategy_monitor.formats import amount_in_currency
from strategy_monitor.views import ServiceFormView

from .base import FundingMixin, RecordDeleteView, RecordDetailMixin


class LineYearFormMixin:
    """Pass the strategy to the form, and take a line and year from the address when given."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_initial(self):
        initial = super().get_initial()
        if getattr(self, "object", None) is not None:
            return initial
        for key in ("line", "year"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = int(self.request.GET[key])
        return initial


class CommitmentQuerysetMixin:
    def get_queryset(self):
        return Commitment.objects.for_strategy(self.strategy).select_related("line")

    def get_success_url(self) -> str:
        return self.strategy_url("commitment_list")

    def get_success_message(self) -> str:
        obj = self.object
        return _("Commitment of %(amount)s from line %(code)s for %(year)s saved.") % {
            "amount": amount_in_currency(obj.amount),
            "code": obj.line.code,
            "year": obj.year,
        }


class CommitmentCreateView(
    FundingMixin, CommitmentQuerysetMixin, LineYearFormMixin, ServiceFormView
):
    required = "record"
    form_class = CommitmentForm
    template_name = "funding/commitment_form.html"

    def save(self, form):
        data = form.cleaned_data
        return services.commitment_create(
            line=data["line"],
            year=data["year"],
            amount=data["amount"],
            committed_on=data["committed_on"],
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )


class CommitmentDetailView(FundingMixin, CommitmentQuerysetMixin, RecordDetailMixin, DetailView):
    template_name = "funding/commitment_detail.html"
    context_object_name = "commitment"


class CommitmentUpdateView(
    FundingMixin,
    CommitmentQuerysetMixin,
    LineYearFormMixin,
    ServiceFormView,
    UpdateView,
):
    required = "record"
    form_class = CommitmentForm
    template_name = "funding/commitment_form.html"
    context_object_name = "commitment"

    def save(self, form):
        data = form.cleaned_data
        return services.commitment_update(
            commitment=form.instance,
            version=form.started_from,
            line=data["line"],
            year=data["year"],
            amount=data["amount"],
            committed_on=data["committed_on"],
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )


class CommitmentDeleteView(CommitmentQuerysetMixin, RecordDeleteView):
    def delete_object(self, obj):
        services.commitment_delete(commitment=obj, user=self.request.user)

    def describe(self, obj) -> str:
        amount = amount_in_currency(obj.amount)
        return _("the commitment of %(amount)s from line %(code)s for %(year)s") % {
            "amount": amount,
            "code": obj.line.code,
            "year": obj.year,
        }

    def get_success_message(self) -> str:
        obj = self.object
        return _("Commitment of %(amount)s from line %(code)s deleted.") % {
            "amount": amount_in_currency(obj.amount),
            "code": obj.line.code,
        }


class DisbursementQuerysetMixin:
    def get_queryset(self):
        return Disbursement.objects.for_strategy(self.strategy).select_related("line")

    def get_success_url(self) -> str:
        return self.strategy_url("disbursement_list")

    def get_success_message(self) -> str:
        obj = self.object
        return _("Disbursement of %(amount)s from line %(code)s (budget year %(year)s) saved.") % {
            "amount": amount_in_currency(obj.amount),
            "code": obj.line.code,
            "year": obj.year,
        }


class DisbursementCreateView(
    FundingMixin, DisbursementQuerysetMixin, LineYearFormMixin, ServiceFormView
):
    required = "record"
    form_class = DisbursementForm
    template_name = "funding/disbursement_form.html"

    def save(self, form):
        data = form.cleaned_data
        return services.disbursement_create(
            line=data["line"],
            year=data["year"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )


class DisbursementDetailView(
    FundingMixin, DisbursementQuerysetMixin, RecordDetailMixin, DetailView
):
    template_name = "funding/disbursement_detail.html"
    context_object_name = "disbursement"


class DisbursementUpdateView(
    FundingMixin,
    DisbursementQuerysetMixin,
    LineYearFormMixin,
    ServiceFormView,
    UpdateView,
):
    required = "record"
    form_class = DisbursementForm
    template_name = "funding/disbursement_form.html"
    context_object_name = "disbursement"

    def save(self, form):
        data = form.cleaned_data
        return services.disbursement_update(
            disbursement=form.instance,
            version=form.started_from,
            line=data["line"],
            year=data["year"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )


class DisbursementDeleteView(DisbursementQuerysetMixin, RecordDeleteView):
    def delete_object(self, obj):
        services.disbursement_delete(disbursement=obj, user=self.request.user)

    def describe(self, obj) -> str:
        return _("the disbursement of %(amount)s from line %(code)s paid on %(day)s") % {
            "amount": amount_in_currency(obj.amount),
            "code": obj.line.code,
            "day": date_format(obj.paid_on, "SHORT_DATE_FORMAT"),
        }

    def get_success_message(self) -> str:
        obj = self.object
        return _("Disbursement of %(amount)s from line %(code)s deleted.") % {
            "amount": amount_in_currency(obj.amount),
            "code": obj.line.code,
        }

"""Parliamentary approval: a year recorded for every line at once, then viewed, changed, deleted."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, UpdateView

from funding import selectors, services
from funding.forms import ApprovalForm, ApprovalYearForm
from funding.models import ParliamentaryApproval, PlannedAmount
from strategy_monitor.formats import amount_in_currency
from strategy_monitor.forms import millions_format
from strategy_monitor.views import ServiceFormView

from .base import FundingMixin, RecordDeleteView, RecordDetailMixin


class ApprovalQuerysetMixin:
    def get_queryset(self):
        return ParliamentaryApproval.objects.for_strategy(self.strategy).select_related("line")

    def get_success_url(self) -> str:
        return self.strategy_url("parliamentaryapproval_list")


class ApprovalYearCreateView(FundingMixin, ServiceFormView):
    """Record parliament's approval of one year for every budget line at once."""

    required = "record"
    form_class = ApprovalYearForm
    template_name = "funding/parliamentaryapproval_year_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._year_data = None

    def year_data(self) -> dict:
        if self._year_data is None:
            lines = list(selectors.line_list(strategy=self.strategy))
            planned = {
                (row.line_id, row.year): row.amount
                for row in PlannedAmount.objects.filter(line__strategy=self.strategy)
            }
            approved = set(
                ParliamentaryApproval.objects.for_strategy(self.strategy).values_list(
                    "year", flat=True
                )
            )
            self._year_data = {
                "lines": lines,
                "planned": planned,
                "open_years": [year for year in self.strategy.years if year not in approved],
            }
        return self._year_data

    def get_initial(self):
        open_years = self.year_data()["open_years"]
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = None
        if year not in open_years:
            year = open_years[0] if open_years else None
        return {"year": year}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy, **self.year_data()}

    def get_context_data(self, **kwargs):
        data = self.year_data()
        planned_by_year = {
            str(year): {
                f"id_{services.approval_amount_field(line)}": (
                    millions_format(data["planned"][(line.pk, year)])
                    if (line.pk, year) in data["planned"]
                    else ""
                )
                for line in data["lines"]
            }
            for year in data["open_years"]
        }
        return super().get_context_data(planned_by_year=planned_by_year, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.approval_year_record(
            strategy=self.strategy,
            year=data["year"],
            approved_on=data["approved_on"],
            amounts=form.amounts(),
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        approvals = self.object
        total = sum((approval.amount for approval in approvals), Decimal("0.00"))
        return ngettext(
            "Parliamentary approval of %(year)s recorded for %(count)s budget line: %(amount)s.",
            "Parliamentary approval of %(year)s recorded for %(count)s budget lines: %(amount)s.",
            len(approvals),
        ) % {
            "year": approvals[0].year,
            "count": len(approvals),
            "amount": amount_in_currency(total),
        }

    def get_success_url(self) -> str:
        return self.strategy_url("parliamentaryapproval_list")


class ApprovalDetailView(FundingMixin, ApprovalQuerysetMixin, RecordDetailMixin, DetailView):
    template_name = "funding/parliamentaryapproval_detail.html"
    context_object_name = "approval"


class ApprovalUpdateView(FundingMixin, ApprovalQuerysetMixin, ServiceFormView, UpdateView):
    required = "record"
    form_class = ApprovalForm
    template_name = "funding/parliamentaryapproval_form.html"
    context_object_name = "approval"

    def save(self, form):
        data = form.cleaned_data
        return services.approval_update(
            approval=form.instance,
            version=form.started_from,
            amount=data["amount"],
            approved_on=data["approved_on"],
            reference=data["reference"],
            note=data["note"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        obj = self.object
        return _("Approval of line %(code)s for %(year)s changed: %(amount)s.") % {
            "code": obj.line.code,
            "year": obj.year,
            "amount": amount_in_currency(obj.amount),
        }

    def get_success_url(self) -> str:
        return self.strategy_url("parliamentaryapproval_detail", pk=self.object.pk)


class ApprovalDeleteView(ApprovalQuerysetMixin, RecordDeleteView):
    def delete_object(self, obj):
        services.approval_delete(approval=obj, user=self.request.user)

    def describe(self, obj) -> str:
        amount = amount_in_currency(obj.amount)
        return _("the approval of line %(code)s for %(year)s (%(amount)s)") % {
            "code": obj.line.code,
            "year": obj.year,
            "amount": amount,
        }

    def get_success_message(self) -> str:
        obj = self.object
        return _("Approval of line %(code)s for %(year)s deleted.") % {
            "code": obj.line.code,
            "year": obj.year,
        }

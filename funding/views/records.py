"""Pages for the money side of a strategy: the budget, the records, the rounds, the annex tables.

Views are thin: they check who may do what, hand the input to `funding.services` and show what
`funding.selectors` gathers. Everyone who may see a strategy reads these pages; the team's
financial officers record; managers decide on proposed allocations.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DeleteView, DetailView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from funding import permissions, selectors, services
from funding.choices import Decision
from funding.filtersets import (
    AllocationRoundFilterSet,
    CommitmentFilterSet,
    DisbursementFilterSet,
    ParliamentaryApprovalFilterSet,
)
from funding.forms import (
    AllocationDecisionForm,
    AllocationForm,
    AllocationRoundForm,
    AllocationRoundUpdateForm,
    ApprovalForm,
    ApprovalYearForm,
    CommitmentForm,
    DisbursementForm,
)
from funding.models import (
    Allocation,
    AllocationRound,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from funding.tables import (
    AllocationRoundTable,
    BudgetExportTable,
    CommitmentTable,
    DisbursementTable,
    ParliamentaryApprovalTable,
    budget_export_rows,
)
from priorities.views import StrategyMixin
from strategy_monitor.concurrency import VersionedSaveMixin
from strategy_monitor.exports import EXPORT_FORMATS, SafeExportMixin, SafeTableExport
from strategy_monitor.forms import form_add_error

REFUSALS = {
    "view": "You are not on the team of this strategy.",
    "record": "Only the financial officers of this strategy's team record funding.",
    "decide": "Only managers decide on proposed allocations.",
}
CHECKS = {
    "view": permissions.funding_can_view,
    "record": permissions.funding_can_record,
    "decide": permissions.funding_can_decide,
}


class FundingMixin(StrategyMixin):
    """Resolve the strategy and refuse users who may not do what the page is for."""

    required = "view"

    def dispatch(self, request, *args, **kwargs):
        if not CHECKS[self.required](request.user, self.strategy):
            raise PermissionDenied(REFUSALS[self.required])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can"] = {
            **context["can"],
            "record_funding": permissions.funding_can_record(self.request.user, self.strategy),
            "decide_allocations": permissions.funding_can_decide(self.request.user, self.strategy),
        }
        return context

    def strategy_url(self, name: str, **kwargs) -> str:
        return reverse(f"funding:{name}", kwargs={"slug": self.strategy.slug, **kwargs})


# --- Budget -----------------------------------------------------------------------------------


class BudgetView(FundingMixin, TemplateView):
    """Show lines × years: planned, approved, committed, disbursed, remaining, execution rate."""

    template_name = "funding/budget.html"

    def get(self, request, *args, **kwargs):
        overview = selectors.budget_overview(strategy=self.strategy)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            table = BudgetExportTable(budget_export_rows(overview))
            exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": "Budget"})
            return exporter.response(filename=f"{self.strategy.slug}-budget.{export_format}")
        return self.render_to_response(self.get_context_data(overview=overview))


# --- Lists ------------------------------------------------------------------------------------


class FundingListView(FundingMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """A filterable, exportable list of one kind of record of the strategy."""

    table_pagination = {"per_page": 25}
    export_name = "records"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "strategy": self.strategy}

    def get_table_kwargs(self):
        return {"strategy": self.strategy}

    def get_export_filename(self, export_format):
        return f"{self.strategy.slug}-{self.export_name}.{export_format}"


class ParliamentaryApprovalListView(FundingListView):
    table_class = ParliamentaryApprovalTable
    filterset_class = ParliamentaryApprovalFilterSet
    template_name = "funding/parliamentaryapproval_list.html"
    export_name = "approvals"

    def get_queryset(self):
        return selectors.approval_list(strategy=self.strategy)


class CommitmentListView(FundingListView):
    table_class = CommitmentTable
    filterset_class = CommitmentFilterSet
    template_name = "funding/commitment_list.html"
    export_name = "commitments"

    def get_queryset(self):
        return selectors.commitment_list(strategy=self.strategy)


class DisbursementListView(FundingListView):
    table_class = DisbursementTable
    filterset_class = DisbursementFilterSet
    template_name = "funding/disbursement_list.html"
    export_name = "disbursements"

    def get_queryset(self):
        return selectors.disbursement_list(strategy=self.strategy)


class AllocationRoundListView(FundingListView):
    table_class = AllocationRoundTable
    filterset_class = AllocationRoundFilterSet
    template_name = "funding/allocationround_list.html"
    export_name = "allocation-rounds"

    def get_queryset(self):
        return selectors.allocationround_list(strategy=self.strategy)


# --- Shared create, edit, delete and detail behaviour -----------------------------------------


class ServiceFormMixin:
    """Validate with the form, then write through a service; its refusals go onto the form."""

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, obj) -> str:
        return "Saved."

    def success_url_for(self, obj) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(self.object))
        return HttpResponseRedirect(self.success_url_for(self.object))


class ServiceUpdateMixin(VersionedSaveMixin):
    """Edit a record through a service that refuses stale copies."""

    def save_form(self, form):
        return self.perform(form)

    def form_saved(self, form):
        messages.success(self.request, self.success_message(self.object))
        return HttpResponseRedirect(self.success_url_for(self.object))


class ServiceDeleteMixin:
    """Delete a record through a service; a refusal shows on the confirmation page."""

    template_name = "funding/record_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(record_label=self.describe(self.object), **kwargs)

    def describe(self, obj) -> str:
        return str(obj)

    def form_valid(self, form):
        try:
            self.perform_delete(self.object)
        except ValidationError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.deleted_message(self.object))
        return HttpResponseRedirect(self.get_success_url())


class RecordDetailMixin:
    """Show a record with its change history: who changed what, and when."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=selectors.record_history(instance=self.object), **kwargs
        )


def amount_text(amount) -> str:
    return services.dkk(amount)


# --- Parliamentary approval -------------------------------------------------------------------


class ApprovalQuerysetMixin:
    def get_queryset(self):
        return ParliamentaryApproval.objects.for_strategy(self.strategy).select_related("line")

    def success_url_for(self, obj) -> str:
        return self.strategy_url("parliamentaryapproval_detail", pk=obj.pk)

    def get_success_url(self) -> str:
        return self.strategy_url("parliamentaryapproval_list")


class ApprovalYearCreateView(FundingMixin, ServiceFormMixin, FormView):
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
                    str(data["planned"][(line.pk, year)])
                    if (line.pk, year) in data["planned"]
                    else ""
                )
                for line in data["lines"]
            }
            for year in data["open_years"]
        }
        return super().get_context_data(planned_by_year=planned_by_year, **kwargs)

    def perform(self, form):
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

    def success_message(self, approvals) -> str:
        total = sum((approval.amount for approval in approvals), Decimal("0.00"))
        return (
            f"Parliamentary approval of {approvals[0].year} recorded for "
            f"{len(approvals)} budget line{'s' if len(approvals) != 1 else ''}: "
            f"{amount_text(total)}."
        )

    def success_url_for(self, approvals) -> str:
        return self.strategy_url("parliamentaryapproval_list")


class ApprovalDetailView(FundingMixin, ApprovalQuerysetMixin, RecordDetailMixin, DetailView):
    template_name = "funding/parliamentaryapproval_detail.html"
    context_object_name = "approval"


class ApprovalUpdateView(
    FundingMixin, ApprovalQuerysetMixin, ServiceUpdateMixin, ServiceFormMixin, UpdateView
):
    required = "record"
    form_class = ApprovalForm
    template_name = "funding/parliamentaryapproval_form.html"
    context_object_name = "approval"

    def perform(self, form):
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

    def success_message(self, obj) -> str:
        return f"Approval of line {obj.line.code} for {obj.year} changed."


class ApprovalDeleteView(FundingMixin, ApprovalQuerysetMixin, ServiceDeleteMixin, DeleteView):
    required = "record"
    context_object_name = "record"

    def perform_delete(self, obj):
        services.approval_delete(approval=obj, user=self.request.user)

    def describe(self, obj) -> str:
        return f"the approval of line {obj.line.code} for {obj.year} ({amount_text(obj.amount)})"

    def deleted_message(self, obj) -> str:
        return f"Approval of line {obj.line.code} for {obj.year} deleted."


# --- Commitments and disbursements ------------------------------------------------------------


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

    def success_url_for(self, obj) -> str:
        return self.strategy_url("commitment_list")

    def get_success_url(self) -> str:
        return self.strategy_url("commitment_list")

    def success_message(self, obj) -> str:
        return (
            f"Commitment of {amount_text(obj.amount)} from line {obj.line.code} "
            f"for {obj.year} saved."
        )


class CommitmentCreateView(
    FundingMixin, CommitmentQuerysetMixin, LineYearFormMixin, ServiceFormMixin, FormView
):
    required = "record"
    form_class = CommitmentForm
    template_name = "funding/commitment_form.html"

    def perform(self, form):
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
    ServiceUpdateMixin,
    ServiceFormMixin,
    UpdateView,
):
    required = "record"
    form_class = CommitmentForm
    template_name = "funding/commitment_form.html"
    context_object_name = "commitment"

    def perform(self, form):
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


class CommitmentDeleteView(FundingMixin, CommitmentQuerysetMixin, ServiceDeleteMixin, DeleteView):
    required = "record"
    context_object_name = "record"

    def perform_delete(self, obj):
        services.commitment_delete(commitment=obj, user=self.request.user)

    def describe(self, obj) -> str:
        return (
            f"the commitment of {amount_text(obj.amount)} from line {obj.line.code} for {obj.year}"
        )

    def deleted_message(self, obj) -> str:
        return f"Commitment of {amount_text(obj.amount)} from line {obj.line.code} deleted."


class DisbursementQuerysetMixin:
    def get_queryset(self):
        return Disbursement.objects.for_strategy(self.strategy).select_related("line")

    def success_url_for(self, obj) -> str:
        return self.strategy_url("disbursement_list")

    def get_success_url(self) -> str:
        return self.strategy_url("disbursement_list")

    def success_message(self, obj) -> str:
        return (
            f"Disbursement of {amount_text(obj.amount)} from line {obj.line.code} "
            f"(budget year {obj.year}) saved."
        )


class DisbursementCreateView(
    FundingMixin, DisbursementQuerysetMixin, LineYearFormMixin, ServiceFormMixin, FormView
):
    required = "record"
    form_class = DisbursementForm
    template_name = "funding/disbursement_form.html"

    def perform(self, form):
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
    ServiceUpdateMixin,
    ServiceFormMixin,
    UpdateView,
):
    required = "record"
    form_class = DisbursementForm
    template_name = "funding/disbursement_form.html"
    context_object_name = "disbursement"

    def perform(self, form):
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


class DisbursementDeleteView(
    FundingMixin, DisbursementQuerysetMixin, ServiceDeleteMixin, DeleteView
):
    required = "record"
    context_object_name = "record"

    def perform_delete(self, obj):
        services.disbursement_delete(disbursement=obj, user=self.request.user)

    def describe(self, obj) -> str:
        return (
            f"the disbursement of {amount_text(obj.amount)} from line {obj.line.code} "
            f"paid on {obj.paid_on:%d %b %Y}"
        )

    def deleted_message(self, obj) -> str:
        return f"Disbursement of {amount_text(obj.amount)} from line {obj.line.code} deleted."


# --- Allocation rounds and proposals ----------------------------------------------------------


class RoundQuerysetMixin:
    def get_queryset(self):
        return AllocationRound.objects.filter(line__strategy=self.strategy).select_related("line")

    def success_url_for(self, obj) -> str:
        return self.strategy_url("allocationround_detail", pk=obj.pk)


class AllocationRoundCreateView(FundingMixin, RoundQuerysetMixin, ServiceFormMixin, FormView):
    required = "record"
    form_class = AllocationRoundForm
    template_name = "funding/allocationround_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def perform(self, form):
        data = form.cleaned_data
        return services.allocationround_create(
            line=data["line"],
            year=data["year"],
            half=data["half"],
            dialogue_on=data["dialogue_on"],
            note=data["note"],
            user=self.request.user,
        )

    def success_message(self, obj) -> str:
        return f"Allocation round {obj} opened."


class AllocationRoundDetailView(FundingMixin, RoundQuerysetMixin, DetailView):
    """Show a round's proposals, their totals, the year's room and the share going to Africa."""

    template_name = "funding/allocationround_detail.html"
    context_object_name = "allocation_round"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=selectors.allocationround_summary(allocation_round=self.object),
            history=selectors.record_history(instance=self.object),
            **kwargs,
        )


class AllocationRoundUpdateView(
    FundingMixin, RoundQuerysetMixin, ServiceUpdateMixin, ServiceFormMixin, UpdateView
):
    required = "record"
    form_class = AllocationRoundUpdateForm
    template_name = "funding/allocationround_form.html"
    context_object_name = "allocation_round"

    def perform(self, form):
        return services.allocationround_update(
            allocation_round=form.instance,
            version=form.started_from,
            dialogue_on=form.cleaned_data["dialogue_on"],
            note=form.cleaned_data["note"],
            user=self.request.user,
        )

    def success_message(self, obj) -> str:
        return f"Allocation round {obj} changed."


class AllocationQuerysetMixin:
    def get_queryset(self):
        return Allocation.objects.filter(round__line__strategy=self.strategy).select_related(
            "round__line", "office", "decided_by"
        )

    def success_url_for(self, obj) -> str:
        return self.strategy_url("allocationround_detail", pk=obj.round_id)


class AllocationCreateView(FundingMixin, ServiceFormMixin, FormView):
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

    def perform(self, form):
        data = form.cleaned_data
        return services.allocation_create(
            allocation_round=self.get_round(),
            office=data["office"],
            theme=data["theme"],
            amount=data["amount"],
            description=data["description"],
            user=self.request.user,
        )

    def success_message(self, obj) -> str:
        return f"Proposal “{obj.theme}” of {amount_text(obj.amount)} recorded."

    def success_url_for(self, obj) -> str:
        return self.strategy_url("allocationround_detail", pk=obj.round_id)


class AllocationDetailView(FundingMixin, AllocationQuerysetMixin, RecordDetailMixin, DetailView):
    template_name = "funding/allocation_detail.html"
    context_object_name = "allocation"


class AllocationUpdateView(
    FundingMixin, AllocationQuerysetMixin, ServiceUpdateMixin, ServiceFormMixin, UpdateView
):
    """Change a proposal that still awaits a decision."""

    required = "record"

    form_class = AllocationForm
    template_name = "funding/allocation_form.html"
    context_object_name = "allocation"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation_round=self.object.round, **kwargs)

    def perform(self, form):
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

    def success_message(self, obj) -> str:
        return f"Proposal “{obj.theme}” changed."


class AllocationDecideView(
    FundingMixin, AllocationQuerysetMixin, ServiceUpdateMixin, ServiceFormMixin, UpdateView
):
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

    def perform(self, form):
        return services.allocation_decide(
            allocation=form.instance,
            version=form.started_from,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
            user=self.request.user,
        )

    def success_message(self, obj) -> str:
        verb = "Approved" if obj.decision == Decision.APPROVED else "Rejected"
        return f"{verb}: “{obj.theme}”, {amount_text(obj.amount)}."


# --- Reference data ---------------------------------------------------------------------------


class DonorTableListView(FundingMixin, TemplateView):
    """Show the annexes' donor tables with computed sums beside the printed totals."""

    template_name = "funding/donortable_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=selectors.reference_data(strategy=self.strategy), **kwargs
        )

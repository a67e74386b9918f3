"""The budget page and the filterable lists of approvals, commitments, disbursements, rounds."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from funding import selectors
from funding.filtersets import (
    AllocationRoundFilterSet,
    CommitmentFilterSet,
    DisbursementFilterSet,
    ParliamentaryApprovalFilterSet,
)
from funding.tables import (
    AllocationRoundTable,
    BudgetExportTable,
    CommitmentTable,
    DisbursementTable,
    ParliamentaryApprovalTable,
    budget_export_rows,
)
from strategy_monitor.exports import EXPORT_FORMATS, SafeExportMixin, SafeTableExport
from strategy_monitor.lists import ForgivingListMixin

from .base import FundingMixin


class BudgetView(FundingMixin, TemplateView):
    """Show lines × years: planned, approved, committed, disbursed, remaining, execution rate."""

    template_name = "funding/budget.html"

    def get(self, request, *args, **kwargs):
        overview = selectors.budget_overview(strategy=self.strategy)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            table = BudgetExportTable(budget_export_rows(overview))
            exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": _("Budget")})
            return exporter.response(filename=f"{self.strategy.slug}-budget.{export_format}")
        return self.render_to_response(
            self.get_context_data(
                overview=overview,
                total_warnings=selectors.budget_total_warnings(overview=overview),
            )
        )


# --- Lists ------------------------------------------------------------------------------------


class FundingListView(
    FundingMixin, ForgivingListMixin, SafeExportMixin, SingleTableMixin, FilterView
):
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

"""Admin pages for budget lines, approvals, commitments, disbursements, allocations, donor data.

Planned amounts, approvals, commitments, disbursements, allocation rounds and allocations are
monitored money: the admin shows them and their history, and the funding pages change them
through `funding.services`, where the rules across records hold. Budget lines, the budget's
stated totals and the donor tables of the annexes are reference data and stay editable here.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    BudgetTotal,
    BudgetTotalAmount,
    Commitment,
    Disbursement,
    DonorTable,
    EarmarkedDonor,
    FinanceActCode,
    FundingRow,
    ParliamentaryApproval,
    PlannedAmount,
    PlannedAmountRevision,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from strategy_monitor.admin import (
    HistoryAdmin,
    MonitoredAdmin,
    ReadOnlyInlineMixin,
    format_amount,
    truncate_words,
)


class AmountMixin:
    """Show a row's `amount` with thousands separators."""

    @admin.display(description=_("Amount"), ordering="amount")
    def amount_display(self, obj) -> str:
        return format_amount(obj.amount)


class PlannedAmountInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A line's planned amounts; they are set on the strategy's budget page."""

    model = PlannedAmount
    fields = ["year", "amount", "source"]
    extra = 0


class BudgetTotalAmountInline(admin.TabularInline):
    model = BudgetTotalAmount
    fields = ["year", "amount", "source"]
    extra = 0


class AllocationInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A round's proposals; they are recorded and decided on the round's pages."""

    model = Allocation
    fields = [
        "theme",
        "office",
        "amount",
        "decision",
        "decision_reason",
        "decided_by",
        "decided_at",
        "is_illustrative",
    ]
    extra = 0
    show_change_link = True


class UnearmarkedContributionInline(admin.TabularInline):
    model = UnearmarkedContribution
    fields = ["year", "amount", "is_pledged", "source"]
    extra = 0


@admin.register(FinanceActCode)
class FinanceActCodeAdmin(HistoryAdmin):
    list_display = ["code", "label", "strategy", "order", "source"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["code", "label", "strategy__slug", "strategy__title"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order", "code"]


class PlannedAmountRevisionInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A planned amount's revisions; they are recorded on the strategy's budget page."""

    model = PlannedAmountRevision
    fields = ["revised_on", "previous_amount", "amount", "source", "reason"]
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    list_display = ["code", "name", "strategy", "kind", "currency", "finance_act_code", "order"]
    list_filter = ["strategy", "kind", "currency"]
    list_select_related = ["strategy", "finance_act_code"]
    search_fields = ["code", "name", "finance_act_code__code", "strategy__slug", "strategy__title"]
    autocomplete_fields = ["strategy", "finance_act_code"]
    ordering = ["strategy__slug", "order", "code"]
    inlines = [PlannedAmountInline]


@admin.register(PlannedAmount)
class PlannedAmountAdmin(AmountMixin, MonitoredAdmin):
    list_display = ["line", "strategy", "year", "amount_display", "source"]
    list_filter = ["line__strategy", "line__kind", "year"]
    list_select_related = ["line__strategy"]
    search_fields = ["line__code", "line__name", "line__strategy__slug"]
    ordering = ["line__strategy__slug", "line__order", "year"]
    inlines = [PlannedAmountRevisionInline]

    @admin.display(description=_("Strategy"), ordering="line__strategy__slug")
    def strategy(self, obj: PlannedAmount):
        return obj.line.strategy


@admin.register(PlannedAmountRevision)
class PlannedAmountRevisionAdmin(MonitoredAdmin):
    """A revision of a planned amount; recorded on the strategy's budget page."""

    list_display = ["planned_amount", "revised_on", "previous_amount", "amount", "source"]
    list_filter = ["planned_amount__line__strategy", "revised_on"]
    list_select_related = ["planned_amount__line"]
    search_fields = ["source", "reason", "planned_amount__line__code"]
    ordering = ["planned_amount__line__strategy__slug", "revised_on"]


@admin.register(BudgetTotal)
class BudgetTotalAdmin(HistoryAdmin):
    list_display = ["label", "strategy", "key", "order", "source"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["key", "label", "strategy__slug"]
    autocomplete_fields = ["strategy", "lines"]
    ordering = ["strategy__slug", "order"]
    inlines = [BudgetTotalAmountInline]


@admin.register(BudgetTotalAmount)
class BudgetTotalAmountAdmin(AmountMixin, HistoryAdmin):
    list_display = ["total", "strategy", "year", "amount_display", "source"]
    list_filter = ["total__strategy", "year"]
    list_select_related = ["total__strategy"]
    search_fields = ["total__key", "total__label"]
    autocomplete_fields = ["total"]
    ordering = ["total__strategy__slug", "total__order", "year"]

    @admin.display(description=_("Strategy"), ordering="total__strategy__slug")
    def strategy(self, obj: BudgetTotalAmount):
        return obj.total.strategy


class LineYearAdmin(AmountMixin, MonitoredAdmin):
    """Columns and filters shared by approvals, commitments and disbursements."""

    list_filter = ["line__strategy", "line__kind", "year", "is_illustrative"]
    list_select_related = ["line__strategy"]
    search_fields = ["reference", "note", "line__code", "line__name", "line__strategy__slug"]

    @admin.display(description=_("Strategy"), ordering="line__strategy__slug")
    def strategy(self, obj):
        return obj.line.strategy


@admin.register(ParliamentaryApproval)
class ParliamentaryApprovalAdmin(LineYearAdmin):
    list_display = [
        "line",
        "strategy",
        "year",
        "amount_display",
        "approved_on",
        "reference",
        "is_illustrative",
    ]
    date_hierarchy = "approved_on"
    ordering = ["line__strategy__slug", "line__order", "year"]


@admin.register(Commitment)
class CommitmentAdmin(LineYearAdmin):
    list_display = [
        "line",
        "strategy",
        "year",
        "amount_display",
        "committed_on",
        "reference",
        "is_illustrative",
    ]
    date_hierarchy = "committed_on"
    ordering = ["line__strategy__slug", "line__order", "year", "committed_on"]


@admin.register(Disbursement)
class DisbursementAdmin(LineYearAdmin):
    list_display = [
        "line",
        "strategy",
        "year",
        "amount_display",
        "paid_on",
        "reference",
        "is_illustrative",
    ]
    date_hierarchy = "paid_on"
    ordering = ["line__strategy__slug", "line__order", "year", "paid_on"]


@admin.register(AllocationRound)
class AllocationRoundAdmin(MonitoredAdmin):
    list_display = [
        "__str__",
        "line",
        "strategy",
        "year",
        "half",
        "dialogue_on",
        "allocation_count",
        "is_illustrative",
    ]
    list_filter = ["line__strategy", "year", "half", "is_illustrative"]
    list_select_related = ["line__strategy"]
    search_fields = ["note", "line__code", "line__name", "line__strategy__slug"]
    ordering = ["line__strategy__slug", "year", "half"]
    inlines = [AllocationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(allocation_count=Count("allocations"))

    @admin.display(description=_("Strategy"), ordering="line__strategy__slug")
    def strategy(self, obj: AllocationRound):
        return obj.line.strategy

    @admin.display(description=_("Allocations"), ordering="allocation_count")
    def allocation_count(self, obj: AllocationRound) -> int:
        return obj.allocation_count


@admin.register(Allocation)
class AllocationAdmin(AmountMixin, MonitoredAdmin):
    """Proposals: recorded pending, changed while pending, then approved or rejected once."""

    list_display = [
        "theme",
        "round",
        "strategy",
        "office",
        "amount_display",
        "decision",
        "decided_by",
        "decided_at",
        "is_illustrative",
    ]
    list_filter = [
        "round__line__strategy",
        "round__year",
        "round__half",
        "decision",
        "is_illustrative",
    ]
    list_select_related = ["round__line__strategy", "office", "decided_by"]
    search_fields = ["theme", "description", "decision_reason", "office__name"]
    ordering = ["round__line__strategy__slug", "round__year", "round__half", "id"]

    @admin.display(description=_("Strategy"), ordering="round__line__strategy__slug")
    def strategy(self, obj: Allocation):
        return obj.round.line.strategy


@admin.register(DonorTable)
class DonorTableAdmin(HistoryAdmin):
    list_display = ["title", "organisation", "key", "currency", "year", "as_of", "source"]
    list_filter = ["organisation", "currency", "year"]
    list_select_related = ["organisation"]
    search_fields = ["key", "title", "organisation__acronym", "organisation__name"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "key"]


@admin.register(StatedTotal)
class StatedTotalAdmin(AmountMixin, HistoryAdmin):
    list_display = [
        "label",
        "table",
        "key",
        "kind",
        "year",
        "amount_display",
        "growth_percent",
        "source",
    ]
    list_filter = ["table", "kind", "year"]
    list_select_related = ["table"]
    search_fields = ["key", "label", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "year", "key"]


@admin.register(FundingRow)
class FundingRowAdmin(AmountMixin, HistoryAdmin):
    list_display = [
        "order",
        "donor",
        "title_display",
        "kind",
        "amount_display",
        "is_refund",
        "table",
        "source",
    ]
    list_filter = ["table", "kind", "is_refund"]
    list_select_related = ["table"]
    search_fields = ["donor", "title", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "order"]

    @admin.display(description=_("Title"), ordering="title")
    def title_display(self, obj: FundingRow) -> str:
        return truncate_words(obj.title)


@admin.register(UnearmarkedDonor)
class UnearmarkedDonorAdmin(HistoryAdmin):
    list_display = ["member_state", "table", "order", "stated_total_display", "source"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["member_state", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "order"]
    inlines = [UnearmarkedContributionInline]

    @admin.display(description=_("Stated total"), ordering="stated_total")
    def stated_total_display(self, obj: UnearmarkedDonor) -> str:
        return format_amount(obj.stated_total)


@admin.register(UnearmarkedContribution)
class UnearmarkedContributionAdmin(AmountMixin, HistoryAdmin):
    list_display = ["donor", "table", "year", "amount_display", "is_pledged", "source"]
    list_filter = ["donor__table", "year", "is_pledged"]
    list_select_related = ["donor__table"]
    search_fields = ["donor__member_state"]
    autocomplete_fields = ["donor"]
    ordering = ["donor__table__key", "donor__order", "year"]

    @admin.display(description=_("Table"), ordering="donor__table__key")
    def table(self, obj: UnearmarkedContribution):
        return obj.donor.table


@admin.register(EarmarkedDonor)
class EarmarkedDonorAdmin(AmountMixin, HistoryAdmin):
    list_display = ["rank", "donor", "amount_display", "table", "source"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["donor", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "rank"]

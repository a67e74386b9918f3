"""Admin pages for budget lines, approvals, commitments, disbursements, allocations, donor data.

Approvals, commitments, disbursements, allocation rounds and allocations are written through
`funding.services`, so the rules across records (no commitment without approval or above it,
no payment above what is committed, no approval above the year's softly earmarked line, ...)
hold in the admin as on the application's pages.
"""

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from funding import services
from funding.choices import Decision
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
    FundingRow,
    ParliamentaryApproval,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from priorities.admin import (
    ReadOnlyInlineMixin,
    ServiceAdminMixin,
    format_amount,
    stored_copy,
    truncate_words,
)


class AmountMixin:
    """Show a row's `amount` with thousands separators."""

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj) -> str:
        return format_amount(obj.amount)


class PlannedAmountInline(admin.TabularInline):
    model = PlannedAmount
    fields = ["year", "amount", "source"]
    extra = 0


class BudgetTotalAmountInline(admin.TabularInline):
    model = BudgetTotalAmount
    fields = ["year", "amount", "source"]
    extra = 0


class AllocationInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A round's proposals; each is added, changed and decided on its own page."""

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
    autocomplete_fields = ["office", "decided_by"]
    extra = 0
    show_change_link = True


class UnearmarkedContributionInline(admin.TabularInline):
    model = UnearmarkedContribution
    fields = ["year", "amount", "is_pledged", "source"]
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "strategy", "kind", "currency", "finance_act_code", "order"]
    list_filter = ["strategy", "kind", "currency"]
    list_select_related = ["strategy"]
    search_fields = ["code", "name", "finance_act_code", "strategy__slug", "strategy__title"]
    autocomplete_fields = ["strategy"]
    ordering = ["strategy__slug", "order", "code"]
    inlines = [PlannedAmountInline]


@admin.register(PlannedAmount)
class PlannedAmountAdmin(AmountMixin, SimpleHistoryAdmin):
    list_display = ["line", "strategy", "year", "amount_display", "source"]
    list_filter = ["line__strategy", "line__kind", "year"]
    list_select_related = ["line__strategy"]
    search_fields = ["line__code", "line__name", "line__strategy__slug"]
    autocomplete_fields = ["line"]
    ordering = ["line__strategy__slug", "line__order", "year"]

    @admin.display(description="Strategy", ordering="line__strategy__slug")
    def strategy(self, obj: PlannedAmount):
        return obj.line.strategy


@admin.register(BudgetTotal)
class BudgetTotalAdmin(SimpleHistoryAdmin):
    list_display = ["label", "strategy", "key", "order", "source"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["key", "label", "strategy__slug"]
    autocomplete_fields = ["strategy", "lines"]
    ordering = ["strategy__slug", "order"]
    inlines = [BudgetTotalAmountInline]


@admin.register(BudgetTotalAmount)
class BudgetTotalAmountAdmin(AmountMixin, SimpleHistoryAdmin):
    list_display = ["total", "strategy", "year", "amount_display", "source"]
    list_filter = ["total__strategy", "year"]
    list_select_related = ["total__strategy"]
    search_fields = ["total__key", "total__label"]
    autocomplete_fields = ["total"]
    ordering = ["total__strategy__slug", "total__order", "year"]

    @admin.display(description="Strategy", ordering="total__strategy__slug")
    def strategy(self, obj: BudgetTotalAmount):
        return obj.total.strategy


class LineYearAdmin(ServiceAdminMixin, AmountMixin, SimpleHistoryAdmin):
    """Columns and filters shared by approvals, commitments and disbursements."""

    list_filter = ["line__strategy", "line__kind", "year", "is_illustrative"]
    list_select_related = ["line__strategy"]
    search_fields = ["reference", "note", "line__code", "line__name", "line__strategy__slug"]
    autocomplete_fields = ["line"]

    @admin.display(description="Strategy", ordering="line__strategy__slug")
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

    def get_readonly_fields(self, request, obj=None):
        # Commitments hang from an approval by its line and year, so those never move.
        return ["line", "year"] if obj is not None else []

    def service_check(self, request, obj, form, change):
        if change:
            services.lines_lock(obj.line_id)
            services.approval_update_check(obj)

    def service_save(self, request, obj, form, change):
        if not change:
            return services.approval_create(
                line=obj.line,
                year=obj.year,
                amount=obj.amount,
                approved_on=obj.approved_on,
                reference=obj.reference,
                note=obj.note,
                is_illustrative=obj.is_illustrative,
                user=request.user,
            )
        return services.approval_update(
            approval=stored_copy(obj, form),
            version=None,
            amount=obj.amount,
            approved_on=obj.approved_on,
            reference=obj.reference,
            note=obj.note,
            user=request.user,
        )

    def service_delete_check(self, request, obj):
        services.approval_delete_check(obj)

    def service_delete(self, request, obj):
        services.approval_delete(approval=obj, user=request.user)


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

    def service_check(self, request, obj, form, change):
        before = Commitment.objects.select_related("line").get(pk=obj.pk) if change else None
        services.lines_lock(obj.line_id, before.line_id if before else None)
        services.commitment_check(obj, before=before)

    def service_save(self, request, obj, form, change):
        values = {
            "line": obj.line,
            "year": obj.year,
            "amount": obj.amount,
            "committed_on": obj.committed_on,
            "reference": obj.reference,
            "note": obj.note,
            "user": request.user,
        }
        if not change:
            return services.commitment_create(is_illustrative=obj.is_illustrative, **values)
        return services.commitment_update(commitment=stored_copy(obj, form), version=None, **values)

    def service_delete_check(self, request, obj):
        services.commitment_delete_check(obj)

    def service_delete(self, request, obj):
        services.commitment_delete(commitment=obj, user=request.user)


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

    def service_check(self, request, obj, form, change):
        before = Disbursement.objects.get(pk=obj.pk).line_id if change else None
        services.lines_lock(obj.line_id, before)
        services.disbursement_check(obj)

    def service_save(self, request, obj, form, change):
        values = {
            "line": obj.line,
            "year": obj.year,
            "amount": obj.amount,
            "paid_on": obj.paid_on,
            "reference": obj.reference,
            "note": obj.note,
            "user": request.user,
        }
        if not change:
            return services.disbursement_create(is_illustrative=obj.is_illustrative, **values)
        return services.disbursement_update(
            disbursement=stored_copy(obj, form), version=None, **values
        )

    def service_delete(self, request, obj):
        services.disbursement_delete(disbursement=obj, user=request.user)


@admin.register(AllocationRound)
class AllocationRoundAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["line"]
    ordering = ["line__strategy__slug", "year", "half"]
    inlines = [AllocationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(allocation_count=Count("allocations"))

    def get_readonly_fields(self, request, obj=None):
        # A round's proposals belong to its half-year; open another round for another one.
        return ["line", "year", "half"] if obj is not None else []

    def service_check(self, request, obj, form, change):
        if not change:
            services.lines_lock(obj.line_id)
            services.allocationround_create_check(obj)

    def service_save(self, request, obj, form, change):
        if not change:
            return services.allocationround_create(
                line=obj.line,
                year=obj.year,
                half=obj.half,
                dialogue_on=obj.dialogue_on,
                note=obj.note,
                is_illustrative=obj.is_illustrative,
                user=request.user,
            )
        return services.allocationround_update(
            allocation_round=stored_copy(obj, form),
            version=None,
            dialogue_on=obj.dialogue_on,
            note=obj.note,
            user=request.user,
        )

    @admin.display(description="Strategy", ordering="line__strategy__slug")
    def strategy(self, obj: AllocationRound):
        return obj.line.strategy

    @admin.display(description="Allocations", ordering="allocation_count")
    def allocation_count(self, obj: AllocationRound) -> int:
        return obj.allocation_count


@admin.register(Allocation)
class AllocationAdmin(ServiceAdminMixin, AmountMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["round", "office"]
    ordering = ["round__line__strategy__slug", "round__year", "round__half", "id"]

    DETAILS = ("office", "theme", "amount", "description", "is_illustrative")

    @admin.display(description="Strategy", ordering="round__line__strategy__slug")
    def strategy(self, obj: Allocation):
        return obj.round.line.strategy

    def get_readonly_fields(self, request, obj=None):
        # The decision's author and time are those of the save that decides.
        return ["round", "decided_by", "decided_at"] if obj else ["decided_by", "decided_at"]

    def service_check(self, request, obj, form, change):
        if change:
            services.allocation_pending_check(obj)
        if obj.decision != Decision.PENDING:
            services.lines_lock(obj.round.line_id)
            services.allocation_decision_check(obj)

    def service_save(self, request, obj, form, change):
        if change:
            allocation = Allocation.objects.get(pk=obj.pk)
            allocation.is_illustrative = obj.is_illustrative
            if set(form.changed_data) & set(self.DETAILS):
                services.allocation_update(
                    allocation=allocation,
                    version=None,
                    office=obj.office,
                    theme=obj.theme,
                    amount=obj.amount,
                    description=obj.description,
                    user=request.user,
                )
        else:
            allocation = services.allocation_create(
                allocation_round=obj.round,
                office=obj.office,
                theme=obj.theme,
                amount=obj.amount,
                description=obj.description,
                is_illustrative=obj.is_illustrative,
                user=request.user,
            )
        if obj.decision != Decision.PENDING:
            services.allocation_decide(
                allocation=allocation,
                version=None,
                decision=obj.decision,
                reason=obj.decision_reason,
                user=request.user,
            )
        return allocation


@admin.register(DonorTable)
class DonorTableAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "key", "currency", "year", "as_of", "source"]
    list_filter = ["organisation", "currency", "year"]
    list_select_related = ["organisation"]
    search_fields = ["key", "title", "organisation__acronym", "organisation__name"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "key"]


@admin.register(StatedTotal)
class StatedTotalAdmin(AmountMixin, SimpleHistoryAdmin):
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
class FundingRowAdmin(AmountMixin, SimpleHistoryAdmin):
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

    @admin.display(description="Title", ordering="title")
    def title_display(self, obj: FundingRow) -> str:
        return truncate_words(obj.title)


@admin.register(UnearmarkedDonor)
class UnearmarkedDonorAdmin(SimpleHistoryAdmin):
    list_display = ["member_state", "table", "order", "stated_total_display", "source"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["member_state", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "order"]
    inlines = [UnearmarkedContributionInline]

    @admin.display(description="Stated total", ordering="stated_total")
    def stated_total_display(self, obj: UnearmarkedDonor) -> str:
        return format_amount(obj.stated_total)


@admin.register(UnearmarkedContribution)
class UnearmarkedContributionAdmin(AmountMixin, SimpleHistoryAdmin):
    list_display = ["donor", "table", "year", "amount_display", "is_pledged", "source"]
    list_filter = ["donor__table", "year", "is_pledged"]
    list_select_related = ["donor__table"]
    search_fields = ["donor__member_state"]
    autocomplete_fields = ["donor"]
    ordering = ["donor__table__key", "donor__order", "year"]

    @admin.display(description="Table", ordering="donor__table__key")
    def table(self, obj: UnearmarkedContribution):
        return obj.donor.table


@admin.register(EarmarkedDonor)
class EarmarkedDonorAdmin(AmountMixin, SimpleHistoryAdmin):
    list_display = ["rank", "donor", "amount_display", "table", "source"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["donor", "table__title"]
    autocomplete_fields = ["table"]
    ordering = ["table__key", "rank"]

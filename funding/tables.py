"""Tables for approvals, commitments, disbursements, allocation rounds and the budget export.

Amounts show exactly, in DKK with thousands separators, and export as exact decimal numbers.
No column runs a query: the lists select their budget line with the records.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from funding.models import AllocationRound, Commitment, Disbursement, ParliamentaryApproval
from priorities.templatetags.monitor import illustrative_label
from strategy_monitor.formats import amount_exact

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class StrategyTable(tables.Table):
    """A table whose rows link to pages of one strategy."""

    detail_url_name = ""

    def __init__(self, *args, strategy, **kwargs):
        self.strategy = strategy
        super().__init__(*args, **kwargs)

    def detail_url(self, record) -> str:
        return reverse(self.detail_url_name, kwargs={"slug": self.strategy.slug, "pk": record.pk})


class LineYearTable(StrategyTable):
    """Columns shared by approvals, commitments and disbursements."""

    year = tables.Column(verbose_name=_("Budget year"))
    line = tables.Column(verbose_name=_("Budget line"), order_by=("line__order", "line__code"))
    amount = tables.Column(verbose_name=_("Amount (DKK)"), attrs=NUM)
    reference = tables.Column()
    is_illustrative = tables.Column(verbose_name=_("Data"))
    details = tables.Column(
        accessor="pk", verbose_name="", orderable=False, exclude_from_export=True
    )

    def render_amount(self, value):
        return amount_exact(value)

    def value_amount(self, value):
        return value

    def render_is_illustrative(self, value):
        if value:
            return illustrative_label()
        return _("Recorded")

    def value_is_illustrative(self, value):
        return _("Illustrative") if value else _("Recorded")

    def render_details(self, record):
        return format_html('<a href="{}">{}</a>', self.detail_url(record), _("Details and history"))


class ParliamentaryApprovalTable(LineYearTable):
    """Parliament's approvals, one per budget line and year."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Parliamentary approvals")

    detail_url_name = "funding:parliamentaryapproval_detail"
    approved_on = tables.Column(verbose_name=_("Approved on"))

    class Meta:
        model = ParliamentaryApproval
        fields = ("year", "line", "amount", "approved_on", "reference", "is_illustrative")
        sequence = ("year", "line", "amount", "approved_on", "reference", "is_illustrative")
        order_by = ("-year",)
        empty_text = _("No parliamentary approval is recorded yet.")


class CommitmentTable(LineYearTable):
    """Commitments of funds from the budget lines."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Commitments")

    detail_url_name = "funding:commitment_detail"
    committed_on = tables.Column(verbose_name=_("Committed on"))

    class Meta:
        model = Commitment
        fields = ("year", "line", "committed_on", "amount", "reference", "is_illustrative")
        sequence = ("year", "line", "committed_on", "amount", "reference", "is_illustrative")
        order_by = ("-year",)
        empty_text = _("No commitment is recorded yet.")


class DisbursementTable(LineYearTable):
    """Payments to the partner from the budget lines."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Disbursements")

    detail_url_name = "funding:disbursement_detail"
    paid_on = tables.Column(verbose_name=_("Paid on"))
    note = tables.Column()

    class Meta:
        model = Disbursement
        fields = ("paid_on", "year", "line", "amount", "reference", "note", "is_illustrative")
        sequence = ("paid_on", "year", "line", "amount", "reference", "note", "is_illustrative")
        order_by = ("-paid_on",)
        empty_text = _("No disbursement is recorded yet.")

    def render_note(self, value):
        return value if len(value) <= 80 else value[:79] + "…"

    def value_note(self, value):
        # The page shortens a long note; a download keeps it whole.
        return value


class AllocationRoundTable(StrategyTable):
    """The six-monthly allocation rounds with their proposed and decided totals."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Allocation rounds")

    detail_url_name = "funding:allocationround_detail"
    round = tables.Column(accessor="pk", verbose_name=_("Round"), order_by=("year", "half"))
    line = tables.Column(verbose_name=_("Budget line"), order_by=("line__order", "line__code"))
    dialogue_on = tables.Column(verbose_name=_("Dialogue on"))
    proposal_count = tables.Column(verbose_name=_("Proposals"), attrs=NUM)
    proposed = tables.Column(verbose_name=_("Proposed (DKK)"), attrs=NUM)
    approved = tables.Column(verbose_name=_("Approved (DKK)"), attrs=NUM)
    rejected = tables.Column(verbose_name=_("Rejected (DKK)"), attrs=NUM)
    pending = tables.Column(verbose_name=_("Awaiting decision (DKK)"), attrs=NUM)
    is_illustrative = tables.Column(verbose_name=_("Data"))

    class Meta:
        model = AllocationRound
        fields = ("line", "dialogue_on", "is_illustrative")
        sequence = (
            "round",
            "line",
            "dialogue_on",
            "proposal_count",
            "proposed",
            "approved",
            "rejected",
            "pending",
            "is_illustrative",
        )
        order_by = ("-round",)
        empty_text = _("No allocation round is recorded yet.")

    def render_line(self, value):
        return format_html('<span title="{}">{}</span>', str(value), value.code)

    def value_line(self, value):
        return str(value)

    def render_round(self, record):
        return format_html('<a href="{}">{}</a>', self.detail_url(record), str(record))

    def value_round(self, record):
        return str(record)

    def render_proposed(self, value):
        return amount_exact(value)

    render_approved = render_rejected = render_pending = render_proposed

    def value_proposed(self, value):
        return value

    value_approved = value_rejected = value_pending = value_proposed

    def render_is_illustrative(self, value):
        if value:
            return illustrative_label()
        return _("Recorded")

    def value_is_illustrative(self, value):
        return _("Illustrative") if value else _("Recorded")


class BudgetExportTable(tables.Table):
    """The budget page as a download: one row per line and year, exact amounts in DKK."""

    line = tables.Column(verbose_name=_("Budget line"))
    year = tables.Column(verbose_name=_("Year"))
    planned = tables.Column(verbose_name=_("Planned (DKK)"))
    approved = tables.Column(verbose_name=_("Approved by parliament (DKK)"))
    approved_on = tables.Column(verbose_name=_("Approved on"))
    committed = tables.Column(verbose_name=_("Committed (DKK)"))
    disbursed = tables.Column(verbose_name=_("Disbursed (DKK)"))
    remaining = tables.Column(verbose_name=_("Remaining: committed, not disbursed (DKK)"))
    execution_rate = tables.Column(verbose_name=_("Execution rate: disbursed / approved (%)"))
    illustrative = tables.Column(verbose_name=_("Includes illustrative data"))

    class Meta:
        orderable = False
        default = ""


def budget_export_rows(overview) -> list[dict]:
    """Return the rows of the budget export: each line and year, each line's total, all lines."""

    def row(label, year, cell) -> dict:
        return {
            "line": label,
            "year": year,
            "planned": cell.planned,
            "approved": cell.approved,
            "approved_on": cell.approved_on.isoformat() if cell.approved_on else None,
            "committed": cell.committed,
            "disbursed": cell.disbursed,
            "remaining": cell.remaining,
            "execution_rate": cell.execution_rate,
            "illustrative": gettext("Yes") if cell.is_illustrative else gettext("No"),
        }

    rows = []
    for line_row in overview.rows:
        label = str(line_row.line)
        for year, cell in zip(overview.years, line_row.cells, strict=True):
            rows.append(row(label, year, cell))
        rows.append(row(label, gettext("All years"), line_row.total))
    for year, cell in zip(overview.years, overview.year_totals, strict=True):
        rows.append(row(gettext("All lines"), year, cell))
    rows.append(row(gettext("All lines"), gettext("All years"), overview.grand_total))
    return rows

"""The funding records in the strategy's change log: budget, approvals, commitments, payments."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy_monitor.changelog import path_value, register


def register_tracked() -> None:
    """Add the monitored funding models to the change log."""
    register(
        "funding.BudgetLine",
        path="strategy",
        title=gettext_lazy("Budget line"),
        name=lambda h: f"{h.code}. {h.name}",
    )
    register(
        "funding.FinanceActCode",
        path="strategy",
        title=gettext_lazy("Finance Act code"),
        name=lambda h: _("Finance Act code %(code)s") % {"code": h.code},
    )
    register(
        "funding.PlannedAmountRevision",
        path="planned_amount__line__strategy",
        title=gettext_lazy("Revision of the plan"),
        related=("planned_amount__line",),
        name=lambda h: (
            _("Revision of %(code)s %(year)s: %(source)s")
            % {
                "code": path_value(h, "planned_amount.line.code", ""),
                "year": path_value(h, "planned_amount.year", ""),
                "source": h.source,
            }
        ),
    )
    register(
        "funding.PlannedAmount",
        path="line__strategy",
        title=gettext_lazy("Planned amount"),
        related=("line",),
        name=lambda h: (
            _("Plan %(code)s %(year)s") % {"code": path_value(h, "line.code", ""), "year": h.year}
        ),
    )
    register(
        "funding.ParliamentaryApproval",
        path="line__strategy",
        title=gettext_lazy("Parliamentary approval"),
        related=("line",),
        name=lambda h: (
            _("Approval %(code)s %(year)s")
            % {"code": path_value(h, "line.code", ""), "year": h.year}
        ),
    )
    register(
        "funding.Commitment",
        path="line__strategy",
        title=gettext_lazy("Commitment"),
        related=("line",),
        name=lambda h: (
            _("Commitment %(code)s %(year)s")
            % {"code": path_value(h, "line.code", ""), "year": h.year}
        ),
    )
    register(
        "funding.Disbursement",
        path="line__strategy",
        title=gettext_lazy("Disbursement"),
        related=("line",),
        name=lambda h: (
            _("Disbursement %(code)s %(paid_on)s")
            % {
                "code": path_value(h, "line.code", ""),
                "paid_on": date_format(h.paid_on, "SHORT_DATE_FORMAT"),
            }
        ),
    )
    register(
        "funding.AllocationRound",
        path="line__strategy",
        title=gettext_lazy("Allocation round"),
        name=lambda h: (
            _("Allocation round %(year)s %(half)s")
            % {"year": h.year, "half": h.get_half_display().lower()}
        ),
    )
    register(
        "funding.Allocation",
        path="round__line__strategy",
        title=gettext_lazy("Allocation"),
        name=lambda h: h.theme,
    )

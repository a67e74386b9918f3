"""The funding records in the strategy's change log: budget, approvals, commitments, payments."""

from strategy_monitor.changelog import path_value, register


def register_tracked() -> None:
    """Add the monitored funding models to the change log."""
    register(
        "funding.BudgetLine",
        path="strategy",
        title="Budget line",
        name=lambda h: f"{h.code}. {h.name}",
    )
    register(
        "funding.FinanceActCode",
        path="strategy",
        title="Finance Act code",
        name=lambda h: f"Finance Act code {h.code}",
    )
    register(
        "funding.PlannedAmountRevision",
        path="planned_amount__line__strategy",
        title="Revision of the plan",
        related=("planned_amount__line",),
        name=lambda h: (
            f"Revision of {path_value(h, 'planned_amount.line.code', '')} "
            f"{path_value(h, 'planned_amount.year', '')}: {h.source}"
        ),
    )
    register(
        "funding.PlannedAmount",
        path="line__strategy",
        title="Planned amount",
        related=("line",),
        name=lambda h: f"Plan {path_value(h, 'line.code', '')} {h.year}",
    )
    register(
        "funding.ParliamentaryApproval",
        path="line__strategy",
        title="Parliamentary approval",
        related=("line",),
        name=lambda h: f"Approval {path_value(h, 'line.code', '')} {h.year}",
    )
    register(
        "funding.Commitment",
        path="line__strategy",
        title="Commitment",
        related=("line",),
        name=lambda h: f"Commitment {path_value(h, 'line.code', '')} {h.year}",
    )
    register(
        "funding.Disbursement",
        path="line__strategy",
        title="Disbursement",
        related=("line",),
        name=lambda h: f"Disbursement {path_value(h, 'line.code', '')} {h.paid_on:%d %b %Y}",
    )
    register(
        "funding.AllocationRound",
        path="line__strategy",
        title="Allocation round",
        name=lambda h: f"Allocation round {h.year} {h.get_half_display().lower()}",
    )
    register(
        "funding.Allocation",
        path="round__line__strategy",
        title="Allocation",
        name=lambda h: h.theme,
    )

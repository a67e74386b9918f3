"""List querysets of a strategy's budget lines and funding records."""

from django.db.models import Count, QuerySet

from funding.choices import BudgetLineKind, Decision
from funding.models import (
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
from funding.querysets import decimal_sum
from priorities.models import Strategy


def line_list(*, strategy: Strategy) -> QuerySet[BudgetLine]:
    """Return the budget lines of `strategy` in the order the budget prints them."""
    return (
        BudgetLine.objects.filter(strategy=strategy)
        .select_related("finance_act_code")
        .order_by("order", "code")
    )


def soft_earmarked_line_list(*, strategy: Strategy) -> QuerySet[BudgetLine]:
    """Return the softly earmarked lines of `strategy`, whose use goes through allocation rounds."""
    return line_list(strategy=strategy).filter(kind=BudgetLineKind.SOFT_EARMARKED)


def approval_list(*, strategy: Strategy) -> QuerySet[ParliamentaryApproval]:
    """Return the parliamentary approvals of `strategy`'s lines, with their line."""
    return (
        ParliamentaryApproval.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-year", "line__order", "line__code")
    )


def commitment_list(*, strategy: Strategy) -> QuerySet[Commitment]:
    """Return the commitments of `strategy`'s lines, with their line."""
    return (
        Commitment.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-year", "line__order", "-committed_on", "-pk")
    )


def disbursement_list(*, strategy: Strategy) -> QuerySet[Disbursement]:
    """Return the disbursements of `strategy`'s lines, with their line."""
    return (
        Disbursement.objects.for_strategy(strategy)
        .select_related("line")
        .order_by("-paid_on", "line__order", "-pk")
    )


def allocationround_list(*, strategy: Strategy) -> QuerySet[AllocationRound]:
    """Return the allocation rounds of `strategy` with their proposed and decided totals."""
    return (
        AllocationRound.objects.filter(line__strategy=strategy)
        .select_related("line")
        .annotate(
            proposal_count=Count("allocations"),
            proposed=decimal_sum("allocations__amount"),
            approved=decimal_sum("allocations__amount", allocations__decision=Decision.APPROVED),
            rejected=decimal_sum("allocations__amount", allocations__decision=Decision.REJECTED),
            pending=decimal_sum("allocations__amount", allocations__decision=Decision.PENDING),
        )
        .order_by("-year", "-half", "line__order")
    )

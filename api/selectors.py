"""Reads for the API: each resource's records that a user may see, with what they show.

Every list is scoped as the pages are (`Strategy.objects.visible_to`: the strategy's team, or
everyone for managers and administrators) and gathers its related rows with a fixed number of
queries, whatever the number of strategies or records.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from engagement.models import ActionPoint, KeyMessage, Meeting, Milestone
from funding.models import (
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
    PlannedAmountRevision,
)
from funding.selectors import BudgetCell, cell_sum
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from priorities.permissions import user_is_administrator
from risks.models import Risk, RiskRating


def strategy_ids_visible(*, user) -> QuerySet:
    """Return a subquery of the ids of the strategies `user` may see."""
    return Strategy.objects.visible_to(user).order_by().values("pk")


def strategy_list(*, user) -> QuerySet[Strategy]:
    """Return the strategies `user` may see, with their partner."""
    return Strategy.objects.filter(pk__in=strategy_ids_visible(user=user)).select_related(
        "organisation"
    )


def strategyyear_list(*, user) -> QuerySet[StrategyYear]:
    """Return the years of the strategies `user` may see."""
    return StrategyYear.objects.filter(strategy__in=strategy_ids_visible(user=user)).select_related(
        "strategy", "state_changed_by"
    )


def priorityarea_list(*, user) -> QuerySet[PriorityArea]:
    """Return the priority areas of the strategies `user` may see, with the nodes they follow."""
    return (
        PriorityArea.objects.filter(strategy__in=strategy_ids_visible(user=user))
        .select_related("strategy")
        .prefetch_related(Prefetch("nodes", queryset=ResultsNode.objects.order_by("pk")))
    )


def resultsnode_list(*, user) -> QuerySet[ResultsNode]:
    """Return the nodes of the frameworks of the partners of the strategies `user` may see."""
    followed = Strategy.objects.filter(
        pk__in=strategy_ids_visible(user=user), organisation=OuterRef("framework__organisation")
    )
    return ResultsNode.objects.filter(Exists(followed)).select_related(
        "framework__organisation", "parent"
    )


def indicator_list(*, user) -> QuerySet[Indicator]:
    """Return the indicators of the strategies `user` may see, with their figures per year."""
    progress = IndicatorProgress.objects.select_related("strategy_year").order_by(
        "strategy_year__year"
    )
    return (
        Indicator.objects.filter(priority_area__strategy__in=strategy_ids_visible(user=user))
        .select_related("priority_area__strategy", "node")
        .prefetch_related(Prefetch("progress", queryset=progress))
    )


def assessment_list(*, user) -> QuerySet[Assessment]:
    """Return the ratings per priority area and year of the strategies `user` may see."""
    return Assessment.objects.filter(
        priority_area__strategy__in=strategy_ids_visible(user=user)
    ).select_related("priority_area__strategy", "strategy_year")


def budgetline_list(*, user) -> QuerySet[BudgetLine]:
    """Return the budget lines of the strategies `user` may see."""
    return BudgetLine.objects.filter(strategy__in=strategy_ids_visible(user=user)).select_related(
        "strategy", "finance_act_code"
    )


def risk_list(*, user) -> QuerySet[Risk]:
    """Return the risks of the strategies `user` may see, with every rating, latest first."""
    ratings = RiskRating.objects.order_by("-rated_on", "-id")
    return (
        Risk.objects.filter(strategy__in=strategy_ids_visible(user=user))
        .select_related("strategy", "owner")
        .prefetch_related(
            Prefetch("ratings", queryset=ratings),
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("pk")),
        )
    )


def meeting_list(*, user) -> QuerySet[Meeting]:
    """Return the meetings of the strategies `user` may see, with their areas and key messages.

    Key messages are internal: only those of the strategies whose team `user` is on (all, for
    an administrator) are read at all; the serializer leaves the field out for the others.
    """
    messages = KeyMessage.objects.order_by("order", "id")
    if not user.is_authenticated:
        messages = messages.none()
    elif not user_is_administrator(user):
        teams = TeamMembership.objects.filter(user=user).values("strategy_id")
        messages = messages.filter(meeting__strategy_id__in=teams)
    return (
        Meeting.objects.filter(strategy__in=strategy_ids_visible(user=user))
        .select_related("strategy", "body")
        .prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("pk")),
            Prefetch("key_messages", queryset=messages),
        )
    )


def actionpoint_list(*, user) -> QuerySet[ActionPoint]:
    """Return the action points of the strategies `user` may see."""
    return ActionPoint.objects.filter(strategy__in=strategy_ids_visible(user=user)).select_related(
        "strategy", "owner", "priority_area"
    )


def milestone_list(*, user) -> QuerySet[Milestone]:
    """Return the milestones of the strategies `user` may see."""
    return Milestone.objects.filter(strategy__in=strategy_ids_visible(user=user)).select_related(
        "strategy", "owner", "body"
    )


@dataclass(frozen=True)
class LineMoney:
    """A budget line's money per year of its strategy, over the period, and its revisions."""

    years: tuple[BudgetCell, ...]
    total: BudgetCell
    revisions: tuple[dict, ...]


def budgetline_money(*, lines: list[BudgetLine]) -> dict[int, LineMoney]:
    """Return each line's money per year, in five queries for any number of lines.

    The cells are funding's own `BudgetCell`s, summed the way the budget page sums them: the
    planned amount, the parliamentary approval, and the committed and disbursed totals of each
    line and year, with which of them rest on illustrative records. Revisions are the changes
    to the planned amounts from the change log, oldest first.
    """
    ids = [line.pk for line in lines]
    planned = {
        (row["line_id"], row["year"]): row["amount"]
        for row in PlannedAmount.objects.filter(line_id__in=ids).values("line_id", "year", "amount")
    }
    approvals = {
        (row["line_id"], row["year"]): row
        for row in ParliamentaryApproval.objects.filter(line_id__in=ids).values(
            "line_id", "year", "amount", "approved_on", "is_illustrative"
        )
    }
    committed = {
        (row["line_id"], row["year"]): row
        for row in Commitment.objects.filter(line_id__in=ids).totals_by_line_year()
    }
    disbursed = {
        (row["line_id"], row["year"]): row
        for row in Disbursement.objects.filter(line_id__in=ids).totals_by_line_year()
    }
    revisions: dict[int, list[dict]] = defaultdict(list)
    for row in (
        PlannedAmountRevision.objects.filter(planned_amount__line_id__in=ids)
        .order_by("planned_amount__year", "revised_on", "pk")
        .values(
            "planned_amount__line_id",
            "planned_amount__year",
            "previous_amount",
            "amount",
            "revised_on",
            "source",
            "reason",
        )
    ):
        revisions[row["planned_amount__line_id"]].append(row)
    empty: dict = {}
    money = {}
    for line in lines:
        cells = []
        for year in line.strategy.years:
            key = (line.pk, year)
            approval = approvals.get(key, empty)
            commitments = committed.get(key, empty)
            disbursements = disbursed.get(key, empty)
            cells.append(
                BudgetCell.from_sums(
                    line_id=line.pk,
                    year=year,
                    planned=planned.get(key),
                    approval=approval,
                    commitments=commitments,
                    disbursements=disbursements,
                )
            )
        money[line.pk] = LineMoney(
            years=tuple(cells), total=cell_sum(cells), revisions=tuple(revisions[line.pk])
        )
    return money

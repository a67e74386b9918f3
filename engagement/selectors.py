"""Reads for meetings, action points, milestones, the list of what is due, and calendar feeds."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from engagement.choices import ActionStatus, DueKind, MilestoneKind
from engagement.models import ActionPoint, Meeting, Milestone
from engagement.rhythm import CONSULTATION_KEY_PREFIX
from priorities import permissions
from priorities.choices import TeamRole, YearState
from priorities.models import PriorityArea, Strategy, StrategyYear, TeamMembership

DUE_HORIZON_DAYS = 60


# --- Lists of one strategy ----------------------------------------------------------------------


def meeting_list(*, strategy: Strategy) -> QuerySet[Meeting]:
    """Return the strategy's meetings, newest first, with their areas and open action points."""
    return (
        Meeting.objects.filter(strategy=strategy)
        .select_related("strategy")
        .annotate(
            open_action_count=Count(
                "action_points", filter=Q(action_points__status=ActionStatus.OPEN)
            ),
            action_count=Count("action_points"),
        )
        .prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("order", "number"))
        )
        .order_by("-held_on", "-id")
    )


def meeting_get(*, strategy: Strategy, pk: int) -> Meeting:
    """Return one meeting of the strategy with its areas and action points; 404 if absent."""
    return get_object_or_404(
        Meeting.objects.filter(strategy=strategy).prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("order", "number")),
            Prefetch(
                "action_points",
                queryset=ActionPoint.objects.select_related("owner", "priority_area").order_by(
                    "due_on", "id"
                ),
            ),
        ),
        pk=pk,
    )


def actionpoint_list(*, strategy: Strategy) -> QuerySet[ActionPoint]:
    """Return the strategy's action points with their owner, meeting and priority area."""
    return (
        ActionPoint.objects.filter(strategy=strategy)
        .select_related("strategy", "owner", "meeting", "priority_area")
        .order_by("due_on", "id")
    )


def milestone_list(*, strategy: Strategy) -> QuerySet[Milestone]:
    """Return the strategy's milestones in date order, with their owners."""
    return (
        Milestone.objects.filter(strategy=strategy)
        .select_related("strategy", "owner")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class ConsultationRhythm:
    """The years of the planned consultations, the high-level ones, and whether it is assumed."""

    years: tuple[int, ...]
    high_level_years: tuple[int, ...]
    is_assumed: bool  # some consultation to come still has its planning default date

    @property
    def first_high_level_year(self) -> int | None:
        return self.high_level_years[0] if self.high_level_years else None


def consultation_rhythm(*, strategy: Strategy) -> ConsultationRhythm | None:
    """Return the rhythm of the consultations generated for `strategy`, or None without any."""
    rows = list(
        Milestone.objects.filter(strategy=strategy, key__startswith=CONSULTATION_KEY_PREFIX)
        .order_by("due_on", "id")
        .values_list("due_on", "kind", "date_confirmed", "done_on", "is_illustrative")
    )
    if not rows:
        return None
    return ConsultationRhythm(
        years=tuple(due_on.year for due_on, *_ in rows),
        high_level_years=tuple(
            due_on.year
            for due_on, kind, *_ in rows
            if kind == MilestoneKind.HIGH_LEVEL_CONSULTATION
        ),
        # A consultation whose date a user set, or that is recorded as held, no longer rests on
        # the assumption; one held only in illustrative data still does.
        is_assumed=not all(
            confirmed or (done_on and not illustrative)
            for _, _, confirmed, done_on, illustrative in rows
        ),
    )


def team_users(*, strategy: Strategy) -> QuerySet:
    """Return the users on the strategy's team, who may own its action points and milestones."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=TeamMembership.objects.filter(strategy=strategy).values("user_id"),
        )
        .order_by("first_name", "last_name", "username")
    )


def team_owner_by_role(*, strategy: Strategy) -> dict[str, object]:
    """Return, for each team role, the member who owns that role's milestones by default."""
    owners: dict[str, object] = {}
    for membership in (
        TeamMembership.objects.filter(strategy=strategy, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    ):
        owners.setdefault(membership.role, membership.user)
    return owners


# --- What is due -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """Something a user must do by a date, with the page where it is done."""

    kind: str
    item_id: int
    title: str
    due_on: datetime.date
    strategy_title: str
    strategy_label: str
    url: str
    detail: str = ""
    is_illustrative: bool = False

    @property
    def kind_label(self) -> str:
        return DueKind(self.kind).label

    @property
    def title_line(self) -> str:
        """Return the title on one line: an action point's text may run over several."""
        return " ".join(self.title.split())

    @property
    def detail_line(self) -> str:
        """Return the detail on one line, as a plain-text e-mail lists it."""
        return " ".join(self.detail.split())

    def is_overdue(self, today: datetime.date) -> bool:
        """Return whether the item was due before `today`."""
        return self.due_on < today


@dataclass(frozen=True)
class DueReport:
    """A user's overdue items and those due within the horizon."""

    today: datetime.date
    until: datetime.date
    overdue: tuple[DueItem, ...]
    upcoming: tuple[DueItem, ...]

    @property
    def has_illustrative(self) -> bool:
        return any(item.is_illustrative for item in (*self.overdue, *self.upcoming))

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.upcoming)


def link(name: str, *args, fallback: str = "", anchor: str = "") -> str:
    """Return the path of URL `name`, or `fallback` while that page does not exist yet."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return fallback
    return f"{path}#{anchor}" if anchor else path


def strategy_label(strategy: Strategy) -> str:
    """Return a strategy's short name, e.g. "IOM 2023-2026"."""
    return f"{strategy.organisation.acronym} {strategy.period}"


def milestone_url(milestone: Milestone, strategy: Strategy) -> str:
    """Return the milestone list showing the milestone's year, at the milestone's row."""
    path = link("engagement:milestone_list", strategy.slug)
    return f"{path}?year={milestone.due_on.year}#milestone-{milestone.pk}"


def _strategy_url(strategy: Strategy, anchor: str = "") -> str:
    return link("priorities:strategy_detail", strategy.slug, anchor=anchor)


def last_whole_year(until: datetime.date) -> int:
    """Return the last calendar year that has ended by `until`."""
    return until.year if (until.month, until.day) == (12, 31) else until.year - 1


def half_year_end(year: int, half: int) -> datetime.date:
    """Return the last day of the first or second half of `year`."""
    return datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)


def _visible_strategies(user) -> QuerySet:
    """Return the ids of the strategies `user` may see today, as a subquery.

    Someone taken off a team keeps owning its records until they are handed over, but no
    longer sees them: their lists and feeds follow what they may see, not what they own.
    """
    return Strategy.objects.visible_to(user).values("pk")


def _years_due(user, until: datetime.date) -> list[DueItem]:
    desk_strategies = TeamMembership.objects.filter(user=user, role=TeamRole.DESK_OFFICER).values(
        "strategy_id"
    )
    years = StrategyYear.objects.filter(
        strategy_id__in=desk_strategies, state=YearState.DRAFT, year__lte=last_whole_year(until)
    ).select_related("strategy__organisation")
    return [
        DueItem(
            kind=DueKind.YEAR,
            item_id=year.pk,
            title=f"Submit the year {year.year} for approval",
            due_on=datetime.date(year.year, 12, 31),
            strategy_title=year.strategy.title,
            strategy_label=strategy_label(year.strategy),
            url=_strategy_url(year.strategy, "years"),
            detail="The year is still a draft.",
        )
        for year in years
    ]


def _risk_reviews_due(user, until: datetime.date) -> list[DueItem]:
    from risks.choices import RiskStatus
    from risks.models import Risk

    desk_strategies = TeamMembership.objects.filter(user=user, role=TeamRole.DESK_OFFICER).values(
        "strategy_id"
    )
    risks = (
        Risk.objects.filter(status=RiskStatus.OPEN, next_review__lte=until)
        .filter(Q(owner=user) | Q(strategy_id__in=desk_strategies))
        .filter(strategy_id__in=_visible_strategies(user))
        .select_related("strategy__organisation")
    )
    return [
        DueItem(
            kind=DueKind.RISK_REVIEW,
            item_id=risk.pk,
            title=f"Review the risk: {risk.title}",
            due_on=risk.next_review,
            strategy_title=risk.strategy.title,
            strategy_label=strategy_label(risk.strategy),
            url=link(
                "risks:risk_detail",
                risk.strategy.slug,
                risk.pk,
                fallback=_strategy_url(risk.strategy, "risks"),
            ),
            detail="You own this risk." if risk.owner_id == user.pk else "",
            is_illustrative=risk.rating_is_illustrative,
        )
        for risk in risks
    ]


def actionpoint_url(action_point: ActionPoint, strategy: Strategy) -> str:
    """Return the page of an action point: its meeting, or the strategy's action points."""
    anchor = f"action-{action_point.pk}"
    if action_point.meeting_id:
        return link(
            "engagement:meeting_detail", strategy.slug, action_point.meeting_id, anchor=anchor
        )
    return link("engagement:actionpoint_list", strategy.slug, anchor=anchor)


def _action_points_due(user, until: datetime.date) -> list[DueItem]:
    action_points = ActionPoint.objects.filter(
        owner=user,
        status=ActionStatus.OPEN,
        due_on__lte=until,
        strategy_id__in=_visible_strategies(user),
    ).select_related("strategy__organisation", "meeting")
    return [
        DueItem(
            kind=DueKind.ACTION_POINT,
            item_id=action_point.pk,
            title=action_point.text,
            due_on=action_point.due_on,
            strategy_title=action_point.strategy.title,
            strategy_label=strategy_label(action_point.strategy),
            url=actionpoint_url(action_point, action_point.strategy),
            detail=f"From {action_point.meeting.title}" if action_point.meeting_id else "",
            is_illustrative=action_point.is_illustrative,
        )
        for action_point in action_points
    ]


def _allocation_rounds_due(user, until: datetime.date) -> list[DueItem]:
    from funding.choices import Decision
    from funding.models import AllocationRound

    if not permissions.user_is_manager(user):
        return []
    rounds = (
        AllocationRound.objects.annotate(
            pending=Count("allocations", filter=Q(allocations__decision=Decision.PENDING))
        )
        .filter(pending__gt=0)
        .filter(Q(dialogue_on__lte=until) | Q(dialogue_on__isnull=True))
        .select_related("line__strategy__organisation")
    )
    items = []
    for allocation_round in rounds:
        # A decision is due at the dialogue, or by the end of the half-year without one.
        due_on = allocation_round.dialogue_on or half_year_end(
            allocation_round.year, allocation_round.half
        )
        if due_on > until:
            continue
        strategy = allocation_round.line.strategy
        pending = allocation_round.pending
        items.append(
            DueItem(
                kind=DueKind.ALLOCATION_ROUND,
                item_id=allocation_round.pk,
                title=(
                    f"Decide on the allocations of the "
                    f"{allocation_round.get_half_display().lower()} of {allocation_round.year}"
                ),
                due_on=due_on,
                strategy_title=strategy.title,
                strategy_label=strategy_label(strategy),
                url=link(
                    "funding:allocationround_detail",
                    strategy.slug,
                    allocation_round.pk,
                    fallback=_strategy_url(strategy),
                ),
                detail=f"{pending} allocation{'s' if pending != 1 else ''} awaiting a decision.",
                is_illustrative=allocation_round.is_illustrative,
            )
        )
    return items


def _milestones_due(user, until: datetime.date) -> list[DueItem]:
    member_strategies = TeamMembership.objects.filter(user=user).values("strategy_id")
    milestones = (
        Milestone.objects.filter(done_on__isnull=True, due_on__lte=until)
        .filter(Q(owner=user) | Q(owner__isnull=True, strategy_id__in=member_strategies))
        .filter(strategy_id__in=_visible_strategies(user))
        .select_related("strategy__organisation")
    )
    return [
        DueItem(
            kind=DueKind.MILESTONE,
            item_id=milestone.pk,
            title=milestone.title,
            due_on=milestone.due_on,
            strategy_title=milestone.strategy.title,
            strategy_label=strategy_label(milestone.strategy),
            url=milestone_url(milestone, milestone.strategy),
            detail="" if milestone.owner_id else "No owner yet: anyone on the team.",
            is_illustrative=milestone.is_illustrative,
        )
        for milestone in milestones
    ]


def due_items(*, user, until: datetime.date) -> list[DueItem]:
    """Return everything `user` must do by `until` (overdue items included), by date.

    One query per kind of item, whatever the number of strategies: years still in draft
    (desk officers), risk reviews (owners and desk officers), the user's open action points,
    allocation rounds awaiting a decision (managers), and milestones the user owns or that
    nobody owns on the user's strategies.
    """
    if not user.is_authenticated:
        return []
    items = [
        *_years_due(user, until),
        *_risk_reviews_due(user, until),
        *_action_points_due(user, until),
        *_allocation_rounds_due(user, until),
        *_milestones_due(user, until),
    ]
    items.sort(key=lambda item: (item.due_on, item.kind, item.item_id))
    return items


def my_tasks(*, user, today: datetime.date, days: int = DUE_HORIZON_DAYS) -> DueReport:
    """Return what `user` has overdue and what falls due within `days` after `today`."""
    until = today + datetime.timedelta(days=days)
    items = due_items(user=user, until=until)
    return DueReport(
        today=today,
        until=until,
        overdue=tuple(item for item in items if item.is_overdue(today)),
        upcoming=tuple(item for item in items if not item.is_overdue(today)),
    )


# --- Calendar feeds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItems:
    """The milestones, meetings and open action points a calendar feed shows."""

    milestones: tuple[Milestone, ...]
    meetings: tuple[Meeting, ...]
    action_points: tuple[ActionPoint, ...]


def calendar_items_for_user(*, user) -> FeedItems:
    """Return the user's action points and milestones, and the meetings of their strategies.

    Only strategies the user may see today count: an owner taken off a team drops out.
    """
    member_strategies = TeamMembership.objects.filter(user=user).values("strategy_id")
    visible = _visible_strategies(user)
    return FeedItems(
        milestones=tuple(
            Milestone.objects.filter(
                Q(owner=user) | Q(owner__isnull=True, strategy_id__in=member_strategies)
            )
            .filter(strategy_id__in=visible)
            .select_related("strategy", "owner")
            .order_by("due_on", "id")
        ),
        meetings=tuple(
            Meeting.objects.filter(strategy_id__in=member_strategies)
            .select_related("strategy")
            .order_by("held_on", "id")
        ),
        action_points=tuple(
            ActionPoint.objects.filter(
                owner=user,
                status=ActionStatus.OPEN,
                due_on__isnull=False,
                strategy_id__in=visible,
            )
            .select_related("strategy", "meeting", "owner")
            .order_by("due_on", "id")
        ),
    )


def calendar_items_for_strategy(*, strategy: Strategy) -> FeedItems:
    """Return the strategy's milestones, meetings and open action points with a due date."""
    return FeedItems(
        milestones=tuple(
            Milestone.objects.filter(strategy=strategy)
            .select_related("strategy", "owner")
            .order_by("due_on", "id")
        ),
        meetings=tuple(
            Meeting.objects.filter(strategy=strategy)
            .select_related("strategy")
            .order_by("held_on", "id")
        ),
        action_points=tuple(
            ActionPoint.objects.filter(
                strategy=strategy, status=ActionStatus.OPEN, due_on__isnull=False
            )
            .select_related("strategy", "meeting", "owner")
            .order_by("due_on", "id")
        ),
    )


def feed_strategies(*, user) -> QuerySet[Strategy]:
    """Return the strategies whose calendar feed `user` may subscribe to."""
    return Strategy.objects.visible_to(user).order_by("-start_year", "title")

"""Reads for meetings, action points, milestones, the list of what is due, and calendar feeds."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import (
    ActionPoint,
    GoverningBody,
    KeyMessage,
    Meeting,
    MidTermReview,
    Milestone,
    Rhythm,
)
from engagement.rhythm import CONSULTATION_KEY_PREFIX
from priorities.choices import DueKind, TeamRole
from priorities.models import PriorityArea, Strategy, TeamMembership
from priorities.registry import (
    DueItem,
    Fulfilment,
    SetupCheck,
    due_sources,
    fulfilled_kinds,
    fulfilments_get,
)
from priorities.selectors import link, role_strategy_ids, strategy_label, visible_strategy_ids

DUE_HORIZON_DAYS = 60


# --- Lists of one strategy ----------------------------------------------------------------------


def meeting_list(*, strategy: Strategy) -> QuerySet[Meeting]:
    """Return the strategy's meetings, newest first, with their areas and open action points."""
    return (
        Meeting.objects.filter(strategy=strategy)
        .select_related("strategy", "body")
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
        Meeting.objects.filter(strategy=strategy)
        .select_related("body")
        .prefetch_related(
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


def key_messages_of_meeting(*, meeting: Meeting) -> list[KeyMessage]:
    """Return the meeting's key messages in their order, with area and action point (one query)."""
    return list(
        KeyMessage.objects.filter(meeting=meeting)
        .select_related("priority_area", "action_point")
        .order_by("order", "id")
    )


@dataclass(frozen=True)
class KeyMessageGroup:
    """The key messages of one priority area, or the strategy-wide ones (`area` None)."""

    area: PriorityArea | None
    messages: tuple[KeyMessage, ...]


def key_messages_grouped(messages: list[KeyMessage]) -> list[KeyMessageGroup]:
    """Group key messages by priority area: strategy-wide first, then in the areas' order."""
    groups: dict[int | None, list[KeyMessage]] = {}
    for message in messages:
        groups.setdefault(message.priority_area_id, []).append(message)
    areas = sorted(
        {m.priority_area for m in messages if m.priority_area is not None},
        key=lambda area: (area.order, area.number or 0, area.pk),
    )
    result = []
    if None in groups:
        result.append(KeyMessageGroup(area=None, messages=tuple(groups[None])))
    result.extend(KeyMessageGroup(area=area, messages=tuple(groups[area.pk])) for area in areas)
    return result


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


# --- What fulfils a milestone --------------------------------------------------------------------


def milestones_fulfil(milestones: Iterable[Milestone]) -> list[Milestone]:
    """Set on each milestone the record that fulfils it, if any: one query per source.

    A record fulfils the milestones of its kind in its year (a mid-term review those of its
    kind in any year) on its strategy.
    """
    milestones = list(milestones)
    found = fulfilments_get(
        {milestone.strategy_id for milestone in milestones},
        kinds={milestone.kind for milestone in milestones},
    )
    for milestone in milestones:
        milestone.fulfilment = found.get(
            (milestone.strategy_id, milestone.kind, milestone.for_year)
        ) or found.get((milestone.strategy_id, milestone.kind, None))
    return milestones


def milestone_fulfilled_ids(
    milestones: QuerySet[Milestone], *, as_of: datetime.date | None = None
) -> set[int]:
    """Return the ids of `milestones` that a record fulfils: a query, and one per source.

    Only the sources of the kinds among them are read, and none where no milestone is of a
    kind a record fulfils. With `as_of`, only a record done by that date counts, as a brief
    of that date saw it.
    """
    keys = (
        milestones.filter(kind__in=fulfilled_kinds())
        .select_related(None)
        .order_by()
        .only("pk", "strategy_id", "kind", "year", "due_on")
    )
    return {
        milestone.pk
        for milestone in milestones_fulfil(keys)
        if milestone.fulfilment is not None
        and (as_of is None or milestone.fulfilment.done_on <= as_of)
    }


def milestone_done_q(fulfilled_ids: Iterable[int], *, as_of: datetime.date | None = None) -> Q:
    """Return the condition of a done milestone: fulfilled by a record, or closed by hand.

    `fulfilled_ids` come from `milestone_fulfilled_ids`; with `as_of`, a milestone closed by
    hand after that date is not done yet.
    """
    closed = Q(done_on__isnull=False) if as_of is None else Q(done_on__lte=as_of)
    return closed | Q(pk__in=sorted(fulfilled_ids))


@dataclass(frozen=True)
class MilestoneBoard:
    """A strategy's milestones as the milestones page lists them, with what fulfils them.

    `milestones` is annotated with `state` ("open", "overdue" or "done") and ordered what is
    next first, then what is overdue, then what is done (the latest first); `fulfilments` maps
    a fulfilled milestone's id to its record.
    """

    milestones: QuerySet[Milestone]
    fulfilments: dict[int, Fulfilment]


STATE_OPEN, STATE_OVERDUE, STATE_DONE = "open", "overdue", "done"


def milestone_board(*, strategy: Strategy, today: datetime.date | None = None) -> MilestoneBoard:
    """Return the strategy's milestones in the page's order, with what fulfils them.

    One query, and one per source of the kinds planned, whatever the number of milestones (the
    page of milestones itself is read later, by the table).
    """
    today = today or timezone.localdate()
    keys = Milestone.objects.filter(strategy=strategy).only(
        "pk", "strategy_id", "kind", "year", "due_on"
    )
    fulfilments = {
        milestone.pk: milestone.fulfilment
        for milestone in milestones_fulfil(keys)
        if milestone.fulfilment is not None
    }
    done = milestone_done_q(fulfilments)
    milestones = (
        milestone_list(strategy=strategy)
        .annotate(
            state=Case(
                When(done, then=Value(STATE_DONE)),
                When(due_on__lt=today, then=Value(STATE_OVERDUE)),
                default=Value(STATE_OPEN),
            ),
            state_order=Case(
                When(done, then=Value(2)),
                When(due_on__lt=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            # Done milestones run from the latest back; the others from the nearest on.
            done_due=Case(When(done, then=F("due_on")), default=None),
        )
        .order_by("state_order", F("done_due").desc(nulls_last=True), "due_on", "id")
    )
    return MilestoneBoard(milestones=milestones, fulfilments=fulfilments)


def consultation_fulfilments(strategy_ids: Iterable[int]) -> list[Fulfilment]:
    """Return the consultations held and logged: each fulfils the milestone of its kind and year."""
    labels = {
        MeetingKind.ANNUAL_CONSULTATION: _("Annual consultation logged"),
        MeetingKind.HIGH_LEVEL_CONSULTATION: _("High-level consultation logged"),
    }
    meetings = Meeting.objects.filter(
        strategy_id__in=strategy_ids, kind__in=list(labels), held_on__lte=timezone.localdate()
    ).values_list("pk", "strategy_id", "strategy__slug", "kind", "held_on")
    return [
        Fulfilment(
            strategy_id=strategy_id,
            kind=kind,
            year=held_on.year,
            url=link("engagement:meeting_detail", slug, pk),
            label=labels[kind],
            done_on=held_on,
        )
        for pk, strategy_id, slug, kind, held_on in meetings
    ]


def review_fulfilments(strategy_ids: Iterable[int]) -> list[Fulfilment]:
    """Return the mid-term reviews recorded, which fulfil the mid-term review milestone."""
    reviews = MidTermReview.objects.filter(strategy_id__in=strategy_ids).values_list(
        "strategy_id", "strategy__slug", "completed_on"
    )
    return [
        Fulfilment(
            strategy_id=strategy_id,
            kind=MilestoneKind.MID_TERM_REVIEW,
            year=None,
            url=link("engagement:milestone_list", slug, anchor="mid-term-review"),
            label=_("Mid-term review recorded"),
            done_on=completed_on,
        )
        for strategy_id, slug, completed_on in reviews
    ]


def midtermreview_get(*, strategy: Strategy) -> MidTermReview | None:
    """Return the strategy's mid-term review, or None while none is recorded."""
    return MidTermReview.objects.filter(strategy=strategy).first()


def rhythm_get(*, strategy: Strategy) -> Rhythm:
    """Return the strategy's rhythm, or an unsaved one with the defaults where none is set."""
    rhythm = Rhythm.objects.filter(strategy=strategy).first()
    if rhythm is None:
        rhythm = Rhythm(strategy=strategy)
    else:
        # The caller's strategy, so that its period is read without another query.
        rhythm.strategy = strategy
    return rhythm


def governingbody_list(*, organisation_id: int) -> QuerySet[GoverningBody]:
    """Return a partner's governing bodies in their order."""
    return GoverningBody.objects.filter(organisation_id=organisation_id).order_by("order", "name")


@dataclass(frozen=True)
class ConsultationRhythm:
    """The years of the planned consultations, the high-level ones, and whether it is assumed."""

    years: tuple[int, ...]
    high_level_years: tuple[int, ...]
    is_assumed: bool  # some consultation to come still has its planning default date

    @property
    def first_high_level_year(self) -> int | None:
        return self.high_level_years[0] if self.high_level_years else None

    @property
    def is_alternate(self) -> bool:
        """Return whether the high-level years fall every second year, as far as planned."""
        years = self.high_level_years
        if not years:
            return False
        planned = [year for year in self.years if year >= years[0]]
        return list(years) == planned[::2]


def consultation_rhythm(*, strategy: Strategy) -> ConsultationRhythm | None:
    """Return the rhythm of the consultations generated for `strategy`, or None without any."""
    rows = list(
        Milestone.objects.filter(strategy=strategy, key__startswith=CONSULTATION_KEY_PREFIX)
        .order_by("due_on", "id")
        .values_list("due_on", "kind", "date_confirmed", "done_on", "is_illustrative")
    )
    if not rows:
        return None
    # Years an administrator set as known on the rhythm are no assumption, whatever the dates.
    years_known = Rhythm.objects.filter(strategy=strategy, high_level_assumed=False).exists()
    return ConsultationRhythm(
        years=tuple(due_on.year for due_on, *_ in rows),
        high_level_years=tuple(
            due_on.year
            for due_on, kind, *_ in rows
            if kind == MilestoneKind.HIGH_LEVEL_CONSULTATION
        ),
        # A consultation whose date a user set, or that is recorded as held, no longer rests on
        # the assumption; one held only in illustrative data still does.
        is_assumed=not years_known
        and not all(
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


def milestone_url(milestone: Milestone, strategy: Strategy) -> str:
    """Return the milestone list showing the milestone's year, at the milestone's row."""
    path = link("engagement:milestone_list", strategy.slug)
    return f"{path}?year={milestone.due_on.year}#milestone-{milestone.pk}"


def actionpoint_url(action_point: ActionPoint, strategy: Strategy) -> str:
    """Return the page of an action point: its meeting, or the strategy's action points."""
    anchor = f"action-{action_point.pk}"
    if action_point.meeting_id:
        return link(
            "engagement:meeting_detail", strategy.slug, action_point.meeting_id, anchor=anchor
        )
    return link("engagement:actionpoint_list", strategy.slug, anchor=anchor)


def action_points_due(user, until: datetime.date) -> list[DueItem]:
    """Return the open action points `user` owns that fall due by `until`."""
    action_points = ActionPoint.objects.filter(
        owner=user,
        status=ActionStatus.OPEN,
        due_on__lte=until,
        strategy_id__in=visible_strategy_ids(user),
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
            detail=_("From %(meeting)s") % {"meeting": action_point.meeting.title}
            if action_point.meeting_id
            else "",
            is_illustrative=action_point.is_illustrative,
        )
        for action_point in action_points
    ]


def milestones_due(user, until: datetime.date) -> list[DueItem]:
    """Return the open milestones due by `until` that `user` owns, or nobody on their team.

    A milestone whose record exists (the approval recorded, the consultation logged) is done,
    however nobody marked it: it is not due.
    """
    member_strategies = TeamMembership.objects.filter(user=user).values("strategy_id")
    milestones = milestones_fulfil(
        Milestone.objects.filter(done_on__isnull=True, due_on__lte=until)
        .filter(Q(owner=user) | Q(owner__isnull=True, strategy_id__in=member_strategies))
        .filter(strategy_id__in=visible_strategy_ids(user))
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
            detail="" if milestone.owner_id else _("No owner yet: anyone on the team."),
            is_illustrative=milestone.is_illustrative,
        )
        for milestone in milestones
        if milestone.fulfilment is None
    ]


def due_items(*, user, until: datetime.date) -> list[DueItem]:
    """Return everything `user` must do by `until` (overdue items included), by date.

    Each app registers what it has due in `priorities.registry.due_sources`, each with one
    query whatever the number of strategies: years still in draft (desk officers), risk reviews
    (owners and desk officers), the user's open action points, allocation rounds awaiting a
    decision (managers), and milestones the user owns or that nobody owns on the user's
    strategies.
    """
    if not user.is_authenticated:
        return []
    items = [item for source in due_sources for item in source(user, until)]
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


# --- The queues on "My tasks" ----------------------------------------------------------------

CONSULTATION_KINDS = (MeetingKind.ANNUAL_CONSULTATION, MeetingKind.HIGH_LEVEL_CONSULTATION)
CONSULTATION_MILESTONE_KINDS = (
    MilestoneKind.ANNUAL_CONSULTATION,
    MilestoneKind.HIGH_LEVEL_CONSULTATION,
)


@dataclass(frozen=True)
class ActionPointRow:
    """One of the user's open action points, with the page where it is followed up."""

    strategy_label: str
    strategy_title: str
    text: str
    due_on: datetime.date | None
    meeting_title: str
    url: str

    def is_overdue(self, today: datetime.date) -> bool:
        """Return whether the point was due before `today`."""
        return self.due_on is not None and self.due_on < today


def action_points_queue(*, user) -> list[ActionPointRow]:
    """Return every open action point `user` owns on the strategies they see, soonest first."""
    action_points = (
        ActionPoint.objects.filter(
            owner=user, status=ActionStatus.OPEN, strategy_id__in=visible_strategy_ids(user)
        )
        .select_related("strategy__organisation", "meeting")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )
    return [
        ActionPointRow(
            strategy_label=strategy_label(action_point.strategy),
            strategy_title=action_point.strategy.title,
            text=action_point.text,
            due_on=action_point.due_on,
            meeting_title=action_point.meeting.title if action_point.meeting_id else "",
            url=actionpoint_url(action_point, action_point.strategy),
        )
        for action_point in action_points
    ]


@dataclass(frozen=True)
class NextConsultation:
    """A strategy's next consultation and what it still needs, for its mission staff.

    `meeting_id` is None while the consultation is only planned as a milestone: it must be
    logged as a meeting before key messages can be drafted for it.
    """

    strategy_id: int
    strategy_slug: str
    strategy_label: str
    strategy_title: str
    title: str
    held_on: datetime.date | None
    meeting_id: int | None
    key_message_count: int
    open_action_points: int
    meeting_url: str
    key_messages_url: str
    action_points_url: str


def consultations_queue(*, user, today: datetime.date) -> list[NextConsultation]:
    """Return the next consultation of each strategy on which `user` is mission staff.

    The next consultation is the first consultation meeting on or after `today`, or, without
    one, the first open consultation milestone from `today`. Five queries, whatever the number
    of strategies: the strategies, their coming consultations, the milestones, the consultations
    logged that fulfil them, the counts of open action points.
    """
    strategy_ids = role_strategy_ids(user=user, role=TeamRole.MISSION_STAFF)
    strategies = list(
        Strategy.objects.filter(pk__in=strategy_ids)
        .select_related("organisation")
        .order_by("title", "pk")
    )
    if not strategies:
        return []
    ids = [strategy.pk for strategy in strategies]
    meetings: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(strategy_id__in=ids, kind__in=CONSULTATION_KINDS, held_on__gte=today)
        .annotate(key_message_count=Count("key_messages"))
        .order_by("held_on", "id")
    ):
        meetings.setdefault(meeting.strategy_id, meeting)
    milestones: dict[int, Milestone] = {}
    to_come = Milestone.objects.filter(
        strategy_id__in=ids,
        kind__in=CONSULTATION_MILESTONE_KINDS,
        done_on__isnull=True,
        due_on__gte=today,
    ).order_by("due_on", "id")
    # A consultation logged ahead of its milestone's date has reached it.
    for milestone in milestones_fulfil(to_come):
        if milestone.fulfilment is None:
            milestones.setdefault(milestone.strategy_id, milestone)
    open_points = dict(
        ActionPoint.objects.filter(strategy_id__in=ids, status=ActionStatus.OPEN)
        .order_by()
        .values("strategy_id")
        .annotate(n=Count("pk"))
        .values_list("strategy_id", "n")
    )
    rows = []
    for strategy in strategies:
        meeting = meetings.get(strategy.pk)
        milestone = milestones.get(strategy.pk)
        if meeting is not None:
            title, held_on = meeting.title, meeting.held_on
        elif milestone is not None:
            title, held_on = milestone.title, milestone.due_on
        else:
            title, held_on = "", None
        rows.append(
            NextConsultation(
                strategy_id=strategy.pk,
                strategy_slug=strategy.slug,
                strategy_label=strategy_label(strategy),
                strategy_title=strategy.title,
                title=title,
                held_on=held_on,
                meeting_id=meeting.pk if meeting else None,
                key_message_count=meeting.key_message_count if meeting else 0,
                open_action_points=open_points.get(strategy.pk, 0),
                meeting_url=link("engagement:meeting_detail", strategy.slug, meeting.pk)
                if meeting
                else link("engagement:meeting_create", strategy.slug),
                key_messages_url=link("engagement:keymessage_list", strategy.slug, meeting.pk)
                if meeting
                else "",
                action_points_url=link("engagement:actionpoint_list", strategy.slug),
            )
        )
    return rows


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
    visible = visible_strategy_ids(user)
    return FeedItems(
        milestones=tuple(
            milestones_fulfil(
                Milestone.objects.filter(
                    Q(owner=user) | Q(owner__isnull=True, strategy_id__in=member_strategies)
                )
                .filter(strategy_id__in=visible)
                .select_related("strategy", "owner", "body")
                .order_by("due_on", "id")
            )
        ),
        meetings=tuple(
            Meeting.objects.filter(strategy_id__in=member_strategies)
            .select_related("strategy", "body")
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
            milestones_fulfil(
                Milestone.objects.filter(strategy=strategy)
                .select_related("strategy", "owner", "body")
                .order_by("due_on", "id")
            )
        ),
        meetings=tuple(
            Meeting.objects.filter(strategy=strategy)
            .select_related("strategy", "body")
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


def milestone_setup_checks(strategy: Strategy) -> list[SetupCheck]:
    """Return whether the rhythm is set and planned into milestones (two queries)."""
    rhythm_set = Rhythm.objects.filter(strategy=strategy).exists()
    count = Milestone.objects.filter(strategy=strategy).count()
    rhythm = SetupCheck(
        _("Rhythm"),
        rhythm_set,
        "engagement:rhythm_setup",
        _("Set on the rhythm page")
        if rhythm_set
        else _("Not set yet: the partner's usual rhythm is assumed until it is."),
    )
    detail = (
        ngettext("%(count)s milestone planned", "%(count)s milestones planned", count)
        % {"count": count}
        if count
        else _("No milestones yet: plan them from the strategy's rhythm.")
    )
    return [rhythm, SetupCheck(_("Milestones"), bool(count), "engagement:milestone_list", detail)]


def actionpoints_open_owned_by(*, user) -> QuerySet[ActionPoint]:
    """Return the open action points `user` owns, on any strategy, with their strategy."""
    return (
        ActionPoint.objects.filter(owner=user, status=ActionStatus.OPEN)
        .select_related("strategy__organisation")
        .order_by("strategy__slug", "due_on", "pk")
    )


def milestones_open_owned_by(*, user) -> QuerySet[Milestone]:
    """Return the milestones not yet done that `user` owns, on any strategy.

    Done is closed by hand or fulfilled by a record: a query, and one per source.
    """
    owned = Milestone.objects.filter(owner=user, done_on__isnull=True)
    return (
        owned.exclude(milestone_done_q(milestone_fulfilled_ids(owned)))
        .select_related("strategy__organisation")
        .order_by("strategy__slug", "due_on", "pk")
    )

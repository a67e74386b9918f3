"""The annual consultation brief: gathering it for one strategy and year.

Each builder reads a strategy through the apps' selectors with a fixed number of queries and
returns frozen dataclasses of plain values (text, numbers, dates, tuples), never model
instances. The renderers in `reports/render/` turn them into PDF, XLSX and IATI XML without
touching the database, so they are tested with report objects built by hand.

The brief for year Y reports the year Y: its ratings, indicator figures, budget and allocation
decisions. It is prepared for the consultation that reviews Y, normally held in Y + 1. Its date
(`as_of`) is by default today; a brief made for a meeting is read as of the meeting's date.
Whatever the date, the brief counts only what is dated on or before it: meetings and their action
points, risk ratings, milestones still to come on that date, approvals, commitments, disbursements
and allocation decisions. Records count with their current values. A date later than today is
refused: the brief never reads ahead.

The brief is written for a reader in a meeting and fits about six pages: the year at a glance,
per priority area its rating and a few key indicators (those the desk officer marked, else those
with a target and an actual for the year), the year's money, the risks that changed in the year
(added, re-rated or closed), the open action points, the coming milestones and Denmark's key
messages for the consultation it serves. The strategy's own chapters, the framework trees, all
indicators, the risk register and the budget over the period go to the annex (`annex=True`),
which the builder reads only when asked.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, KeyMessage, Meeting, Milestone, Rhythm
from engagement.selectors import milestone_done_q, milestone_fulfilled_ids
from funding.choices import Decision, Half
from funding.models import Allocation
from funding.querysets import ZERO
from funding.selectors import allocationround_list, budget_overview, office_region
from priorities.choices import ChapterKey, DefinitionStatus, PriorityKind, Rating
from priorities.models import (
    KEY_INDICATORS_PER_AREA,
    Assessment,
    Chapter,
    Indicator,
    IndicatorProgress,
    PriorityAreaNode,
    ResultsNode,
    Strategy,
    TeamMembership,
    chapter_headings,
)
from priorities.selectors import TreeNode, framework_tree, front_page_total_warnings
from risks.choices import RiskStatus, score_band
from risks.models import Risk
from risks.selectors import risk_categories_set_by, risk_heatmap_place, risk_list_as_of
from strategy_monitor.formats import person_name
from strategy_monitor.history import DEMO_CHANGE_REASON

from .brief_parts import (
    KEY_MARKED,
    KEY_WITH_FIGURES,
    RISK_CHANGES,
    RISK_CLOSED,
    RISK_NEW,
    RISK_RERATED,
    ActionRow,
    AllocationRow,
    AreaSection,
    Brief,
    BriefIssue,
    BudgetSection,
    ChapterText,
    Consultation,
    Fact,
    HeatGrid,
    IndicatorRow,
    KeyMessageRow,
    MilestoneRow,
    MoneyRow,
    NodeRow,
    ReviewMeeting,
    RiskChange,
    RiskRow,
    RiskSection,
    RoundRow,
    YearPlan,
)

TOP_RISKS = 5
SUMMARY_RISKS = 3
SUMMARY_ACTIONS = 6
MILESTONE_MONTHS = 12
MILESTONE_LIMIT = 10
CONSULTATION_KINDS = (MeetingKind.ANNUAL_CONSULTATION, MeetingKind.HIGH_LEVEL_CONSULTATION)
CONSULTATION_MILESTONES = (
    MilestoneKind.ANNUAL_CONSULTATION,
    MilestoneKind.HIGH_LEVEL_CONSULTATION,
)

# Sections of the brief, in order; `Brief.illustrative_sections` names those showing demo data.
SECTION_SUMMARY = "summary"
SECTION_AREAS = "areas"
SECTION_BUDGET = "budget"
SECTION_ALLOCATIONS = "allocations"
SECTION_RISKS = "risks"
SECTION_ACTIONS = "actions"
SECTION_MILESTONES = "milestones"
SECTION_MESSAGES = "messages"


def brief_date(
    *, year: int, today: datetime.date, as_of: datetime.date | None = None
) -> datetime.date:
    """Return the date a brief for `year` is read as of: `as_of`, else today.

    Raises ValidationError for an `as_of` later than today (code "future") or before the year
    the brief reports begins (code "before_year").
    """
    if as_of is None:
        return today
    if as_of > today:
        raise ValidationError(
            "A brief cannot be read as of %(as_of)s: that date has not come yet (today is "
            "%(today)s).",
            code="future",
            params={"as_of": as_of.isoformat(), "today": today.isoformat()},
        )
    if as_of < datetime.date(year, 1, 1):
        raise ValidationError(
            "The brief for %(year)s cannot be read as of %(as_of)s, before that year began.",
            code="before_year",
            params={"year": year, "as_of": as_of.isoformat()},
        )
    return as_of


def _flatten(tree: tuple[TreeNode, ...], depth: int = 0) -> list[NodeRow]:
    rows = []
    for branch in tree:
        node = branch.node
        rows.append(
            NodeRow(
                depth=depth,
                code=node.code,
                level=node.level_name,
                title=node.title,
                is_mapped=branch.is_mapped,
                under_development=node.status == DefinitionStatus.UNDER_DEVELOPMENT,
                is_implied=node.is_implied,
            )
        )
        rows.extend(_flatten(branch.children, depth + 1))
    return rows


def _facts(strategy: Strategy) -> tuple[Fact, ...]:
    review = "–"
    if strategy.mid_term_review_year:
        half = strategy.get_mid_term_review_half_display() if strategy.mid_term_review_half else ""
        year = strategy.mid_term_review_year
        review = _("%(half)s of %(year)s") % {"half": half, "year": year} if half else str(year)
        review = review[0].upper() + review[1:]
    duration = ngettext(
        "%(period)s (%(count)s year)", "%(period)s (%(count)s years)", strategy.duration_years
    ) % {"period": strategy.period, "count": strategy.duration_years}
    return (
        Fact(_("Partner"), strategy.organisation.name),
        Fact(_("File no."), strategy.file_number or "–"),
        Fact(_("Responsible unit"), strategy.responsible_unit or "–"),
        Fact(_("Duration of strategy"), duration),
        Fact(_("Finance Act code"), strategy.finance_act_code or "–"),
        Fact(_("Desk officer"), strategy.desk_officer or "–"),
        Fact(_("Financial officer"), strategy.financial_officer or "–"),
        Fact(_("Mid-term review"), review),
    )


def _areas(strategy: Strategy, year: int) -> tuple[AreaSection, ...]:
    areas = list(strategy.priority_areas.order_by("order", "number"))
    links = list(
        PriorityAreaNode.objects.filter(priority_area__strategy=strategy).values_list(
            "priority_area_id", "node_id"
        )
    )
    nodes = {
        node.pk: node
        for node in ResultsNode.objects.filter(
            framework__organisation_id=strategy.organisation_id
        ).select_related("framework")
    }
    mapped: dict[int, set[int]] = defaultdict(set)
    for area_id, node_id in links:
        mapped[area_id].add(node_id)
    assessments = {
        assessment.priority_area_id: assessment
        for assessment in Assessment.objects.filter(
            priority_area__strategy=strategy, strategy_year__year=year
        )
    }
    # The year's figures and, for the trend, the year before's actuals: one query for both.
    progress, previous = {}, {}
    for row in IndicatorProgress.objects.filter(
        indicator__priority_area__strategy=strategy, strategy_year__year__in=(year - 1, year)
    ).select_related("strategy_year"):
        (progress if row.strategy_year.year == year else previous)[row.indicator_id] = row
    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in Indicator.objects.filter(priority_area__strategy=strategy).order_by(
        "order", "key"
    ):
        figures = progress.get(indicator.pk)
        before = previous.get(indicator.pk)
        indicators[indicator.priority_area_id].append(
            IndicatorRow(
                code=indicator.code,
                title=indicator.title,
                unit=indicator.unit,
                baseline=indicator.baseline,
                baseline_year=indicator.baseline_year,
                target=figures.target if figures else None,
                actual=figures.actual if figures else None,
                direction=indicator.get_direction_display(),
                under_development=indicator.status == DefinitionStatus.UNDER_DEVELOPMENT,
                is_illustrative=indicator.is_illustrative
                or bool(figures and figures.is_illustrative),
                previous_actual=before.actual if before else None,
                is_key=indicator.is_key,
            )
        )
    sections = []
    for area in areas:
        assessment = assessments.get(area.pk)
        rating = assessment.rating if assessment else Rating.NOT_ASSESSED
        key_indicators, key_rule = key_indicators_choose(indicators[area.pk])
        sections.append(
            AreaSection(
                slug=area.slug,
                number=area.number,
                is_cross_cutting=area.kind == PriorityKind.CROSS_CUTTING,
                label=area.label,
                title=area.title,
                key_result=area.key_result,
                text=area.text,
                rating=rating,
                rating_label=Rating(rating).label,
                narrative=assessment.narrative if assessment else "",
                rating_is_illustrative=bool(assessment and assessment.is_illustrative),
                indicators=tuple(indicators[area.pk]),
                nodes=tuple(_flatten(framework_tree(nodes, mapped[area.pk]))),
                framework_under_development=area.framework_under_development,
                indicators_under_development=area.indicators_under_development,
                key_indicators=key_indicators,
                key_rule=key_rule,
            )
        )
    return tuple(sections)


def key_indicators_choose(
    rows: list[IndicatorRow],
) -> tuple[tuple[IndicatorRow, ...], str]:
    """Return the indicators an area shows in the brief, and the rule that chose them.

    Those the desk officer marked as key (at most five, a rule `Indicator.clean` keeps);
    without any, those with both a target and an actual for the year, the first five in the
    area's order. The annex shows them all.
    """
    marked = [row for row in rows if row.is_key]
    if marked:
        return tuple(marked[:KEY_INDICATORS_PER_AREA]), KEY_MARKED
    with_figures = [row for row in rows if row.has_figures and not row.under_development]
    return tuple(with_figures[:KEY_INDICATORS_PER_AREA]), KEY_WITH_FIGURES


def _money_row(code: str, name: str, cell) -> MoneyRow:
    return MoneyRow(
        code=code,
        name=name,
        planned=cell.planned,
        approved=cell.approved,
        committed=cell.committed,
        disbursed=cell.disbursed,
        is_illustrative=cell.is_illustrative,
        approved_is_illustrative=cell.approved_is_illustrative,
        committed_is_illustrative=cell.committed_is_illustrative,
        disbursed_is_illustrative=cell.disbursed_is_illustrative,
    )


def _budget(strategy: Strategy, year: int, as_of: datetime.date):
    overview = budget_overview(strategy=strategy, as_of=as_of)
    index = overview.years.index(year)
    section = BudgetSection(
        year=year,
        year_rows=tuple(
            _money_row(row.line.code, row.line.name, row.cells[index]) for row in overview.rows
        ),
        year_total=_money_row("", _("Total"), overview.year_totals[index]),
        period=strategy.period,
        period_rows=tuple(
            _money_row(row.line.code, row.line.name, row.total) for row in overview.rows
        ),
        period_total=_money_row("", _("Total"), overview.grand_total),
        revisions=tuple(f"{history.label}: {history.text}" for history in overview.revisions),
    )
    return section, overview


def _round_held_by(allocation_round, as_of: datetime.date) -> bool:
    # A round without a dialogue date counts from the start of its half-year.
    if allocation_round.dialogue_on is not None:
        return allocation_round.dialogue_on <= as_of
    month = 1 if allocation_round.half == Half.FIRST else 7
    return datetime.date(allocation_round.year, month, 1) <= as_of


def _rounds(
    strategy: Strategy, year: int, as_of: datetime.date
) -> tuple[tuple[RoundRow, ...], tuple[AllocationRow, ...]]:
    year_rounds = [
        item
        for item in allocationround_list(strategy=strategy)
        .filter(year=year)
        .order_by("half", "line__order")
        if _round_held_by(item, as_of)
    ]
    held = {item.pk for item in year_rounds}
    allocations = []
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for allocation in (
        Allocation.objects.filter(round__line__strategy=strategy, round__year=year)
        .select_related("round__line", "office__regional_office")
        .order_by("round__half", "round__line__order", "pk")
    ):
        if allocation.round_id not in held:
            continue
        decided_on = (
            timezone.localtime(allocation.decided_at).date() if allocation.decided_at else None
        )
        decision = allocation.decision
        # A decision taken after the brief's date was still awaited on that date.
        if decided_on is not None and decided_on > as_of:
            decision, decided_on = Decision.PENDING, None
        totals[(allocation.round_id, "proposed")] += allocation.amount
        totals[(allocation.round_id, decision)] += allocation.amount
        allocations.append(
            AllocationRow(
                round_label=f"{allocation.round.get_half_display()} {allocation.round.year}",
                office=allocation.office.name if allocation.office else "",
                region=office_region(allocation.office).label,
                theme=allocation.theme,
                amount=allocation.amount,
                decision=decision,
                decision_label=Decision(decision).label,
                reason=allocation.decision_reason if decision == allocation.decision else "",
                decided_on=decided_on,
                is_illustrative=allocation.is_illustrative or allocation.round.is_illustrative,
            )
        )
    rounds = tuple(
        RoundRow(
            label=f"{item.get_half_display()} {item.year}",
            line_code=item.line.code,
            dialogue_on=item.dialogue_on,
            proposed=totals[(item.pk, "proposed")],
            approved=totals[(item.pk, Decision.APPROVED)],
            rejected=totals[(item.pk, Decision.REJECTED)],
            pending=totals[(item.pk, Decision.PENDING)],
            is_illustrative=item.is_illustrative,
        )
        for item in year_rounds
    )
    return rounds, tuple(allocations)


def _grid(matrix) -> HeatGrid:
    return HeatGrid(
        title=matrix.title,
        counts=tuple(tuple(cell.count for cell in row) for row in matrix.rows),
        not_placed=len(matrix.not_placed),
        is_illustrative=any(ref.is_illustrative for cell in matrix.cells for ref in cell.risks),
    )


def _risks(strategy: Strategy, year: int, as_of: datetime.date):
    everything = risk_list_as_of(strategy=strategy, as_of=as_of)
    risks = [risk for risk in everything if risk.status == RiskStatus.OPEN]
    demo_categories = risk_categories_set_by(strategy=strategy, reason=DEMO_CHANGE_REASON)
    rated = sorted(
        (risk for risk in risks if risk.is_rated),
        key=lambda risk: (-risk.score, -(risk.residual_score or 0), risk.order, risk.key),
    )
    top = tuple(
        RiskRow(
            title=risk.title,
            category=risk.get_category_display() or _("Not categorised"),
            likelihood=risk.likelihood,
            impact=risk.impact,
            score=risk.score,
            band=score_band(risk.score).value,
            band_label=score_band(risk.score).label,
            residual_score=risk.residual_score,
            residual_band_label=score_band(risk.residual_score).label,
            response=risk.response,
            is_illustrative=risk.rating_is_illustrative,
            category_is_illustrative=risk.pk in demo_categories,
        )
        for risk in rated[:TOP_RISKS]
    )
    heatmap = risk_heatmap_place(risks=risks)
    section = RiskSection(
        open_count=len(risks),
        unrated_count=sum(1 for risk in risks if not risk.is_rated),
        top=top,
        inherent=_grid(heatmap.inherent),
        residual=_grid(heatmap.residual),
    )
    return section, _risk_changes(strategy, everything, year=year, as_of=as_of)


def _closing_dates(strategy: Strategy) -> dict[int, datetime.date]:
    """Return the date each risk was last closed, read from the change log in one query."""
    closed_on: dict[int, datetime.date | None] = {}
    status: dict[int, str] = {}
    for risk_id, risk_status, changed_at in (
        Risk.history.filter(strategy_id=strategy.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "status", "history_date")
    ):
        if risk_status == RiskStatus.CLOSED and status.get(risk_id) != RiskStatus.CLOSED:
            closed_on[risk_id] = timezone.localtime(changed_at).date()
        elif risk_status != RiskStatus.CLOSED:
            closed_on[risk_id] = None
        status[risk_id] = risk_status
    return {risk_id: day for risk_id, day in closed_on.items() if day is not None}


def _risk_changes(
    strategy: Strategy, risks: list, *, year: int, as_of: datetime.date
) -> tuple[RiskChange, ...]:
    """Return the risks added, re-rated or closed in `year`, up to the brief's date.

    A risk counts once: closed before new, new before re-rated. Its rating before is the
    latest re-rating dated before the year; after, its rating on the brief's date.
    """
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), as_of)
    closed_on = _closing_dates(strategy)
    rows = []
    for risk in risks:
        ratings = sorted(risk.ratings.all(), key=lambda rating: (rating.rated_on, rating.pk))
        earlier = [rating for rating in ratings if rating.rated_on < start]
        in_year = [rating for rating in ratings if start <= rating.rated_on <= end]
        created_on = timezone.localtime(risk.created_at).date()
        closed = closed_on.get(risk.pk)
        if risk.status == RiskStatus.CLOSED and closed and start <= closed <= end:
            change, changed_on, note = RISK_CLOSED, closed, risk.closed_reason
        elif start <= created_on <= end:
            change, changed_on, note = RISK_NEW, created_on, risk.response
        elif in_year:
            change, changed_on, note = RISK_RERATED, in_year[-1].rated_on, risk.response
        else:
            continue
        before = earlier[-1].score if earlier and change != RISK_NEW else None
        rows.append(
            RiskChange(
                title=risk.title,
                change=change,
                change_label=str(RISK_CHANGES[change]).capitalize(),
                changed_on=changed_on,
                score_before=before,
                score_after=risk.score,
                band_after_label=score_band(risk.score).label,
                note=note,
                is_illustrative=risk.rating_is_illustrative
                or any(rating.is_illustrative for rating in in_year),
            )
        )
    order = list(RISK_CHANGES)
    rows.sort(key=lambda row: (order.index(row.change), -(row.score_after or 0), row.title))
    return tuple(rows)


def _action_row(action: ActionPoint, as_of: datetime.date) -> ActionRow:
    return ActionRow(
        text=action.text,
        owner=person_name(action.owner),
        due_on=action.due_on,
        status=action.status,
        status_label=ActionStatus(action.status).label,
        closing_note=action.closing_note,
        area=action.priority_area.label if action.priority_area else "",
        meeting=action.meeting.title if action.meeting else "",
        is_overdue=action.status == ActionStatus.OPEN
        and action.due_on is not None
        and action.due_on < as_of,
        is_illustrative=action.is_illustrative,
    )


def _listed_by(as_of: datetime.date) -> Q:
    # An action point counts from its meeting's date; one logged without a meeting, from the
    # day it was recorded.
    return Q(meeting__held_on__lte=as_of) | Q(meeting__isnull=True, created_at__date__lte=as_of)


def _milestone_row(milestone: Milestone) -> MilestoneRow:
    return MilestoneRow(
        title=milestone.title,
        kind=milestone.kind_label,
        due_on=milestone.due_on,
        owner=person_name(milestone.owner),
        note=milestone.note,
        is_illustrative=milestone.is_illustrative,
        owner_is_illustrative=milestone.is_illustrative or milestone.owner_is_illustrative,
        date_is_planning_default=milestone.date_is_planning_default,
        kind_is_assumed=milestone.is_generated
        and milestone.kind in CONSULTATION_MILESTONES
        and not getattr(milestone, "rhythm_years_known", False),
    )


def _engagement(strategy: Strategy, as_of: datetime.date):
    action_points = ActionPoint.objects.select_related("owner", "priority_area", "meeting")
    meeting = (
        Meeting.objects.filter(strategy=strategy, kind__in=CONSULTATION_KINDS, held_on__lte=as_of)
        .prefetch_related(
            Prefetch("action_points", queryset=action_points.order_by("due_on", "id"))
        )
        .order_by("-held_on", "-id")
        .first()
    )
    consultation, consultation_actions = None, ()
    if meeting is not None:
        consultation = Consultation(
            title=meeting.title,
            kind=MeetingKind(meeting.kind).label,
            held_on=meeting.held_on,
            location=meeting.location,
            is_illustrative=meeting.is_illustrative,
        )
        consultation_actions = tuple(
            _action_row(action, as_of) for action in meeting.action_points.all()
        )
    open_actions = tuple(
        _action_row(action, as_of)
        for action in action_points.filter(strategy=strategy, status=ActionStatus.OPEN)
        .filter(_listed_by(as_of))
        .order_by("due_on", "id")
    )
    until = as_of + datetime.timedelta(days=round(MILESTONE_MONTHS * 365.25 / 12))
    # Still to come on the brief's date: not reached by then, whatever happened since; a
    # milestone whose record existed by then (the consultation logged) was reached.
    ahead = Milestone.objects.filter(strategy=strategy, due_on__gte=as_of, due_on__lte=until)
    reached = milestone_done_q(milestone_fulfilled_ids(ahead, as_of=as_of), as_of=as_of)
    milestones = tuple(
        _milestone_row(milestone)
        for milestone in ahead.exclude(reached)
        # An owner whose place on the team is demo data is illustrative too.
        .annotate(
            owner_is_illustrative=Exists(
                TeamMembership.objects.filter(
                    strategy=strategy, user=OuterRef("owner"), is_illustrative=True
                )
            ),
            # Years an administrator set as known on the rhythm are no assumption.
            rhythm_years_known=Exists(
                Rhythm.objects.filter(strategy=strategy, high_level_assumed=False)
            ),
        )
        .select_related("owner", "body")
        .order_by("due_on", "id")[:MILESTONE_LIMIT]
    )
    return consultation, consultation_actions, open_actions, milestones


def _review(
    strategy: Strategy, year: int, as_of: datetime.date, meeting: Meeting | None
) -> tuple[ReviewMeeting | None, tuple[KeyMessageRow, ...]]:
    """Return the consultation the brief serves and Denmark's key messages for it.

    The brief made for a meeting serves that meeting. Otherwise it serves the consultation
    that reviews its year: the first annual or high-level consultation held in the year after,
    whether already held by the brief's date or still planned, since key messages are drafted
    before the meeting. Key messages count as they stand now: they are the team's working text
    for the meeting, not dated records.
    """
    if meeting is None:
        meeting = (
            Meeting.objects.filter(
                strategy=strategy, kind__in=CONSULTATION_KINDS, held_on__year=year + 1
            )
            .order_by("held_on", "id")
            .first()
        )
    if meeting is None:
        return None, ()
    review = ReviewMeeting(
        title=meeting.title,
        kind=MeetingKind(meeting.kind).label,
        held_on=meeting.held_on,
        location=meeting.location,
        is_held=meeting.held_on <= as_of,
        is_illustrative=meeting.is_illustrative,
    )
    messages = tuple(
        KeyMessageRow(
            area=message.priority_area.label if message.priority_area else "",
            text=message.text,
            is_illustrative=message.is_illustrative,
        )
        for message in KeyMessage.objects.filter(meeting=meeting)
        .select_related("priority_area")
        .order_by(
            F("priority_area__order").asc(nulls_first=True),
            "priority_area__number",
            "order",
            "id",
        )
    )
    return review, messages


# The strategy's own chapters in the annex: which texts each holds, under what label.
CHAPTER_TEXTS = (
    (
        ChapterKey.OBJECTIVE,
        ((gettext_lazy("Overall objective"), "overall_objective"), ("", "objective_text")),
    ),
    (
        ChapterKey.ORGANISATION,
        (("", "introduction"), (gettext_lazy("Justification"), "justification")),
    ),
    (ChapterKey.LESSONS_LEARNT, (("", "lessons_learnt"),)),
    (ChapterKey.PRIORITY_AREAS, ()),
    (ChapterKey.BUDGET, (("", "budget_text"), (gettext_lazy("Note"), "budget_note"))),
    (ChapterKey.RISKS, ((gettext_lazy("Summary"), "risks_summary"), ("", "risks_text"))),
    (
        ChapterKey.ENGAGEMENT,
        (
            ("", "engagement_text"),
            (gettext_lazy("Governance"), "governance_involvement"),
            (gettext_lazy("Results monitoring"), "results_monitoring"),
            (gettext_lazy("Partnership agreement"), "partnership_agreement"),
            (gettext_lazy("Mid-term review"), "mid_term_review_scope"),
        ),
    ),
)


def _annex_chapters(strategy: Strategy, areas: tuple[AreaSection, ...]) -> tuple[ChapterText, ...]:
    """Return the strategy's chapters with their texts, leaving out those with none."""
    headings = chapter_headings(Chapter.objects.filter(strategy=strategy))
    chapters = []
    for key, fields in CHAPTER_TEXTS:
        if key == ChapterKey.PRIORITY_AREAS:
            parts = tuple(
                (area.label, "\n\n".join(filter(None, (area.key_result, area.text))))
                for area in areas
            )
        else:
            parts = tuple(
                (str(label), getattr(strategy, name))
                for label, name in fields
                if getattr(strategy, name)
            )
        parts = tuple((label, text) for label, text in parts if text.strip())
        if parts:
            chapters.append(ChapterText(heading=headings[key], parts=parts))
    return tuple(chapters)


def _rhythm_first_year(strategy: Strategy, milestones: tuple) -> int | None:
    """Return the first high-level consultation year the listed consultations assume."""
    for row in milestones:
        if row.kind_is_assumed:
            high_level = row.kind == MilestoneKind.HIGH_LEVEL_CONSULTATION.label
            parity = row.due_on.year % 2 if high_level else (row.due_on.year + 1) % 2
            return next((year for year in strategy.years if year % 2 == parity), None)
    return None


def brief_build(
    *,
    strategy: Strategy,
    year: int,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
    annex: bool = False,
    meeting: Meeting | None = None,
    issue: BriefIssue | None = None,
) -> Brief:
    """Gather the annual consultation brief of `strategy` for `year` in a fixed number of queries.

    `strategy` should come with its organisation (`select_related("organisation")`). The brief
    is read as of `as_of` (see `brief_date`). Raises ValueError when `year` lies outside the
    strategy period, and ValidationError for an `as_of` that `brief_date` refuses.
    """
    if year not in strategy.years:
        raise ValueError(f"{year} is outside the strategy period {strategy.period}.")
    as_of = brief_date(year=year, today=today or timezone.localdate(), as_of=as_of)
    plan = tuple(
        YearPlan(row.year, row.planned_commitment, row.planned_disbursement)
        for row in strategy.strategy_years.order_by("year")
    )
    areas = _areas(strategy, year)
    budget, overview = _budget(strategy, year, as_of)
    rounds, allocations = _rounds(strategy, year, as_of)
    risks, risk_changes = _risks(strategy, year, as_of)
    consultation, consultation_actions, open_actions, milestones = _engagement(strategy, as_of)
    review_meeting, key_messages = _review(strategy, year, as_of, meeting)

    illustrative = set()
    if any(area.is_illustrative for area in areas):
        illustrative.add(SECTION_AREAS)
    if budget.is_illustrative:
        illustrative.add(SECTION_BUDGET)
    if any(row.is_illustrative for row in rounds) or any(
        row.is_illustrative for row in allocations
    ):
        illustrative.add(SECTION_ALLOCATIONS)
    if any(row.is_illustrative for row in risk_changes):
        illustrative.add(SECTION_RISKS)
    if any(row.is_illustrative for row in open_actions):
        illustrative.add(SECTION_ACTIONS)
    if any(row.is_illustrative for row in key_messages):
        illustrative.add(SECTION_MESSAGES)
    if any(row.shows_illustrative for row in milestones):
        illustrative.add(SECTION_MILESTONES)
    if (
        any(area.rating_is_illustrative for area in areas)
        or budget.year_total.is_illustrative
        or any(row.is_illustrative for row in risks.top[:SUMMARY_RISKS])
        or bool(review_meeting and review_meeting.is_illustrative)
        or bool(consultation and consultation.is_illustrative)
    ):
        illustrative.add(SECTION_SUMMARY)

    return Brief(
        strategy_slug=strategy.slug,
        strategy_title=strategy.title,
        organisation=strategy.organisation.name,
        acronym=strategy.organisation.acronym,
        file_number=strategy.file_number,
        period=strategy.period,
        year=year,
        as_of=as_of,
        is_draft=strategy.is_draft,
        overall_objective=strategy.overall_objective,
        facts=_facts(strategy),
        plan=plan,
        stated_commitment_total=strategy.stated_commitment_total,
        stated_disbursement_total=strategy.stated_disbursement_total,
        areas=areas,
        budget=budget,
        rounds=rounds,
        allocations=allocations,
        risks=risks,
        consultation=consultation,
        consultation_actions=consultation_actions,
        open_actions=open_actions,
        milestones=milestones,
        illustrative_sections=frozenset(illustrative),
        rhythm_first_high_level_year=_rhythm_first_year(strategy, milestones),
        has_allocations=bool(overview.soft_lines),
        total_warnings=_total_warnings(strategy, plan),
        annex=annex,
        meeting_id=meeting.pk if meeting is not None else None,
        meeting_title=meeting.title if meeting is not None else "",
        issue=issue,
        risk_changes=risk_changes,
        review_meeting=review_meeting,
        key_messages=key_messages,
        annex_chapters=_annex_chapters(strategy, areas) if annex else (),
    )


def _total_warnings(strategy: Strategy, plan) -> tuple[str, ...]:
    years = [
        {"planned_commitment": row.commitment, "planned_disbursement": row.disbursement}
        for row in plan
    ]
    return tuple(
        f"{label}: {warning}" for label, warning in front_page_total_warnings(strategy, years)
    )

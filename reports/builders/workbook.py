"""Report objects for the exports: the annual consultation brief and the monitoring workbook.

Each builder reads a strategy through the apps' selectors with a fixed number of queries and
returns frozen dataclasses of plain values (text, numbers, dates, tuples), never model
instances. The renderers in `reports/render/` turn them into PDF, XLSX and IATI XML without
touching the database, so they are tested with report objects built by hand.

The brief for year Y reports the year Y: its ratings, indicator figures, budget and allocation
decisions. It is prepared for the consultation that reviews Y, normally held in Y + 1, so its
date (`as_of`) is today, but at the latest 31 December of Y + 1: the last consultation, the
open action points and the coming milestones are read as of that date.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from engagement.choices import ActionStatus, MeetingKind
from engagement.models import ActionPoint, Meeting, Milestone
from funding.choices import Decision
from funding.models import Allocation
from funding.selectors import allocationround_list, budget_overview, office_region, percent
from priorities.choices import DefinitionStatus, NodeLevel, PriorityKind, Rating
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityAreaNode,
    ResultsNode,
    Strategy,
)
from priorities.selectors import TreeNode, framework_tree
from reports import layout
from reports.layout import SheetRows
from risks.choices import RiskStatus, score_band
from risks.selectors import risk_heatmap, risk_list

ZERO = Decimal("0.00")
TOP_RISKS = 5
SUMMARY_ACTIONS = 6
MILESTONE_MONTHS = 12
MILESTONE_LIMIT = 15
CONSULTATION_KINDS = (MeetingKind.ANNUAL_CONSULTATION, MeetingKind.HIGH_LEVEL_CONSULTATION)

# Sections of the brief, in order; `Brief.illustrative_sections` names those showing demo data.
SECTION_SUMMARY = "summary"
SECTION_AREAS = "areas"
SECTION_BUDGET = "budget"
SECTION_ALLOCATIONS = "allocations"
SECTION_RISKS = "risks"
SECTION_ACTIONS = "actions"
SECTION_MILESTONES = "milestones"


def brief_date(*, year: int, today: datetime.date) -> datetime.date:
    """Return the date a brief for `year` is read as of: today, at the latest 31 Dec of Y + 1."""
    return min(today, datetime.date(year + 1, 12, 31))


# --- The brief's parts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A labelled fact of the front page, as text."""

    label: str
    value: str


@dataclass(frozen=True)
class YearPlan:
    """The front page's commitment and projected disbursement for one year, in DKK."""

    year: int
    commitment: Decimal | None
    disbursement: Decimal | None


@dataclass(frozen=True)
class NodeRow:
    """A results-framework node as the brief lists it, indented by `depth`."""

    depth: int
    code: str
    level: str
    title: str
    is_mapped: bool
    under_development: bool
    is_implied: bool


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator with its baseline and the year's target and actual."""

    code: str
    title: str
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    actual: Decimal | None
    direction: str
    under_development: bool
    is_illustrative: bool


@dataclass(frozen=True)
class AreaSection:
    """A priority area: the Danish priority, the year's rating, indicators and framework."""

    slug: str
    number: int | None
    is_cross_cutting: bool
    label: str
    title: str
    key_result: str
    text: str
    rating: str
    rating_label: str
    narrative: str
    rating_is_illustrative: bool
    indicators: tuple[IndicatorRow, ...]
    nodes: tuple[NodeRow, ...]
    framework_under_development: bool
    indicators_under_development: bool

    @property
    def is_illustrative(self) -> bool:
        """Return whether the section shows any illustrative value."""
        return self.rating_is_illustrative or any(row.is_illustrative for row in self.indicators)

    @property
    def anchor(self) -> str:
        return f"area-{self.slug}"


@dataclass(frozen=True)
class MoneyRow:
    """Planned, approved, committed and disbursed money of a budget line (or of all lines)."""

    code: str
    name: str
    planned: Decimal | None
    approved: Decimal | None
    committed: Decimal
    disbursed: Decimal
    is_illustrative: bool = False

    @property
    def remaining(self) -> Decimal:
        """Return what is committed but not yet disbursed."""
        return self.committed - self.disbursed

    @property
    def execution_rate(self) -> Decimal | None:
        """Return the disbursed share of what parliament approved, in per cent."""
        return percent(self.disbursed, self.approved)


@dataclass(frozen=True)
class BudgetSection:
    """The budget of the year and of the whole period, per line and in total."""

    year: int
    year_rows: tuple[MoneyRow, ...]
    year_total: MoneyRow
    period: str
    period_rows: tuple[MoneyRow, ...]
    period_total: MoneyRow

    @property
    def is_illustrative(self) -> bool:
        return self.year_total.is_illustrative or self.period_total.is_illustrative


@dataclass(frozen=True)
class RoundRow:
    """An allocation round of the year with its totals and the year's room on its line."""

    label: str
    line_code: str
    dialogue_on: datetime.date | None
    proposed: Decimal
    approved: Decimal
    rejected: Decimal
    pending: Decimal
    is_illustrative: bool


@dataclass(frozen=True)
class AllocationRow:
    """A proposed use of softly earmarked funds and Denmark's decision on it."""

    round_label: str
    office: str
    region: str
    theme: str
    amount: Decimal
    decision: str
    decision_label: str
    reason: str
    decided_on: datetime.date | None
    is_illustrative: bool


@dataclass(frozen=True)
class RiskRow:
    """An open risk with its rating, residual rating and response."""

    title: str
    category: str
    likelihood: int | None
    impact: int | None
    score: int | None
    band: str
    band_label: str
    residual_score: int | None
    residual_band_label: str
    response: str
    is_illustrative: bool


@dataclass(frozen=True)
class HeatGrid:
    """Counts of open risks by likelihood (rows, 5 down to 1) and impact (columns, 1 to 5)."""

    title: str
    counts: tuple[tuple[int, ...], ...]
    not_placed: int
    is_illustrative: bool

    @property
    def placed(self) -> int:
        return sum(sum(row) for row in self.counts)


@dataclass(frozen=True)
class RiskSection:
    """The register's top risks, the heat maps and what they leave out."""

    open_count: int
    unrated_count: int
    top: tuple[RiskRow, ...]
    inherent: HeatGrid
    residual: HeatGrid

    @property
    def is_illustrative(self) -> bool:
        return any(row.is_illustrative for row in self.top) or self.inherent.is_illustrative


@dataclass(frozen=True)
class ActionRow:
    """An action point with its owner, due date and status."""

    text: str
    owner: str
    due_on: datetime.date | None
    status: str
    status_label: str
    closing_note: str
    area: str
    meeting: str
    is_overdue: bool
    is_illustrative: bool


@dataclass(frozen=True)
class Consultation:
    """The last consultation held by the brief's date."""

    title: str
    kind: str
    held_on: datetime.date
    location: str
    is_illustrative: bool


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone not yet reached."""

    title: str
    kind: str
    due_on: datetime.date
    owner: str
    note: str
    is_illustrative: bool


@dataclass(frozen=True)
class Brief:
    """Everything the annual consultation brief for one strategy and year shows."""

    strategy_slug: str
    strategy_title: str
    organisation: str
    acronym: str
    file_number: str
    period: str
    year: int
    as_of: datetime.date
    is_draft: bool
    overall_objective: str
    facts: tuple[Fact, ...]
    plan: tuple[YearPlan, ...]
    stated_commitment_total: Decimal | None
    stated_disbursement_total: Decimal | None
    areas: tuple[AreaSection, ...]
    budget: BudgetSection
    rounds: tuple[RoundRow, ...]
    allocations: tuple[AllocationRow, ...]
    risks: RiskSection
    consultation: Consultation | None
    consultation_actions: tuple[ActionRow, ...]
    open_actions: tuple[ActionRow, ...]
    milestones: tuple[MilestoneRow, ...]
    illustrative_sections: frozenset[str] = field(default_factory=frozenset)

    @property
    def title(self) -> str:
        return f"Annual consultation brief {self.year}"

    @property
    def running_title(self) -> str:
        """Return the running header: file number and title."""
        prefix = f"File no. {self.file_number} · " if self.file_number else ""
        return f"{prefix}{self.title}"

    @property
    def has_illustrative(self) -> bool:
        return bool(self.illustrative_sections)

    def section_is_illustrative(self, section: str) -> bool:
        return section in self.illustrative_sections

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.open_actions if row.is_overdue)


# --- Gathering ----------------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _flatten(tree: tuple[TreeNode, ...], depth: int = 0) -> list[NodeRow]:
    rows = []
    for branch in tree:
        node = branch.node
        rows.append(
            NodeRow(
                depth=depth,
                code=node.code,
                level=NodeLevel(node.level).label,
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
        review = f"{half} of {strategy.mid_term_review_year}".strip()
        review = review[0].upper() + review[1:]
    return (
        Fact("Partner", strategy.organisation.name),
        Fact("File no.", strategy.file_number or "–"),
        Fact("Responsible unit", strategy.responsible_unit or "–"),
        Fact("Duration of strategy", f"{strategy.period} ({strategy.duration_years} years)"),
        Fact("Finance Act code", strategy.finance_act_code or "–"),
        Fact("Desk officer", strategy.desk_officer or "–"),
        Fact("Financial officer", strategy.financial_officer or "–"),
        Fact("Mid-term review", review),
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
        for node in ResultsNode.objects.filter(framework__organisation_id=strategy.organisation_id)
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
    progress = {
        row.indicator_id: row
        for row in IndicatorProgress.objects.filter(
            indicator__priority_area__strategy=strategy, strategy_year__year=year
        )
    }
    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in Indicator.objects.filter(priority_area__strategy=strategy).order_by(
        "order", "key"
    ):
        figures = progress.get(indicator.pk)
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
            )
        )
    sections = []
    for area in areas:
        assessment = assessments.get(area.pk)
        rating = assessment.rating if assessment else Rating.NOT_ASSESSED
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
            )
        )
    return tuple(sections)


def _money_row(code: str, name: str, cell) -> MoneyRow:
    return MoneyRow(
        code=code,
        name=name,
        planned=cell.planned,
        approved=cell.approved,
        committed=cell.committed,
        disbursed=cell.disbursed,
        is_illustrative=cell.is_illustrative,
    )


def _budget(strategy: Strategy, year: int):
    overview = budget_overview(strategy=strategy)
    index = overview.years.index(year)
    section = BudgetSection(
        year=year,
        year_rows=tuple(
            _money_row(row.line.code, row.line.name, row.cells[index]) for row in overview.rows
        ),
        year_total=_money_row("", "Total", overview.year_totals[index]),
        period=strategy.period,
        period_rows=tuple(
            _money_row(row.line.code, row.line.name, row.total) for row in overview.rows
        ),
        period_total=_money_row("", "Total", overview.grand_total),
    )
    return section, overview


def _rounds(
    strategy: Strategy, year: int
) -> tuple[tuple[RoundRow, ...], tuple[AllocationRow, ...]]:
    rounds = tuple(
        RoundRow(
            label=f"{item.get_half_display()} {item.year}",
            line_code=item.line.code,
            dialogue_on=item.dialogue_on,
            proposed=item.proposed,
            approved=item.approved,
            rejected=item.rejected,
            pending=item.pending,
            is_illustrative=item.is_illustrative,
        )
        for item in allocationround_list(strategy=strategy)
        .filter(year=year)
        .order_by("half", "line__order")
    )
    allocations = tuple(
        AllocationRow(
            round_label=f"{allocation.round.get_half_display()} {allocation.round.year}",
            office=allocation.office.name if allocation.office else "",
            region=office_region(allocation.office).label,
            theme=allocation.theme,
            amount=allocation.amount,
            decision=allocation.decision,
            decision_label=Decision(allocation.decision).label,
            reason=allocation.decision_reason,
            decided_on=timezone.localtime(allocation.decided_at).date()
            if allocation.decided_at
            else None,
            is_illustrative=allocation.is_illustrative or allocation.round.is_illustrative,
        )
        for allocation in Allocation.objects.filter(
            round__line__strategy=strategy, round__year=year
        )
        .select_related("round__line", "office__regional_office")
        .order_by("round__half", "round__line__order", "pk")
    )
    return rounds, allocations


def _grid(matrix) -> HeatGrid:
    return HeatGrid(
        title=matrix.title,
        counts=tuple(tuple(cell.count for cell in row) for row in matrix.rows),
        not_placed=len(matrix.not_placed),
        is_illustrative=any(ref.is_illustrative for cell in matrix.cells for ref in cell.risks),
    )


def _risks(strategy: Strategy) -> RiskSection:
    risks = [risk for risk in risk_list(strategy=strategy) if risk.status == RiskStatus.OPEN]
    rated = sorted(
        (risk for risk in risks if risk.is_rated),
        key=lambda risk: (-risk.score, -(risk.residual_score or 0), risk.order, risk.key),
    )
    top = tuple(
        RiskRow(
            title=risk.title,
            category=risk.get_category_display() or "Not categorised",
            likelihood=risk.likelihood,
            impact=risk.impact,
            score=risk.score,
            band=score_band(risk.score).value,
            band_label=score_band(risk.score).label,
            residual_score=risk.residual_score,
            residual_band_label=score_band(risk.residual_score).label,
            response=risk.response,
            is_illustrative=risk.rating_is_illustrative,
        )
        for risk in rated[:TOP_RISKS]
    )
    heatmap = risk_heatmap(strategy=strategy)
    return RiskSection(
        open_count=len(risks),
        unrated_count=sum(1 for risk in risks if not risk.is_rated),
        top=top,
        inherent=_grid(heatmap.inherent),
        residual=_grid(heatmap.residual),
    )


def _action_row(action: ActionPoint, as_of: datetime.date) -> ActionRow:
    return ActionRow(
        text=action.text,
        owner=_person(action.owner),
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
        for action in action_points.filter(strategy=strategy, status=ActionStatus.OPEN).order_by(
            "due_on", "id"
        )
    )
    until = as_of + datetime.timedelta(days=round(MILESTONE_MONTHS * 365.25 / 12))
    milestones = tuple(
        MilestoneRow(
            title=milestone.title,
            kind=milestone.get_kind_display(),
            due_on=milestone.due_on,
            owner=_person(milestone.owner),
            note=milestone.note,
            is_illustrative=milestone.is_illustrative,
        )
        for milestone in Milestone.objects.filter(
            strategy=strategy, done_on__isnull=True, due_on__gte=as_of, due_on__lte=until
        )
        .select_related("owner")
        .order_by("due_on", "id")[:MILESTONE_LIMIT]
    )
    return consultation, consultation_actions, open_actions, milestones


def brief_build(*, strategy: Strategy, year: int, today: datetime.date | None = None) -> Brief:
    """Gather the annual consultation brief of `strategy` for `year` in a fixed number of queries.

    `strategy` should come with its organisation (`select_related("organisation")`). Raises
    ValueError when `year` lies outside the strategy period.
    """
    if year not in strategy.years:
        raise ValueError(f"{year} is outside the strategy period {strategy.period}.")
    as_of = brief_date(year=year, today=today or timezone.localdate())
    plan = tuple(
        YearPlan(row.year, row.planned_commitment, row.planned_disbursement)
        for row in strategy.strategy_years.order_by("year")
    )
    areas = _areas(strategy, year)
    budget, _ = _budget(strategy, year)
    rounds, allocations = _rounds(strategy, year)
    risks = _risks(strategy)
    consultation, consultation_actions, open_actions, milestones = _engagement(strategy, as_of)

    illustrative = set()
    if any(area.is_illustrative for area in areas):
        illustrative.add(SECTION_AREAS)
    if budget.is_illustrative:
        illustrative.add(SECTION_BUDGET)
    if any(row.is_illustrative for row in rounds) or any(
        row.is_illustrative for row in allocations
    ):
        illustrative.add(SECTION_ALLOCATIONS)
    if risks.is_illustrative:
        illustrative.add(SECTION_RISKS)
    if (consultation and consultation.is_illustrative) or any(
        row.is_illustrative for row in consultation_actions
    ):
        illustrative.add(SECTION_ACTIONS)
    if any(row.is_illustrative for row in milestones):
        illustrative.add(SECTION_MILESTONES)
    if (
        any(area.rating_is_illustrative for area in areas)
        or budget.year_total.is_illustrative
        or any(row.is_illustrative for row in risks.top[:3])
        or any(row.is_illustrative for row in open_actions[:SUMMARY_ACTIONS])
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
    )


# --- The monitoring workbook --------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookReport:
    """Every table of the monitoring workbook of one strategy, all years, as plain rows."""

    strategy_slug: str
    label: str
    title: str
    years: tuple[int, ...]
    exported_at: datetime.datetime
    sheets: tuple[SheetRows, ...]

    @property
    def has_illustrative(self) -> bool:
        return any(sheet.has_illustrative for sheet in self.sheets)

    @property
    def illustrative_sheets(self) -> tuple[str, ...]:
        return tuple(sheet.name for sheet in self.sheets if sheet.has_illustrative)

    def sheet(self, name: str) -> SheetRows:
        return next(sheet for sheet in self.sheets if sheet.name == name)


def _username(user) -> str:
    return user.username if user is not None else ""


def _strategy_rows(strategy: Strategy) -> tuple[dict, ...]:
    organisation = strategy.organisation
    values = {
        "organisation_slug": organisation.slug,
        "organisation_name": organisation.name,
        "organisation_acronym": organisation.acronym,
        "sdgs": ", ".join(
            str(goal) for goal in strategy.sdgs.order_by("goal").values_list("goal", flat=True)
        ),
    }
    rows = []
    for item in layout.STRATEGY_FIELDS:
        value = values[item.key] if item.key in values else getattr(strategy, item.key)
        rows.append({"field": item.label, "value": value})
    return tuple(rows)


def _illustrative(rows: tuple[dict, ...], *keys: str) -> bool:
    keys = keys or ("is_illustrative",)
    return any(row.get(key) for row in rows for key in keys)


AREA_FIELDS = (
    "slug",
    "number",
    "kind",
    "title",
    "front_page_title",
    "key_result",
    "text",
    "monitoring_note",
    "framework_under_development",
    "indicators_under_development",
    "order",
)


def _renamed(row: dict, names: dict[str, str]) -> dict:
    """Return `row` with its keys renamed by `names` (values() names → the layout's keys)."""
    return {names.get(key, key): value for key, value in row.items()}


def _without(row: dict, key: str) -> dict:
    return {name: value for name, value in row.items() if name != key}


def _sums_by_line_year(rows) -> dict[tuple[int, int], dict]:
    """Return the amounts of `rows` summed per (line, year), and whether any is illustrative."""
    sums: dict[tuple[int, int], dict] = {}
    for row in rows:
        cell = sums.setdefault(
            (row["line_id"], row["year"]), {"total": ZERO, "illustrative": False}
        )
        cell["total"] += row["amount"]
        cell["illustrative"] = cell["illustrative"] or row["is_illustrative"]
    return sums


def workbook_build(*, strategy: Strategy) -> WorkbookReport:
    """Gather the monitoring workbook of `strategy`, every year, in a fixed number of queries.

    Each table is read with `values()`: the columns the workbook shows and nothing else, no
    model instances (a strategy's workbook holds thousands of rows, and building instances,
    with their timestamps, cost more than the queries). The budget execution (planned,
    approved, committed and disbursed per line and year) is summed from the approvals,
    commitments and disbursements the workbook lists anyway, as `budget_overview()` sums them,
    rather than read a second time.
    """
    from funding.models import (
        AllocationRound,
        BudgetLine,
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
    from priorities.models import TeamMembership
    from risks.models import Risk

    years = tuple(strategy.years)
    organisation_id = strategy.organisation_id

    year_rows = tuple(
        strategy.strategy_years.order_by("year").values(
            "year", "planned_commitment", "planned_disbursement", "state"
        )
    )
    team_rows = tuple(
        {"username": member.user.username, "role": member.role, "name": _person(member.user)}
        for member in TeamMembership.objects.filter(strategy=strategy)
        .select_related("user")
        .only("role", "user__username", "user__first_name", "user__last_name")
        .order_by("role", "user__username")
    )

    areas = list(
        strategy.priority_areas.order_by("order", "number", "slug").values("pk", *AREA_FIELDS)
    )
    area_slugs = {area["pk"]: area["slug"] for area in areas}
    area_rows = tuple({key: area[key] for key in AREA_FIELDS} for area in areas)

    followed: dict[int, list[str]] = defaultdict(list)
    for node_id, area_id in (
        PriorityAreaNode.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "order", "pk")
        .values_list("node_id", "priority_area_id")
    ):
        followed[node_id].append(area_slugs[area_id])
    # The model's own ordering (framework, level, key) orders siblings that sort alike.
    nodes = _depth_first(
        ResultsNode.objects.filter(framework__organisation_id=organisation_id).values(
            "pk",
            "parent_id",
            "framework__slug",
            "framework__name",
            "key",
            "code",
            "level",
            "parent__key",
            "title",
            "status",
            "is_implied",
            "section",
        )
    )
    node_rows = tuple(
        {
            "framework": node["framework__slug"],
            "framework_name": node["framework__name"],
            "key": node["key"],
            "code": node["code"],
            "level": node["level"],
            "parent": node["parent__key"] or "",
            "title": node["title"],
            "status": node["status"],
            "is_implied": node["is_implied"],
            "section": node["section"],
            "priority_areas": ", ".join(followed.get(node["pk"], ())),
        }
        for node in nodes
    )

    progress: dict[tuple[int, int], dict] = {
        (row["indicator_id"], row["strategy_year__year"]): row
        for row in IndicatorProgress.objects.filter(
            indicator__priority_area__strategy=strategy
        ).values(
            "indicator_id", "strategy_year__year", "target", "actual", "comment", "is_illustrative"
        )
    }
    indicator_names = {
        "priority_area__slug": "area",
        "node__framework__slug": "framework",
        "node__key": "node",
    }
    indicator_rows = []
    for indicator in (
        Indicator.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "order", "key")
        .values(
            "pk",
            "priority_area__slug",
            "key",
            "code",
            "title",
            "node__framework__slug",
            "node__key",
            "unit",
            "allows_negative",
            "baseline",
            "baseline_year",
            "direction",
            "status",
            "order",
            "is_illustrative",
        )
    ):
        pk = indicator["pk"]
        row = _renamed(_without(indicator, "pk"), indicator_names)
        for year in years:
            figures = progress.get((pk, year))
            row[f"target_{year}"] = figures["target"] if figures else None
            row[f"actual_{year}"] = figures["actual"] if figures else None
            row[f"comment_{year}"] = figures["comment"] if figures else ""
            row[f"illustrative_{year}"] = figures["is_illustrative"] if figures else None
        indicator_rows.append(row)
    indicator_rows = tuple(indicator_rows)

    assessment_rows = tuple(
        _renamed(row, {"priority_area__slug": "area", "strategy_year__year": "year"})
        for row in Assessment.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "strategy_year__year")
        .values(
            "priority_area__slug", "strategy_year__year", "rating", "narrative", "is_illustrative"
        )
    )

    lines = list(
        BudgetLine.objects.filter(strategy=strategy)
        .order_by("order", "code")
        .values(
            "pk",
            "code",
            "name",
            "kind",
            "finance_act_code",
            "responsible_unit",
            "currency",
            "order",
        )
    )
    line_codes = {line["pk"]: line["code"] for line in lines}

    def money_rows(model, date_key: str, *order: str) -> list[dict]:
        return list(
            model.objects.filter(line__strategy=strategy)
            .order_by(*order)
            .values("line_id", "year", "amount", date_key, "reference", "note", "is_illustrative")
        )

    approvals = money_rows(
        ParliamentaryApproval, "approved_on", "line__order", "line__code", "year"
    )
    commitments = money_rows(
        Commitment, "committed_on", "line__order", "line__code", "year", "committed_on", "pk"
    )
    disbursements = money_rows(
        Disbursement, "paid_on", "line__order", "line__code", "year", "paid_on", "pk"
    )

    planned = {
        (row["line_id"], row["year"]): row["amount"]
        for row in PlannedAmount.objects.filter(line__strategy=strategy).values(
            "line_id", "year", "amount"
        )
    }
    approved = {(row["line_id"], row["year"]): row for row in approvals}
    committed = _sums_by_line_year(commitments)
    disbursed = _sums_by_line_year(disbursements)
    none: dict = {}
    line_rows, execution_rows = [], []
    for line in lines:
        row = _without(line, "pk")
        for year in years:
            key = (line["pk"], year)
            row[f"planned_{year}"] = planned.get(key)
            approval = approved.get(key, none)
            commitment = committed.get(key, none)
            disbursement = disbursed.get(key, none)
            execution_rows.append(
                {
                    "code": line["code"],
                    "year": year,
                    "planned": planned.get(key),
                    "approved": approval.get("amount"),
                    "committed": commitment.get("total", ZERO),
                    "disbursed": disbursement.get("total", ZERO),
                    "is_illustrative": bool(
                        approval.get("is_illustrative")
                        or commitment.get("illustrative")
                        or disbursement.get("illustrative")
                    ),
                }
            )
        line_rows.append(row)

    def listed(records) -> tuple[dict, ...]:
        return tuple(
            {"line": line_codes[record["line_id"]], **_without(record, "line_id")}
            for record in records
        )

    approval_rows = listed(approvals)
    commitment_rows = listed(commitments)
    disbursement_rows = listed(disbursements)

    round_rows = tuple(
        _renamed(row, {"line__code": "line"})
        for row in AllocationRound.objects.filter(line__strategy=strategy)
        .order_by("line__order", "line__code", "year", "half")
        .values("line__code", "year", "half", "dialogue_on", "note", "is_illustrative")
    )
    allocation_rows = tuple(
        {
            "line": allocation["round__line__code"],
            "year": allocation["round__year"],
            "half": allocation["round__half"],
            "office": allocation["office__name"] or "",
            "theme": allocation["theme"],
            "amount": allocation["amount"],
            "description": allocation["description"],
            "decision": allocation["decision"],
            "decision_reason": allocation["decision_reason"],
            "decided_by": allocation["decided_by__username"] or "",
            "decided_at": timezone.localtime(allocation["decided_at"]).replace(tzinfo=None)
            if allocation["decided_at"]
            else None,
            "is_illustrative": allocation["is_illustrative"],
        }
        for allocation in Allocation.objects.filter(round__line__strategy=strategy)
        .order_by("round__line__order", "round__line__code", "round__year", "round__half", "pk")
        .values(
            "round__line__code",
            "round__year",
            "round__half",
            "office__name",
            "theme",
            "amount",
            "description",
            "decision",
            "decision_reason",
            "decided_by__username",
            "decided_at",
            "is_illustrative",
        )
    )

    risk_areas: dict[int, list[str]] = defaultdict(list)
    for risk_id, slug in (
        Risk.priority_areas.through.objects.filter(risk__strategy=strategy)
        .order_by("priorityarea__order", "priorityarea__number", "priorityarea__slug")
        .values_list("risk_id", "priorityarea__slug")
    ):
        risk_areas[risk_id].append(slug)
    risk_rows = tuple(
        {
            "key": risk["key"],
            "title": risk["title"],
            "category": risk["category"],
            "description": risk["description"],
            "response": risk["response"],
            "likelihood": risk["likelihood"],
            "impact": risk["impact"],
            "residual_likelihood": risk["residual_likelihood"],
            "residual_impact": risk["residual_impact"],
            "residual_justification": risk["residual_justification"],
            "status": risk["status"],
            "closed_reason": risk["closed_reason"],
            "next_review": risk["next_review"],
            "owner": risk["owner__username"] or "",
            "priority_areas": ", ".join(risk_areas.get(risk["pk"], ())),
            "rating_is_illustrative": risk["rating_is_illustrative"],
            "order": risk["order"],
        }
        for risk in risk_list(strategy=strategy).values(
            "pk",
            "key",
            "title",
            "category",
            "description",
            "response",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
            "residual_justification",
            "status",
            "closed_reason",
            "next_review",
            "owner__username",
            "rating_is_illustrative",
            "order",
        )
    )

    action_rows = tuple(
        {
            "meeting": action["meeting__title"] or "",
            "meeting_date": action["meeting__held_on"],
            "text": action["text"],
            "owner": action["owner__username"] or "",
            "due_on": action["due_on"],
            "status": action["status"],
            "closing_note": action["closing_note"],
            "priority_area": action["priority_area__slug"] or "",
            "is_illustrative": action["is_illustrative"],
        }
        for action in ActionPoint.objects.filter(strategy=strategy)
        .order_by("meeting__held_on", "meeting__title", "due_on", "pk")
        .values(
            "meeting__title",
            "meeting__held_on",
            "text",
            "owner__username",
            "due_on",
            "status",
            "closing_note",
            "priority_area__slug",
            "is_illustrative",
        )
    )
    meeting_rows = tuple(
        Meeting.objects.filter(strategy=strategy)
        .order_by("held_on", "title", "pk")
        .values("title", "held_on", "kind", "location", "summary", "is_illustrative")
    )

    # The donor tables of the partner, each kind of row grouped by table in the tables' order.
    of_partner = {"table__organisation_id": organisation_id}
    by_table = ("table__key", "table_id")
    donor_tables = (
        layout.TableRows(
            "donor_tables",
            tuple(
                DonorTable.objects.filter(organisation_id=organisation_id)
                .order_by("key", "pk")
                .values("key", "title", "currency", "year", "as_of", "notes", "source")
            ),
        ),
        layout.TableRows(
            "funding_rows",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in FundingRow.objects.filter(**of_partner)
                .order_by(*by_table, "order")
                .values("table__key", "order", "donor", "title", "kind", "amount", "is_refund")
            ),
        ),
        layout.TableRows(
            "unearmarked_donors",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in UnearmarkedDonor.objects.filter(**of_partner)
                .order_by(*by_table, "order")
                .values("table__key", "member_state", "order", "stated_total")
            ),
        ),
        layout.TableRows(
            "contributions",
            tuple(
                _renamed(row, {"donor__table__key": "table", "donor__member_state": "member_state"})
                for row in UnearmarkedContribution.objects.filter(
                    donor__table__organisation_id=organisation_id
                )
                .order_by(
                    "donor__table__key", "donor__table_id", "donor__order", "donor_id", "year"
                )
                .values("donor__table__key", "donor__member_state", "year", "amount", "is_pledged")
            ),
        ),
        layout.TableRows(
            "earmarked_donors",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in EarmarkedDonor.objects.filter(**of_partner)
                .order_by(*by_table, "rank")
                .values("table__key", "rank", "donor", "amount")
            ),
        ),
        layout.TableRows(
            "stated_totals",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in StatedTotal.objects.filter(**of_partner)
                .order_by(*by_table, "key")
                .values("table__key", "key", "label", "kind", "year", "amount", "growth_percent")
            ),
        ),
    )

    sheets = (
        SheetRows(
            layout.OVERVIEW,
            (
                layout.TableRows("strategy", _strategy_rows(strategy)),
                layout.TableRows("years", year_rows),
                layout.TableRows("team", team_rows),
            ),
        ),
        SheetRows(layout.AREAS, (layout.TableRows("areas", area_rows),)),
        SheetRows(layout.FRAMEWORK, (layout.TableRows("nodes", node_rows),)),
        SheetRows(
            layout.INDICATORS,
            (layout.TableRows("indicators", indicator_rows),),
            has_illustrative=_illustrative(
                indicator_rows, "is_illustrative", *(f"illustrative_{year}" for year in years)
            ),
        ),
        SheetRows(
            layout.ASSESSMENTS,
            (layout.TableRows("assessments", assessment_rows),),
            has_illustrative=_illustrative(assessment_rows),
        ),
        SheetRows(
            layout.BUDGET,
            (
                layout.TableRows("lines", tuple(line_rows)),
                layout.TableRows("execution", tuple(execution_rows)),
            ),
            has_illustrative=_illustrative(tuple(execution_rows)),
        ),
        SheetRows(
            layout.APPROVALS,
            (layout.TableRows("approvals", approval_rows),),
            has_illustrative=_illustrative(approval_rows),
        ),
        SheetRows(
            layout.COMMITMENTS,
            (layout.TableRows("commitments", commitment_rows),),
            has_illustrative=_illustrative(commitment_rows),
        ),
        SheetRows(
            layout.DISBURSEMENTS,
            (layout.TableRows("disbursements", disbursement_rows),),
            has_illustrative=_illustrative(disbursement_rows),
        ),
        SheetRows(
            layout.ALLOCATIONS,
            (
                layout.TableRows("allocations", allocation_rows),
                layout.TableRows("rounds", round_rows),
            ),
            has_illustrative=_illustrative(allocation_rows) or _illustrative(round_rows),
        ),
        SheetRows(
            layout.RISKS,
            (layout.TableRows("risks", risk_rows),),
            has_illustrative=_illustrative(risk_rows, "rating_is_illustrative"),
        ),
        SheetRows(
            layout.ACTIONS,
            (
                layout.TableRows("actions", action_rows),
                layout.TableRows("meetings", meeting_rows),
            ),
            has_illustrative=_illustrative(action_rows) or _illustrative(meeting_rows),
        ),
        SheetRows(layout.DONORS, donor_tables),
    )
    label = f"{strategy.organisation.acronym} {strategy.period}"
    return WorkbookReport(
        strategy_slug=strategy.slug,
        label=label,
        title=strategy.title,
        years=years,
        exported_at=timezone.localtime().replace(microsecond=0, tzinfo=None),
        sheets=sheets,
    )


def _node_sort_key(node: dict) -> tuple:
    parts = []
    for segment in (node["code"] or "").split("."):
        digits = "".join(ch for ch in segment if ch.isdigit())
        letters = "".join(ch for ch in segment if ch.isalpha())
        parts.append((int(digits) if digits else 0, letters))
    return (node["framework__slug"], 0 if node["code"] else 1, parts, node["key"])


def _depth_first(nodes) -> list[dict]:
    """Return results nodes (rows of values) framework by framework, each parent followed by
    its children."""
    children: dict[int | None, list[dict]] = defaultdict(list)
    nodes = list(nodes)
    ids = {node["pk"] for node in nodes}
    for node in nodes:
        children[node["parent_id"] if node["parent_id"] in ids else None].append(node)
    ordered: list[dict] = []

    def visit(parent_id: int | None) -> None:
        for node in sorted(children[parent_id], key=_node_sort_key):
            ordered.append(node)
            visit(node["pk"])

    visit(None)
    return ordered


# --- IATI activity ------------------------------------------------------------------------------

# Denmark's Ministry of Foreign Affairs as IATI knows it: its CVR number, a government body.
REPORTING_ORG_REF = "DK-CVR-43271911"
REPORTING_ORG_NAME = "Ministry of Foreign Affairs of Denmark"
REPORTING_ORG_TYPE = "10"
# OECD DAC channel codes of partners, by organisation slug; a partner not listed is named
# without a reference.
PARTNER_REFS = {
    "iom": "XM-DAC-47066",
    "unhcr": "XM-DAC-41121",
    "unicef": "XM-DAC-41122",
    "undp": "XM-DAC-41114",
    "unfpa": "XM-DAC-41119",
    "wfp": "XM-DAC-41140",
}
# DAC aid type (vocabulary 1) and earmarking category (vocabulary 2) of each kind of line.
AID_TYPES = {
    "core": ("B02", "1"),
    "soft_earmarked": ("B03", "2"),
    "earmarked": ("B03", "3"),
    "personnel": ("D01", ""),
    "other": ("C01", ""),
}


@dataclass(frozen=True)
class IatiBudget:
    """A year's budget or planned disbursement: period and amount; status 2 once approved."""

    year: int
    start: datetime.date
    end: datetime.date
    amount: Decimal
    status: str = "1"


@dataclass(frozen=True)
class IatiTransaction:
    """A commitment (type 2) or a disbursement (type 3) as recorded."""

    type: str
    date: datetime.date
    amount: Decimal
    description: str
    reference: str
    aid_type: str
    earmarking: str
    is_illustrative: bool = False


@dataclass(frozen=True)
class IatiPeriod:
    """A year of an indicator, with its target and actual."""

    start: datetime.date
    end: datetime.date
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class IatiIndicator:
    """An indicator of a result: measure 1 (unit) or 2 (percentage), baseline and periods."""

    title: str
    description: str
    measure: str
    ascending: bool
    baseline_year: int | None
    baseline: Decimal | None
    periods: tuple[IatiPeriod, ...]


@dataclass(frozen=True)
class IatiResult:
    """A Danish priority area as an IATI result (type 1, output) with its indicators."""

    title: str
    description: str
    indicators: tuple[IatiIndicator, ...]


@dataclass(frozen=True)
class IatiActivity:
    """The Danish contribution under one strategy as one IATI activity."""

    identifier: str
    title: str
    description: str
    partner_name: str
    partner_ref: str
    start: datetime.date
    end: datetime.date
    actual_start: datetime.date | None
    status: str
    budgets: tuple[IatiBudget, ...]
    planned_disbursements: tuple[IatiBudget, ...]
    transactions: tuple[IatiTransaction, ...]
    results: tuple[IatiResult, ...]
    generated_at: datetime.datetime
    include_illustrative: bool
    left_out: int
    reporting_ref: str = REPORTING_ORG_REF
    reporting_name: str = REPORTING_ORG_NAME
    reporting_type: str = REPORTING_ORG_TYPE
    currency: str = "DKK"


def iati_build(
    *,
    strategy: Strategy,
    include_illustrative: bool = False,
    today: datetime.date | None = None,
) -> IatiActivity:
    """Gather the IATI activity of `strategy` in a fixed number of queries.

    Illustrative records are not published as facts: by default they are left out (and
    counted in `left_out`); with `include_illustrative` they are kept and say so.
    """
    from funding.models import Commitment, Disbursement, ParliamentaryApproval, PlannedAmount
    from priorities.models import unit_is_percentage

    today = today or timezone.localdate()
    start = datetime.date(strategy.start_year, 1, 1)
    end = datetime.date(strategy.end_year, 12, 31)
    status = "1" if today < start else "2" if today <= end else "3"
    left_out = 0

    def keep(is_illustrative: bool) -> bool:
        nonlocal left_out
        if is_illustrative and not include_illustrative:
            left_out += 1
            return False
        return True

    lines = list(strategy.budget_lines.order_by("order", "code"))
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for row in PlannedAmount.objects.filter(line__strategy=strategy).values("year", "amount"):
        planned[row["year"]] += row["amount"]
    approved: dict[int, set[int]] = defaultdict(set)
    for approval in ParliamentaryApproval.objects.filter(line__strategy=strategy):
        if keep(approval.is_illustrative):
            approved[approval.year].add(approval.line_id)
    line_ids = {line.pk for line in lines}
    budgets = tuple(
        IatiBudget(
            year=year,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            amount=planned[year],
            status="2" if line_ids and approved[year] >= line_ids else "1",
        )
        for year in strategy.years
        if year in planned
    )
    plans = {row.year: row.planned_disbursement for row in strategy.strategy_years.all()}
    disbursement_plan = tuple(
        IatiBudget(
            year=year,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            amount=plans.get(year) if plans.get(year) is not None else planned[year],
        )
        for year in strategy.years
        if plans.get(year) is not None or year in planned
    )

    transactions = []
    for model, kind, date_field in (
        (Commitment, "2", "committed_on"),
        (Disbursement, "3", "paid_on"),
    ):
        for record in (
            model.objects.filter(line__strategy=strategy)
            .select_related("line")
            .order_by(date_field, "line__order", "pk")
        ):
            if not keep(record.is_illustrative):
                continue
            aid_type, earmarking = AID_TYPES.get(record.line.kind, ("C01", ""))
            transactions.append(
                IatiTransaction(
                    type=kind,
                    date=getattr(record, date_field),
                    amount=record.amount,
                    description=f"{record.line.code}. {record.line.name}, {record.year}",
                    reference=record.reference,
                    aid_type=aid_type,
                    earmarking=earmarking,
                    is_illustrative=record.is_illustrative,
                )
            )
    transactions.sort(key=lambda item: (item.date, item.type))

    progress: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for row in (
        IndicatorProgress.objects.filter(indicator__priority_area__strategy=strategy)
        .select_related("strategy_year")
        .order_by("strategy_year__year")
    ):
        progress[row.indicator_id].append(row)
    by_area: dict[int, list[IatiIndicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(
        priority_area__strategy=strategy, status=DefinitionStatus.DEFINED
    ).order_by("order", "key"):
        if not keep(indicator.is_illustrative):
            left_out += len(progress[indicator.pk])
            continue
        periods = []
        for row in progress[indicator.pk]:
            if (row.target is None and row.actual is None) or not keep(row.is_illustrative):
                continue
            year = row.strategy_year.year
            periods.append(
                IatiPeriod(
                    start=datetime.date(year, 1, 1),
                    end=datetime.date(year, 12, 31),
                    target=row.target,
                    actual=row.actual,
                )
            )
        by_area[indicator.priority_area_id].append(
            IatiIndicator(
                title=indicator.title,
                description=f"Unit: {indicator.unit}" if indicator.unit else "",
                measure="2" if unit_is_percentage(indicator.unit) else "1",
                ascending=indicator.direction != "decrease",
                baseline_year=indicator.baseline_year,
                baseline=indicator.baseline,
                periods=tuple(periods),
            )
        )
    results = tuple(
        IatiResult(
            title=area.label,
            description=area.key_result,
            indicators=tuple(by_area[area.pk]),
        )
        for area in strategy.priority_areas.order_by("order", "number")
        if by_area[area.pk]
    )
    paid = [item.date for item in transactions if item.type == "3" and item.date <= today]
    organisation = strategy.organisation
    reference = strategy.file_number or strategy.slug
    return IatiActivity(
        identifier=f"{REPORTING_ORG_REF}-{reference}",
        title=strategy.title,
        description=strategy.overall_objective or strategy.title,
        partner_name=organisation.name,
        partner_ref=PARTNER_REFS.get(organisation.slug.casefold())
        or PARTNER_REFS.get(organisation.acronym.casefold(), ""),
        start=start,
        end=end,
        actual_start=min(paid) if paid else None,
        status=status,
        budgets=budgets,
        planned_disbursements=disbursement_plan,
        transactions=tuple(transactions),
        results=results,
        generated_at=timezone.now().replace(microsecond=0),
        include_illustrative=include_illustrative,
        left_out=left_out,
    )

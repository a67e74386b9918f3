"""Reads for strategies: the list, the overview, priority areas, indicators, what is due."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from priorities.choices import (
    DefinitionStatus,
    DueKind,
    OfficeKind,
    PriorityKind,
    Rating,
    TeamRole,
    YearState,
)
from priorities.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorProgress,
    KeyFigure,
    Office,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
    chapter_headings,
)
from priorities.permissions import (
    ADMINISTRATOR_GROUP,
    MANAGER_GROUP,
    user_in_manager_group,
    user_team_roles,
)
from priorities.registry import (
    YEAR_APPROVED_KIND,
    DueItem,
    Fulfilment,
    SetupCheck,
    overview_sections,
    setup_checks,
    year_review_sections,
)
from strategy_monitor.formats import person_name, total_mismatch


def strategy_list(*, user, filters: dict | None = None) -> QuerySet[Strategy]:
    """Return the strategies `user` may see, with the counts the list shows."""
    return (
        Strategy.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            priority_area_count=Count(
                "priority_areas",
                filter=Q(priority_areas__kind=PriorityKind.PRIORITY),
                distinct=True,
            ),
        )
        .filter(**(filters or {}))
        .order_by("-start_year", "title")
    )


def history_user_list(*, strategy):
    """Return the people who may have changed `strategy`'s records, for the change log's filter.

    They are the members of its team, now or before, and the managers and administrators, who
    act on every strategy: not every user of the ministry, whom a list would neither fit nor help.
    """
    members = TeamMembership.objects.filter(strategy=strategy).values("user_id")
    former = TeamMembership.history.filter(strategy_id=strategy.pk).values("user_id")
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=members)
            | Q(pk__in=former)
            | Q(is_superuser=True)
            | Q(groups__name__in=(MANAGER_GROUP, ADMINISTRATOR_GROUP))
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class TreeNode:
    """A results-framework node placed in a tree, with the nodes below it."""

    node: ResultsNode
    is_mapped: bool
    children: tuple["TreeNode", ...] = ()


@dataclass(frozen=True)
class AreaOverview:
    """A priority area with its framework tree and latest assessment."""

    area: PriorityArea
    tree: tuple[TreeNode, ...]
    latest_assessment: Assessment | None
    indicator_count: int


@dataclass(frozen=True)
class RegionOffices:
    """A regional office and the country offices reporting to it."""

    office: Office
    countries: tuple[Office, ...]


@dataclass(frozen=True)
class ShownSection:
    """A panel another app adds to the overview: its template and the data the template reads."""

    template_name: str
    data: Any


@dataclass(frozen=True)
class StrategyOverview:
    """Everything the strategy overview page shows, gathered with a fixed number of queries."""

    strategy: Strategy
    years: tuple[StrategyYear, ...]
    sdgs: tuple[RelevantSDG, ...]
    key_figures: tuple[KeyFigure, ...]
    areas: tuple[AreaOverview, ...]
    sections: tuple[ShownSection, ...] = ()
    regions: tuple[RegionOffices, ...] = ()
    other_offices: tuple[Office, ...] = ()
    has_illustrative: bool = False
    # Each chapter's heading as the strategy's document prints it ("5. Budget"), or a plain one.
    chapters: dict[str, str] = field(default_factory=lambda: chapter_headings(()))

    @property
    def commitment_total_warning(self) -> str:
        """Return the warning when the printed commitment total is not the years' sum."""
        return _total_warnings(self.strategy, self.years).get("commitment", ("", ""))[1]

    @property
    def disbursement_total_warning(self) -> str:
        """Return the warning when the printed disbursement total is not the years' sum."""
        return _total_warnings(self.strategy, self.years).get("disbursement", ("", ""))[1]


def front_page_total_warnings(strategy: Strategy, years) -> tuple[tuple[str, str], ...]:
    """Return (total, warning) for each printed front-page total that its years do not sum to.

    `years` are the strategy's years (rows with `planned_commitment` and
    `planned_disbursement`, objects or dicts); a total with no yearly figure is not compared.
    """
    return tuple(_total_warnings(strategy, years).values())


def _total_warnings(strategy: Strategy, years) -> dict[str, tuple[str, str]]:
    """Return {total: (its name in the user's language, warning)} for each total that is off."""
    rows = [year if isinstance(year, dict) else vars(year) for year in years]
    warnings = {}
    for total, label, stated, key in (
        (
            "commitment",
            gettext("Commitment"),
            strategy.stated_commitment_total,
            "planned_commitment",
        ),
        (
            "disbursement",
            gettext("Projected disbursement"),
            strategy.stated_disbursement_total,
            "planned_disbursement",
        ),
    ):
        present = [row[key] for row in rows if row[key] is not None]
        warning = total_mismatch(stated, sum(present, Decimal(0)) if present else None)
        if warning:
            warnings[total] = (label, warning)
    return warnings


def _code_sort_key(node: ResultsNode) -> tuple:
    # Frameworks in their order, then siblings in their order, then by code; select the framework.
    framework = node.framework
    parts = []
    for segment in (node.code or "").split("."):
        digits = "".join(ch for ch in segment if ch.isdigit())
        letters = "".join(ch for ch in segment if ch.isalpha())
        parts.append((int(digits) if digits else 0, letters))
    return (
        (framework.order, framework.pk),
        node.order,
        0 if node.code else 1,
        parts,
        node.key,
    )


def framework_tree(nodes: dict[int, ResultsNode], mapped_ids: set[int]) -> tuple[TreeNode, ...]:
    """Return the mapped nodes with their ancestors as a tree, in order, then by code.

    Select each node's framework with it: the tree orders and names levels by it.
    """
    shown: set[int] = set()
    for node_id in mapped_ids:
        current = nodes.get(node_id)
        while current is not None and current.pk not in shown:
            shown.add(current.pk)
            current = nodes.get(current.parent_id)
    children: dict[int | None, list[ResultsNode]] = defaultdict(list)
    for node_id in shown:
        node = nodes[node_id]
        children[node.parent_id if node.parent_id in shown else None].append(node)

    def build(parent_id: int | None) -> tuple[TreeNode, ...]:
        return tuple(
            TreeNode(node=node, is_mapped=node.pk in mapped_ids, children=build(node.pk))
            for node in sorted(children[parent_id], key=_code_sort_key)
        )

    return build(None)


def _offices(strategy: Strategy) -> tuple:
    offices = list(Office.objects.filter(organisation_id=strategy.organisation_id))
    countries: dict[int, list[Office]] = defaultdict(list)
    for office in offices:
        if office.kind == OfficeKind.COUNTRY and office.regional_office_id:
            countries[office.regional_office_id].append(office)
    regions = tuple(
        RegionOffices(office=office, countries=tuple(countries[office.pk]))
        for office in offices
        if office.kind == OfficeKind.REGIONAL
    )
    others = tuple(
        office
        for office in offices
        if office.kind in (OfficeKind.SPECIAL_LIAISON, OfficeKind.UN_OFFICE)
        or (office.kind == OfficeKind.COUNTRY and not office.regional_office_id)
    )
    return regions, others


def strategy_overview(*, strategy: Strategy) -> StrategyOverview:
    """Gather the strategy overview: front page, priorities, framework, the other apps' panels
    (the budget, the risks: see `priorities.registry.overview_sections`), offices.
    """
    years = tuple(strategy.strategy_years.select_related("state_changed_by"))
    areas = list(
        strategy.priority_areas.annotate(indicator_count=Count("indicators")).order_by(
            "order", "number"
        )
    )
    links = list(
        PriorityAreaNode.objects.filter(priority_area__strategy=strategy).values_list(
            "priority_area_id", "node_id"
        )
    )
    nodes = {
        node.pk: node
        for node in ResultsNode.objects.filter(framework__organisation_id=strategy.organisation_id)
        .select_related("framework")
        .order_by("level", "key")
    }
    mapped: dict[int, set[int]] = defaultdict(set)
    for area_id, node_id in links:
        mapped[area_id].add(node_id)
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(priority_area__strategy=strategy)
        .select_related("strategy_year")
        .order_by("strategy_year__year")
    ):
        latest[assessment.priority_area_id] = assessment
    area_overviews = tuple(
        AreaOverview(
            area=area,
            tree=framework_tree(nodes, mapped[area.pk]),
            latest_assessment=latest.get(area.pk),
            indicator_count=area.indicator_count,
        )
        for area in areas
    )
    sections = tuple(
        ShownSection(section.template_name, section.build(strategy=strategy))
        for section in overview_sections
    )
    regions, other_offices = _offices(strategy)
    has_illustrative = any(a.is_illustrative for a in latest.values()) or any(
        getattr(section.data, "has_illustrative", False) for section in sections
    )
    return StrategyOverview(
        strategy=strategy,
        years=years,
        sdgs=tuple(strategy.sdgs.all()),
        key_figures=tuple(KeyFigure.objects.filter(organisation_id=strategy.organisation_id)),
        areas=area_overviews,
        sections=sections,
        regions=regions,
        other_offices=other_offices,
        has_illustrative=has_illustrative,
        chapters=chapter_headings(strategy.chapters.all()),
    )


# --- Priority areas and their indicators --------------------------------------------------------


@dataclass(frozen=True)
class YearAssessment:
    """A reporting year with the area's rating in it, if any."""

    strategy_year: StrategyYear
    assessment: Assessment | None


@dataclass(frozen=True)
class AreaPage:
    """What the priority area page shows besides its indicator table."""

    area: PriorityArea
    tree: tuple[TreeNode, ...]
    years: tuple[YearAssessment, ...]
    has_illustrative: bool


@dataclass(frozen=True)
class AreaRow:
    """A priority area in the list, with its rating in each year."""

    area: PriorityArea
    indicator_count: int
    ratings: tuple[Assessment | None, ...]


def priorityarea_get(
    *, strategy: Strategy, number: int | None = None, slug: str = ""
) -> PriorityArea:
    """Return the strategy's priority area by number, or a cross-cutting one by slug."""
    areas = PriorityArea.objects.select_related("strategy__organisation")
    if number is not None:
        return areas.get(strategy=strategy, number=number)
    return areas.get(strategy=strategy, slug=slug, number__isnull=True)


def priorityarea_page(*, area: PriorityArea, years: tuple[StrategyYear, ...]) -> AreaPage:
    """Gather a priority area's framework tree and its rating in each year."""
    mapped = set(area.node_links.values_list("node_id", flat=True))
    nodes = {}
    if mapped:
        nodes = {
            node.pk: node
            for node in ResultsNode.objects.filter(
                framework__organisation_id=area.strategy.organisation_id
            ).select_related("framework")
        }
    by_year = {
        assessment.strategy_year_id: assessment
        for assessment in Assessment.objects.filter(priority_area=area)
    }
    rows = tuple(YearAssessment(year, by_year.get(year.pk)) for year in years)
    return AreaPage(
        area=area,
        tree=framework_tree(nodes, mapped),
        years=rows,
        has_illustrative=any(a.is_illustrative for a in by_year.values()),
    )


def priorityarea_list(
    *, strategy: Strategy, years: tuple[StrategyYear, ...]
) -> tuple[AreaRow, ...]:
    """Return the strategy's priority areas with their indicator counts and yearly ratings."""
    areas = list(
        strategy.priority_areas.annotate(indicator_count=Count("indicators")).order_by(
            "order", "number"
        )
    )
    ratings = {
        (assessment.priority_area_id, assessment.strategy_year_id): assessment
        for assessment in Assessment.objects.filter(priority_area__strategy=strategy)
    }
    return tuple(
        AreaRow(
            area=area,
            indicator_count=area.indicator_count,
            ratings=tuple(ratings.get((area.pk, year.pk)) for year in years),
        )
        for area in areas
    )


def _progress_value(year: StrategyYear, field: str) -> Subquery:
    return Subquery(
        IndicatorProgress.objects.filter(indicator=OuterRef("pk"), strategy_year_id=year.pk)
        .order_by()
        .values(field)[:1]
    )


def indicator_list(
    *, priority_area: PriorityArea, years: tuple[StrategyYear, ...]
) -> QuerySet[Indicator]:
    """Return the area's indicators with target, actual, flag and evidence count per year.

    Each year's figures are annotated as `target_<year>`, `actual_<year>`,
    `illustrative_<year>` and `evidence_<year>`, so the table sorts by them in the database
    and renders without a query per row.
    """
    annotations = {}
    for year in years:
        annotations[f"target_{year.year}"] = _progress_value(year, "target")
        annotations[f"actual_{year.year}"] = _progress_value(year, "actual")
        annotations[f"illustrative_{year.year}"] = _progress_value(year, "is_illustrative")
        annotations[f"evidence_{year.year}"] = Coalesce(
            Subquery(
                Evidence.objects.filter(
                    progress__indicator=OuterRef("pk"), progress__strategy_year_id=year.pk
                )
                .order_by()
                .values("progress__indicator")
                .annotate(count=Count("pk"))
                .values("count")[:1]
            ),
            0,
        )
    return (
        Indicator.objects.filter(priority_area=priority_area)
        .select_related("node__framework")
        .annotate(**annotations)
        .order_by("order", "key")
    )


# --- A year's figures for an area, row by row -----------------------------------------------


@dataclass(frozen=True)
class IndicatorFigures:
    """An indicator with its figures for a year, its evidence and last year's actual."""

    indicator: Indicator
    progress: IndicatorProgress | None
    evidence: tuple[Evidence, ...]
    previous_year: int | None
    previous_actual: Decimal | None


@dataclass(frozen=True)
class AreaYearLink:
    """A priority area of the strategy, with how many of its indicators lack the year's actual."""

    area: PriorityArea
    indicator_count: int
    missing_actuals: int


def area_year_figures(
    *, area: PriorityArea, strategy_year: StrategyYear
) -> tuple[IndicatorFigures, ...]:
    """Return every indicator of `area` with its figures for `strategy_year`, in three queries.

    The previous year is the strategy's year before this one; the first year of a strategy
    has none, so its previous actual is left empty rather than borrowed from the baseline.
    """
    indicators = list(area.indicators.select_related("node").order_by("order", "key"))
    previous_year = strategy_year.year - 1
    progress = {}
    previous = {}
    for item in (
        IndicatorProgress.objects.filter(
            indicator__priority_area=area,
            strategy_year__strategy_id=strategy_year.strategy_id,
            strategy_year__year__in=(previous_year, strategy_year.year),
        )
        .select_related("strategy_year")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id"))
        )
    ):
        if item.strategy_year.year == strategy_year.year:
            progress[item.indicator_id] = item
        else:
            previous[item.indicator_id] = item.actual
    has_previous = previous_year >= area.strategy.start_year
    return tuple(
        IndicatorFigures(
            indicator=indicator,
            progress=progress.get(indicator.pk),
            evidence=tuple(progress[indicator.pk].evidence.all())
            if indicator.pk in progress
            else (),
            previous_year=previous_year if has_previous else None,
            previous_actual=previous.get(indicator.pk),
        )
        for indicator in indicators
    )


def area_year_links(*, strategy: Strategy, strategy_year: StrategyYear) -> tuple[AreaYearLink, ...]:
    """Return the strategy's priority areas, each with its defined indicators lacking an actual.

    Indicators still under development by the partner are not counted as missing: there is
    nothing yet to measure.
    """
    has_actual = Exists(
        IndicatorProgress.objects.filter(
            indicator=OuterRef("pk"), strategy_year=strategy_year, actual__isnull=False
        )
    )
    missing = (
        Indicator.objects.filter(priority_area=OuterRef("pk"), status=DefinitionStatus.DEFINED)
        .exclude(has_actual)
        .order_by()
        .values("priority_area")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )
    areas = strategy.priority_areas.annotate(
        indicator_count=Count("indicators"), missing_actuals=Coalesce(Subquery(missing), 0)
    ).order_by("order", "number")
    return tuple(
        AreaYearLink(
            area=area, indicator_count=area.indicator_count, missing_actuals=area.missing_actuals
        )
        for area in areas
    )


def year_in_progress(years: Iterable[StrategyYear], *, today: datetime.date) -> StrategyYear | None:
    """Return the year a desk officer logs now: this calendar year while it is a draft.

    Past the strategy's period it is the last year, while a draft; before the period, none.
    A year already submitted or approved is not in progress: nothing can be logged in it.
    """
    candidates = [year for year in years if year.year <= today.year]
    if not candidates:
        return None
    latest = max(candidates, key=lambda year: year.year)
    return latest if latest.is_open else None


# --- What is due -----------------------------------------------------------------------------
#
# Each app reads what it has due for a user into `DueItem`s and registers the reader in
# `priorities.registry.due_sources`; these helpers give every reader the same labels and links.


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


def strategy_url(strategy: Strategy, anchor: str = "") -> str:
    """Return the path of the strategy's overview, at `anchor` if given."""
    return link("priorities:strategy_detail", strategy.slug, anchor=anchor)


def last_whole_year(until: datetime.date) -> int:
    """Return the last calendar year that has ended by `until`."""
    return until.year if (until.month, until.day) == (12, 31) else until.year - 1


def visible_strategy_ids(user) -> QuerySet:
    """Return the ids of the strategies `user` may see today, as a subquery.

    Someone taken off a team keeps owning its records until they are handed over, but no
    longer sees them: their lists and feeds follow what they may see, not what they own.
    """
    return Strategy.objects.visible_to(user).values("pk")


def desk_strategy_ids(user) -> QuerySet:
    """Return the ids of the strategies on which `user` is a desk officer, as a subquery."""
    return TeamMembership.objects.filter(user=user, role=TeamRole.DESK_OFFICER).values(
        "strategy_id"
    )


def years_due(user, until: datetime.date) -> list[DueItem]:
    """Return the draft years that `user`, as a desk officer, must submit by `until`."""
    years = StrategyYear.objects.filter(
        strategy_id__in=desk_strategy_ids(user),
        state=YearState.DRAFT,
        year__lte=last_whole_year(until),
    ).select_related("strategy__organisation")
    return [
        DueItem(
            kind=DueKind.YEAR,
            item_id=year.pk,
            title=gettext("Submit the year %(year)s for approval") % {"year": year.year},
            due_on=datetime.date(year.year, 12, 31),
            strategy_title=year.strategy.title,
            strategy_label=strategy_label(year.strategy),
            url=strategy_url(year.strategy, "years"),
            detail=gettext("The year is still a draft."),
        )
        for year in years
    ]


def year_fulfilments(strategy_ids: Iterable[int]) -> list[Fulfilment]:
    """Return the approved years, which fulfil their milestones: one query for all strategies.

    The approval's date is the local day of the step; a year approved before its steps were
    dated counts from its last change. A reopened year is no longer approved, so it fulfils
    nothing until it is approved again.
    """
    years = StrategyYear.objects.filter(
        strategy_id__in=strategy_ids, state=YearState.APPROVED
    ).values_list("strategy_id", "strategy__slug", "year", "state_changed_at", "updated_at")
    return [
        Fulfilment(
            strategy_id=strategy_id,
            kind=YEAR_APPROVED_KIND,
            year=year,
            url=link("priorities:strategyyear_review", slug, year),
            label=_("Year approved"),
            done_on=timezone.localdate(changed_at or updated_at),
        )
        for strategy_id, slug, year, changed_at, updated_at in years
    ]


# --- The set-up checklist -----------------------------------------------------------------------

TEAM_ROLES_NEEDED = (TeamRole.DESK_OFFICER, TeamRole.FINANCIAL_OFFICER, TeamRole.MANAGER)


def organisation_match(*, name: str, acronym: str) -> Organisation | None:
    """Return the partner a one-pager names, by its full name or acronym, if it is known."""
    query = Q()
    if name.strip():
        query |= Q(name__iexact=name.strip())
    if acronym.strip():
        query |= Q(acronym__iexact=acronym.strip())
    if not query:
        return None
    return Organisation.objects.filter(query).order_by("name").first()


def strategy_setup_checklist(*, strategy: Strategy) -> list[SetupCheck]:
    """Return what the strategy still misses to be monitored, done or not, in set-up order.

    Two queries here, and one for each app that registers its own items in
    `priorities.registry.setup_checks` (the budget, the milestones).
    """
    flags = (
        Strategy.objects.filter(pk=strategy.pk)
        .annotate(
            has_plan=Exists(
                StrategyYear.objects.filter(strategy=OuterRef("pk")).filter(
                    Q(planned_commitment__isnull=False) | Q(planned_disbursement__isnull=False)
                )
            ),
            area_count=Subquery(
                PriorityArea.objects.filter(strategy=OuterRef("pk"))
                .order_by()
                .values("strategy")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            has_mapping=Exists(
                PriorityAreaNode.objects.filter(priority_area__strategy=OuterRef("pk"))
            ),
        )
        .values("has_plan", "area_count", "has_mapping")
        .get()
    )
    roles = set(
        TeamMembership.objects.filter(strategy=strategy, role__in=TEAM_ROLES_NEEDED)
        .values_list("role", flat=True)
        .distinct()
    )
    missing_roles = [
        TeamRole(role).label.lower() for role in TEAM_ROLES_NEEDED if role not in roles
    ]
    areas = flags["area_count"] or 0
    checks = [
        SetupCheck(
            gettext("Years"),
            flags["has_plan"],
            "priorities:strategyyear_setup",
            (
                gettext("%(count)s years, %(period)s")
                if flags["has_plan"]
                else gettext(
                    "%(count)s years, %(period)s: no planned commitment or disbursement yet"
                )
            )
            % {"count": strategy.duration_years, "period": strategy.period},
        ),
        SetupCheck(
            gettext("Priority areas"),
            bool(areas),
            "priorities:priorityarea_setup",
            ngettext("%(count)s priority area", "%(count)s priority areas", areas)
            % {"count": areas}
            if areas
            else gettext("None yet."),
        ),
        SetupCheck(
            gettext("Team"),
            not missing_roles,
            "priorities:team_setup",
            gettext("Desk officer, financial officer and manager on the team.")
            if not missing_roles
            else gettext("No %(roles)s yet.") % {"roles": gettext(", no ").join(missing_roles)},
        ),
        SetupCheck(
            gettext("Results framework"),
            flags["has_mapping"],
            "priorities:framework_setup",
            gettext("Priority areas follow nodes of the partner's framework.")
            if flags["has_mapping"]
            else gettext("No priority area follows a node of the partner's framework yet."),
        ),
    ]
    for source in setup_checks:
        checks.extend(source(strategy))
    # In the order the set-up is done; the labels are those of the active language.
    order = {
        str(label): position
        for position, label in enumerate(
            (
                gettext("Years"),
                gettext("Budget"),
                gettext("Priority areas"),
                gettext("Results framework"),
                gettext("Team"),
            )
        )
    }
    return sorted(checks, key=lambda check: order.get(check.label, 9))


# --- Each role's queue on "My tasks" --------------------------------------------------------
#
# Each app reads the work waiting for a role into plain rows; reports puts them on one page.
# Every reader takes a fixed number of queries, however many strategies the user follows.

QUEUE_ROLES = (
    TeamRole.MANAGER,
    TeamRole.DESK_OFFICER,
    TeamRole.FINANCIAL_OFFICER,
    TeamRole.MISSION_STAFF,
)


def queue_roles(*, user) -> tuple[str, ...]:
    """Return the roles whose work `user` has a queue for, in the order the page shows them.

    A user holds a role by being on a strategy's team in it; a member of the Manager group is
    a manager too, for the strategies whose team names no manager. Superusers and
    administrators hold what their team roles give them, so that their page stays their own.
    """
    if not user.is_authenticated:
        return ()
    held = set(user_team_roles(user))
    if user_in_manager_group(user):
        held.add(TeamRole.MANAGER)
    return tuple(role for role in QUEUE_ROLES if role in held)


def role_strategy_ids(*, user, role: str) -> QuerySet:
    """Return the ids of the strategies on which `user` works in `role`, as a subquery.

    A manager's strategies are those whose team names them manager and, for a member of the
    Manager group, those whose team names no manager at all: someone must approve their years.
    """
    own = TeamMembership.objects.filter(user=user, role=role).values("strategy_id")
    if role != TeamRole.MANAGER or not user_in_manager_group(user):
        return own
    unmanaged = Strategy.objects.exclude(
        Exists(TeamMembership.objects.filter(strategy=OuterRef("pk"), role=TeamRole.MANAGER))
    )
    return Strategy.objects.filter(Q(pk__in=own) | Q(pk__in=unmanaged.values("pk"))).values("pk")


@dataclass(frozen=True)
class SubmittedYearRow:
    """A year waiting for a manager's approval, with how complete it is."""

    strategy_label: str
    strategy_title: str
    year: int
    submitted_by: str
    submitted_at: datetime.datetime | None
    indicator_count: int
    indicators_with_actual: int
    area_count: int
    areas_rated: int
    url: str
    # The user submitted it: another manager must approve it.
    is_own: bool = False

    @property
    def completeness(self) -> str:
        """Return how complete the year is, e.g. "14 of 16 indicators with an actual, ..."."""
        indicators = ngettext(
            "%(done)s of %(count)s indicator with an actual",
            "%(done)s of %(count)s indicators with an actual",
            self.indicator_count,
        ) % {"done": self.indicators_with_actual, "count": self.indicator_count}
        areas = ngettext(
            "%(done)s of %(count)s area rated",
            "%(done)s of %(count)s areas rated",
            self.area_count,
        ) % {"done": self.areas_rated, "count": self.area_count}
        return f"{indicators}, {areas}"


@dataclass(frozen=True)
class ReturnedYearRow:
    """A year a manager sent back to draft, with the manager's reason in full."""

    strategy_label: str
    strategy_title: str
    year: int
    returned_by: str
    returned_at: datetime.datetime | None
    reason: str
    url: str


@dataclass(frozen=True)
class AreaYearRow:
    """A priority area in the year in progress: its indicators without an actual, its rating."""

    strategy_label: str
    strategy_title: str
    area_label: str
    year: int
    indicator_count: int
    missing_actual: int
    is_rated: bool
    figures_url: str
    rating_url: str


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """Return the number of rows of `queryset` (filtered on an outer row), as a subquery."""
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


def years_submitted_queue(*, user) -> list[SubmittedYearRow]:
    """Return the submitted years of the manager's strategies, oldest submission first."""
    years = (
        StrategyYear.objects.filter(
            strategy_id__in=role_strategy_ids(user=user, role=TeamRole.MANAGER),
            state=YearState.SUBMITTED,
        )
        .select_related("strategy__organisation", "state_changed_by")
        .annotate(
            indicator_count=_count(
                Indicator.objects.filter(
                    priority_area__strategy_id=OuterRef("strategy_id"),
                    status=DefinitionStatus.DEFINED,
                ),
                "priority_area__strategy_id",
            ),
            indicators_with_actual=_count(
                IndicatorProgress.objects.filter(
                    strategy_year_id=OuterRef("pk"),
                    actual__isnull=False,
                    indicator__status=DefinitionStatus.DEFINED,
                ),
                "strategy_year_id",
            ),
            area_count=_count(
                PriorityArea.objects.filter(strategy_id=OuterRef("strategy_id")), "strategy_id"
            ),
            areas_rated=_count(
                Assessment.objects.filter(strategy_year_id=OuterRef("pk")).exclude(
                    rating=Rating.NOT_ASSESSED
                ),
                "strategy_year_id",
            ),
        )
        .order_by("state_changed_at", "strategy__title", "year")
    )
    return [
        SubmittedYearRow(
            strategy_label=strategy_label(year.strategy),
            strategy_title=year.strategy.title,
            year=year.year,
            submitted_by=person_name(year.state_changed_by),
            submitted_at=year.state_changed_at,
            indicator_count=year.indicator_count,
            indicators_with_actual=year.indicators_with_actual,
            area_count=year.area_count,
            areas_rated=year.areas_rated,
            url=link("priorities:strategyyear_review", year.strategy.slug, year.year),
            is_own=year.state_changed_by_id == user.pk,
        )
        for year in years
    ]


def years_returned_queue(*, user) -> list[ReturnedYearRow]:
    """Return the desk officer's years that a manager sent back to draft, with the reason.

    A draft year that has changed state was returned (or reopened) by a manager: a year that
    was never submitted has no state change recorded.
    """
    years = (
        StrategyYear.objects.filter(
            strategy_id__in=desk_strategy_ids(user),
            state=YearState.DRAFT,
            state_changed_at__isnull=False,
        )
        .exclude(state_comment="")
        .select_related("strategy__organisation", "state_changed_by")
        .order_by("-state_changed_at", "strategy__title")
    )
    return [
        ReturnedYearRow(
            strategy_label=strategy_label(year.strategy),
            strategy_title=year.strategy.title,
            year=year.year,
            returned_by=person_name(year.state_changed_by),
            returned_at=year.state_changed_at,
            reason=year.state_comment,
            url=link("priorities:strategyyear_review", year.strategy.slug, year.year),
        )
        for year in years
    ]


def year_in_progress_filter(today: datetime.date) -> Q:
    """Return the condition on a `StrategyYear` that it is its strategy's year in progress.

    That is this calendar year inside the period, or the last year of a period that has ended;
    a strategy whose period has not begun has none.
    """
    return Q(strategy__start_year__lte=today.year) & (
        Q(year=today.year) | Q(strategy__end_year__lt=today.year, year=F("strategy__end_year"))
    )


def year_in_progress_queue(*, user, today: datetime.date) -> list[AreaYearRow]:
    """Return each priority area of the desk officer's strategies in the draft year in progress.

    Two queries: the years in progress, then the areas with their indicators' counts and
    whether the area is rated that year.
    """
    years = {
        year.strategy_id: year
        for year in StrategyYear.objects.filter(
            year_in_progress_filter(today),
            strategy_id__in=desk_strategy_ids(user),
            state=YearState.DRAFT,
        ).select_related("strategy__organisation")
    }
    if not years:
        return []
    year_ids = [year.pk for year in years.values()]
    areas = (
        PriorityArea.objects.filter(strategy_id__in=years)
        .annotate(
            indicator_count=Count(
                "indicators",
                filter=Q(indicators__status=DefinitionStatus.DEFINED),
                distinct=True,
            ),
            with_actual=Count(
                "indicators__progress",
                filter=Q(
                    indicators__status=DefinitionStatus.DEFINED,
                    indicators__progress__strategy_year_id__in=year_ids,
                    indicators__progress__actual__isnull=False,
                ),
                distinct=True,
            ),
            is_rated=Exists(
                Assessment.objects.filter(
                    priority_area=OuterRef("pk"), strategy_year_id__in=year_ids
                ).exclude(rating=Rating.NOT_ASSESSED)
            ),
        )
        .order_by("strategy__title", "strategy_id", "order", "number")
    )
    rows = []
    for area in areas:
        year = years[area.strategy_id]
        strategy = year.strategy
        rows.append(
            AreaYearRow(
                strategy_label=strategy_label(strategy),
                strategy_title=strategy.title,
                area_label=area.label,
                year=year.year,
                indicator_count=area.indicator_count,
                missing_actual=area.indicator_count - area.with_actual,
                is_rated=area.is_rated,
                figures_url=link(
                    "priorities:progress_bulk_edit", strategy.slug, area.pk, year.year
                ),
                rating_url=link("priorities:assessment_edit", strategy.slug, area.pk, year.year),
            )
        )
    return rows


def memberships_of(*, user) -> QuerySet[TeamMembership]:
    """Return the roles `user` holds on strategy teams, with their strategy."""
    return (
        TeamMembership.objects.filter(user=user)
        .select_related("strategy__organisation")
        .order_by("strategy__slug", "role")
    )


# --- Reviewing a year -----------------------------------------------------------------------------
#
# The review page shows a year at a glance before anyone decides on it: per priority area its
# rating and narrative beside its indicators' figures, what is missing, and the panels other apps
# add (the money of the year). The submission service reads the same gaps, so that what the page
# warns about is what the rule asks a reason for.

GAP_NO_RATING = "no_rating"
GAP_NO_ACTUAL = "no_actual"
GAP_NO_EVIDENCE = "no_evidence"


@dataclass(frozen=True)
class ReviewIndicator:
    """An indicator's figures as a year's review shows them."""

    indicator: Indicator
    previous_actual: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    evidence_count: int
    is_illustrative: bool

    @property
    def is_defined(self) -> bool:
        """Return whether the indicator is defined, so that a missing figure is a gap."""
        return self.indicator.status == DefinitionStatus.DEFINED


@dataclass(frozen=True)
class ReviewArea:
    """A priority area in a year's review: its rating and narrative, and its indicators."""

    area: PriorityArea
    assessment: Assessment | None
    indicators: tuple[ReviewIndicator, ...]
    url: str

    @property
    def is_rated(self) -> bool:
        return self.assessment is not None and self.assessment.rating != Rating.NOT_ASSESSED


@dataclass(frozen=True)
class ReviewGap:
    """Something missing from a year: what it is, and the page where it is put right."""

    kind: str
    text: str
    fix_url: str
    area_url: str


@dataclass(frozen=True)
class YearFigures:
    """A year's ratings and indicator figures per priority area, and what is missing."""

    strategy_year: StrategyYear
    areas: tuple[ReviewArea, ...]
    gaps: tuple[ReviewGap, ...]
    has_illustrative: bool

    @property
    def previous_year(self) -> int:
        return self.strategy_year.year - 1


@dataclass(frozen=True)
class YearReview:
    """Everything a year's review page shows above the decision."""

    figures: YearFigures
    sections: tuple[ShownSection, ...]
    has_illustrative: bool


def _area_path(area: PriorityArea, strategy: Strategy) -> str:
    if area.number is not None:
        return reverse("priorities:priorityarea_detail", args=[strategy.slug, area.number])
    return reverse("priorities:priorityarea_detail_by_slug", args=[strategy.slug, area.slug])


def _year_gaps(
    areas: tuple[ReviewArea, ...], strategy: Strategy, year: int
) -> tuple[ReviewGap, ...]:
    gaps = []
    for row in areas:
        # Short, as a list of many gaps reads best: the area's title is a click away.
        name = (
            gettext("Priority area %(number)s") % {"number": row.area.number}
            if row.area.number is not None
            else row.area.label
        )
        if not row.is_rated:
            gaps.append(
                ReviewGap(
                    GAP_NO_RATING,
                    gettext("%(area)s has no rating for %(year)s.") % {"area": name, "year": year},
                    reverse("priorities:assessment_edit", args=[strategy.slug, row.area.pk, year]),
                    row.url,
                )
            )
        for figures in row.indicators:
            if not figures.is_defined:
                continue
            title = " ".join(str(figures.indicator).split())
            fix_url = reverse(
                "priorities:progress_edit", args=[strategy.slug, figures.indicator.pk, year]
            )
            if figures.actual is None:
                gaps.append(
                    ReviewGap(
                        GAP_NO_ACTUAL,
                        gettext("%(area)s: “%(indicator)s” has no actual for %(year)s.")
                        % {"area": name, "indicator": title, "year": year},
                        fix_url,
                        row.url,
                    )
                )
            elif not figures.evidence_count:
                gaps.append(
                    ReviewGap(
                        GAP_NO_EVIDENCE,
                        gettext("%(area)s: the %(year)s actual of “%(indicator)s” has no evidence.")
                        % {"area": name, "indicator": title, "year": year},
                        fix_url,
                        row.url,
                    )
                )
    return tuple(gaps)


def year_figures(*, strategy_year: StrategyYear) -> YearFigures:
    """Gather a year's ratings, figures and gaps in four queries, however many areas it has."""
    strategy = strategy_year.strategy
    year = strategy_year.year
    areas = list(strategy.priority_areas.order_by("order", "number"))
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(priority_area__strategy=strategy).order_by(
        "order", "key"
    ):
        indicators[indicator.priority_area_id].append(indicator)
    # The year's figures and the year before's actuals: one query for both.
    current: dict[int, IndicatorProgress] = {}
    previous: dict[int, Decimal | None] = {}
    for progress in (
        IndicatorProgress.objects.filter(
            indicator__priority_area__strategy=strategy,
            strategy_year__strategy=strategy,
            strategy_year__year__in=(year - 1, year),
        )
        .annotate(evidence_count=Count("evidence"), year=F("strategy_year__year"))
        .order_by()
    ):
        if progress.year == year:
            current[progress.indicator_id] = progress
        else:
            previous[progress.indicator_id] = progress.actual
    assessments = {
        assessment.priority_area_id: assessment
        for assessment in Assessment.objects.filter(strategy_year=strategy_year)
    }
    rows = []
    for area in areas:
        figures = []
        for indicator in indicators[area.pk]:
            progress = current.get(indicator.pk)
            figures.append(
                ReviewIndicator(
                    indicator=indicator,
                    previous_actual=previous.get(indicator.pk),
                    target=progress.target if progress else None,
                    actual=progress.actual if progress else None,
                    evidence_count=progress.evidence_count if progress else 0,
                    is_illustrative=bool(progress and progress.is_illustrative),
                )
            )
        rows.append(
            ReviewArea(
                area=area,
                assessment=assessments.get(area.pk),
                indicators=tuple(figures),
                url=_area_path(area, strategy),
            )
        )
    areas_shown = tuple(rows)
    return YearFigures(
        strategy_year=strategy_year,
        areas=areas_shown,
        gaps=_year_gaps(areas_shown, strategy, year),
        has_illustrative=any(a.is_illustrative for a in assessments.values())
        or any(p.is_illustrative for p in current.values()),
    )


def year_gaps(*, strategy_year: StrategyYear) -> tuple[ReviewGap, ...]:
    """Return what is missing from a year: ratings, actuals, evidence for an actual."""
    return year_figures(strategy_year=strategy_year).gaps


def year_review(*, strategy_year: StrategyYear) -> YearReview:
    """Gather a year's review page: its figures and gaps, and the panels other apps add."""
    figures = year_figures(strategy_year=strategy_year)
    sections = tuple(
        ShownSection(section.template_name, section.build(strategy_year=strategy_year))
        for section in year_review_sections
    )
    return YearReview(
        figures=figures,
        sections=sections,
        has_illustrative=figures.has_illustrative
        or any(getattr(section.data, "has_illustrative", False) for section in sections),
    )

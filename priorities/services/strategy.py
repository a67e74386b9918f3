"""Set-up of strategies: the front page, years, priority areas and team."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from priorities.choices import PriorityKind, YearState
from priorities.models import (
    Organisation,
    PriorityArea,
    RelevantSDG,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from priorities.registry import year_data_checks
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_delete, recorded_save
from strategy_monitor.services import model_update

# --- Set-up: strategies and their years --------------------------------------------------------

STRATEGY_FIELDS = (
    "organisation",
    "title",
    "slug",
    "is_draft",
    "file_number",
    "responsible_unit",
    "start_year",
    "end_year",
    "finance_act_code",
    "desk_officer",
    "financial_officer",
    "stated_commitment_total",
    "stated_disbursement_total",
    "introduction",
    "overall_objective",
    "objective_text",
    "justification",
    "results_monitoring",
    "governance_involvement",
    "risks_summary",
    "lessons_learnt",
    "budget_text",
    "budget_note",
    "risks_text",
    "engagement_text",
    "partnership_agreement",
    "mid_term_review_year",
    "mid_term_review_half",
    "mid_term_review_scope",
    "source",
)


def organisation_create(
    *, name: str, acronym: str, iati_identifier: str = "", user
) -> Organisation:
    """Add a partner organisation by its name, acronym and IATI organisation identifier."""
    slug = slugify(acronym or name)[:50] or "partner"
    organisation = Organisation(
        name=name.strip(),
        acronym=acronym.strip(),
        slug=slug,
        iati_identifier=iati_identifier.strip(),
    )
    return recorded_save(organisation, user=user, reason="Added the partner")


def _year_has_data(strategy_year: StrategyYear) -> str:
    """Return what a year holds that keeps it from being dropped, or ""."""
    if strategy_year.state != YearState.DRAFT:
        return _("it is %(state)s") % {"state": strategy_year.get_state_display().lower()}
    checks = (
        (strategy_year.indicator_progress.exists(), _("indicator figures")),
        (strategy_year.assessments.exists(), _("ratings")),
        (
            strategy_year.planned_commitment is not None
            or strategy_year.planned_disbursement is not None,
            _("planned commitment or disbursement"),
        ),
    )
    held = [label for found, label in checks if found]
    # What the other apps hold in the year: the budget and the funding records, for one.
    held += [label for check in year_data_checks for label in check(strategy_year)]
    return _("it holds %(data)s") % {"data": ", ".join(held)} if held else ""


def _years_sync(strategy: Strategy, *, user) -> None:
    """Give the strategy a year row for each year of its period; drop only empty extra years."""
    existing = {
        year.year: year
        for year in StrategyYear.objects.select_for_update()
        .filter(strategy=strategy)
        .order_by("year")
    }
    for year, strategy_year in sorted(existing.items()):
        if year in strategy.years:
            continue
        held = _year_has_data(strategy_year)
        if held:
            field = "start_year" if year < strategy.start_year else "end_year"
            raise ValidationError(
                {
                    field: ValidationError(
                        _("%(year)s cannot leave the period: %(why)s.")
                        % {"year": year, "why": held},
                        code="year_has_data",
                    )
                }
            )
        recorded_delete(strategy_year, user=user, reason=f"Dropped {year} from the period")
    for year in strategy.years:
        if year not in existing:
            recorded_save(
                StrategyYear(strategy=strategy, year=year),
                user=user,
                reason=f"Added {year} to the period",
            )


def _sdgs_set(strategy: Strategy, goals: Iterable[int], *, user) -> None:
    wanted = {int(goal) for goal in goals}
    current = {sdg.goal: sdg for sdg in RelevantSDG.objects.filter(strategy=strategy)}
    for goal, sdg in current.items():
        if goal not in wanted:
            recorded_delete(sdg, user=user, reason=f"Removed SDG {goal}")
    for goal in sorted(wanted - set(current)):
        recorded_save(
            RelevantSDG(strategy=strategy, goal=goal), user=user, reason=f"Added SDG {goal}"
        )


# Paths under strategies/ that are pages, so a strategy's slug must not take them.
RESERVED_SLUGS = {"new", "import"}


def _slug_check(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": ValidationError(
                    f"“{slug}” is reserved; choose another slug, e.g. unhcr-2024-2027.",
                    code="reserved_slug",
                )
            }
        )


def strategy_create(*, user, sdgs: Iterable[int] = (), **values) -> Strategy:
    """Create a strategy from its front page, with a reporting year for each year of its period."""
    _slug_check(values.get("slug", ""))
    with transaction.atomic():
        strategy = Strategy(**{name: values[name] for name in STRATEGY_FIELDS if name in values})
        recorded_save(strategy, user=user, reason="Set up the strategy")
        _years_sync(strategy, user=user)
        _sdgs_set(strategy, sdgs, user=user)
    return strategy


def strategy_update(
    *, strategy: Strategy, version: str | None, user, sdgs: Iterable[int] | None = None, **values
) -> Strategy:
    """Change a strategy's front page; a changed period adds years and drops only empty ones."""
    _slug_check(values.get("slug", strategy.slug))
    with transaction.atomic():
        lock_unchanged(strategy, version)
        model_update(instance=strategy, fields=STRATEGY_FIELDS, data=values)
        recorded_save(strategy, user=user, reason="Changed the front page")
        _years_sync(strategy, user=user)
        if sdgs is not None:
            _sdgs_set(strategy, sdgs, user=user)
    return strategy


def strategy_year_update(
    *,
    strategy_year: StrategyYear,
    planned_commitment: Decimal | None,
    planned_disbursement: Decimal | None,
    version: str | None,
    user,
) -> StrategyYear:
    """Change a year's planned commitment and disbursement (front page)."""
    with transaction.atomic():
        lock_unchanged(strategy_year, version)
        strategy_year.planned_commitment = planned_commitment
        strategy_year.planned_disbursement = planned_disbursement
        recorded_save(strategy_year, user=user, reason=f"Changed the plan for {strategy_year.year}")
    return strategy_year


# --- Set-up: priority areas, team, budget ------------------------------------------------------

AREA_FIELDS = (
    "kind",
    "number",
    "slug",
    "title",
    "front_page_title",
    "key_result",
    "text",
    "monitoring_note",
    "framework_under_development",
    "indicators_under_development",
    "order",
)


def priorityarea_save(
    *,
    strategy: Strategy,
    area: PriorityArea | None = None,
    version: str | None = None,
    user,
    **values,
) -> PriorityArea:
    """Add a priority area to a strategy or change one; numbered areas take their number as slug."""
    with transaction.atomic():
        if area is None:
            area = PriorityArea(strategy=strategy)
        else:
            lock_unchanged(area, version)
        model_update(instance=area, fields=AREA_FIELDS, data=values)
        if area.kind == PriorityKind.CROSS_CUTTING:
            area.number = None
        if not area.slug:
            area.slug = str(area.number) if area.number else slugify(area.title)[:60]
        if not area.order:
            area.order = area.number or 99
        recorded_save(area, user=user, reason="Set up the priority area")
    return area


def priorityarea_delete(*, area: PriorityArea, user) -> None:
    """Remove a priority area that has no indicators, ratings or mapped nodes yet."""
    with transaction.atomic():
        if area.indicators.exists() or area.assessments.exists():
            raise ValidationError(
                f"{area.label} has indicators or ratings, so it cannot be removed.",
                code="area_has_data",
            )
        for link in area.node_links.all():
            recorded_delete(link, user=user, reason="Removed with its priority area")
        recorded_delete(area, user=user, reason="Removed the priority area")


def teammembership_add(*, strategy: Strategy, member, role: str, user) -> TeamMembership:
    """Put a user on the strategy's team in a role."""
    membership = TeamMembership(strategy=strategy, user=member, role=role)
    return recorded_save(membership, user=user, reason=f"Added {member.username} to the team")


def teammembership_save(
    *,
    strategy: Strategy,
    membership: TeamMembership | None,
    member,
    role: str,
    version: str | None = None,
    user,
) -> TeamMembership:
    """Put a user on the team in a role, or change who or in which role a row of the team is."""
    if membership is None:
        return teammembership_add(strategy=strategy, member=member, role=role, user=user)
    with transaction.atomic():
        lock_unchanged(membership, version)
        membership.user = member
        membership.role = role
        return recorded_save(
            membership, user=user, reason=f"Changed {member.username}'s role on the team"
        )


def teammembership_remove(*, membership: TeamMembership, user, version: str | None = None) -> None:
    """Take a user off the strategy's team in one role."""
    with transaction.atomic():
        lock_unchanged(membership, version)
        recorded_delete(
            membership, user=user, reason=f"Removed {membership.user.username} from the team"
        )

"""Allocation rounds: the proposals, the region each counts towards and the share for Africa."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from funding.choices import Decision
from funding.models import Allocation, AllocationRound
from funding.querysets import ZERO
from priorities import permissions
from priorities.choices import DueKind, OfficeKind
from priorities.models import Office
from priorities.registry import DueItem
from priorities.selectors import link, strategy_label, strategy_url

from ._common import _norm, percent
from .totals import approved_allocation_total, planned_amount

# "Africa" for the softly earmarked funds: offices under the regional offices whose region
# (as the partner's organisational chart names it) is African, plus the liaison office at the
# seat of the African Union. Middle East and North Africa mixes African and Middle Eastern
# countries, so it is counted apart and shown on its own line, never inside Africa.
AFRICAN_REGIONS = ("West and Central Africa", "Southern Africa", "East and the Horn of Africa")
AFRICAN_LIAISON_OFFICES = ("Addis Ababa",)
SEPARATE_REGIONS = ("Middle East and North Africa",)
AFRICA_DEFINITION = format_lazy(
    gettext_lazy(
        "Africa means offices under the regional offices for {regions} and {last_region}, plus "
        "the Special Liaison Office in {liaison}. {separate} mixes African and Middle Eastern "
        "countries and is shown on its own line, outside Africa."
    ),
    regions=", ".join(AFRICAN_REGIONS[:-1]),
    last_region=AFRICAN_REGIONS[-1],
    liaison=" and ".join(AFRICAN_LIAISON_OFFICES),
    separate=" and ".join(SEPARATE_REGIONS),
)


@dataclass(frozen=True)
class Region:
    """Where an allocation goes: a region of the partner's offices, and whether it is Africa."""

    label: str
    group: str  # "africa", "separate", "other" or "none"
    order: int = 0

    @property
    def is_africa(self) -> bool:
        return self.group == "africa"


NO_OFFICE = Region(gettext_lazy("No office given"), "none", 900)
OTHER_OFFICES = Region(gettext_lazy("Other offices (no region)"), "other", 800)


def liaison_label(office: Office) -> str:
    """Return the region label of a special liaison office: the office by name."""
    return _("Special Liaison Office, %(name)s") % {"name": office.name}


def office_region(office: Office | None) -> Region:
    """Return the region an office's allocations count towards, by the definition above."""
    if office is None:
        return Region(str(NO_OFFICE.label), NO_OFFICE.group, NO_OFFICE.order)
    if office.kind == OfficeKind.SPECIAL_LIAISON:
        if _norm(office.name) in {_norm(name) for name in AFRICAN_LIAISON_OFFICES}:
            return Region(liaison_label(office), "africa", 100)
        return Region(liaison_label(office), "other", 700)
    regional = office if office.kind == OfficeKind.REGIONAL else office.regional_office
    if regional is None:
        return Region(str(OTHER_OFFICES.label), OTHER_OFFICES.group, OTHER_OFFICES.order)
    label = regional.region or _("Regional office %(name)s") % {"name": regional.name}
    if _norm(label) in {_norm(name) for name in AFRICAN_REGIONS}:
        return Region(label, "africa", 10 + regional.order)
    if _norm(label) in {_norm(name) for name in SEPARATE_REGIONS}:
        return Region(label, "separate", 200 + regional.order)
    return Region(label, "other", 300 + regional.order)


@dataclass(frozen=True)
class AllocationRow:
    """A proposed allocation with the region it counts towards."""

    allocation: Allocation
    region: Region


@dataclass(frozen=True)
class RegionTotal:
    """What is proposed and approved for one region in a round."""

    region: Region
    proposed: Decimal
    approved: Decimal


@dataclass(frozen=True)
class RoundSummary:
    """An allocation round: its proposals, their totals, the year's room and the Africa share."""

    round: AllocationRound
    rows: tuple[AllocationRow, ...]
    proposed: Decimal
    approved: Decimal
    rejected: Decimal
    pending: Decimal
    year_planned: Decimal | None
    year_approved: Decimal
    regions: tuple[RegionTotal, ...]
    africa_proposed: Decimal
    africa_approved: Decimal
    separate: tuple[RegionTotal, ...]
    has_illustrative: bool
    africa_definition: str = AFRICA_DEFINITION

    @property
    def year_room(self) -> Decimal | None:
        """Return what the year's line may still approve."""
        return None if self.year_planned is None else self.year_planned - self.year_approved

    @property
    def africa_share_of_approved(self) -> Decimal | None:
        return percent(self.africa_approved, self.approved)

    @property
    def africa_share_of_proposed(self) -> Decimal | None:
        return percent(self.africa_proposed, self.proposed)


def _separate_regions(regions: tuple[RegionTotal, ...]) -> tuple[RegionTotal, ...]:
    # Show every region counted apart, with zero where the round proposes nothing there.
    present = {
        _norm(item.region.label): item for item in regions if item.region.group == "separate"
    }
    return tuple(
        present.get(_norm(label))
        or RegionTotal(region=Region(label, "separate"), proposed=ZERO, approved=ZERO)
        for label in SEPARATE_REGIONS
    )


def allocation_list(*, allocation_round: AllocationRound) -> QuerySet[Allocation]:
    """Return the proposals of a round with their office, its regional office and decider."""
    return (
        Allocation.objects.filter(round=allocation_round)
        .select_related("office", "office__regional_office", "decided_by")
        .order_by("pk")
    )


def allocationround_summary(*, allocation_round: AllocationRound) -> RoundSummary:
    """Gather a round's page in three queries, however many proposals it holds."""
    allocations = list(allocation_list(allocation_round=allocation_round))
    rows = tuple(AllocationRow(allocation=a, region=office_region(a.office)) for a in allocations)

    def total(decision: str | None = None, group: str | None = None) -> Decimal:
        return sum(
            (
                row.allocation.amount
                for row in rows
                if (decision is None or row.allocation.decision == decision)
                and (group is None or row.region.group == group)
            ),
            ZERO,
        )

    by_region: dict[Region, list[Allocation]] = defaultdict(list)
    for row in rows:
        by_region[row.region].append(row.allocation)
    regions = tuple(
        RegionTotal(
            region=region,
            proposed=sum((a.amount for a in items), ZERO),
            approved=sum((a.amount for a in items if a.decision == Decision.APPROVED), ZERO),
        )
        for region, items in sorted(by_region.items(), key=lambda item: item[0].order)
    )
    line = allocation_round.line
    return RoundSummary(
        round=allocation_round,
        rows=rows,
        proposed=total(),
        approved=total(Decision.APPROVED),
        rejected=total(Decision.REJECTED),
        pending=total(Decision.PENDING),
        year_planned=planned_amount(line=line, year=allocation_round.year),
        year_approved=approved_allocation_total(line=line, year=allocation_round.year),
        regions=regions,
        africa_proposed=total(group="africa"),
        africa_approved=total(Decision.APPROVED, group="africa"),
        separate=_separate_regions(regions),
        has_illustrative=allocation_round.is_illustrative
        or any(a.is_illustrative for a in allocations),
    )


def half_year_end(year: int, half: int) -> datetime.date:
    """Return the last day of the first or second half of `year`."""
    return datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)


def allocation_rounds_due(user, until: datetime.date) -> list[DueItem]:
    """Return the allocation rounds awaiting a manager's decision by `until`; none for others."""
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
                title=_("Decide on the allocations of the %(half)s of %(year)s")
                % {
                    "half": allocation_round.get_half_display().lower(),
                    "year": allocation_round.year,
                },
                due_on=due_on,
                strategy_title=strategy.title,
                strategy_label=strategy_label(strategy),
                url=link(
                    "funding:allocationround_detail",
                    strategy.slug,
                    allocation_round.pk,
                    fallback=strategy_url(strategy),
                ),
                detail=ngettext(
                    "%(count)s allocation awaiting a decision.",
                    "%(count)s allocations awaiting a decision.",
                    pending,
                )
                % {"count": pending},
                is_illustrative=allocation_round.is_illustrative,
            )
        )
    return items

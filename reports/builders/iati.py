"""The IATI activity: the Danish contribution under one strategy, as IATI publishes it."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from priorities.choices import DefinitionStatus
from priorities.models import Indicator, IndicatorProgress, Strategy

# Denmark's Ministry of Foreign Affairs as IATI knows it: its CVR number, a government body.
REPORTING_ORG_REF = "DK-CVR-43271911"
REPORTING_ORG_NAME = "Ministry of Foreign Affairs of Denmark"
REPORTING_ORG_TYPE = "10"
PARTNER_REF_MISSING = (
    "{partner} has no IATI organisation identifier: the file names the partner without a "
    "reference. Add the identifier to the partner's record."
)
# DAC aid type (vocabulary 1) and earmarking category (vocabulary 2) of each kind of line.
AID_TYPES = {
    "core": ("B02", "1"),
    "soft_earmarked": ("B03", "2"),
    "earmarked": ("B03", "3"),
    "personnel": ("D01", ""),
    "other": ("C01", ""),
}
# IATI forbids / & | ? in an activity identifier and advises against spaces; a file number
# written "24/39059" or "2023 - 14870" becomes 24-39059 or 2023-14870.
IDENTIFIER_UNSAFE = re.compile(r"[/&|?\s]+")
IDENTIFIER_RULE = re.compile(r"^[^/&|?\s]+$")
# OtherIdentifierType A1: the reporting organisation's own identifier of the activity.
OTHER_IDENTIFIER_INTERNAL = "A1"


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
    file_number: str = ""  # as printed; published as the ministry's own identifier

    @property
    def partner_ref_missing(self) -> str:
        """Return the warning to give when the partner has no IATI identifier, else ""."""
        if self.partner_ref:
            return ""
        return PARTNER_REF_MISSING.format(partner=self.partner_name)


def activity_identifier(
    *, file_number: str, slug: str, reporting_ref: str = REPORTING_ORG_REF
) -> str:
    """Return the IATI identifier of a strategy: the ministry's reference and its file number.

    Characters IATI does not allow are replaced by hyphens; without a usable file number the
    strategy's slug stands in.
    """
    reference = IDENTIFIER_UNSAFE.sub("-", file_number or "").strip("-")
    reference = re.sub(r"-{2,}", "-", reference)
    return f"{reporting_ref}-{reference or slug}"


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
    return IatiActivity(
        identifier=activity_identifier(file_number=strategy.file_number, slug=strategy.slug),
        file_number=strategy.file_number.strip(),
        title=strategy.title,
        description=strategy.overall_objective or strategy.title,
        partner_name=organisation.name,
        partner_ref=organisation.iati_identifier,
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

"""The managers' portfolio: the strategies a user may see, their money, risks and ratings."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery

from engagement.choices import ActionStatus
from engagement.models import ActionPoint
from funding.choices import Currency
from funding.models import Commitment, Disbursement, ParliamentaryApproval, PlannedAmount
from funding.querysets import ZERO, decimal_sum
from funding.selectors import BudgetCell, cell_sum
from priorities.choices import YearState
from priorities.models import Organisation, Strategy, StrategyYear
from priorities.selectors import strategy_label
from reports import charts

from .shared import (
    BANDS,
    DueRef,
    RatingMatrix,
    RiskSummary,
    _next_milestones,
    _open_milestones,
    _overdue_actions,
    _rating_matrix,
    _risk_counts,
    _risk_summary,
)

STRATEGIES_PER_PAGE = 10
HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class PortfolioChoices:
    """What the portfolio's filters offer: the partners and years of the visible strategies."""

    partners: tuple[tuple[str, str], ...]
    years: tuple[int, ...]


def portfolio_choices(*, user) -> PortfolioChoices:
    """Return the partners and years the user's strategies cover, in two queries."""
    visible = Strategy.objects.visible_to(user)
    partners = tuple(
        Organisation.objects.filter(pk__in=visible.values("organisation_id"))
        .order_by("name")
        .values_list("slug", "name")
    )
    span = Strategy.objects.filter(pk__in=visible.values("pk")).aggregate(
        first=Min("start_year"), last=Max("end_year")
    )
    years = ()
    if span["first"] is not None:
        years = tuple(range(span["first"], span["last"] + 1))
    return PortfolioChoices(partners=partners, years=years)


@dataclass(frozen=True)
class StrategyCard:
    """One strategy in the portfolio: who, when, the reference year's state and money, risks."""

    slug: str
    title: str
    label: str
    partner: str
    partner_acronym: str
    period: str
    is_draft: bool
    runs_in_year: bool
    year_state: str
    year_state_label: str
    money: BudgetCell
    risks: RiskSummary
    overdue_actions: int
    next_milestone: str
    next_milestone_on: datetime.date | None
    next_milestone_illustrative: bool

    @property
    def bar_scale(self) -> Decimal:
        """Return the largest of the four amounts, which the money bars are drawn against."""
        amounts = [self.money.planned, self.money.approved, self.money.committed]
        return max([a for a in amounts if a] + [self.money.disbursed, ZERO])

    def bar_share(self, amount: Decimal | None) -> Decimal:
        """Return `amount` as a share of the bar scale, in per cent (0 when there is none)."""
        scale = self.bar_scale
        if not amount or not scale:
            return ZERO
        return (amount * HUNDRED / scale).quantize(ONE_DECIMAL)

    @property
    def bars(self) -> tuple[tuple[str, str, Decimal | None, Decimal], ...]:
        """Return (measure, label, amount, share of scale) for the four money bars."""
        return tuple(
            (
                attribute,
                attribute.capitalize(),
                getattr(self.money, attribute),
                self.bar_share(getattr(self.money, attribute)),
            )
            for attribute, _, _, _ in charts.MONEY_MEASURES
        )


@dataclass(frozen=True)
class Portfolio:
    """The managers' portfolio: the strategies a user may see, their money, risks and ratings."""

    year: int
    year_filtered: bool
    partner: str
    today: datetime.date
    strategy_count: int
    page_number: int
    page_count: int
    cards: tuple[StrategyCard, ...]
    money_years: tuple[int, ...]
    money_by_year: tuple[BudgetCell, ...]
    money_in_year: BudgetCell
    risks: RiskSummary
    ratings: RatingMatrix
    overdue_action_count: int
    overdue_actions: tuple[DueRef, ...]
    milestones: tuple[DueRef, ...]

    @property
    def has_previous(self) -> bool:
        return self.page_number > 1

    @property
    def has_next(self) -> bool:
        return self.page_number < self.page_count

    @property
    def money_rows(self) -> tuple[tuple[int, BudgetCell], ...]:
        """Return (year, money of all strategies shown) for the money table."""
        return tuple(zip(self.money_years, self.money_by_year, strict=True))

    @property
    def money_is_illustrative(self) -> bool:
        return any(cell.is_illustrative for cell in self.money_by_year)

    @property
    def has_illustrative(self) -> bool:
        return (
            self.money_is_illustrative
            or self.money_in_year.is_illustrative
            or bool(self.risks.illustrative)
            or self.ratings.has_illustrative
            or any(card.money.is_illustrative for card in self.cards)
            or any(item.is_illustrative for item in (*self.overdue_actions, *self.milestones))
        )


def _money_rows(model, strategy_ids) -> dict[tuple[int, int], dict]:
    """Return the DKK amounts of `model` summed per (strategy, year), in one query."""
    rows = model.objects.filter(
        line__strategy_id__in=strategy_ids, line__currency=Currency.DKK
    ).order_by()
    rows = rows.values("line__strategy_id", "year")
    if model is PlannedAmount:
        rows = rows.annotate(total=decimal_sum())
    else:
        rows = rows.annotate(
            total=decimal_sum(), illustrative=Count("pk", filter=Q(is_illustrative=True))
        )
    return {(row["line__strategy_id"], row["year"]): row for row in rows}


def _money_cells(strategy_ids) -> dict[tuple[int, int], BudgetCell]:
    """Return planned, approved, committed and disbursed DKK per (strategy, year): 4 queries."""
    planned = _money_rows(PlannedAmount, strategy_ids)
    approved = _money_rows(ParliamentaryApproval, strategy_ids)
    committed = _money_rows(Commitment, strategy_ids)
    disbursed = _money_rows(Disbursement, strategy_ids)
    cells = {}
    for key in {*planned, *approved, *committed, *disbursed}:
        recorded = [approved.get(key), committed.get(key), disbursed.get(key)]
        cells[key] = BudgetCell(
            planned=planned[key]["total"] if key in planned else None,
            approved=approved[key]["total"] if key in approved else None,
            committed=committed[key]["total"] if key in committed else ZERO,
            disbursed=disbursed[key]["total"] if key in disbursed else ZERO,
            is_illustrative=any(row and row["illustrative"] for row in recorded),
            approved_is_illustrative=bool(approved.get(key, {}).get("illustrative")),
            committed_is_illustrative=bool(committed.get(key, {}).get("illustrative")),
            disbursed_is_illustrative=bool(disbursed.get(key, {}).get("illustrative")),
            year=key[1],
        )
    return cells


def _visible_strategies(user, *, partner: str = "", year: int | None = None) -> QuerySet:
    strategies = Strategy.objects.visible_to(user)
    if partner:
        strategies = strategies.filter(organisation__slug=partner)
    if year:
        strategies = strategies.filter(start_year__lte=year, end_year__gte=year)
    return strategies


def portfolio_build(
    *,
    user,
    today: datetime.date,
    year: int | None = None,
    partner: str = "",
    page: int | str = 1,
    per_page: int = STRATEGIES_PER_PAGE,
) -> Portfolio:
    """Gather the portfolio of the strategies `user` may see, in fifteen queries and one per
    source of the milestones to come (`engagement.selectors.milestone_fulfilled_ids`).

    `year` narrows the strategies to those running in it and is the year whose state and money
    each strategy shows (this year when not given); `partner` narrows them to one partner's.
    The money by year and the risk counts cover every strategy the filters keep; the cards and
    the rating matrix cover one page of strategies.
    """
    reference_year = year or today.year
    strategies = _visible_strategies(user, partner=partner, year=year)
    strategy_ids = strategies.values("pk")
    # Still to come: neither closed by hand nor fulfilled by a record (a consultation logged).
    to_come = _open_milestones(Q(strategy_id__in=strategy_ids), today)
    next_milestones = to_come.filter(strategy=OuterRef("pk")).order_by("due_on", "pk")
    listing = (
        strategies.select_related("organisation")
        .annotate(
            year_state=Subquery(
                StrategyYear.objects.filter(strategy=OuterRef("pk"), year=reference_year).values(
                    "state"
                )[:1]
            ),
            next_milestone=Subquery(next_milestones.values("title")[:1]),
            next_milestone_on=Subquery(next_milestones.values("due_on")[:1]),
            next_milestone_illustrative=Subquery(next_milestones.values("is_illustrative")[:1]),
        )
        .order_by("organisation__name", "-start_year", "title", "pk")
    )
    page_obj = Paginator(listing, per_page).get_page(page)
    page_strategies = list(page_obj.object_list)

    money = _money_cells(strategy_ids)
    risk_counts = _risk_counts(strategy_ids)
    overdue = {
        row["strategy_id"]: row["count"]
        for row in ActionPoint.objects.filter(
            strategy_id__in=strategy_ids, status=ActionStatus.OPEN, due_on__lt=today
        )
        .order_by()
        .values("strategy_id")
        .annotate(count=Count("pk"))
    }
    in_filter = Q(strategy_id__in=strategy_ids)
    overdue_actions = _overdue_actions(in_filter, today)
    milestones = _next_milestones(in_filter, today, to_come)
    periods = {s.pk: (s.start_year, s.end_year, strategy_label(s)) for s in page_strategies}
    ratings = _rating_matrix([s.pk for s in page_strategies], periods)

    states = dict(YearState.choices)
    cards = []
    for strategy in page_strategies:
        runs = strategy.start_year <= reference_year <= strategy.end_year
        cards.append(
            StrategyCard(
                slug=strategy.slug,
                title=strategy.title,
                label=strategy_label(strategy),
                partner=strategy.organisation.name,
                partner_acronym=strategy.organisation.acronym,
                period=strategy.period,
                is_draft=strategy.is_draft,
                runs_in_year=runs,
                year_state=strategy.year_state or "",
                year_state_label=states.get(strategy.year_state, ""),
                money=money.get((strategy.pk, reference_year), BudgetCell(year=reference_year)),
                risks=_risk_summary(risk_counts.get(strategy.pk)),
                overdue_actions=overdue.get(strategy.pk, 0),
                next_milestone=strategy.next_milestone or "",
                next_milestone_on=strategy.next_milestone_on,
                next_milestone_illustrative=bool(strategy.next_milestone_illustrative),
            )
        )

    money_years = tuple(sorted({y for _, y in money}))
    money_by_year = tuple(
        cell_sum(cell for (_, y), cell in money.items() if y == each) for each in money_years
    )
    totals: dict[str, int] = defaultdict(int)
    for counts in risk_counts.values():
        for name in ("open", "illustrative", *BANDS):
            totals[name] += counts[name]
    return Portfolio(
        year=reference_year,
        year_filtered=bool(year),
        partner=partner,
        today=today,
        strategy_count=page_obj.paginator.count,
        page_number=page_obj.number,
        page_count=page_obj.paginator.num_pages,
        cards=tuple(cards),
        money_years=money_years,
        money_by_year=money_by_year,
        money_in_year=cell_sum(cell for (_, y), cell in money.items() if y == reference_year),
        risks=_risk_summary(totals),
        ratings=ratings,
        overdue_action_count=sum(overdue.values()),
        overdue_actions=overdue_actions,
        milestones=milestones,
    )

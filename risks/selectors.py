"""Reads for the risk register: the list, the counts, one risk's history and the heat map."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from priorities.choices import DueKind, TeamRole
from priorities.models import PriorityArea, Strategy
from priorities.registry import DueItem
from priorities.selectors import (
    desk_strategy_ids,
    link,
    role_strategy_ids,
    strategy_label,
    strategy_url,
    visible_strategy_ids,
)
from risks.choices import RATING_MAX, RATING_MIN, RiskStatus, ScoreBand, score_band
from risks.models import Risk, RiskRating
from strategy_monitor.formats import person_name

RATING_SCALE = tuple(range(RATING_MIN, RATING_MAX + 1))


def risk_list(*, strategy: Strategy, filters: dict | None = None) -> QuerySet[Risk]:
    """Return the risks of `strategy` with what the register shows, in document order."""
    return (
        Risk.objects.filter(strategy=strategy)
        .select_related("strategy", "owner")
        .filter(**(filters or {}))
        .order_by("order", "key")
    )


RATING_FIELDS = (
    "likelihood",
    "impact",
    "score",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_justification",
)


def risk_rating_as_of(*, risk: Risk, as_of: datetime.date) -> None:
    """Give `risk`, in memory only, the rating it had on `as_of`; never save it afterwards.

    The rating of a date is the latest re-rating dated on or before it. A risk re-rated only
    later was not yet rated then. A risk with no re-rating at all keeps its own rating, the only
    one it has. Reads `risk.ratings.all()`, so prefetch the ratings when rating many risks.
    """
    ratings = sorted(risk.ratings.all(), key=lambda rating: (rating.rated_on, rating.pk))
    if not ratings:
        return
    dated = [rating for rating in ratings if rating.rated_on <= as_of]
    current = dated[-1] if dated else None
    for name in RATING_FIELDS:
        setattr(risk, name, getattr(current, name) if current else None)
    risk.residual_justification = risk.residual_justification or ""
    risk.rating_is_illustrative = bool(current and current.is_illustrative)


def risk_categories_set_by(*, strategy: Strategy, reason: str) -> set[int]:
    """Return the ids of the risks whose category was last set by a change recorded as `reason`.

    One query over the change log, however many risks the strategy holds.
    """
    setters: dict[int, str] = {}
    categories: dict[int, str] = {}
    changes = (
        Risk.history.filter(strategy_id=strategy.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "category", "history_change_reason")
    )
    for risk_id, category, change_reason in changes:
        if categories.get(risk_id) != category:
            categories[risk_id] = category
            setters[risk_id] = change_reason or ""
    return {
        risk_id for risk_id, setter in setters.items() if setter == reason and categories[risk_id]
    }


def risk_list_as_of(*, strategy: Strategy, as_of: datetime.date) -> list[Risk]:
    """Return the risks of `strategy` in document order, each rated as it was on `as_of`."""
    risks = list(risk_list(strategy=strategy).prefetch_related("ratings"))
    for risk in risks:
        risk_rating_as_of(risk=risk, as_of=as_of)
    return risks


@dataclass(frozen=True)
class RiskCounts:
    """How many risks a register holds, by band; unrated risks are counted apart, never as 0."""

    open: int
    closed: int
    overdue: int
    illustrative: int
    by_band: tuple[tuple[ScoreBand, int], ...]

    @property
    def unrated(self) -> int:
        """Return the number of open risks not yet rated."""
        return dict(self.by_band)[ScoreBand.UNRATED]

    @property
    def rated(self) -> int:
        """Return the number of open risks with an inherent rating."""
        return self.open - self.unrated


def risk_counts(*, strategy: Strategy, today: datetime.date | None = None) -> RiskCounts:
    """Count the open risks of `strategy` by band, with closed and overdue ones, in one query."""
    today = today or timezone.localdate()
    counts = Risk.objects.filter(strategy=strategy).band_counts(today)
    bands = (
        ScoreBand.CRITICAL,
        ScoreBand.HIGH,
        ScoreBand.MEDIUM,
        ScoreBand.LOW,
        ScoreBand.UNRATED,
    )
    return RiskCounts(
        open=counts["open"],
        closed=counts["closed"],
        overdue=counts["overdue"],
        illustrative=counts["illustrative"],
        by_band=tuple((band, counts[band]) for band in bands),
    )


@dataclass(frozen=True)
class RiskPage:
    """One risk with its priority areas, its re-ratings (newest first) and its change log."""

    risk: Risk
    priority_areas: tuple[PriorityArea, ...]
    ratings: tuple[RiskRating, ...]
    changes: tuple
    has_illustrative: bool

    @property
    def ratings_oldest_first(self) -> tuple[RiskRating, ...]:
        """Return the re-ratings in date order, as a chart over time reads them."""
        return tuple(reversed(self.ratings))


def risk_ratings(*, risk: Risk) -> QuerySet[RiskRating]:
    """Return the re-ratings of `risk`, newest first; same-day ratings in the order entered."""
    return risk.ratings.select_related("rated_by").order_by("-rated_on", "-id")


def risk_page(*, strategy: Strategy, pk: int) -> RiskPage:
    """Gather one risk of `strategy` for its page; raise Risk.DoesNotExist if it is not there."""
    risk = (
        Risk.objects.select_related("strategy", "owner")
        .prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("order", "number"))
        )
        .get(strategy=strategy, pk=pk)
    )
    ratings = tuple(risk_ratings(risk=risk))
    changes = tuple(
        risk.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    return RiskPage(
        risk=risk,
        priority_areas=tuple(risk.priority_areas.all()),
        ratings=ratings,
        changes=changes,
        has_illustrative=risk.rating_is_illustrative or any(r.is_illustrative for r in ratings),
    )


@dataclass(frozen=True)
class RiskRef:
    """A risk as the heat map names it."""

    pk: int
    title: str
    score: int | None
    is_illustrative: bool


@dataclass(frozen=True)
class HeatCell:
    """One cell of the matrix: a likelihood, an impact and the open risks rated there."""

    likelihood: int
    impact: int
    risks: tuple[RiskRef, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> ScoreBand:
        return score_band(self.score)

    @property
    def count(self) -> int:
        return len(self.risks)


@dataclass(frozen=True)
class HeatMatrix:
    """A 5 × 5 matrix of open risks; rows run from likelihood 5 down to 1, as printed."""

    kind: str
    title: str
    rows: tuple[tuple[HeatCell, ...], ...]
    not_placed: tuple[RiskRef, ...]

    @property
    def cells(self) -> tuple[HeatCell, ...]:
        return tuple(cell for row in self.rows for cell in row)

    @property
    def placed(self) -> int:
        """Return the number of risks in the matrix."""
        return sum(cell.count for cell in self.cells)

    @property
    def max_count(self) -> int:
        return max((cell.count for cell in self.cells), default=0)


@dataclass(frozen=True)
class HeatMap:
    """The inherent and residual matrices of a strategy's open risks, and what they leave out."""

    inherent: HeatMatrix
    residual: HeatMatrix
    open_count: int
    has_illustrative: bool

    @property
    def matrices(self) -> tuple[HeatMatrix, HeatMatrix]:
        return (self.inherent, self.residual)

    @property
    def unrated(self) -> tuple[RiskRef, ...]:
        """Return the open risks not yet rated, which no matrix places."""
        return self.inherent.not_placed

    @property
    def residual_unrated(self) -> tuple[RiskRef, ...]:
        """Return the open rated risks whose residual risk is not yet rated."""
        return self.residual.not_placed


def _matrix(kind: str, title: str, placed: dict, not_placed: list[RiskRef]) -> HeatMatrix:
    rows = tuple(
        tuple(
            HeatCell(
                likelihood=likelihood,
                impact=impact,
                risks=tuple(placed.get((likelihood, impact), ())),
            )
            for impact in RATING_SCALE
        )
        for likelihood in reversed(RATING_SCALE)
    )
    return HeatMatrix(kind=kind, title=title, rows=rows, not_placed=tuple(not_placed))


def risk_heatmap(*, strategy: Strategy) -> HeatMap:
    """Place the open risks of `strategy` by likelihood and impact, inherent and residual.

    Unrated risks are never placed (a risk is not a 0); they are listed apart. One query.
    """
    return risk_heatmap_place(
        risks=Risk.objects.filter(strategy=strategy).open().order_by("order", "key")
    )


def risk_heatmap_place(*, risks: Iterable[Risk]) -> HeatMap:
    """Place `risks`, the open risks of one strategy, by likelihood and impact."""
    inherent: dict[tuple[int, int], list[RiskRef]] = {}
    residual: dict[tuple[int, int], list[RiskRef]] = {}
    unrated: list[RiskRef] = []
    residual_unrated: list[RiskRef] = []
    count = 0
    has_illustrative = False
    for risk in risks:
        count += 1
        if not risk.is_rated:
            unrated.append(RiskRef(risk.pk, risk.title, None, False))
            continue
        has_illustrative = has_illustrative or risk.rating_is_illustrative
        ref = RiskRef(risk.pk, risk.title, risk.score, risk.rating_is_illustrative)
        inherent.setdefault((risk.likelihood, risk.impact), []).append(ref)
        if risk.has_residual:
            residual_ref = RiskRef(
                risk.pk, risk.title, risk.residual_score, risk.rating_is_illustrative
            )
            key = (risk.residual_likelihood, risk.residual_impact)
            residual.setdefault(key, []).append(residual_ref)
        else:
            residual_unrated.append(ref)
    return HeatMap(
        inherent=_matrix("inherent", _("Inherent risk (before the response)"), inherent, unrated),
        residual=_matrix(
            "residual", _("Residual risk (after the response)"), residual, residual_unrated
        ),
        open_count=count,
        has_illustrative=has_illustrative,
    )


@dataclass(frozen=True)
class RiskOverview:
    """The risk panel of the strategy overview: every risk of the register, in document order."""

    risks: tuple[Risk, ...]

    @property
    def has_illustrative(self) -> bool:
        return any(risk.rating_is_illustrative for risk in self.risks)


def risk_overview(*, strategy: Strategy) -> RiskOverview:
    """Return the risk panel of the strategy overview."""
    return RiskOverview(
        risks=tuple(Risk.objects.filter(strategy=strategy).order_by("order", "key"))
    )


def risk_reviews_due(user, until: datetime.date) -> list[DueItem]:
    """Return the open risks due for review by `until` that `user` owns or is desk officer of."""
    risks = (
        Risk.objects.filter(status=RiskStatus.OPEN, next_review__lte=until)
        .filter(Q(owner=user) | Q(strategy_id__in=desk_strategy_ids(user)))
        .filter(strategy_id__in=visible_strategy_ids(user))
        .select_related("strategy__organisation")
    )
    return [
        DueItem(
            kind=DueKind.RISK_REVIEW,
            item_id=risk.pk,
            title=_("Review the risk: %(title)s") % {"title": risk.title},
            due_on=risk.next_review,
            strategy_title=risk.strategy.title,
            strategy_label=strategy_label(risk.strategy),
            url=link(
                "risks:risk_detail",
                risk.strategy.slug,
                risk.pk,
                fallback=strategy_url(risk.strategy, "risks"),
            ),
            detail=_("You own this risk.") if risk.owner_id == user.pk else "",
            is_illustrative=risk.rating_is_illustrative,
        )
        for risk in risks
    ]


# --- The queues on "My tasks" ----------------------------------------------------------------


@dataclass(frozen=True)
class RiskReviewRow:
    """An open risk whose review date has come, with the page where it is re-rated."""

    strategy_label: str
    strategy_title: str
    title: str
    next_review: datetime.date
    owner: str
    is_overdue: bool
    url: str


def risk_reviews_queue(*, user, today: datetime.date, role: str) -> list[RiskReviewRow]:
    """Return the open risks due for review for `user` in `role`, oldest review date first.

    A desk officer re-rates the risks of their strategies (and those they own) once the review
    date has come; a manager follows the reviews already overdue on their strategies.
    """
    risks = Risk.objects.filter(status=RiskStatus.OPEN, next_review__isnull=False)
    if role == TeamRole.MANAGER:
        risks = risks.filter(
            next_review__lt=today,
            strategy_id__in=role_strategy_ids(user=user, role=TeamRole.MANAGER),
        )
    else:
        risks = risks.filter(next_review__lte=today).filter(
            Q(owner=user) | Q(strategy_id__in=desk_strategy_ids(user))
        )
    risks = (
        risks.filter(strategy_id__in=visible_strategy_ids(user))
        .select_related("strategy__organisation", "owner")
        .order_by("next_review", "strategy__title", "order", "key")
    )
    return [
        RiskReviewRow(
            strategy_label=strategy_label(risk.strategy),
            strategy_title=risk.strategy.title,
            title=risk.title,
            next_review=risk.next_review,
            owner=person_name(risk.owner),
            is_overdue=risk.next_review < today,
            url=link(
                "risks:risk_rate",
                risk.strategy.slug,
                risk.pk,
                fallback=strategy_url(risk.strategy, "risks"),
            ),
        )
        for risk in risks
    ]


def risks_open_owned_by(*, user) -> QuerySet[Risk]:
    """Return the open risks `user` owns, on any strategy; closed ones keep their owner."""
    return (
        Risk.objects.filter(owner=user, status=RiskStatus.OPEN)
        .select_related("strategy__organisation")
        .order_by("strategy__slug", "order", "pk")
    )

"""The home donor's standing among the partner's donors, and the partner's income."""

from dataclasses import dataclass
from decimal import Decimal

from funding.choices import Currency
from funding.models import UnearmarkedContribution
from funding.selectors import HOME_DONOR, RankedDonor, rank_amounts
from priorities.models import KeyFigure, Strategy

# Key figures that give the partner's income by kind of funding are named
# "income-<kind>-share-<year>" (e.g. income-unearmarked-share-2021), in per cent.
INCOME_SHARE_PREFIX = "income-"
INCOME_SHARE_MARK = "-share"
UNEARMARKED_SHARE_PREFIX = "income-unearmarked-share"


@dataclass(frozen=True)
class IncomeShare:
    """A share of the partner's income, as a key figure of its strategy document states it."""

    label: str
    value: Decimal
    year: int | None
    source: str


@dataclass(frozen=True)
class DonorStanding:
    """The home donor's place among the partner's donors of unearmarked funding in one year."""

    table_title: str
    source: str
    currency: str
    year: int | None
    home: str
    donors: tuple[RankedDonor, ...]
    home_rank: int | None
    home_amount: Decimal | None
    unearmarked_share: IncomeShare | None
    income_shares: tuple[IncomeShare, ...]
    # The year's figures include pledges not yet received: the ranking is incomplete.
    based_on_pledges: bool = False

    @property
    def donor_count(self) -> int:
        return len(self.donors)

    @property
    def has_table(self) -> bool:
        return bool(self.donors)


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _income_shares(organisation_id: int) -> list[tuple[str, IncomeShare]]:
    figures = KeyFigure.objects.filter(
        organisation_id=organisation_id,
        key__startswith=INCOME_SHARE_PREFIX,
        key__contains=INCOME_SHARE_MARK,
    ).order_by("order", "key")
    return [
        (
            figure.key,
            IncomeShare(
                label=figure.label, value=figure.value, year=figure.year, source=figure.source
            ),
        )
        for figure in figures
    ]


def _donor_standing(strategy: Strategy, home: str = HOME_DONOR) -> DonorStanding:
    """Rank the partner's unearmarked donors in the latest year the home donor has paid.

    Years whose figures include pledges are incomplete (other donors' money is still to come)
    and are passed over while a complete year exists; a ranking that must fall back on one
    says so in `based_on_pledges`.
    """
    contributions = list(
        UnearmarkedContribution.objects.filter(
            donor__table__organisation_id=strategy.organisation_id
        )
        .order_by("donor__table__key", "donor__order", "year")
        .values(
            "donor__table_id",
            "donor__table__title",
            "donor__table__source",
            "donor__table__currency",
            "donor__member_state",
            "year",
            "amount",
            "is_pledged",
        )
    )
    shares = _income_shares(strategy.organisation_id)
    table_id = contributions[0]["donor__table_id"] if contributions else None
    rows = [row for row in contributions if row["donor__table_id"] == table_id]
    pledged_years = {row["year"] for row in rows if row["amount"] and row["is_pledged"]}
    paid_years = sorted(
        row["year"]
        for row in rows
        if _norm(row["donor__member_state"]) == _norm(home)
        and row["amount"]
        and row["year"] not in pledged_years
    )
    complete_years = sorted(
        row["year"] for row in rows if row["amount"] and row["year"] not in pledged_years
    )
    any_years = sorted(row["year"] for row in rows if row["amount"])
    year = next(
        (years[-1] for years in (paid_years, complete_years, any_years) if years),
        None,
    )
    ranked = rank_amounts(
        (row["donor__member_state"], row["amount"], row["is_pledged"])
        for row in rows
        if row["year"] == year
    )
    mine = next((r for r in ranked if _norm(r.member_state) == _norm(home)), None)
    unearmarked = [share for key, share in shares if key.startswith(UNEARMARKED_SHARE_PREFIX)]
    chosen = next((s for s in unearmarked if s.year == year), None) or (
        max(unearmarked, key=lambda s: s.year or 0) if unearmarked else None
    )
    same_year = tuple(
        share for _, share in shares if chosen is not None and share.year == chosen.year
    )
    first = rows[0] if rows else {}
    return DonorStanding(
        table_title=first.get("donor__table__title", ""),
        source=first.get("donor__table__source", ""),
        currency=first.get("donor__table__currency", Currency.USD),
        year=year,
        home=home,
        donors=tuple(ranked),
        home_rank=mine.rank if mine else None,
        home_amount=mine.amount if mine else None,
        unearmarked_share=chosen,
        income_shares=same_year,
        based_on_pledges=year in pledged_years,
    )

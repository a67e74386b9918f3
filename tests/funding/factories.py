"""Factories for budget lines, approvals, commitments, disbursements, allocations, donor data."""

import datetime
from decimal import Decimal

import factory

from funding.choices import BudgetLineKind, Currency, FundingKind, Half
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    BudgetTotal,
    BudgetTotalAmount,
    Commitment,
    Disbursement,
    DonorTable,
    EarmarkedDonor,
    FinanceActCode,
    FundingRow,
    ParliamentaryApproval,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from tests.priorities.factories import OrganisationFactory, StrategyFactory


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A core-funding line; pass `kind=BudgetLineKind.SOFT_EARMARKED` for line b)."""

    class Meta:
        model = BudgetLine

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"l{n}")
    name = factory.Sequence(lambda n: f"Budget line {n}")
    kind = BudgetLineKind.CORE
    finance_act_code = factory.LazyAttribute(
        lambda line: FinanceActCode.objects.get_or_create(
            strategy=line.strategy, code="06.32.10.14"
        )[0]
    )
    currency = Currency.DKK
    order = factory.Sequence(lambda n: n)


class FinanceActCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceActCode

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"06.32.10.{n:02d}")


class PlannedAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedAmount

    line = factory.SubFactory(BudgetLineFactory)
    year = 2024
    amount = Decimal("48000000")


class BudgetTotalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetTotal
        skip_postgeneration_save = True

    strategy = factory.SubFactory(StrategyFactory)
    key = factory.Sequence(lambda n: f"total-{n}")
    label = "Total"

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if create and extracted:
            self.lines.set(extracted)


class BudgetTotalAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetTotalAmount

    total = factory.SubFactory(BudgetTotalFactory)
    year = 2024
    amount = Decimal("100000000")


class ParliamentaryApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParliamentaryApproval

    line = factory.SubFactory(BudgetLineFactory)
    year = 2024
    amount = Decimal("48000000")
    # The Finance Act for a year is passed in December of the year before.
    approved_on = factory.LazyAttribute(lambda approval: datetime.date(approval.year - 1, 12, 15))


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    line = factory.SubFactory(BudgetLineFactory)
    year = 2024
    amount = Decimal("48000000")
    committed_on = factory.LazyAttribute(lambda commitment: datetime.date(commitment.year, 2, 1))


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    line = factory.SubFactory(BudgetLineFactory)
    year = 2024
    amount = Decimal("24000000")
    paid_on = factory.LazyAttribute(lambda disbursement: datetime.date(disbursement.year, 3, 1))


class AllocationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationRound

    line = factory.SubFactory(BudgetLineFactory, kind=BudgetLineKind.SOFT_EARMARKED)
    year = 2024
    half = Half.FIRST
    dialogue_on = factory.LazyAttribute(
        lambda round: datetime.date(round.year, 3 if round.half == Half.FIRST else 9, 15)
    )


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    round = factory.SubFactory(AllocationRoundFactory)
    theme = factory.Sequence(lambda n: f"Migration management {n}")
    amount = Decimal("10000000")


class DonorTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorTable

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"table-{n}")
    title = factory.Sequence(lambda n: f"Donor table {n}")
    currency = Currency.USD
    year = 2021


class StatedTotalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatedTotal

    table = factory.SubFactory(DonorTableFactory)
    key = factory.Sequence(lambda n: f"stated-{n}")
    label = "Total earmarked"
    kind = FundingKind.EARMARKED
    year = 2021
    amount = Decimal("17394700")


class FundingRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRow

    table = factory.SubFactory(DonorTableFactory)
    order = factory.Sequence(lambda n: n + 1)
    donor = "Denmark"
    title = factory.Sequence(lambda n: f"Project {n}")
    kind = FundingKind.EARMARKED
    amount = Decimal("250000")


class UnearmarkedDonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnearmarkedDonor

    table = factory.SubFactory(DonorTableFactory)
    member_state = factory.Sequence(lambda n: f"Member state {n}")
    order = factory.Sequence(lambda n: n + 1)
    stated_total = Decimal("12000000")


class UnearmarkedContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnearmarkedContribution

    donor = factory.SubFactory(UnearmarkedDonorFactory)
    year = 2021
    amount = Decimal("1500000")


class EarmarkedDonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EarmarkedDonor

    table = factory.SubFactory(DonorTableFactory)
    rank = factory.Sequence(lambda n: n + 1)
    donor = factory.Sequence(lambda n: f"Donor {n}")
    amount = Decimal("5000000")


# --- Offices and a budget shaped like the IOM strategy's, for the funding pages ---------------


class OfficeFactory(factory.django.DjangoModelFactory):
    """A country office; pass `kind` and `region` for a regional office."""

    class Meta:
        model = "priorities.Office"

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"office-{n}")
    kind = "country"
    name = factory.Sequence(lambda n: f"Country {n}")


BUDGET_SHAPE = (
    ("a", "Core funding", BudgetLineKind.CORE, Decimal("48000000")),
    ("b", "Soft earmarked", BudgetLineKind.SOFT_EARMARKED, Decimal("50000000")),
    ("c", "Personnel support", BudgetLineKind.PERSONNEL, Decimal("2000000")),
)


def budget_create(strategy, shape=BUDGET_SHAPE) -> dict[str, BudgetLine]:
    """Give `strategy` budget lines a, b and c planned at 48, 50 and 2 million a year."""
    lines = {}
    for order, (code, name, kind, amount) in enumerate(shape, start=1):
        line = BudgetLineFactory(strategy=strategy, code=code, name=name, kind=kind, order=order)
        for year in strategy.years:
            PlannedAmountFactory(line=line, year=year, amount=amount)
        lines[code] = line
    return lines

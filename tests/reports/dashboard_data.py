"""Data for the dashboard tests: strategies with money, risks, ratings and follow-ups."""

import datetime
from decimal import Decimal

from funding.choices import Decision
from priorities.choices import Direction, PriorityKind, Rating
from tests.engagement.factories import ActionPointFactory, MilestoneFactory
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    OfficeFactory,
    ParliamentaryApprovalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
    budget_create,
)
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorProgressFactory,
    PriorityAreaFactory,
    StrategyFactory,
)
from tests.risks.factories import RiskFactory

TODAY = datetime.date(2025, 3, 1)


def strategy_populate(strategy, *, records: int = 1) -> None:
    """Give `strategy` a budget with money, risks, rated areas, indicators and follow-ups.

    `records` multiplies what is recorded per strategy: indicators with figures, risks,
    payments, allocations, action points and milestones.
    """
    lines = budget_create(strategy)
    for line in lines.values():
        ParliamentaryApprovalFactory(line=line, year=2024, amount=Decimal("10000000"))
        CommitmentFactory(line=line, year=2024, amount=Decimal("8000000"))
        for _ in range(records):
            DisbursementFactory(line=line, year=2024, amount=Decimal("1000000"))
    area = PriorityAreaFactory(strategy=strategy)
    PriorityAreaFactory(
        strategy=strategy, kind=PriorityKind.CROSS_CUTTING, number=None, slug="x", order=99
    )
    for year in (2023, 2024):
        AssessmentFactory(
            priority_area=area,
            strategy_year=strategy.strategy_years.get(year=year),
            rating=Rating.SOME_DELAYS if year == 2023 else Rating.ON_TRACK,
        )
    for _ in range(records):
        indicator = IndicatorFactory(priority_area=area, direction=Direction.INCREASE)
        IndicatorProgressFactory(indicator=indicator)
        RiskFactory(strategy=strategy, rated=True)
        RiskFactory(strategy=strategy)
        ActionPointFactory(strategy=strategy, due_on=datetime.date(2024, 12, 1))
        ActionPointFactory(strategy=strategy, due_on=datetime.date(2025, 6, 1))
        MilestoneFactory(strategy=strategy, due_on=datetime.date(2025, 5, 1))
    region = OfficeFactory(
        organisation=strategy.organisation, kind="regional", name="Dakar", region="Elsewhere"
    )
    allocation_round = AllocationRoundFactory(line=lines["b"], year=2024)
    for _ in range(records):
        office = OfficeFactory(organisation=strategy.organisation, regional_office=region)
        AllocationFactory(round=allocation_round, office=office, decision=Decision.APPROVED)
    table = DonorTableFactory(organisation=strategy.organisation, key=f"unearmarked-{strategy.pk}")
    for name, amount in (
        ("Denmark", "3000000"),
        *((f"State {n}", "1000000") for n in range(records)),
    ):
        donor = UnearmarkedDonorFactory(table=table, member_state=name)
        UnearmarkedContributionFactory(donor=donor, year=2021, amount=Decimal(amount))


def strategies_create(count: int, **kwargs) -> list:
    """Create `count` strategies, each populated."""
    strategies = StrategyFactory.create_batch(count, **kwargs)
    for strategy in strategies:
        strategy_populate(strategy)
    return strategies

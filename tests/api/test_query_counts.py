"""Each list of the API costs the same number of queries whatever the size of the portfolio.

Each list is read once over one strategy with a record or two of each kind, and once over three
strategies with several records each; the count must be the same, and is pinned.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import RESOURCES
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import AssessmentFactory, IndicatorProgressFactory, StrategyFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

# Session, user and the user's groups (who sees every strategy), then per list:
PINNED = {
    "strategy": 4,  # + the page of strategies with their partner
    "strategyyear": 4,  # + the page of years with strategy and who changed the state
    "priorityarea": 5,  # + the page of areas, their nodes
    "resultsnode": 4,  # + the page of nodes with framework, partner and parent
    "indicator": 5,  # + the page of indicators, their yearly figures
    "assessment": 4,  # + the page of assessments with area, strategy and year
    # + the page of lines; planned amounts, approvals, committed and disbursed totals per
    # line and year, revisions of the planned amounts
    "budgetline": 9,
    "risk": 6,  # + the page of risks with owner, their ratings, their priority areas
    # + the page of meetings, their priority areas, their key messages (of the user's teams),
    # the user's teams (whose key messages the answer may show)
    "meeting": 7,
    "actionpoint": 4,  # + the page of action points with owner and priority area
    "milestone": 4,  # + the page of milestones with owner
}


def portfolio_build(*, strategies: int, rows: int) -> None:
    """Give each of `strategies` new strategies `rows` records of every kind the API lists."""
    for _ in range(strategies):
        strategy = StrategyFactory()
        for number in range(1, rows + 1):
            area, node = area_with_nodes(strategy, number=number)
            indicator = indicator_in(area, node)
            IndicatorProgressFactory(indicator=indicator)
            AssessmentFactory(priority_area=area)
            risk = RiskFactory(strategy=strategy, rated=True)
            risk.priority_areas.add(area)
            RiskRatingFactory(risk=risk, rated_on=datetime.date(2024, 3, number))
            meeting = MeetingFactory(strategy=strategy)
            meeting.priority_areas.add(area)
            ActionPointFactory(strategy=strategy, meeting=meeting)
            MilestoneFactory(strategy=strategy)
        for line in budget_create(strategy).values():
            ParliamentaryApprovalFactory(line=line, year=2024, amount=Decimal("48000000"))
            for _ in range(rows):
                CommitmentFactory(line=line, year=2024, amount=Decimal("1000"))
                DisbursementFactory(line=line, year=2024, amount=Decimal("500"))


def _count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.basename for r in RESOURCES])
def test_list_query_count_does_not_grow_with_the_portfolio(
    resource, client_manager, django_assert_num_queries
):
    portfolio_build(strategies=1, rows=1)
    small, small_rows = _count(client_manager, resource.list_url())
    portfolio_build(strategies=2, rows=3)
    large, large_rows = _count(client_manager, resource.list_url())
    assert large_rows > small_rows
    assert large == small, (
        f"{resource.basename}: {small} queries for one strategy, {large} for three"
    )
    with django_assert_num_queries(PINNED[resource.basename]):
        client_manager.get(resource.list_url())

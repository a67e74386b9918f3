"""The report builders against the database: their figures and their fixed query counts."""

import datetime
from decimal import Decimal

import pytest

from engagement.choices import ActionStatus
from funding.choices import Decision
from funding.selectors import budget_overview
from reports.builders import brief_build, iati_build, workbook_build
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FundingRowFactory,
    ParliamentaryApprovalFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import AssessmentFactory, IndicatorProgressFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 5, 1)


def populate(strategy, rows: int) -> None:
    """Give `strategy` `rows` areas with indicators, risks, action points and milestones."""
    lines = budget_create(strategy)
    for code, amount in (("a", 48), ("b", 50), ("c", 2)):
        ParliamentaryApprovalFactory(line=lines[code], year=2024, amount=Decimal(amount) * 10**6)
        CommitmentFactory(line=lines[code], year=2024, amount=Decimal(amount) * 10**6)
        DisbursementFactory(line=lines[code], year=2024, amount=Decimal(amount) * 5 * 10**5)
    allocation_round = AllocationRoundFactory(line=lines["b"], year=2024)
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 6, 12))
    table = DonorTableFactory(organisation=strategy.organisation)
    for number in range(1, rows + 1):
        area, node = area_with_nodes(strategy, number)
        AssessmentFactory(priority_area=area, is_illustrative=number == 1)
        indicator = indicator_in(area, node, title=f"Indicator {number}")
        IndicatorProgressFactory(indicator=indicator, target=Decimal(20), actual=Decimal(18))
        RiskFactory(strategy=strategy, rated=True, title=f"Rated risk {number}")
        RiskFactory(strategy=strategy, title=f"Unrated risk {number}")
        ActionPointFactory(strategy=strategy, meeting=meeting, text=f"Action {number}")
        MilestoneFactory(strategy=strategy, due_on=datetime.date(2025, 6, number))
        AllocationFactory(
            round=allocation_round, amount=Decimal(1_000_000), decision=Decision.APPROVED
        )
        FundingRowFactory(table=table)
        UnearmarkedContributionFactory(donor__table=table)
        EarmarkedDonorFactory(table=table)
        StatedTotalFactory(table=table)


def test_brief_gathers_the_figures_of_the_year(strategy):
    populate(strategy, 2)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert brief.year == 2024 and brief.as_of == TODAY
    assert (
        brief.running_title == f"File no. {strategy.file_number} · Annual consultation brief 2024"
    )
    total = brief.budget.year_total
    assert (total.planned, total.approved, total.committed, total.disbursed) == (
        Decimal("100000000.00"),
        Decimal("100000000.00"),
        Decimal("100000000.00"),
        Decimal("50000000.00"),
    )
    assert total.execution_rate == Decimal("50.0")
    assert brief.budget.period_total.planned == Decimal("400000000.00")
    assert [row.code for row in brief.budget.year_rows] == ["a", "b", "c"]
    assert [area.rating for area in brief.areas] == ["on_track", "on_track"]
    assert brief.areas[0].indicators[0].target == Decimal(20)
    assert [node.code for node in brief.areas[0].nodes] == ["1", "1b", "1b.4"]
    assert brief.areas[0].nodes[-1].is_mapped
    assert brief.risks.open_count == 4 and brief.risks.unrated_count == 2
    assert brief.risks.top[0].score == 12
    assert brief.risks.inherent.placed == 2 and brief.risks.inherent.not_placed == 2
    assert brief.consultation.held_on == datetime.date(2024, 6, 12)
    assert [row.text for row in brief.consultation_actions] == ["Action 1", "Action 2"]
    assert all(row.is_overdue for row in brief.open_actions)
    assert [row.due_on.day for row in brief.milestones] == [1, 2]
    assert brief.rounds[0].approved == Decimal("2000000.00")
    assert brief.illustrative_sections == {"areas", "summary"}


def test_brief_refuses_a_year_outside_the_period(strategy):
    with pytest.raises(ValueError):
        brief_build(strategy=strategy, year=2030)


def test_brief_leaves_out_closed_action_points_from_the_open_list(strategy):
    populate(strategy, 1)
    strategy.action_points.update(status=ActionStatus.DONE, closing_note="Done.")
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert brief.open_actions == ()
    assert brief.consultation_actions[0].status_label == "Done"


@pytest.mark.parametrize("rows", [2, 12])
def test_brief_query_count_is_fixed(strategy, django_assert_num_queries, rows):
    populate(strategy, rows)
    # years; areas, node links, nodes, assessments, progress (of the year and the one before),
    # indicators; budget (lines, planned, revisions of planned amounts, approvals, commitments,
    # disbursements, rounds); rounds of the year; allocations; risks and their re-ratings; the
    # risks' change log twice (who set each category, when each was closed); consultation and
    # its action points; open action points; the milestones ahead of kinds a record fulfils
    # (and one query per source of those kinds: none here); milestones; the consultation
    # reviewing the year (none here, so no key messages to read)
    with django_assert_num_queries(26):
        brief_build(strategy=strategy, year=2024, today=TODAY)


@pytest.mark.parametrize("rows", [2, 12])
def test_workbook_query_count_is_fixed(strategy, django_assert_num_queries, rows):
    populate(strategy, rows)
    # years, team, areas, node links, frameworks, nodes, progress, indicators, assessments;
    # budget lines,
    # approvals, commitments, disbursements, planned amounts (the execution is summed from
    # these); rounds, allocations, risks' areas, risks, action points, meetings, SDGs, donor
    # tables and their four kinds of rows (+ donors' contributions); the budget plan, read
    # once for the revisions and the printed totals from the lines and planned amounts read
    # above (budget totals, their amounts, their lines, revisions; the strategy years are those
    # read first); the frameworks and their levels
    with django_assert_num_queries(29):
        workbook_build(strategy=strategy)


@pytest.mark.parametrize("rows", [2, 12])
def test_iati_query_count_is_fixed(strategy, django_assert_num_queries, rows):
    populate(strategy, rows)
    # lines, planned, approvals, years, commitments, disbursements, progress, indicators, areas
    with django_assert_num_queries(9):
        iati_build(strategy=strategy)


def test_workbook_budget_execution_is_the_budget_overview(strategy):
    populate(strategy, 2)
    lines = list(strategy.budget_lines.order_by("order", "code"))
    CommitmentFactory(line=lines[0], year=2024, amount=Decimal("0.01"), is_illustrative=True)
    DisbursementFactory(line=lines[1], year=2025, amount=Decimal("1234.56"))
    ParliamentaryApprovalFactory(line=lines[2], year=2025, is_illustrative=True)
    execution = workbook_build(strategy=strategy).sheet("Budget").table("execution").rows
    overview = budget_overview(strategy=strategy)
    expected = [
        {
            "code": row.line.code,
            "year": cell.year,
            "planned": cell.planned,
            "approved": cell.approved,
            "committed": cell.committed,
            "disbursed": cell.disbursed,
            "is_illustrative": cell.is_illustrative,
        }
        for row in overview.rows
        for cell in row.cells
    ]
    assert list(execution) == expected
    assert any(row["is_illustrative"] for row in execution)


def test_workbook_rows_hold_every_record(strategy):
    populate(strategy, 2)
    report = workbook_build(strategy=strategy)
    lines = report.sheet("Budget").table("lines").rows
    assert [row["planned_2024"] for row in lines] == [
        Decimal("48000000.00"),
        Decimal("50000000.00"),
        Decimal("2000000.00"),
    ]
    assert len(report.sheet("Commitments").table("commitments").rows) == 3
    assert len(report.sheet("Risks").table("risks").rows) == 4
    indicator = report.sheet("Indicators").table("indicators").rows[0]
    assert (indicator["target_2024"], indicator["actual_2024"]) == (Decimal(20), Decimal(18))
    assert report.illustrative_sheets == ("Assessments",)

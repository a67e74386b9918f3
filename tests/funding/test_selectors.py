"""Reads: budget sums per line and year, allocation regions, ranks, annex totals, history."""

import datetime
from decimal import Decimal

import pytest

from funding import selectors, services
from funding.choices import Decision, FundingKind, Half
from funding.selectors import (
    RankedDonor,
    allocationround_summary,
    budget_overview,
    office_region,
    rank_amounts,
    reference_data,
    unearmarked_ranks,
)
from priorities.choices import OfficeKind
from strategy_monitor.changes import record_history
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FundingRowFactory,
    OfficeFactory,
    ParliamentaryApprovalFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def lines(strategy):
    return budget_create(strategy)


# --- Budget -----------------------------------------------------------------------------------


def test_budget_sums_are_decimals_exact_to_the_ore(strategy, lines):
    line = lines["c"]
    ParliamentaryApprovalFactory(line=line, year=2025, amount=D("0.10"))
    CommitmentFactory(
        line=line, year=2025, amount=D("0.01"), committed_on=datetime.date(2025, 1, 2)
    )
    CommitmentFactory(
        line=line, year=2025, amount=D("0.02"), committed_on=datetime.date(2025, 1, 3)
    )
    DisbursementFactory(line=line, year=2025, amount=D("0.01"), paid_on=datetime.date(2025, 2, 1))
    overview = budget_overview(strategy=strategy)
    cell = overview.rows[2].cells[2]
    assert (cell.year, cell.line_id) == (2025, line.pk)
    assert cell.committed == D("0.03")
    assert isinstance(cell.committed, Decimal)
    assert cell.disbursed == D("0.01")
    assert cell.remaining == D("0.02")
    assert cell.execution_rate == D("10.0")
    assert overview.grand_total.committed == D("0.03")


def test_budget_totals_by_line_by_year_and_overall(strategy, lines):
    for code, line in lines.items():
        ParliamentaryApprovalFactory(
            line=line,
            year=2024,
            amount={"a": D("48000000"), "b": D("50000000"), "c": D("2000000")}[code],
            approved_on=datetime.date(2023, 12, 14),
        )
    CommitmentFactory(line=lines["a"], year=2024, amount=D("48000000"))
    CommitmentFactory(line=lines["b"], year=2024, amount=D("25000000.50"))
    DisbursementFactory(line=lines["a"], year=2024, amount=D("24000000.25"))
    DisbursementFactory(line=lines["a"], year=2024, amount=D("0.25"), is_illustrative=True)
    overview = budget_overview(strategy=strategy)

    assert overview.years == (2023, 2024, 2025, 2026)
    line_a = overview.rows[0]
    assert line_a.total.planned == D("192000000")
    assert line_a.total.approved == D("48000000")
    assert line_a.cells[0].approved is None
    assert line_a.cells[1].approved_on == datetime.date(2023, 12, 14)
    assert line_a.cells[1].disbursed == D("24000000.50")
    assert line_a.cells[1].disbursement_count == 2
    assert line_a.cells[1].is_illustrative
    assert not line_a.cells[0].is_illustrative

    year_2024 = overview.year_totals[1]
    assert year_2024.planned == D("100000000")
    assert year_2024.approved == D("100000000")
    assert year_2024.approved_on == datetime.date(2023, 12, 14)
    assert year_2024.committed == D("73000000.50")
    assert year_2024.disbursed == D("24000000.50")
    assert year_2024.remaining == D("49000000.00")
    assert year_2024.execution_rate == D("24.0")

    assert overview.grand_total.planned == D("400000000")
    assert overview.grand_total.approved == D("100000000")
    assert overview.grand_total.approved_on == datetime.date(2023, 12, 14)
    assert overview.has_illustrative


def test_budget_without_approval_has_no_execution_rate(strategy, lines):
    overview = budget_overview(strategy=strategy)
    assert overview.grand_total.approved is None
    assert overview.grand_total.execution_rate is None
    assert not overview.has_illustrative


def test_budget_shows_the_softly_earmarked_years_with_their_rounds(strategy, lines):
    first = AllocationRoundFactory(line=lines["b"], year=2025, half=Half.FIRST)
    second = AllocationRoundFactory(line=lines["b"], year=2025, half=Half.SECOND)
    AllocationFactory(round=first, amount=D("20000000"), decision=Decision.APPROVED)
    AllocationFactory(round=second, amount=D("5000000.01"), decision=Decision.APPROVED)
    AllocationFactory(round=second, amount=D("9000000"))
    overview = budget_overview(strategy=strategy)
    year = next(item for item in overview.allocation_years if item.year == 2025)
    assert [totals.round for totals in year.rounds] == [first, second]
    assert year.approved == D("25000000.01")
    assert year.pending == D("9000000")
    assert year.unallocated == D("24999999.99")
    assert year.approved_share == D("50.0")


# --- Allocation regions -----------------------------------------------------------------------


@pytest.fixture
def offices(strategy):
    organisation = strategy.organisation

    def regional(key, region):
        return OfficeFactory(
            organisation=organisation, key=key, kind=OfficeKind.REGIONAL, name=key, region=region
        )

    dakar = regional("dakar", "West and Central Africa")
    cairo = regional("cairo", "Middle East and North Africa")
    bangkok = regional("bangkok", "Asia and the Pacific")
    return {
        "niger": OfficeFactory(organisation=organisation, name="Niger", regional_office=dakar),
        "dakar": dakar,
        "egypt": OfficeFactory(organisation=organisation, name="Egypt", regional_office=cairo),
        "pakistan": OfficeFactory(
            organisation=organisation, name="Pakistan", regional_office=bangkok
        ),
        "addis": OfficeFactory(
            organisation=organisation, kind=OfficeKind.SPECIAL_LIAISON, name="Addis Ababa"
        ),
        "new_york": OfficeFactory(
            organisation=organisation, kind=OfficeKind.UN_OFFICE, name="New York"
        ),
    }


def test_office_regions_follow_the_africa_definition(offices):
    assert office_region(offices["niger"]).label == "West and Central Africa"
    assert office_region(offices["niger"]).is_africa
    assert office_region(offices["dakar"]).is_africa
    assert office_region(offices["addis"]).is_africa
    assert office_region(offices["egypt"]).group == "separate"
    assert not office_region(offices["egypt"]).is_africa
    assert office_region(offices["pakistan"]).group == "other"
    assert office_region(offices["new_york"]).group == "other"
    assert office_region(None).group == "none"


def test_round_summary_gives_totals_regions_and_the_africa_share(strategy, lines, offices):
    allocation_round = AllocationRoundFactory(line=lines["b"], year=2025)
    other_round = AllocationRoundFactory(line=lines["b"], year=2025, half=Half.SECOND)
    AllocationFactory(round=other_round, amount=D("4000000"), decision=Decision.APPROVED)

    def add(office, amount, decision=Decision.PENDING):
        reason = "Reason." if decision != Decision.PENDING else ""
        AllocationFactory(
            round=allocation_round,
            office=offices[office] if office else None,
            amount=D(amount),
            decision=decision,
            decision_reason=reason,
        )

    add("niger", "20000000", Decision.APPROVED)
    add("addis", "1000000.50", Decision.APPROVED)
    add("egypt", "8000000", Decision.APPROVED)
    add("pakistan", "3000000", Decision.REJECTED)
    add(None, "2000000")
    summary = allocationround_summary(allocation_round=allocation_round)

    assert summary.proposed == D("34000000.50")
    assert summary.approved == D("29000000.50")
    assert summary.rejected == D("3000000")
    assert summary.pending == D("2000000")
    assert summary.year_planned == D("50000000")
    assert summary.year_approved == D("33000000.50")
    assert summary.year_room == D("16999999.50")
    assert summary.africa_approved == D("21000000.50")
    assert summary.africa_proposed == D("21000000.50")
    assert summary.africa_share_of_approved == D("72.4")
    assert [item.region.label for item in summary.separate] == ["Middle East and North Africa"]
    assert summary.separate[0].approved == D("8000000")
    labels = [item.region.label for item in summary.regions]
    assert labels[0] == "West and Central Africa"
    assert labels[-1] == "No office given"
    assert "Middle East and North Africa" in summary.africa_definition


def test_round_summary_shows_the_separate_region_even_without_proposals(lines):
    summary = allocationround_summary(allocation_round=AllocationRoundFactory(line=lines["b"]))
    assert [(item.region.label, item.proposed) for item in summary.separate] == [
        ("Middle East and North Africa", D("0.00"))
    ]
    assert summary.africa_share_of_approved is None


# --- Ranks and annex tables -------------------------------------------------------------------


def test_rank_amounts_gives_ties_one_rank_and_skips_the_next():
    ranked = rank_amounts(
        [
            ("Sweden", D("12.16"), False),
            ("Denmark", D("4.10"), False),
            ("Norway", D("4.10"), True),
            ("Austria", D("0.04"), False),
            ("Spain", None, False),
            ("Nowhere", D("0"), False),
        ]
    )
    assert ranked == [
        RankedDonor(1, "Sweden", D("12.16")),
        RankedDonor(2, "Denmark", D("4.10")),
        RankedDonor(2, "Norway", D("4.10"), is_pledged=True),
        RankedDonor(4, "Austria", D("0.04")),
    ]


def test_unearmarked_ranks_per_year_leave_out_dashes():
    table = DonorTableFactory()
    rows = {
        "Sweden": {2020: "10550000", 2021: "12160000"},
        "United Kingdom": {2020: "5270000", 2021: "5500000"},
        "Denmark": {2020: "3650000", 2021: "4100000", 2022: ("4100000", True)},
        "Spain": {2020: "1190000", 2021: None},
        "Belgium": {2020: "1140000", 2021: "4100000", 2022: ("1120000", True)},
    }
    for member_state, years in rows.items():
        donor = UnearmarkedDonorFactory(table=table, member_state=member_state)
        for year, value in years.items():
            amount, pledged = value if isinstance(value, tuple) else (value, False)
            UnearmarkedContributionFactory(
                donor=donor,
                year=year,
                amount=D(amount) if amount else None,
                is_pledged=pledged,
            )
    ranks = unearmarked_ranks(table=table)
    assert sorted(ranks) == [2020, 2021, 2022]
    assert [(r.rank, r.member_state) for r in ranks[2020]] == [
        (1, "Sweden"),
        (2, "United Kingdom"),
        (3, "Denmark"),
        (4, "Spain"),
        (5, "Belgium"),
    ]
    assert [(r.rank, r.member_state) for r in ranks[2021]] == [
        (1, "Sweden"),
        (2, "United Kingdom"),
        (3, "Belgium"),
        (3, "Denmark"),
    ]
    assert ranks[2022][0] == RankedDonor(1, "Denmark", D("4100000.00"), is_pledged=True)


def test_reference_data_shows_stated_totals_beside_computed_sums(strategy):
    table = DonorTableFactory(organisation=strategy.organisation, key="danish-funding")
    FundingRowFactory(table=table, kind=FundingKind.UNEARMARKED, amount=D("4101050"))
    for amount in ("17000000", "395296"):
        FundingRowFactory(table=table, kind=FundingKind.EARMARKED, amount=D(amount))
    FundingRowFactory(table=table, kind=FundingKind.EARMARKED, amount=D("-594"), is_refund=True)
    StatedTotalFactory(
        table=table, key="earmarked", kind=FundingKind.EARMARKED, amount=D("17394700")
    )
    StatedTotalFactory(
        table=table, key="unearmarked", kind=FundingKind.UNEARMARKED, amount=D("4101050")
    )
    reference = reference_data(strategy=strategy)
    funding = reference.funding_tables[0]
    totals = {total.label: total for total in funding.totals}
    assert totals["Earmarked"].computed == D("17394702")
    assert totals["Earmarked"].difference == D("2")
    assert totals["Unearmarked"].difference == 0
    assert totals["All rows"].stated == D("21495750")
    assert funding.refund_total == D("-594")
    assert [label for label, _rows in funding.groups] == ["Unearmarked", "Earmarked"]


def test_reference_data_ranks_the_home_donor_and_marks_pledges(strategy):
    table = DonorTableFactory(organisation=strategy.organisation, key="unearmarked", year=None)
    sweden = UnearmarkedDonorFactory(table=table, member_state="Sweden", stated_total=D("12160000"))
    denmark = UnearmarkedDonorFactory(
        table=table, member_state="Denmark", stated_total=D("8200000")
    )
    UnearmarkedContributionFactory(donor=sweden, year=2021, amount=D("12160000"))
    UnearmarkedContributionFactory(donor=denmark, year=2021, amount=D("4100000"))
    UnearmarkedContributionFactory(donor=denmark, year=2022, amount=D("4100000"), is_pledged=True)
    UnearmarkedContributionFactory(donor=sweden, year=2022, amount=None)
    StatedTotalFactory(table=table, key="t2021", year=2021, amount=D("16260000"))
    StatedTotalFactory(table=table, key="t2022", year=2022, amount=D("4000000"))
    earmarked = DonorTableFactory(organisation=strategy.organisation, key="top")
    EarmarkedDonorFactory(table=earmarked, rank=1, donor="European Commission")
    EarmarkedDonorFactory(table=earmarked, rank=2, donor="Denmark", amount=D("17417177"))

    reference = reference_data(strategy=strategy)
    matrix = reference.unearmarked_tables[0]
    assert matrix.years == (2021, 2022)
    assert [(r.year, r.rank, r.of, r.is_pledged) for r in matrix.home_ranks] == [
        (2021, 2, 2, False),
        (2022, 1, 1, True),
    ]
    assert matrix.has_pledged
    assert matrix.year_totals[1].difference == D("100000")
    assert matrix.rows[1].is_home
    assert matrix.rows[0].cells[1].amount is None and matrix.rows[0].cells[1].is_printed
    assert reference.earmarked_tables[0].home.rank == 2


# --- History ----------------------------------------------------------------------------------


def test_record_history_names_who_changed_what(lines, finance):
    ParliamentaryApprovalFactory(line=lines["a"], year=2025, approved_on=datetime.date(2024, 12, 1))
    commitment = services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("1000"),
        committed_on=datetime.date(2025, 1, 2),
        user=finance,
    )
    commitment.refresh_from_db()
    services.commitment_update(
        commitment=commitment,
        version=commitment.updated_at.isoformat(),
        line=lines["a"],
        year=2025,
        amount=D("1500.50"),
        committed_on=datetime.date(2025, 1, 2),
        reference="J.nr. 1",
        user=finance,
    )
    history = record_history(instance=commitment)
    assert [entry.action for entry in history] == ["Changed", "Created"]
    assert history[0].who == "finance"
    assert history[0].reason == "Commitment changed"
    changes = {change.label: (change.old, change.new) for change in history[0].changes}
    assert changes == {"Amount": ("1,000.00", "1,500.50"), "Reference": ("(empty)", "J.nr. 1")}
    created = {change.label: change.new for change in history[1].changes}
    assert created["Line"] == "a. Core funding"
    assert created["Committed on"] == "2 Jan 2025"


def test_totals_for_the_rules_leave_out_the_record_being_changed(lines):
    first = CommitmentFactory(line=lines["a"], year=2024, amount=D("10"))
    CommitmentFactory(line=lines["a"], year=2024, amount=D("5"))
    assert selectors.committed_total(line=lines["a"], year=2024) == D("15")
    assert selectors.committed_total(line=lines["a"], year=2024, exclude_pk=first.pk) == D("5")
    assert selectors.disbursed_total(line=lines["a"], year=2024) == D("0")

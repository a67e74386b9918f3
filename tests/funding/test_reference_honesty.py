"""The reference pages say which figures the document prints and which the application computes.

A sum of printed totals is computed, not printed; a rank or a growth rate drawn from pledges
not yet received is not the year's standing; and the document's own contradiction about the
donor ranking is noted.
"""

from decimal import Decimal as D

import lxml.html
import pytest
from django.urls import reverse

from funding.choices import FundingKind
from funding.selectors import reference_data, unearmarked_ranks
from priorities.models import KeyFigure, Strategy, TeamMembership
from reports.dashboards.donors import _donor_standing
from tests.funding.factories import (
    BudgetTotalAmountFactory,
    BudgetTotalFactory,
    DonorTableFactory,
    FundingRowFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db


def page(client, name: str, strategy) -> lxml.html.HtmlElement:
    response = client.get(reverse(name, args=[strategy.slug]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def text(element) -> str:
    return " ".join(element.text_content().split())


def danish_funding(strategy):
    """Annex 2 in small: one unearmarked and two earmarked rows, each kind with its total."""
    table = DonorTableFactory(organisation=strategy.organisation, key="danish-funding")
    FundingRowFactory(table=table, kind=FundingKind.UNEARMARKED, amount=D("4101050"))
    FundingRowFactory(table=table, kind=FundingKind.EARMARKED, amount=D("17000000"))
    FundingRowFactory(table=table, kind=FundingKind.EARMARKED, amount=D("394702"))
    StatedTotalFactory(
        table=table, key="unearmarked", kind=FundingKind.UNEARMARKED, amount=D("4101050")
    )
    StatedTotalFactory(
        table=table, key="earmarked", kind=FundingKind.EARMARKED, amount=D("17394700")
    )
    return table


def unearmarked(strategy):
    """Annex 3 in small: 2021 received; 2022 partly pledged (*), partly received."""
    table = DonorTableFactory(organisation=strategy.organisation, key="unearmarked", year=None)
    sweden = UnearmarkedDonorFactory(table=table, member_state="Sweden", order=1)
    denmark = UnearmarkedDonorFactory(table=table, member_state="Denmark", order=2)
    norway = UnearmarkedDonorFactory(table=table, member_state="Norway", order=3)
    UnearmarkedContributionFactory(donor=sweden, year=2020, amount=D("10550000"))
    UnearmarkedContributionFactory(donor=denmark, year=2020, amount=D("3650000"))
    UnearmarkedContributionFactory(donor=sweden, year=2021, amount=D("12160000"))
    UnearmarkedContributionFactory(donor=denmark, year=2021, amount=D("4100000"))
    UnearmarkedContributionFactory(donor=norway, year=2021, amount=D("3660000"))
    UnearmarkedContributionFactory(donor=denmark, year=2022, amount=D("4100000"), is_pledged=True)
    UnearmarkedContributionFactory(donor=norway, year=2022, amount=D("3360000"))
    return table


# --- Item: computed figures are labelled computed -------------------------------------------


def test_sum_of_printed_totals_is_marked_computed_not_printed(strategy):
    danish_funding(strategy)
    totals = {t.label: t for t in reference_data(strategy=strategy).funding_tables[0].totals}
    assert totals["All rows"].stated == D("21495750")
    assert not totals["All rows"].stated_is_printed
    assert totals["Earmarked"].stated_is_printed and totals["Unearmarked"].stated_is_printed


def test_reference_page_does_not_call_the_sum_of_printed_totals_printed(client_desk, strategy):
    danish_funding(strategy)
    document = page(client_desk, "funding:donortable_list", strategy)
    rows = {
        text(row.xpath("th")[0]): [text(cell) for cell in row.xpath("td")]
        for row in document.xpath("//table[contains(@class, 'totals')]/tbody/tr")
    }
    assert rows["Earmarked"][0] == "17,394,700"
    assert "21,495,750" in rows["All rows"][0]
    assert "computed" in rows["All rows"][0] and "not printed" in rows["All rows"][0]


def test_budget_table_labels_the_total_of_a_printed_row_as_computed(client_desk, strategy):
    lines = budget_create(strategy)
    total = BudgetTotalFactory(strategy=strategy, label="Total contributions")
    total.lines.set(lines.values())
    for year in strategy.years:
        BudgetTotalAmountFactory(total=total, year=year, amount=D("100000000"))
    document = page(client_desk, "priorities:strategy_detail", strategy)
    row = next(
        row
        for row in document.xpath("//table[contains(@class, 'budget')]/tfoot/tr")
        if "Total contributions" in text(row)
    )
    cells = [text(cell) for cell in row.xpath("td")]
    assert "400" in cells[-1] and "computed" in cells[-1]
    assert "as printed" not in cells[-1]


# --- Item: ranks and growth from pledges ----------------------------------------------------


def test_growth_and_home_rank_of_pledged_years_are_marked_and_growth_left_out(strategy):
    unearmarked(strategy)
    matrix = reference_data(strategy=strategy).unearmarked_tables[0]
    growth = {cell.year: cell for cell in matrix.growth}
    assert growth[2021].computed == D("40") and not growth[2021].based_on_pledges
    assert growth[2022].based_on_pledges and growth[2022].computed is None
    ranks = {rank.year: rank for rank in matrix.home_ranks}
    assert (ranks[2021].rank, ranks[2021].based_on_pledges) == (2, False)
    assert ranks[2022].based_on_pledges


def test_reference_page_gives_no_rank_or_growth_for_a_year_of_pledges(client_desk, strategy):
    unearmarked(strategy)
    document = page(client_desk, "funding:donortable_list", strategy)
    ranks = {
        text(row.xpath("th")[0]): [text(cell) for cell in row.xpath("td")]
        for row in document.xpath("//table[contains(@class, 'rank-table')]/tbody/tr")
    }
    assert ranks["2021"][0] == "2"
    assert ranks["2022"][0] == "not ranked: pledges"
    assert ranks["2022"][1] == "–"
    growth = next(
        row
        for row in document.xpath("//table[contains(@class, 'donor-matrix')]/tfoot/tr")
        if text(row.xpath("th")[0]) == "Growth computed"
    )
    cells = [text(cell) for cell in growth.xpath("td")]
    assert cells[1] == "40 %"
    assert cells[2] == "pledges"


def test_dashboard_ranks_the_home_donor_in_a_year_without_pledges(strategy):
    table = unearmarked(strategy)
    # Denmark's 2022 money arrives, but Norway's is still a pledge: 2022 stays incomplete.
    denmark = table.donors.get(member_state="Denmark").contributions.get(year=2022)
    denmark.is_pledged = False
    denmark.save()
    norway = table.donors.get(member_state="Norway").contributions.get(year=2022)
    norway.is_pledged = True
    norway.save()
    standing = _donor_standing(strategy)
    assert (standing.year, standing.home_rank, standing.donor_count) == (2021, 2, 3)


def test_dashboard_without_a_complete_year_says_its_rank_is_based_on_pledges(strategy):
    table = DonorTableFactory(organisation=strategy.organisation, key="pledges", year=None)
    for name, amount in (("Sweden", "9"), ("Denmark", "4")):
        donor = UnearmarkedDonorFactory(table=table, member_state=name)
        UnearmarkedContributionFactory(donor=donor, year=2022, amount=D(amount), is_pledged=True)
    standing = _donor_standing(strategy)
    assert (standing.year, standing.home_rank, standing.based_on_pledges) == (2022, 2, True)


def test_dashboard_says_when_the_home_rank_rests_on_pledges(client_desk, strategy):
    table = DonorTableFactory(organisation=strategy.organisation, key="pledges", year=None)
    donor = UnearmarkedDonorFactory(table=table, member_state="Denmark")
    UnearmarkedContributionFactory(donor=donor, year=2022, amount=D("4"), is_pledged=True)
    document = page(client_desk, "reports:strategy_dashboard", strategy)
    assert "based on pledges" in text(document.get_element_by_id("home-rank"))


# --- The IOM strategy ---------------------------------------------------------------------


@pytest.fixture
def iom(iom_loaded, desk):
    strategy = Strategy.objects.select_related("organisation").get(slug="iom-2023-2026")
    TeamMembership.objects.create(strategy=strategy, user=desk, role="desk_officer")
    return strategy


def test_iom_pages_keep_as_printed_for_printed_figures_only(client_desk, iom):
    reference = page(client_desk, "funding:donortable_list", iom)
    totals = reference.xpath("//table[contains(@class, 'totals')]/tbody/tr")
    all_rows = next(row for row in totals if text(row.xpath("th")[0]) == "All rows")
    assert "not printed" in text(all_rows.xpath("td")[0])
    ranks = {
        text(row.xpath("th")[0]): text(row.xpath("td")[0])
        for row in reference.xpath("//table[contains(@class, 'rank-table')]/tbody/tr")
    }
    assert ranks["2021"] == "4"
    assert {ranks[year] for year in ("2022", "2023", "2024")} <= {
        "not ranked: pledges",
        "no contribution",
    }
    detail = page(client_desk, "priorities:strategy_detail", iom)
    for row in detail.xpath("//table[contains(@class, 'budget')]/tfoot/tr[@class='stated-total']"):
        assert "computed" in text(row.xpath("td")[-1])
    rows = {text(r.xpath("th")[0]): text(r.xpath("td")[-1]) for r in detail.xpath("//tfoot/tr")}
    assert any("392" in cell and "computed" in cell for cell in rows.values())


def test_iom_section_2_ranking_is_flagged_against_annex_3(iom):
    note = KeyFigure.objects.get(key="denmark-unearmarked-donor-rank-2021").note
    assert "UK third" in note
    assert "Annex 3" in note and "United Kingdom second" in note
    table = reference_data(strategy=iom).unearmarked_tables[0].table
    ranks = {r.member_state: r.rank for r in unearmarked_ranks(table=table)[2021]}
    # The note states what Annex 3 shows: the UK second, the US third, Denmark fourth.
    assert (ranks["United Kingdom"], ranks["United States of America"], ranks["Denmark"]) == (
        2,
        3,
        4,
    )


def test_iom_strategy_page_shows_the_ranking_note(client_desk, iom):
    detail = page(client_desk, "priorities:strategy_detail", iom)
    assert "United Kingdom second" in text(detail)


def test_iom_growth_of_pledged_years_is_not_computed(iom):
    matrix = reference_data(strategy=iom).unearmarked_tables[0]
    growth = {cell.year: cell for cell in matrix.growth}
    assert growth[2021].computed == D("24") and not growth[2021].based_on_pledges
    assert all(growth[year].computed is None for year in (2022, 2023, 2024))
    assert all(growth[year].based_on_pledges for year in (2022, 2023, 2024))
    # The printed growth stays as printed.
    assert growth[2021].stated == D("24")

"""The IOM strategy's own money figures: the budget, Annex 2's totals and Annex 3's ranks."""

from decimal import Decimal

import pytest

from funding.selectors import budget_overview, reference_data, unearmarked_ranks
from priorities.models import Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def iom(iom_loaded, db):
    return Strategy.objects.select_related("organisation").get(slug="iom-2023-2026")


def test_budget_plans_100_million_a_year(iom):
    overview = budget_overview(strategy=iom)
    assert [row.line.code for row in overview.rows] == ["a", "b", "c"]
    assert [cell.planned for cell in overview.year_totals] == [Decimal("100000000")] * 4
    assert overview.grand_total.planned == Decimal("400000000")
    assert [row.total.planned for row in overview.rows] == [
        Decimal("192000000"),
        Decimal("200000000"),
        Decimal("8000000"),
    ]


def test_annex_2_earmarked_rows_sum_two_dollars_above_the_printed_total(iom):
    funding = reference_data(strategy=iom).funding_tables[0]
    totals = {total.label: total for total in funding.totals}
    assert totals["Earmarked"].stated == Decimal("17394700")
    assert totals["Earmarked"].computed == Decimal("17394702")
    assert totals["Earmarked"].difference == Decimal("2")
    assert totals["Unearmarked"].difference == 0


def test_annex_3_denmark_is_the_fourth_donor_of_unearmarked_funding_in_2021(iom):
    table = reference_data(strategy=iom).unearmarked_tables[0].table
    ranks = unearmarked_ranks(table=table)
    top = [(r.rank, r.member_state) for r in ranks[2021][:5]]
    assert top == [
        (1, "Sweden"),
        (2, "United Kingdom"),
        (3, "United States of America"),
        (4, "Denmark"),
        (5, "Norway"),
    ]
    # "-" cells are not contributions: Denmark gave nothing unearmarked in 2017.
    assert "Denmark" not in {r.member_state for r in ranks[2017]}


def test_annex_3_home_ranks_and_earmarked_place(iom):
    reference = reference_data(strategy=iom)
    matrix = reference.unearmarked_tables[0]
    by_year = {rank.year: rank for rank in matrix.home_ranks}
    assert by_year[2017].rank is None
    assert (by_year[2021].rank, by_year[2021].of) == (4, 15)
    assert by_year[2022].is_pledged
    assert reference.earmarked_tables[0].home.rank == 16

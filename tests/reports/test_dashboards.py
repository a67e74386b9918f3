"""The dashboards' figures against hand-computed values from the IOM fixture and the demo data.

The demo is loaded as of 30 June 2026 (AS_OF), and its tables in demo/loader.py give:
approvals and commitments equal to the planned amounts in 2023-2026 (48 + 50 + 2 = DKK 100m a
year); disbursements of 100m in each of 2023-2025 (all lines paid in full) and 75m in 2026 (core
48 and personnel 2 in February, the first half of the softly earmarked line, 25, in March);
allocations each year of DKK 20m to Niger and 12m to Ethiopia in the first half and 15m to
Somalia in the second, all approved (none yet in the second half of 2026); risk ratings from
the risk profiles; ratings 2023-2025 from the assessment table, 2026 not yet assessed.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from priorities.choices import Direction
from priorities.models import KeyFigure, Strategy
from reports.dashboards import (
    achievement,
    figures_cached,
    portfolio_build,
    portfolio_figures,
    strategy_dashboard_build,
    strategy_figures,
)
from strategy_monitor.charts import ILLUSTRATIVE_TEXT

M = Decimal(1_000_000)
AS_OF = datetime.date(2026, 6, 30)
TODAY = AS_OF


@pytest.fixture(scope="module")
def iom_demo(iom_loaded, django_db_blocker):
    """Load the demo data over the IOM strategy once for the module, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("load_demo", password="pw", as_of=AS_OF, stdout=io.StringIO())


@pytest.fixture
def iom(iom_demo, db):
    """Return the IOM strategy with the demo data."""
    return Strategy.objects.select_related("organisation").get(slug="iom-2023-2026")


def labels(figure: dict) -> list[str]:
    return [a.get("text", "") for a in figure["layout"].get("annotations", [])]


def is_labelled_illustrative(figure: dict) -> bool:
    return any(ILLUSTRATIVE_TEXT in text for text in labels(figure))


def trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t["name"] == name)


# --- Rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("70", "68", Direction.INCREASE, "97.1"),
        ("2.2", "2.1", Direction.INCREASE, "95.5"),
        ("220", "228", Direction.DECREASE, "96.5"),
        ("180", "176", Direction.DECREASE, "102.3"),
        ("50", "50", Direction.MAINTAIN, "100.0"),
    ],
)
def test_achievement_is_actual_against_target_and_inverted_where_lower_is_better(
    target, actual, direction, expected
):
    assert achievement(Decimal(target), Decimal(actual), direction) == Decimal(expected)


def test_achievement_is_none_without_both_figures_or_a_divisor():
    assert achievement(None, Decimal(5), Direction.INCREASE) is None
    assert achievement(Decimal(5), None, Direction.INCREASE) is None
    assert achievement(Decimal(0), Decimal(5), Direction.INCREASE) is None
    assert achievement(Decimal(5), Decimal(0), Direction.DECREASE) is None


# --- The portfolio on the IOM data ---------------------------------------------------------------


def test_portfolio_money_by_year_matches_the_budget_and_the_demo_tables(iom):
    manager = get_user_model().objects.get(username="manager")
    portfolio = portfolio_build(user=manager, today=TODAY)
    assert portfolio.money_years == (2023, 2024, 2025, 2026)
    planned = [cell.planned for cell in portfolio.money_by_year]
    approved = [cell.approved for cell in portfolio.money_by_year]
    committed = [cell.committed for cell in portfolio.money_by_year]
    disbursed = [cell.disbursed for cell in portfolio.money_by_year]
    assert planned == [100 * M] * 4
    assert approved == [100 * M] * 4
    assert committed == [100 * M] * 4
    assert disbursed == [100 * M, 100 * M, 100 * M, 75 * M]

    figure = portfolio_figures(portfolio)["money"]
    assert figure["layout"]["title"]["text"].endswith("(DKK million)")
    assert figure["layout"]["yaxis"]["title"]["text"] == "DKK million"
    assert trace(figure, "Planned (budget)")["y"] == [100.0, 100.0, 100.0, 100.0]
    assert trace(figure, "Approved by parliament")["y"] == [100.0, 100.0, 100.0, 100.0]
    assert trace(figure, "Disbursed")["y"] == [100.0, 100.0, 100.0, 75.0]
    assert trace(figure, "Disbursed")["customdata"][3] == ["2026", "DKK 75,000,000"]
    assert "million" in trace(figure, "Committed")["hovertemplate"]
    assert is_labelled_illustrative(figure)


def test_portfolio_card_shows_the_year_state_money_risks_and_overdue_actions(iom):
    manager = get_user_model().objects.get(username="manager")
    portfolio = portfolio_build(user=manager, today=datetime.date(2026, 10, 15), year=2026)
    (card,) = portfolio.cards
    assert card.label == "IOM 2023-2026"
    assert card.year_state_label == "Draft"
    assert (card.money.planned, card.money.approved) == (100 * M, 100 * M)
    assert (card.money.committed, card.money.disbursed) == (100 * M, 75 * M)
    assert card.money.execution_rate == Decimal("75.0")
    assert card.money.is_illustrative
    # weak core structure 4×4, budget reform 3×4 and risk-prone environment 5×3 are high;
    # few unearmarked donors and risk management maturity, 3×3, are medium.
    assert {b.band: b.count for b in card.risks.bands} == {
        "critical": 0,
        "high": 3,
        "medium": 2,
        "low": 0,
        "unrated": 0,
    }
    # The 2026 consultation (12 June) left three action points open on 30 June, due 30 September,
    # 29 November and 29 December 2026; on 15 October 2026 the first is overdue.
    assert card.overdue_actions == 1
    assert [item.due_on for item in portfolio.overdue_actions] == [datetime.date(2026, 9, 30)]

    figure = portfolio_figures(portfolio)["risks"]
    assert trace(figure, "High (10-16)")["x"] == [3]
    assert trace(figure, "Medium (5-9)")["x"] == [2]
    assert trace(figure, "Not yet rated")["x"] == [0]
    assert is_labelled_illustrative(figure)


def test_portfolio_rating_matrix_follows_the_assessment_table(iom):
    manager = get_user_model().objects.get(username="manager")
    matrix = portfolio_build(user=manager, today=TODAY).ratings
    assert matrix.years == (2023, 2024, 2025, 2026)
    rows = {row.area_short: [cell.rating for cell in row.cells] for row in matrix.rows}
    assert rows["Priority area 1"] == ["some_delays", "some_delays", "on_track", "not_assessed"]
    assert rows["Priority area 3"] == ["on_track", "some_delays", "on_track", "not_assessed"]
    assert rows["Cross-cutting: Gender responsiveness"][2] == "on_track"
    first = matrix.rows[0].cells[0]
    assert (first.symbol, first.label, first.is_illustrative) == ("◐", "Some delays", True)
    assert matrix.rows[0].cells[3].is_illustrative is False


# --- The strategy dashboard on the IOM data ------------------------------------------------------


def test_budget_execution_by_line_and_year_matches_the_demo_tables(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    lines = {line.code: line for line in dashboard.budget.lines}
    assert [cell.planned for cell in lines["a"].cells] == [48 * M] * 4
    assert [cell.disbursed for cell in lines["a"].cells] == [48 * M] * 4
    assert [cell.disbursed for cell in lines["b"].cells] == [50 * M, 50 * M, 50 * M, 25 * M]
    assert [cell.disbursed for cell in lines["c"].cells] == [2 * M] * 4
    assert lines["b"].cells[3].execution_rate == Decimal("50.0")
    assert dashboard.budget.total.approved == 400 * M
    assert dashboard.budget.total.disbursed == 375 * M

    figure = strategy_figures(dashboard)["budget"]
    outer, inner = figure["data"][0]["x"]
    assert inner[:4] == ["2023", "2024", "2025", "2026"]
    assert outer[0].startswith("a) Core funding") and outer[4].startswith("b) Soft")
    assert trace(figure, "Disbursed")["y"] == [48.0] * 4 + [50.0, 50.0, 50.0, 25.0] + [2.0] * 4
    assert trace(figure, "Approved by parliament")["y"][3] == 48.0
    assert is_labelled_illustrative(figure)


def test_indicator_progress_is_actual_against_target_by_priority_area(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    rows = dashboard.indicators.rows
    assert [row.area_short for row in rows].count("Priority area 1") == 3
    share = rows[0]
    assert share.title.startswith("Share of the organisation's income")
    assert [(p.year, p.target, p.actual) for p in share.points[:3]] == [
        (2023, Decimal("2.2"), Decimal("2.1")),
        (2024, Decimal("2.5"), Decimal("2.4")),
        (2025, Decimal("2.8"), Decimal("2.8")),
    ]
    assert [p.achievement for p in share.points] == [
        Decimal("95.5"),
        Decimal("96.0"),
        Decimal("100.0"),
        None,
    ]
    investigations = rows[2]  # lower is better: 220 targeted, 228 taken in 2023
    assert investigations.points[0].achievement == Decimal("96.5")

    figure = strategy_figures(dashboard)["indicators"]
    assert [t["name"] for t in figure["data"]] == ["2023", "2024", "2025"]
    assert figure["data"][0]["x"][0] == 95.5
    assert figure["data"][0]["y"][0].startswith("PA 1 · Share of the organisation")
    assert "Target 2.2, actual 2.1 (%)" in figure["data"][0]["customdata"][0][1]
    assert figure["layout"]["shapes"][0]["x0"] == 100
    assert is_labelled_illustrative(figure)


def test_ratings_and_heat_map_figures_follow_the_demo_data(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    figures = strategy_figures(dashboard)

    ratings = figures["ratings"]["data"][0]
    assert ratings["x"] == ["2023", "2024", "2025", "2026"]
    assert ratings["text"][0] == [
        "◐ Some delays *",
        "◐ Some delays *",
        "✓ On track *",
        "– Not assessed",
    ]
    assert is_labelled_illustrative(figures["ratings"])
    assert "* Illustrative rating" in labels(figures["ratings"])

    traces = figures["heatmap"]["data"]
    assert len(traces) == 8  # one per band in each of the two panels

    def counts(panel: list[dict]) -> dict[tuple[int, int], int]:
        return {
            (likelihood, impact): count
            for trace in panel
            for likelihood, row in enumerate(trace["z"], start=1)
            for impact, count in enumerate(row, start=1)
            if count is not None
        }

    # 4×4, 3×4, 3×3 twice and 5×3 before the response.
    assert counts(traces[:4]) == {(4, 4): 1, (3, 4): 1, (3, 3): 2, (5, 3): 1}
    residual = counts(traces[4:])
    assert residual[3, 3] == 2 and residual[2, 2] == 1
    assert is_labelled_illustrative(figures["heatmap"])


def test_allocations_by_region_count_niger_and_ethiopia_in_africa(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    regions = {r.label: r for r in dashboard.allocations.regions}
    # Niger 20m a year for 2023-2026; Ethiopia 12m a year and Somalia 15m in 2023-2025.
    assert regions["West and Central Africa"].approved == 80 * M
    assert regions["East and the Horn of Africa"].approved == 93 * M
    assert regions["East and the Horn of Africa"].pending == 0
    assert dashboard.allocations.africa_share_of_approved == Decimal("100.0")

    figure = strategy_figures(dashboard)["allocations"]
    assert trace(figure, "Approved")["x"] == [80.0, 93.0]
    assert trace(figure, "Awaiting decision")["x"] == [0.0, 0.0]
    assert trace(figure, "Approved")["y"][0] == "West and Central Africa (Africa)"
    assert is_labelled_illustrative(figure)


def test_denmark_ranks_fourth_of_the_unearmarked_donors_in_2021(iom):
    donors = strategy_dashboard_build(strategy=iom, today=TODAY).donors
    assert donors.year == 2021
    assert (donors.home_rank, donors.donor_count) == (4, 15)
    assert donors.home_amount == Decimal("4100000")
    assert [d.member_state for d in donors.donors[:3]] == [
        "Sweden",
        "United Kingdom",
        "United States of America",
    ]
    assert donors.unearmarked_share.value == Decimal("1.7")
    assert donors.unearmarked_share.year == 2021
    assert {s.value for s in donors.income_shares} == {
        Decimal("95.9"),
        Decimal("1.7"),
        Decimal("2.4"),
    }


def test_donor_figure_draws_denmark_apart_and_is_not_labelled_illustrative(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    figure = strategy_figures(dashboard)["donors"]
    bars = figure["data"][0]
    assert bars["y"][3] == "4. Denmark" and bars["x"][3] == 4.1
    assert bars["text"][3] == "4.10"
    assert bars["marker"]["color"][3] != bars["marker"]["color"][0]
    assert bars["marker"]["pattern"]["shape"][3] == "/"
    assert figure["layout"]["yaxis"]["ticktext"][3] == "<b>4. Denmark</b>"
    assert "USD million" in figure["layout"]["title"]["text"]
    # Annex 3 is a fact of the document, not illustrative data.
    assert not is_labelled_illustrative(figure)


def test_income_share_is_not_available_without_the_key_figure(iom):
    KeyFigure.objects.filter(key__startswith="income-unearmarked-share").delete()
    donors = strategy_dashboard_build(strategy=iom, today=TODAY).donors
    assert donors.unearmarked_share is None
    assert donors.home_rank == 4


def test_figures_are_cached_under_the_report_and_rebuilt_when_it_changes(iom):
    dashboard = strategy_dashboard_build(strategy=iom, today=TODAY)
    calls = []

    def build(report):
        calls.append(report)
        return strategy_figures(report)

    first = figures_cached(dashboard, build)
    assert figures_cached(dashboard, build) == first
    assert len(calls) == 1
    changed = strategy_dashboard_build(strategy=iom, today=datetime.date(2026, 7, 1))
    figures_cached(changed, build)
    assert len(calls) == 2

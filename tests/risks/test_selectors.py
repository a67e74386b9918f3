"""Reads of the register: score bands, counts, rating history order and the heat map."""

import datetime

import pytest

from risks.choices import SCORE_BAND_RANGES, RiskStatus, ScoreBand, score_band
from risks.models import Risk
from risks.selectors import risk_counts, risk_heatmap, risk_page, risk_ratings
from tests.priorities.factories import StrategyFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


# Score bands.


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, ScoreBand.LOW),
        (4, ScoreBand.LOW),
        (5, ScoreBand.MEDIUM),
        (9, ScoreBand.MEDIUM),
        (10, ScoreBand.HIGH),
        (16, ScoreBand.HIGH),
        (20, ScoreBand.CRITICAL),
        (25, ScoreBand.CRITICAL),
        (None, ScoreBand.UNRATED),
    ],
)
def test_score_band_edges(score, band):
    assert score_band(score) == band


def test_every_possible_score_has_a_band_and_none_is_not_yet_rated():
    scores = {likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)}
    assert {score_band(score) for score in scores} == set(SCORE_BAND_RANGES)
    assert score_band(None) == ScoreBand.UNRATED
    with pytest.raises(ValueError):
        score_band(0)


def test_in_band_matches_the_python_band(strategy):
    for likelihood, impact in [(1, 1), (2, 3), (3, 4), (4, 5), (5, 5)]:
        RiskFactory(strategy=strategy, likelihood=likelihood, impact=impact)
    RiskFactory(strategy=strategy)
    risks = Risk.objects.filter(strategy=strategy)
    for band in ScoreBand:
        expected = {risk.pk for risk in risks if risk.score_band == band}
        assert set(risks.in_band(band).values_list("pk", flat=True)) == expected, band
    assert risks.in_band(ScoreBand.UNRATED).count() == 1


# Counts: not yet rated is its own count, never a score of 0 or "low".


def test_counts_keep_unrated_risks_apart_from_low_ones(strategy):
    RiskFactory(strategy=strategy)
    RiskFactory(strategy=strategy)
    RiskFactory(strategy=strategy, likelihood=1, impact=2)
    RiskFactory(strategy=strategy, likelihood=4, impact=5, residual_likelihood=2, residual_impact=2)
    RiskFactory(
        strategy=strategy,
        likelihood=5,
        impact=5,
        status=RiskStatus.CLOSED,
        closed_reason="Ended.",
    )
    RiskFactory(strategy=StrategyFactory(), likelihood=5, impact=5)
    counts = risk_counts(strategy=strategy, today=TODAY)
    assert dict(counts.by_band) == {
        ScoreBand.CRITICAL: 1,
        ScoreBand.HIGH: 0,
        ScoreBand.MEDIUM: 0,
        ScoreBand.LOW: 1,
        ScoreBand.UNRATED: 2,
    }
    assert (counts.open, counts.closed, counts.unrated, counts.rated) == (4, 1, 2, 2)


def test_counts_overdue_only_open_risks_reviewed_before_today(strategy):
    past = TODAY - datetime.timedelta(days=1)
    RiskFactory(strategy=strategy, next_review=past)
    RiskFactory(strategy=strategy, next_review=TODAY)
    RiskFactory(strategy=strategy, next_review=None)
    RiskFactory(
        strategy=strategy, next_review=past, status=RiskStatus.CLOSED, closed_reason="Done."
    )
    assert risk_counts(strategy=strategy, today=TODAY).overdue == 1


def test_counts_of_an_empty_register_are_zero(strategy):
    counts = risk_counts(strategy=strategy, today=TODAY)
    assert counts.open == counts.unrated == counts.overdue == 0


# Rating history order.


def test_ratings_are_listed_newest_first_and_same_day_ratings_in_reverse_entry_order(strategy):
    risk = RiskFactory(strategy=strategy)
    middle = RiskRatingFactory(risk=risk, rated_on=datetime.date(2024, 3, 1))
    oldest = RiskRatingFactory(risk=risk, rated_on=datetime.date(2023, 3, 1))
    same_day_first = RiskRatingFactory(risk=risk, rated_on=datetime.date(2025, 1, 10))
    same_day_second = RiskRatingFactory(risk=risk, rated_on=datetime.date(2025, 1, 10))
    RiskRatingFactory(rated_on=datetime.date(2025, 2, 1))
    expected = [same_day_second, same_day_first, middle, oldest]
    assert list(risk_ratings(risk=risk)) == expected
    page = risk_page(strategy=strategy, pk=risk.pk)
    assert list(page.ratings) == expected
    assert list(page.ratings_oldest_first) == expected[::-1]


def test_risk_page_refuses_a_risk_of_another_strategy(strategy, other_strategy):
    risk = RiskFactory(strategy=other_strategy)
    with pytest.raises(Risk.DoesNotExist):
        risk_page(strategy=strategy, pk=risk.pk)


# The heat map.


def test_heatmap_places_rated_open_risks_and_lists_unrated_ones_apart(strategy):
    high = RiskFactory(
        strategy=strategy, likelihood=4, impact=3, residual_likelihood=2, residual_impact=3
    )
    same_cell = RiskFactory(
        strategy=strategy, likelihood=4, impact=3, residual_likelihood=4, residual_impact=3
    )
    no_residual = RiskFactory(strategy=strategy, likelihood=1, impact=5)
    unrated = RiskFactory(strategy=strategy)
    RiskFactory(
        strategy=strategy,
        likelihood=5,
        impact=5,
        status=RiskStatus.CLOSED,
        closed_reason="Ended.",
    )
    RiskFactory(strategy=StrategyFactory(), likelihood=5, impact=5)

    heatmap = risk_heatmap(strategy=strategy)

    assert heatmap.open_count == 4
    assert [ref.pk for ref in heatmap.unrated] == [unrated.pk]
    assert [ref.pk for ref in heatmap.residual_unrated] == [no_residual.pk]
    inherent = {(c.likelihood, c.impact): [r.pk for r in c.risks] for c in heatmap.inherent.cells}
    assert inherent[(4, 3)] == [high.pk, same_cell.pk]
    assert inherent[(1, 5)] == [no_residual.pk]
    assert heatmap.inherent.placed == 3
    assert heatmap.residual.placed == 2
    residual = {(c.likelihood, c.impact): [r.pk for r in c.risks] for c in heatmap.residual.cells}
    assert residual[(2, 3)] == [high.pk]
    assert residual[(4, 3)] == [same_cell.pk]
    # No cell holds an unrated or a closed risk.
    placed = {ref.pk for cell in heatmap.inherent.cells for ref in cell.risks}
    assert unrated.pk not in placed
    assert len(placed) == 3


def test_heatmap_is_five_by_five_with_likelihood_five_on_top(strategy):
    heatmap = risk_heatmap(strategy=strategy)
    for matrix in heatmap.matrices:
        assert len(matrix.rows) == 5
        assert all(len(row) == 5 for row in matrix.rows)
        assert [row[0].likelihood for row in matrix.rows] == [5, 4, 3, 2, 1]
        assert [cell.impact for cell in matrix.rows[0]] == [1, 2, 3, 4, 5]
        assert matrix.placed == 0
    assert matrix.rows[0][4].score == 25
    assert matrix.rows[0][4].band == ScoreBand.CRITICAL


def test_heatmap_of_only_unrated_risks_places_none(strategy):
    RiskFactory.create_batch(3, strategy=strategy)
    heatmap = risk_heatmap(strategy=strategy)
    assert heatmap.inherent.placed == heatmap.residual.placed == 0
    assert heatmap.inherent.max_count == 0
    assert len(heatmap.unrated) == 3
    # Unrated risks are not "missing a residual rating": they are not rated at all.
    assert heatmap.residual_unrated == ()


def test_heatmap_notes_illustrative_ratings(strategy):
    RiskFactory(strategy=strategy, likelihood=2, impact=2, rating_is_illustrative=True)
    heatmap = risk_heatmap(strategy=strategy)
    assert heatmap.has_illustrative
    assert heatmap.inherent.rows[3][1].risks[0].is_illustrative

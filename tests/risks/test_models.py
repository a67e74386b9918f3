"""The rules the risk register keeps: in clean() for forms, and in the database as well."""

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from risks.choices import RiskStatus, ScoreBand
from risks.models import Risk, RiskRating
from strategy_monitor.models import NaturalKeyModel
from tests.priorities.factories import StrategyFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory
from tests.validation import clean_errors, constraint_codes, constraint_messages

pytestmark = pytest.mark.django_db

RATINGS = ["likelihood", "impact", "residual_likelihood", "residual_impact"]
PAIRS = [("likelihood", "impact"), ("residual_likelihood", "residual_impact")]


def risk(**fields) -> Risk:
    return RiskFactory.build(strategy=StrategyFactory(), **fields)


def rating(**fields) -> RiskRating:
    return RiskRatingFactory.build(risk=RiskFactory(), **fields)


def full_rating(field: str, value: int) -> dict[str, int]:
    """Return a whole rating, both pairs at 3, with `field` set to `value`."""
    return {**dict.fromkeys(RATINGS, 3), field: value}


ABOVE_INHERENT = {"likelihood": 2, "impact": 2, "residual_likelihood": 3, "residual_impact": 2}


# Ratings from 1 to 5, in pairs.


@pytest.mark.parametrize("value", [0, 6])
@pytest.mark.parametrize("field", RATINGS)
@pytest.mark.parametrize("build", [risk, rating], ids=["risk", "rating"])
def test_rating_refuses_value_outside_one_to_five(build, field, value):
    row = build(**full_rating(field, value))
    assert clean_errors(row)[field][0].code == "invalid_choice"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.parametrize("build", [risk, rating], ids=["risk", "rating"])
def test_rating_accepts_every_value_from_one_to_five(build):
    for value in range(1, 6):
        build(**dict.fromkeys(RATINGS, value)).full_clean()


@pytest.mark.parametrize(("likelihood", "impact"), PAIRS, ids=["inherent", "residual"])
@pytest.mark.parametrize("build", [risk, rating], ids=["risk", "rating"])
def test_rating_refuses_likelihood_without_impact(build, likelihood, impact):
    row = build(**{**dict.fromkeys(RATINGS, 2), impact: None})
    errors = clean_errors(row)
    assert errors[impact][0].code == "half_rating"
    assert errors[impact][0].messages == ["Rate both likelihood and impact, or neither."]
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.parametrize(
    ("build", "likelihood"),
    [(risk, "likelihood"), (risk, "residual_likelihood"), (rating, "residual_likelihood")],
    ids=["risk-inherent", "risk-residual", "rating-residual"],
)
def test_rating_refuses_impact_without_likelihood(build, likelihood):
    row = build(**{**dict.fromkeys(RATINGS, 2), likelihood: None})
    errors = clean_errors(row)
    assert errors[likelihood][0].code == "half_rating"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_risk_rating_refuses_impact_without_likelihood():
    row = rating(likelihood=None, impact=2)
    assert clean_errors(row)["likelihood"][0].code == "required"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_risk_may_stay_unrated():
    row = risk()
    row.full_clean()
    row.save()
    assert not row.is_rated


def test_risk_may_be_rated_without_a_residual_rating():
    risk(likelihood=4, impact=5).full_clean()


def test_risk_refuses_residual_rating_without_inherent_rating():
    row = risk(residual_likelihood=2, residual_impact=2)
    assert clean_errors(row)["likelihood"][0].code == "residual_without_inherent"


# Residual risk above the inherent risk.


@pytest.mark.parametrize("justification", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("build", [risk, rating], ids=["risk", "rating"])
def test_residual_above_inherent_needs_a_justification(build, justification):
    row = build(**ABOVE_INHERENT, residual_justification=justification)
    errors = clean_errors(row)
    assert errors["residual_justification"][0].code == "residual_above_inherent"


@pytest.mark.parametrize("build", [risk, rating], ids=["risk", "rating"])
def test_residual_above_inherent_with_justification_is_accepted(build):
    justification = "The response depends on a partner that has withdrawn."
    build(**ABOVE_INHERENT, residual_justification=justification).full_clean()


def test_residual_at_or_below_inherent_needs_no_justification():
    risk(likelihood=3, impact=3, residual_likelihood=3, residual_impact=3).full_clean()
    risk(likelihood=3, impact=3, residual_likelihood=1, residual_impact=5).full_clean()


# Closing a risk.


def test_closing_a_risk_needs_a_reason():
    row = risk(status=RiskStatus.CLOSED)
    errors = clean_errors(row)
    assert errors["closed_reason"][0].code == "reason_required"
    assert errors["closed_reason"][0].messages == ["Give the reason for closing the risk."]
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_closing_a_risk_refuses_blank_reason():
    row = risk(status=RiskStatus.CLOSED, closed_reason="  ")
    assert clean_errors(row)["closed_reason"][0].code == "reason_required"


def test_closed_risk_with_reason_is_accepted():
    row = risk(status=RiskStatus.CLOSED, closed_reason="The programme ended.")
    row.full_clean()
    row.save()


def test_risk_key_is_unique_per_strategy():
    first = RiskFactory()
    duplicate = RiskFactory.build(strategy=first.strategy, key=first.key)
    assert constraint_messages(duplicate) == ["The strategy already has a risk with that key."]
    assert constraint_codes(duplicate) == ["duplicate_key"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(strategy=first.strategy, key=first.key)


# Re-ratings.


def test_risk_rating_needs_a_rating():
    row = rating(likelihood=None, impact=None)
    assert clean_errors(row)["likelihood"][0].code == "required"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_risk_rating_needs_an_impact_with_its_likelihood():
    row = rating(likelihood=3, impact=None)
    assert clean_errors(row)["impact"][0].code == "half_rating"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


# Scores computed by the database.


@pytest.mark.parametrize("model_factory", [RiskFactory, RiskRatingFactory], ids=["risk", "rating"])
def test_score_is_likelihood_times_impact_read_back_from_the_database(model_factory):
    row = model_factory(likelihood=4, impact=5, residual_likelihood=2, residual_impact=3)
    row.refresh_from_db()
    assert (row.score, row.residual_score) == (20, 6)
    assert type(row).objects.filter(score=20, residual_score=6).get() == row


def test_score_follows_a_re_rating():
    row = RiskFactory(likelihood=2, impact=2)
    row.likelihood, row.impact = 5, 5
    row.save()
    row.refresh_from_db()
    assert row.score == 25


def test_score_is_empty_while_unrated():
    row = RiskFactory()
    row.refresh_from_db()
    assert (row.score, row.residual_score) == (None, None)
    assert not row.is_rated


def test_score_band_follows_the_score_from_the_database():
    row = RiskFactory(likelihood=4, impact=5, residual_likelihood=1, residual_impact=2)
    row.refresh_from_db()
    assert (row.score_band, row.residual_band) == (ScoreBand.CRITICAL, ScoreBand.LOW)
    unrated = RiskFactory()
    unrated.refresh_from_db()
    assert unrated.score_band == ScoreBand.UNRATED


def test_register_sorts_by_score():
    strategy = StrategyFactory()
    low = RiskFactory(strategy=strategy, likelihood=1, impact=2)
    high = RiskFactory(strategy=strategy, likelihood=4, impact=4)
    RiskFactory(strategy=strategy)
    rated = Risk.objects.filter(strategy=strategy, score__isnull=False).order_by("-score")
    assert list(rated) == [high, low]


# Change history.


def test_saving_a_risk_records_a_change_in_history():
    row = RiskFactory()
    before = row.history.count()
    row.likelihood, row.impact = 3, 3
    row.save()
    assert row.history.count() == before + 1
    latest = row.history.first()
    assert (latest.likelihood, latest.impact) == (3, 3)
    # The database computes the scores; the history keeps the ratings they come from.
    assert not hasattr(latest, "score")


def test_saving_a_risk_rating_records_a_change_in_history():
    row = RiskRatingFactory()
    before = row.history.count()
    row.note = "Re-rated after the consultation."
    row.save()
    assert row.history.count() == before + 1


# Natural keys.


def test_every_risks_model_with_a_natural_key_is_round_tripped():
    models = apps.get_app_config("risks").get_models()
    assert {model for model in models if issubclass(model, NaturalKeyModel)} == {Risk}


def test_risk_natural_key_finds_the_row_again():
    row = RiskFactory()
    RiskFactory(key=row.key)
    assert Risk.objects.get_by_natural_key(*row.natural_key()) == row

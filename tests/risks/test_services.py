"""The register's writes: rating rules, re-rating history, review dates, closing and reopening."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from risks import services
from risks.choices import RiskCategory, RiskStatus
from risks.models import Risk, RiskRating
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.forms import error_codes
from tests.priorities.factories import PriorityAreaFactory, StrategyFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)
NOW = datetime.datetime(2025, 6, 16, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def rate(risk, user, **overrides) -> RiskRating:
    values = {
        "likelihood": 4,
        "impact": 3,
        "residual_likelihood": 2,
        "residual_impact": 3,
        "residual_justification": "",
        "note": "",
        "rated_on": TODAY,
    }
    values.update(overrides)
    return services.risk_rate(risk=risk, user=user, **values)


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


# Likelihood and impact: whole numbers from 1 to 5.


@pytest.mark.parametrize(
    "field", ["likelihood", "impact", "residual_likelihood", "residual_impact"]
)
@pytest.mark.parametrize(
    ("value", "code"), [(0, "out_of_range"), (6, "out_of_range"), (-1, "out_of_range")]
)
def test_rate_refuses_a_rating_outside_one_to_five(desk, strategy, field, value, code):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, **{field: value})
    assert field_codes(error, field) == {code}
    assert "from 1 to 5" in error.error_dict[field][0].messages[0]
    assert not risk.ratings.exists()


@pytest.mark.parametrize("value", [2.5, 3.0, Decimal("3"), "3", True])
@pytest.mark.parametrize("field", ["likelihood", "residual_impact"])
def test_rate_refuses_a_rating_that_is_not_a_whole_number(desk, strategy, field, value):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, **{field: value})
    assert field_codes(error, field) == {"not_whole_number"}
    assert "whole number" in error.error_dict[field][0].messages[0]


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_rate_accepts_every_whole_number_from_one_to_five(desk, strategy, value):
    risk = RiskFactory(strategy=strategy)
    rate(
        risk,
        desk,
        likelihood=value,
        impact=value,
        residual_likelihood=value,
        residual_impact=value,
    )
    risk.refresh_from_db()
    assert risk.score == value * value


def test_rate_refuses_half_a_residual_rating(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, residual_impact=None)
    assert field_codes(error, "residual_impact") == {"half_rating"}


def test_rate_needs_an_inherent_rating(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, likelihood=None, impact=None)
    assert field_codes(error, "likelihood") == {"required"}


# A residual rating above the inherent one needs a justification.


def test_rate_refuses_residual_above_inherent_without_justification(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(
        rate,
        risk=risk,
        user=desk,
        likelihood=2,
        impact=2,
        residual_likelihood=3,
        residual_impact=3,
        residual_justification="   ",
    )
    assert field_codes(error, "residual_justification") == {"residual_above_inherent"}
    assert "explain why" in error.error_dict["residual_justification"][0].messages[0]
    assert not risk.ratings.exists()


def test_rate_accepts_residual_above_inherent_with_justification(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    rate(
        risk,
        desk,
        likelihood=2,
        impact=2,
        residual_likelihood=3,
        residual_impact=3,
        residual_justification="The response relies on a donor that has withdrawn.",
    )
    risk.refresh_from_db()
    assert (risk.score, risk.residual_score) == (4, 9)
    assert risk.residual_justification.startswith("The response relies")


def test_rate_accepts_residual_equal_to_inherent_without_justification(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    rate(risk, desk, likelihood=3, impact=3, residual_likelihood=3, residual_impact=3)
    assert risk.ratings.count() == 1


# A re-rating is a new dated record, never an overwrite.


def test_rating_an_unrated_risk_records_a_rating_and_makes_it_current(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    assert not risk.is_rated
    rating = rate(risk, desk, note="First rating.")
    assert rating.becomes_current
    assert (rating.rated_by, rating.rated_on, rating.note) == (desk, TODAY, "First rating.")
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score) == (4, 3, 12)
    assert (risk.residual_likelihood, risk.residual_impact, risk.residual_score) == (2, 3, 6)
    assert risk.history.first().history_user == desk


def test_re_rating_adds_a_record_and_keeps_the_earlier_one(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    first = rate(risk, desk, rated_on=TODAY - datetime.timedelta(days=30))
    second = rate(risk, desk, likelihood=5, impact=5, residual_likelihood=4, residual_impact=4)
    first.refresh_from_db()
    assert (first.likelihood, first.impact) == (4, 3)
    assert list(risk.ratings.order_by("-rated_on", "-id")) == [second, first]
    risk.refresh_from_db()
    assert risk.score == 25


def test_re_rating_dated_before_the_latest_is_kept_but_not_current(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    rate(risk, desk, likelihood=2, impact=2, residual_likelihood=1, residual_impact=1)
    earlier = rate(
        risk,
        desk,
        rated_on=TODAY - datetime.timedelta(days=90),
        likelihood=5,
        impact=5,
        residual_likelihood=5,
        residual_impact=4,
    )
    assert not earlier.becomes_current
    assert risk.ratings.count() == 2
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score) == (2, 2, 4)


def test_a_second_rating_on_the_same_day_becomes_current(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    rate(risk, desk, likelihood=2, impact=2, residual_likelihood=1, residual_impact=1)
    later = rate(risk, desk, likelihood=3, impact=3, residual_likelihood=2, residual_impact=2)
    assert later.becomes_current
    risk.refresh_from_db()
    assert risk.score == 9


def test_rate_refuses_a_date_in_the_future(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, rated_on=TODAY + datetime.timedelta(days=1))
    assert field_codes(error, "rated_on") == {"future_date"}


def test_a_users_rating_clears_the_illustrative_label(desk, strategy):
    risk = RiskFactory(strategy=strategy, likelihood=3, impact=3, rating_is_illustrative=True)
    RiskRatingFactory(
        risk=risk, rated_on=TODAY - datetime.timedelta(days=400), is_illustrative=True
    )
    rating = rate(risk, desk)
    assert not rating.is_illustrative
    risk.refresh_from_db()
    assert not risk.rating_is_illustrative


def test_an_earlier_dated_rating_leaves_the_illustrative_label_of_the_current_one(desk, strategy):
    risk = RiskFactory(strategy=strategy, likelihood=3, impact=3, rating_is_illustrative=True)
    RiskRatingFactory(risk=risk, rated_on=TODAY, is_illustrative=True)
    rate(risk, desk, rated_on=TODAY - datetime.timedelta(days=10))
    risk.refresh_from_db()
    assert risk.rating_is_illustrative
    assert risk.score == 9


def test_rate_refuses_a_closed_risk(desk, strategy):
    risk = RiskFactory(strategy=strategy, status=RiskStatus.CLOSED, closed_reason="Ended.")
    error = refused(rate, risk=risk, user=desk)
    assert error_codes(error) == {"risk_closed"}
    assert not risk.ratings.exists()


def test_rate_sets_the_next_review_date(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    rate(risk, desk, next_review=TODAY + datetime.timedelta(days=180))
    risk.refresh_from_db()
    assert risk.next_review == datetime.date(2025, 12, 13)


# The next review is not in the past on save; today is allowed.


def test_rate_refuses_a_next_review_in_the_past(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(rate, risk=risk, user=desk, next_review=TODAY - datetime.timedelta(days=1))
    assert field_codes(error, "next_review") == {"past_review_date"}
    assert "cannot be in the past" in error.error_dict["next_review"][0].messages[0]
    assert not risk.ratings.exists()


def test_create_refuses_a_next_review_in_the_past(desk, strategy):
    error = refused(
        services.risk_create,
        strategy=strategy,
        title="Funding gap",
        next_review=datetime.date(2025, 6, 15),
        user=desk,
    )
    assert field_codes(error, "next_review") == {"past_review_date"}
    assert not Risk.objects.filter(strategy=strategy).exists()


def test_create_accepts_today_as_next_review(desk, strategy):
    risk = services.risk_create(
        strategy=strategy, title="Funding gap", next_review=TODAY, user=desk
    )
    assert risk.next_review == TODAY
    assert not risk.is_overdue


def test_next_review_rule_follows_the_calendar(desk, strategy):
    review = datetime.date(2025, 7, 1)
    risk = services.risk_create(strategy=strategy, title="Gap", next_review=review, user=desk)
    with time_machine.travel(
        datetime.datetime(2025, 7, 2, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    ):
        risk.refresh_from_db()
        assert risk.is_overdue
        assert list(Risk.objects.overdue(datetime.date(2025, 7, 2))) == [risk]
        error = refused(
            services.risk_create, strategy=strategy, title="Other", next_review=review, user=desk
        )
        assert field_codes(error, "next_review") == {"past_review_date"}


# Adding and editing risks.


def test_create_adds_an_unrated_risk_with_a_unique_key(desk, strategy):
    area = PriorityAreaFactory(strategy=strategy)
    first = services.risk_create(
        strategy=strategy,
        title="Weak core structure",
        category=RiskCategory.INSTITUTIONAL,
        priority_areas=[area],
        owner=desk,
        user=desk,
    )
    second = services.risk_create(strategy=strategy, title="Weak core structure", user=desk)
    assert (first.key, second.key) == ("weak-core-structure", "weak-core-structure-2")
    assert second.order > first.order
    assert not first.is_rated
    assert list(first.priority_areas.all()) == [area]
    assert first.history.first().history_user == desk
    assert first.history.first().history_change_reason == "Risk added"


def test_create_refuses_a_priority_area_of_another_strategy(desk, strategy):
    elsewhere = PriorityAreaFactory(strategy=StrategyFactory())
    error = refused(
        services.risk_create,
        strategy=strategy,
        title="Gap",
        priority_areas=[elsewhere],
        user=desk,
    )
    assert field_codes(error, "priority_areas") == {"other_strategy"}


def test_create_refuses_an_owner_who_is_not_on_the_team(desk, outsider, strategy):
    error = refused(services.risk_create, strategy=strategy, title="Gap", owner=outsider, user=desk)
    assert field_codes(error, "owner") == {"not_on_team"}


def update(risk, user, version, **overrides) -> Risk:
    values = {
        "title": risk.title,
        "category": risk.category,
        "description": risk.description,
        "response": risk.response,
        "priority_areas": list(risk.priority_areas.all()),
        "owner": risk.owner,
        "next_review": risk.next_review,
    }
    values.update(overrides)
    return services.risk_update(risk=risk, version=version, user=user, **values)


def test_update_changes_the_response_and_names_it_in_the_history(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    update(risk, desk, version_token(risk), response="Denmark raises it at the consultations.")
    risk.refresh_from_db()
    assert risk.response == "Denmark raises it at the consultations."
    assert risk.history.first().history_change_reason == "Changed response"
    assert risk.history.first().history_user == desk


def test_update_refuses_a_stale_copy(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    stale = version_token(risk)
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        update(Risk.objects.get(pk=risk.pk), desk, stale, response="First edit.")
    error = refused(
        update, risk=Risk.objects.get(pk=risk.pk), user=desk, version=stale, response="Second."
    )
    assert error_codes(error) == {STALE_CODE}
    risk.refresh_from_db()
    assert risk.response == "First edit."


def test_update_refuses_a_changed_next_review_in_the_past(desk, strategy):
    risk = RiskFactory(strategy=strategy, next_review=datetime.date(2025, 9, 1))
    error = refused(
        update,
        risk=risk,
        user=desk,
        version=version_token(risk),
        next_review=datetime.date(2025, 1, 1),
    )
    assert field_codes(error, "next_review") == {"past_review_date"}


def test_update_keeps_an_overdue_review_date_that_was_left_as_it_was(desk, strategy):
    # The date that has passed is what makes the risk overdue; editing the response keeps it.
    risk = RiskFactory(strategy=strategy, next_review=datetime.date(2025, 3, 1))
    update(risk, desk, version_token(risk), response="Updated response.")
    risk.refresh_from_db()
    assert risk.response == "Updated response."
    assert risk.is_overdue


# Closing and reopening.


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_close_refuses_a_missing_reason(desk, strategy, reason):
    risk = RiskFactory(strategy=strategy)
    error = refused(services.risk_close, risk=risk, reason=reason, user=desk)
    assert field_codes(error, "closed_reason") == {"reason_required"}
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def test_close_records_the_reason_and_who_closed(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    services.risk_close(
        risk=risk, reason="The budget reform was approved.", version=version_token(risk), user=desk
    )
    risk.refresh_from_db()
    assert (risk.status, risk.closed_reason) == (
        RiskStatus.CLOSED,
        "The budget reform was approved.",
    )
    change = risk.history.first()
    assert change.history_user == desk
    assert change.history_change_reason == "Closed: The budget reform was approved."


def test_close_refuses_a_risk_already_closed(desk, strategy):
    risk = RiskFactory(strategy=strategy, status=RiskStatus.CLOSED, closed_reason="Done.")
    error = refused(services.risk_close, risk=risk, reason="Again.", user=desk)
    assert error_codes(error) == {"already_closed"}


def test_reopen_clears_the_reason_and_keeps_it_in_the_history(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    services.risk_close(risk=risk, reason="Reform approved.", user=desk)
    services.risk_reopen(
        risk=risk, note="Reform postponed.", next_review=datetime.date(2025, 9, 1), user=desk
    )
    risk.refresh_from_db()
    assert (risk.status, risk.closed_reason) == (RiskStatus.OPEN, "")
    assert risk.next_review == datetime.date(2025, 9, 1)
    reasons = list(risk.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["Reopened: Reform postponed.", "Closed: Reform approved."]
    assert risk.history.all()[1].closed_reason == "Reform approved."


def test_reopen_refuses_an_open_risk_and_a_past_review_date(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    assert error_codes(refused(services.risk_reopen, risk=risk, user=desk)) == {"already_open"}
    risk.status, risk.closed_reason = RiskStatus.CLOSED, "Done."
    risk.save()
    error = refused(
        services.risk_reopen, risk=risk, next_review=datetime.date(2025, 1, 1), user=desk
    )
    assert field_codes(error, "next_review") == {"past_review_date"}


def test_a_refused_rating_names_all_its_problems_at_once(desk, strategy):
    risk = RiskFactory(strategy=strategy)
    error = refused(
        rate,
        risk=risk,
        user=desk,
        likelihood=2,
        impact=2,
        residual_likelihood=4,
        residual_impact=4,
        rated_on=TODAY + datetime.timedelta(days=2),
        next_review=TODAY - datetime.timedelta(days=2),
    )
    assert {field: field_codes(error, field) for field in error.error_dict} == {
        "residual_justification": {"residual_above_inherent"},
        "rated_on": {"future_date"},
        "next_review": {"past_review_date"},
    }

"""The admin re-rates risks through `risk_rate`; ratings are added there, never overwritten.

Each refused input shows as an error on the admin form, with its code, and nothing is saved.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from risks.choices import RiskStatus
from risks.models import Risk, RiskRating
from tests.priorities.admin_forms import (
    admin_post,
    admin_url,
    client_for,
    form_error_codes,
    superuser_create,
)
from tests.priorities.factories import PriorityAreaFactory, UserFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return superuser_create()


@pytest.fixture
def client_super(superuser):
    return client_for(superuser)


TODAY = datetime.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def frozen_today():
    now = datetime.datetime(2025, 6, 16, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with time_machine.travel(now, tick=False):
        yield


def rating_values(risk, **values) -> dict:
    return {
        "risk": risk.pk,
        "rated_on": TODAY.isoformat(),
        "likelihood": "4",
        "impact": "3",
        "residual_likelihood": "2",
        "residual_impact": "3",
        **values,
    }


def test_admin_re_rates_a_risk_through_the_service(client_super, superuser, strategy):
    risk = RiskFactory(strategy=strategy)
    response = admin_post(client_super, RiskRating, "add", **rating_values(risk))
    assert response.status_code == 302, response.context["errors"]
    rating = RiskRating.objects.get()
    assert rating.rated_by == superuser
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score) == (4, 3, 12)
    assert risk.history.first().history_change_reason == "Re-rated as of 16 Jun 2025"


def test_admin_refuses_a_rating_dated_in_the_future(client_super, strategy):
    risk = RiskFactory(strategy=strategy)
    response = admin_post(
        client_super, RiskRating, "add", **rating_values(risk, rated_on="2025-06-17")
    )
    assert form_error_codes(response, "rated_on") == {"future_date"}
    assert not RiskRating.objects.exists()


def test_admin_refuses_re_rating_a_closed_risk(client_super, strategy):
    risk = RiskFactory(strategy=strategy, status=RiskStatus.CLOSED, closed_reason="Ended.")
    response = admin_post(client_super, RiskRating, "add", **rating_values(risk))
    assert form_error_codes(response) == {"risk_closed"}
    assert not RiskRating.objects.exists()


def test_admin_shows_a_rating_without_changing_it(client_super, strategy):
    rating = RiskRatingFactory(risk=RiskFactory(strategy=strategy))
    url = admin_url(RiskRating, "change", rating.pk)
    page = client_super.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client_super.post(url, rating_values(rating.risk, likelihood="5")).status_code == 403
    rating.refresh_from_db()
    assert rating.likelihood == 3


def test_admin_risk_shows_its_ratings_without_editing_them(client_super, strategy):
    risk = RiskFactory(strategy=strategy)
    RiskRatingFactory(risk=risk)
    response = client_super.get(admin_url(Risk, "change", risk.pk))
    (inline,) = response.context["inline_admin_formsets"]
    assert not (inline.has_add_permission or inline.has_change_permission)
    assert not inline.has_delete_permission


def test_admin_refuses_linking_a_risk_to_another_strategys_priority_area(
    client_super, strategy, other_strategy
):
    risk = RiskFactory(strategy=strategy)
    foreign = PriorityAreaFactory(strategy=other_strategy)
    response = admin_post(client_super, Risk, "change", risk.pk, priority_areas=[foreign.pk])
    assert form_error_codes(response, "priority_areas") == {"other_strategy"}
    assert not risk.priority_areas.exists()


def test_admin_refuses_a_risk_owner_off_the_team(client_super, strategy):
    risk = RiskFactory(strategy=strategy)
    response = admin_post(client_super, Risk, "change", risk.pk, owner=UserFactory().pk)
    assert form_error_codes(response, "owner") == {"not_on_team"}
    risk.refresh_from_db()
    assert risk.owner is None


def test_admin_history_view_does_not_write_a_rating(client_super, strategy):
    rating = RiskRatingFactory(risk=RiskFactory(strategy=strategy))
    version = rating.history.get()
    url = admin_url(RiskRating, "simple_history", rating.pk, version.history_id)
    assert client_super.get(url).status_code == 200
    response = client_super.post(url, rating_values(rating.risk, rated_on="2025-06-01"))
    assert response.status_code == 403
    assert list(RiskRating.objects.values_list("pk", "likelihood")) == [(rating.pk, 3)]

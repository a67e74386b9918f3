"""The risk register in Danish: a Danish reader sees the ministry's words and Danish dates.

The translations live in locale/da; compile the catalogue (make install) before running these.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_afterwards():
    """Leave the thread in English: a Danish request keeps its language active after it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def url(name: str, strategy, risk=None) -> str:
    kwargs = {"slug": strategy.slug}
    if risk is not None:
        kwargs["pk"] = risk.pk
    return reverse(f"risks:{name}", kwargs=kwargs)


def test_risk_register_reads_in_danish(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Weak core structure")
    text = client_desk.get(url("risk_list", strategy), HTTP_ACCEPT_LANGUAGE="da").text
    assert "Risikoregister" in text
    assert "Risk register" not in text
    assert "Åbne risici" in text
    assert "Open risks" not in text
    assert "Filtrér risici" in text
    # strategy content stays as written
    assert "Weak core structure" in text


def test_risk_page_reads_in_danish_with_danish_dates(client_desk, strategy):
    risk = RiskFactory(strategy=strategy, title="Weak core structure")
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2025, 3, 4), likelihood=4, impact=3)
    risk.next_review = datetime.date(2026, 12, 7)
    risk.save()
    text = client_desk.get(url("risk_detail", strategy, risk), HTTP_ACCEPT_LANGUAGE="da").text
    assert "Aktuel vurdering" in text
    assert "Current rating" not in text
    assert "Vurderingshistorik" in text
    assert "Rating history" not in text
    assert "7. december 2026" in text
    assert "7 December 2026" not in text
    assert "4. mar. 2025" in text


def test_heat_map_reads_in_danish(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Unrated risk")
    text = client_desk.get(url("heatmap", strategy), HTTP_ACCEPT_LANGUAGE="da").text
    assert "Risikokort over åbne risici" in text
    assert "Heat map of open risks" not in text
    assert "1 af 1 åben risiko er endnu ikke vurderet" in text


def test_rating_form_refuses_in_danish(client_desk, strategy):
    risk = RiskFactory(strategy=strategy, title="Weak core structure")
    path = url("risk_rate", strategy, risk)
    form = client_desk.get(path, HTTP_ACCEPT_LANGUAGE="da").text
    assert "Iboende risiko (før risikohåndteringen)" in form
    assert "5 — Næsten sikker" in form
    assert "5 — Almost certain" not in form
    refused = client_desk.post(
        path,
        {"rated_on": "2025-06-16", "likelihood": "", "impact": "3"},
        HTTP_ACCEPT_LANGUAGE="da",
    ).text
    assert "Angiv sandsynligheden som et helt tal fra 1 til 5." in refused
    assert "Rate the likelihood" not in refused

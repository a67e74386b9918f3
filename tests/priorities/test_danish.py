"""The priorities pages in Danish: a user whose browser asks for Danish reads them in Danish.

The translations live in locale/da; these tests need the compiled catalogue (`make install`).
Strategy content (titles, codes, names) stays as written.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.priorities.factories import AssessmentFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db

DANISH = {"HTTP_ACCEPT_LANGUAGE": "da"}


@pytest.fixture
def area(strategy):
    return PriorityAreaFactory(strategy=strategy, number=1, title="Safe migration")


def test_the_overview_reads_in_danish(client_desk, strategy, area):
    response = client_desk.get(
        reverse("priorities:strategy_detail", args=[strategy.slug]), **DANISH
    )
    page = response.content.decode()
    assert response.status_code == 200
    for danish in ("Rapporteringsår", "Prioritetsområder", "Sagsbehandler", "Forside", "Tilsagn"):
        assert danish in page
    for english in ("Reporting years", "Desk officer", "Front page", ">Commitment<"):
        assert english not in page
    assert "Safe migration" in page, "the strategy's own text stays as written"


def test_the_priority_area_pages_read_in_danish(client_desk, strategy, area):
    listing = client_desk.get(
        reverse("priorities:priorityarea_list", args=[strategy.slug]), **DANISH
    ).content.decode()
    assert "Prioritetsområder og vurderinger pr. år" in listing
    assert "Priority areas and ratings by year" not in listing
    assert "Endnu ikke vurderet" in listing and "Not yet rated" not in listing

    detail = client_desk.get(
        reverse("priorities:priorityarea_detail", args=[strategy.slug, 1]), **DANISH
    ).content.decode()
    assert "Resultatramme, der følges" in detail and "Results framework followed" not in detail
    assert "Definér en indikator" in detail and "Define an indicator" not in detail


def test_the_review_page_reads_in_danish_with_danish_dates(client_desk, desk, strategy, area):
    first = min(strategy.years)
    strategy_year = strategy.strategy_years.get(year=first)
    strategy_year.state_changed_at = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 5))
    strategy_year.state_changed_by = desk
    strategy_year.save()
    AssessmentFactory(priority_area=area, strategy_year=strategy_year)

    page = client_desk.get(
        reverse("priorities:strategyyear_review", args=[strategy.slug, first]), **DANISH
    ).content.decode()
    assert f"Gennemgå {first}" in page and f"Review {first}" not in page
    assert "Hvad der mangler" in page and "What is missing" not in page
    assert "senest ændret 7. december 2026" in page
    assert "last changed" not in page

    english = client_desk.get(
        reverse("priorities:strategyyear_review", args=[strategy.slug, first])
    ).content.decode()
    assert "last changed 7 December 2026" in english

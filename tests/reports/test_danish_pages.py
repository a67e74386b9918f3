"""The frame, the error pages and the cross-app pages read in Danish for a Danish browser.

They need the Danish catalogue compiled (make install); English stays the default.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from funding.choices import BudgetLineKind
from priorities.choices import YearState
from priorities.models import StrategyYear
from reports.models import Job, JobKind, JobState
from tests.engagement.factories import ActionPointFactory
from tests.funding.factories import AllocationFactory, AllocationRoundFactory, BudgetLineFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 30, 9, 0, tzinfo=datetime.UTC)
DANISH = {"HTTP_ACCEPT_LANGUAGE": "da"}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_frame_reads_danish_for_a_danish_browser(client_desk, strategy):
    page = client_desk.get(reverse("reports:my_tasks"), **DANISH).text
    assert '<html lang="da">' in page
    assert "Gå til indholdet" in page and "Skip to content" not in page
    assert "Udenrigsministeriet" in page
    assert ">Log ud<" in page and ">Log out<" not in page
    assert ">Mine opgaver<" in page and ">My tasks<" not in page
    assert "Privatlivserklæring" in page


def test_the_frame_stays_english_by_default(client_desk, strategy):
    page = client_desk.get(reverse("reports:my_tasks")).text
    assert '<html lang="en-gb">' in page
    assert "Skip to content" in page and ">Log out<" in page


def test_my_tasks_in_danish_with_danish_dates_and_amounts(
    client_desk, client_manager, strategy, desk
):
    StrategyYear.objects.filter(strategy=strategy, year=2026).update(state=YearState.SUBMITTED)
    RiskFactory(strategy=strategy, title="Staff safety", next_review=datetime.date(2026, 6, 1))
    ActionPointFactory(
        strategy=strategy, owner=desk, text="Send the figures", due_on=datetime.date(2026, 12, 7)
    )
    page = client_desk.get(reverse("reports:my_tasks"), **DANISH).text
    assert "Som sagsbehandler" in page and "As desk officer" not in page
    assert "Intet år er sendt retur til dig." in page
    assert "frist 7. december 2026" in page and "due 7 December 2026" not in page
    assert "I dag er det tirsdag 30. juni 2026." in page

    line = BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
    AllocationFactory(round=AllocationRoundFactory(line=line, year=2026), amount=Decimal("2500000"))
    page = client_manager.get(reverse("reports:my_tasks"), **DANISH).text
    assert "Som leder" in page
    assert "1 forslag afventer beslutning, " in page
    assert 'title="2.500.000 kr.">2,5</span> mio. kr.' in page


def test_a_missing_page_reads_danish(client_desk):
    response = client_desk.get("/strategies/no-such-strategy/", **DANISH)
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.text and "Page not found" not in response.text


def test_the_dashboards_read_danish(client_manager, strategy):
    page = client_manager.get(reverse("home"), **DANISH).text
    assert "<h1>Porteføljeoverblik</h1>" in page and "Portfolio dashboard" not in page
    assert "Eksportér alle strategier, jeg har adgang til" in page
    assert "30. juni 2026" in page

    page = client_manager.get(
        reverse("reports:strategy_dashboard", args=[strategy.slug]), **DANISH
    ).text
    assert "Budgetudførelse" in page and "Budget execution" not in page
    assert "pr. 30. juni 2026" in page


def test_search_and_the_change_history_read_danish(client_desk, strategy):
    page = client_desk.get(reverse("reports:search"), {"q": "nothing-like-this"}, **DANISH).text
    assert "Intet passer til “nothing-like-this”." in page and "Nothing matches" not in page

    page = client_desk.get(reverse("reports:strategy_history", args=[strategy.slug]), **DANISH).text
    assert "<h1>Ændringshistorik</h1>" in page and "Change history" not in page
    assert '<th scope="col">Hvornår</th>' in page


def test_a_running_job_reads_danish_on_its_page_and_in_its_status(client_desk, desk, strategy):
    job = Job.objects.create(
        user=desk,
        kind=JobKind.WORKBOOK,
        title="Workbook",
        strategy_slug=strategy.slug,
        percent=40,
        step="Writing the workbook",
        state=JobState.RUNNING,
    )
    page = client_desk.get(job.get_absolute_url(), **DANISH).text
    assert "Skriver regnearket" in page and "Writing the workbook" not in page
    assert "Kører" in page and "Fremdrift" in page
    status = client_desk.get(reverse("reports:job_status", args=[job.pk]), **DANISH).json()
    assert (status["step"], status["state_label"]) == ("Skriver regnearket", "Kører")

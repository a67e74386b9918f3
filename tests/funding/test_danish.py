"""The funding pages in Danish: a Danish reader sees the ministry's words, dates and numbers.

The translations live in locale/da; compile the catalogue (make install) before running these.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from funding.models import ParliamentaryApproval
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_afterwards():
    """Leave the thread in English: a Danish request keeps its language active after it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


D = Decimal


def url(name: str, strategy, **kwargs) -> str:
    return reverse(f"funding:{name}", kwargs={"slug": strategy.slug, **kwargs})


@pytest.fixture
def lines(strategy):
    return budget_create(strategy)


@pytest.fixture
def approved_2025(lines):
    for code, amount in (("a", "48000000"), ("b", "50000000"), ("c", "2000000")):
        ParliamentaryApprovalFactory(
            line=lines[code], year=2025, amount=D(amount), approved_on=datetime.date(2024, 12, 12)
        )


def test_budget_page_reads_in_danish_with_danish_dates_and_percentages(
    client_desk, strategy, lines, approved_2025
):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("12345678.90"))
    DisbursementFactory(line=lines["a"], year=2025, amount=D("6000000"))
    text = client_desk.get(url("budget", strategy), HTTP_ACCEPT_LANGUAGE="da").text
    assert "Budget, bevilling og udbetalinger" in text
    assert "Budget, approval and payments" not in text
    assert "Bevilget af Folketinget" in text
    assert "Approved by parliament" not in text
    assert "Forbrugsprocent" in text
    assert "12. dec. 2024" in text
    assert "12 Dec 2024" not in text
    assert "12,5 %" in text


def test_budget_page_stays_english_for_an_english_reader(
    client_desk, strategy, lines, approved_2025
):
    DisbursementFactory(line=lines["a"], year=2025, amount=D("6000000"))
    text = client_desk.get(url("budget", strategy), HTTP_ACCEPT_LANGUAGE="en-gb").text
    assert "Budget, approval and payments" in text
    assert "12 Dec 2024" in text
    assert "12.5 %" in text


def test_approval_page_reads_in_danish(client_desk, strategy, lines, approved_2025):
    approval = ParliamentaryApproval.objects.get(line=lines["a"], year=2025)
    text = client_desk.get(
        url("parliamentaryapproval_detail", strategy, pk=approval.pk), HTTP_ACCEPT_LANGUAGE="da"
    ).text
    assert "Bevilling til linje a for 2025" in text
    assert "Parliamentary approval of line" not in text
    assert "Bevilget den" in text
    assert "12. december 2024" in text
    assert "12 December 2024" not in text
    assert "Ændringshistorik" in text
    assert "Change history" not in text
    # the change history names the fields in Danish too
    assert '<span class="muted">Beløb:</span>' in text
    assert '<span class="muted">Amount:</span>' not in text


def test_commitment_list_reads_in_danish(client_desk, strategy, lines, approved_2025):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("1000000"))
    text = client_desk.get(url("commitment_list", strategy), HTTP_ACCEPT_LANGUAGE="da").text
    assert "Midler givet i tilsagn fra hver budgetlinje" in text
    assert "Funds committed from each budget line" not in text
    assert "Filtrer" in text
    assert "Hent CSV" in text
    assert "Download CSV" not in text


def test_commitment_form_and_its_message_read_in_danish(
    client_finance, strategy, lines, approved_2025
):
    path = url("commitment_create", strategy)
    form = client_finance.get(path, HTTP_ACCEPT_LANGUAGE="da").text
    assert "Registrér et tilsagn" in form
    assert "Budgetår" in form
    assert "Budget year" not in form
    response = client_finance.post(
        path,
        {
            "line": lines["a"].pk,
            "year": "2025",
            "amount": "1000000",
            "committed_on": "2025-01-15",
            "reference": "",
            "note": "",
        },
        HTTP_ACCEPT_LANGUAGE="da",
        follow=True,
    )
    assert "Tilsagn på" in response.text
    assert "fra linje a for 2025 er gemt." in response.text


def test_budget_download_has_danish_headers_for_a_danish_reader(
    client_desk, strategy, lines, approved_2025
):
    response = client_desk.get(url("budget", strategy) + "?_export=csv", HTTP_ACCEPT_LANGUAGE="da")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert "Bevilget af Folketinget (DKK)" in header
    assert "Approved by parliament" not in header

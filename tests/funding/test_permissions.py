"""What each role may do on the funding pages: the helpers, refused deletes, shown buttons.

Everyone who may see the strategy reads; only its team's financial officers record; only
managers decide on proposed allocations. Which role may open and post to which page, and that
a refused POST changes nothing, is walked in tests/security/test_url_access.py.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import permissions
from funding.models import Commitment
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db

ROLES = ["desk", "finance", "mission", "manager", "admin", "outsider"]
CLIENTS = {role: f"client_{role}" for role in ROLES}
RECORDERS = {"finance"}
DECIDERS = {"manager"}


@pytest.fixture
def records(strategy):
    lines = budget_create(strategy)
    approval = ParliamentaryApprovalFactory(
        line=lines["a"], year=2025, approved_on=datetime.date(2024, 12, 1)
    )
    commitment = CommitmentFactory(
        line=lines["a"], year=2025, amount=Decimal("1000"), committed_on=datetime.date(2025, 1, 5)
    )
    disbursement = DisbursementFactory(
        line=lines["a"], year=2025, amount=Decimal("500"), paid_on=datetime.date(2025, 2, 5)
    )
    allocation_round = AllocationRoundFactory(line=lines["b"], year=2025)
    allocation = AllocationFactory(round=allocation_round)
    return {
        "approval": approval,
        "commitment": commitment,
        "disbursement": disbursement,
        "round": allocation_round,
        "allocation": allocation,
    }


def page_url(strategy, records, name, target) -> str:
    kwargs = {"slug": strategy.slug}
    if target:
        kwargs["pk"] = records[target].pk
    return reverse(f"funding:{name}", kwargs=kwargs)


def test_forbidden_delete_leaves_the_record(client_desk, strategy, records):
    response = client_desk.post(page_url(strategy, records, "commitment_delete", "commitment"), {})
    assert response.status_code == 403
    assert Commitment.objects.filter(pk=records["commitment"].pk).exists()


RECORD_BUTTONS = ["Record parliamentary approval", "Record commitment", "Record disbursement"]


@pytest.mark.parametrize("role", ["desk", "finance", "mission", "manager", "admin"])
def test_budget_page_shows_recording_buttons_only_to_financial_officers(
    request, strategy, records, role
):
    text = request.getfixturevalue(CLIENTS[role]).get(page_url(strategy, records, "budget", None))
    for label in RECORD_BUTTONS:
        assert (label in text.text) is (role in RECORDERS)


@pytest.mark.parametrize("role", ["desk", "finance", "mission", "manager", "admin"])
def test_round_page_shows_decide_to_managers_and_add_to_financial_officers(
    request, strategy, records, role
):
    response = request.getfixturevalue(CLIENTS[role]).get(
        page_url(strategy, records, "allocationround_detail", "round")
    )
    decide_url = page_url(strategy, records, "allocation_decide", "allocation")
    add_url = page_url(strategy, records, "allocation_create", "round")
    assert (decide_url in response.text) is (role in DECIDERS)
    assert (add_url in response.text) is (role in RECORDERS)


@pytest.mark.parametrize(
    ("name", "target"),
    [("commitment_detail", "commitment"), ("disbursement_detail", "disbursement")],
)
def test_record_pages_show_change_and_delete_only_to_financial_officers(
    client_desk, client_finance, strategy, records, name, target
):
    edit = page_url(strategy, records, name.replace("detail", "update"), target)
    assert edit in client_finance.get(page_url(strategy, records, name, target)).text
    assert edit not in client_desk.get(page_url(strategy, records, name, target)).text


def test_permission_helpers_follow_the_roles(strategy, desk, finance, manager, outsider):
    assert permissions.funding_can_view(desk, strategy)
    assert not permissions.funding_can_view(outsider, strategy)
    assert permissions.funding_can_record(finance, strategy)
    assert not permissions.funding_can_record(manager, strategy)
    assert permissions.funding_can_decide(manager, strategy)
    assert not permissions.funding_can_decide(finance, strategy)

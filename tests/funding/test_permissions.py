"""Who may do what on the funding pages: every role against every page, read and write.

Everyone who may see the strategy reads; only its team's financial officers record; only
managers decide on proposed allocations. Forbidden requests answer 403 and change nothing, and
the buttons for forbidden actions are not shown.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import permissions
from funding.models import (
    Allocation,
    AllocationRound,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
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
READERS = {"desk", "finance", "mission", "manager", "admin"}
RECORDERS = {"finance"}
DECIDERS = {"manager"}

READ_PAGES = [
    ("budget", None),
    ("parliamentaryapproval_list", None),
    ("commitment_list", None),
    ("disbursement_list", None),
    ("allocationround_list", None),
    ("donortable_list", None),
    ("parliamentaryapproval_detail", "approval"),
    ("commitment_detail", "commitment"),
    ("disbursement_detail", "disbursement"),
    ("allocationround_detail", "round"),
    ("allocation_detail", "allocation"),
]
RECORD_PAGES = [
    ("parliamentaryapproval_create", None),
    ("parliamentaryapproval_update", "approval"),
    ("parliamentaryapproval_delete", "approval"),
    ("commitment_create", None),
    ("commitment_update", "commitment"),
    ("commitment_delete", "commitment"),
    ("disbursement_create", None),
    ("disbursement_update", "disbursement"),
    ("disbursement_delete", "disbursement"),
    ("allocationround_create", None),
    ("allocationround_update", "round"),
    ("allocation_create", "round"),
    ("allocation_update", "allocation"),
]
DECIDE_PAGES = [("allocation_decide", "allocation")]


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


def snapshot() -> tuple:
    return (
        list(ParliamentaryApproval.objects.values_list("pk", "amount", "updated_at")),
        list(Commitment.objects.values_list("pk", "amount", "updated_at")),
        list(Disbursement.objects.values_list("pk", "amount", "updated_at")),
        list(AllocationRound.objects.values_list("pk", "updated_at")),
        list(Allocation.objects.values_list("pk", "decision", "updated_at")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target"), READ_PAGES)
def test_read_pages_open_to_everyone_who_sees_the_strategy(
    request, strategy, records, role, name, target
):
    client = request.getfixturevalue(CLIENTS[role])
    response = client.get(page_url(strategy, records, name, target))
    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target"), RECORD_PAGES + DECIDE_PAGES)
def test_write_pages_open_only_to_their_role(request, strategy, records, role, name, target):
    client = request.getfixturevalue(CLIENTS[role])
    allowed = RECORDERS if (name, target) in RECORD_PAGES else DECIDERS
    get = client.get(page_url(strategy, records, name, target))
    if role in allowed:
        assert get.status_code == 200
        return
    before = snapshot()
    post = client.post(page_url(strategy, records, name, target), {})
    assert get.status_code == 403
    assert post.status_code == 403
    assert snapshot() == before


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


def test_financial_officer_of_another_strategy_may_not_record_here(
    client_outsider, strategy, records, other_strategy
):
    response = client_outsider.get(page_url(strategy, records, "commitment_create", None))
    assert response.status_code == 403

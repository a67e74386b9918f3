"""The admin writes money records through the funding services, so their rules hold there too.

Each refused input shows as an error on the admin form, with its code, and nothing is saved.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from funding.choices import Decision, Half
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
from tests.priorities.admin_forms import (
    admin_post,
    admin_url,
    client_for,
    form_error_codes,
    superuser_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return superuser_create()


@pytest.fixture
def client_super(superuser):
    return client_for(superuser)


D = Decimal


@pytest.fixture
def lines(strategy):
    return budget_create(strategy)


@pytest.fixture
def approval(lines):
    """Parliament's approval of line a for 2025: DKK 48m."""
    return ParliamentaryApprovalFactory(
        line=lines["a"], year=2025, amount=D("48000000"), approved_on=datetime.date(2024, 12, 12)
    )


@pytest.fixture
def commitment(approval):
    """DKK 30m committed from line a for 2025."""
    return CommitmentFactory(line=approval.line, year=2025, amount=D("30000000"))


@pytest.fixture
def disbursement(commitment):
    """DKK 20m paid from line a against 2025."""
    return DisbursementFactory(line=commitment.line, year=2025, amount=D("20000000"))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def bulk_delete(client, model, *rows):
    return client.post(
        admin_url(model, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(row.pk) for row in rows],
            "post": "yes",
        },
    )


# --- Parliamentary approvals ------------------------------------------------------------------


def test_admin_adds_an_approval_through_the_service(client_super, superuser, lines):
    response = admin_post(
        client_super,
        ParliamentaryApproval,
        "add",
        line=lines["b"].pk,
        year=2025,
        amount="50000000",
        approved_on="2024-12-12",
        reference="Finance Act 2025",
    )
    assert response.status_code == 302, response.context["errors"]
    approval = ParliamentaryApproval.objects.get()
    record = approval.history.get()
    assert (record.history_user, record.history_change_reason) == (
        superuser,
        "Parliamentary approval of 2025 recorded",
    )


def test_admin_refuses_lowering_an_approval_below_its_commitments(client_super, commitment):
    approval = ParliamentaryApproval.objects.get()
    response = admin_post(
        client_super, ParliamentaryApproval, "change", approval.pk, amount="29000000"
    )
    assert form_error_codes(response, "amount") == {"below_committed"}
    approval.refresh_from_db()
    assert approval.amount == D("48000000")


def test_admin_refuses_dating_an_approval_after_its_commitments(client_super, commitment):
    approval = ParliamentaryApproval.objects.get()
    response = admin_post(
        client_super, ParliamentaryApproval, "change", approval.pk, approved_on="2025-03-01"
    )
    assert form_error_codes(response, "approved_on") == {"after_commitment"}
    approval.refresh_from_db()
    assert approval.approved_on == datetime.date(2024, 12, 12)


def test_admin_does_not_move_an_approval_to_another_line_or_year(client_super, approval):
    response = client_super.get(admin_url(ParliamentaryApproval, "change", approval.pk))
    form = response.context["adminform"].form
    assert "line" not in form.fields
    assert "year" not in form.fields


def test_admin_refuses_deleting_an_approval_with_commitments(client_super, commitment):
    approval = ParliamentaryApproval.objects.get()
    response = client_super.post(
        admin_url(ParliamentaryApproval, "delete", approval.pk), {"post": "yes"}, follow=True
    )
    assert ParliamentaryApproval.objects.filter(pk=approval.pk).exists()
    assert any("delete them first" in message for message in messages_of(response))


def test_admin_bulk_delete_refuses_an_approval_with_commitments(client_super, commitment):
    approval = ParliamentaryApproval.objects.get()
    response = bulk_delete(client_super, ParliamentaryApproval, approval)
    assert response.status_code == 403
    assert ParliamentaryApproval.objects.filter(pk=approval.pk).exists()


def test_admin_deletes_an_approval_without_commitments_through_the_service(
    client_super, superuser, approval
):
    response = client_super.post(
        admin_url(ParliamentaryApproval, "delete", approval.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ParliamentaryApproval.objects.exists()
    record = ParliamentaryApproval.history.filter(history_type="-").get()
    assert (record.history_user, record.history_change_reason) == (
        superuser,
        "Parliamentary approval of 2025 deleted",
    )


# --- Commitments ------------------------------------------------------------------------------


def test_admin_refuses_a_commitment_without_approval(client_super, lines):
    response = admin_post(
        client_super,
        Commitment,
        "add",
        line=lines["a"].pk,
        year=2025,
        amount="1000000",
        committed_on="2025-02-01",
    )
    assert form_error_codes(response, "year") == {"not_approved"}
    assert not Commitment.objects.exists()


def test_admin_refuses_commitments_above_the_approval(client_super, commitment):
    response = admin_post(
        client_super,
        Commitment,
        "add",
        line=commitment.line.pk,
        year=2025,
        amount="18000001",
        committed_on="2025-02-01",
    )
    assert form_error_codes(response, "amount") == {"over_approval"}
    assert Commitment.objects.count() == 1


def test_admin_adds_a_commitment_through_the_service(client_super, superuser, approval):
    response = admin_post(
        client_super,
        Commitment,
        "add",
        line=approval.line.pk,
        year=2025,
        amount="48000000",
        committed_on="2025-02-01",
        is_illustrative=True,
    )
    assert response.status_code == 302, response.context["errors"]
    commitment = Commitment.objects.get()
    assert commitment.is_illustrative
    record = commitment.history.get()
    assert (record.history_user, record.history_change_reason) == (
        superuser,
        "Commitment recorded",
    )


def test_admin_refuses_lowering_a_commitment_below_what_is_paid(client_super, disbursement):
    commitment = Commitment.objects.get()
    response = admin_post(client_super, Commitment, "change", commitment.pk, amount="19000000")
    assert form_error_codes(response, "amount") == {"below_disbursed"}
    commitment.refresh_from_db()
    assert commitment.amount == D("30000000")


def test_admin_refuses_deleting_a_commitment_that_covers_payments(client_super, disbursement):
    commitment = Commitment.objects.get()
    response = client_super.post(
        admin_url(Commitment, "delete", commitment.pk), {"post": "yes"}, follow=True
    )
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert any("already disbursed" in message for message in messages_of(response))
    assert bulk_delete(client_super, Commitment, commitment).status_code == 403
    assert Commitment.objects.filter(pk=commitment.pk).exists()


# --- Disbursements ----------------------------------------------------------------------------


def test_admin_refuses_paying_more_than_is_committed(client_super, disbursement):
    response = admin_post(
        client_super,
        Disbursement,
        "add",
        line=disbursement.line.pk,
        year=2025,
        amount="10000001",
        paid_on="2025-06-01",
    )
    assert form_error_codes(response, "amount") == {"over_committed"}
    assert Disbursement.objects.count() == 1


def test_admin_refuses_raising_a_payment_above_the_commitment(client_super, disbursement):
    response = admin_post(client_super, Disbursement, "change", disbursement.pk, amount="30000001")
    assert form_error_codes(response, "amount") == {"over_committed"}
    disbursement.refresh_from_db()
    assert disbursement.amount == D("20000000")


def test_admin_changes_a_payment_through_the_service(client_super, superuser, disbursement):
    response = admin_post(client_super, Disbursement, "change", disbursement.pk, amount="30000000")
    assert response.status_code == 302, response.context["errors"]
    latest = disbursement.history.first()
    assert (latest.amount, latest.history_user, latest.history_change_reason) == (
        D("30000000"),
        superuser,
        "Disbursement changed",
    )


# --- Allocation rounds and allocations --------------------------------------------------------


@pytest.fixture
def allocation_round(lines):
    """The first 2025 round of line b, planned at DKK 50m."""
    return AllocationRoundFactory(line=lines["b"], year=2025, half=Half.FIRST)


def test_admin_refuses_approving_allocations_above_line_b(client_super, allocation_round):
    AllocationFactory(
        round=allocation_round,
        amount=D("45000000"),
        decision=Decision.APPROVED,
        decision_reason="Agreed at the dialogue.",
    )
    response = admin_post(
        client_super,
        Allocation,
        "add",
        round=allocation_round.pk,
        theme="Innovation",
        amount="5000001",
        decision=Decision.APPROVED,
        decision_reason="Agreed at the dialogue.",
    )
    assert form_error_codes(response, "decision") == {"over_line_budget"}
    assert Allocation.objects.count() == 1


def test_admin_refuses_approving_a_pending_proposal_above_line_b(client_super, allocation_round):
    proposal = AllocationFactory(round=allocation_round, amount=D("50000001"))
    response = admin_post(
        client_super,
        Allocation,
        "change",
        proposal.pk,
        decision=Decision.APPROVED,
        decision_reason="Agreed at the dialogue.",
    )
    assert form_error_codes(response, "decision") == {"over_line_budget"}
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_admin_approves_a_proposal_through_the_service(client_super, superuser, allocation_round):
    proposal = AllocationFactory(round=allocation_round, amount=D("20000000"))
    response = admin_post(
        client_super,
        Allocation,
        "change",
        proposal.pk,
        decision=Decision.APPROVED,
        decision_reason="Agreed at the dialogue.",
    )
    assert response.status_code == 302, response.context["errors"]
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.decided_by) == (Decision.APPROVED, superuser)
    assert proposal.history.first().history_change_reason == "Proposal approved"


def test_admin_refuses_changing_a_decided_proposal(client_super, allocation_round):
    proposal = AllocationFactory(
        round=allocation_round,
        decision=Decision.REJECTED,
        decision_reason="Outside the agreed themes.",
    )
    response = admin_post(client_super, Allocation, "change", proposal.pk, amount="1")
    assert form_error_codes(response) == {"already_decided"}
    proposal.refresh_from_db()
    assert proposal.amount == D("10000000")


def test_admin_refuses_a_second_round_for_the_same_half_year(client_super, allocation_round):
    response = admin_post(
        client_super,
        AllocationRound,
        "add",
        line=allocation_round.line.pk,
        year=2025,
        half=Half.FIRST,
    )
    assert form_error_codes(response) == {"duplicate_round"}
    assert AllocationRound.objects.count() == 1


def test_admin_round_shows_its_allocations_without_editing_them(client_super, allocation_round):
    AllocationFactory(round=allocation_round)
    response = client_super.get(admin_url(AllocationRound, "change", allocation_round.pk))
    (inline,) = response.context["inline_admin_formsets"]
    assert not (inline.has_add_permission or inline.has_change_permission)
    assert not inline.has_delete_permission
    form = response.context["adminform"].form
    assert {"line", "year", "half"}.isdisjoint(form.fields)

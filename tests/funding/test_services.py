"""The funding rules across records, each with the input it refuses; nothing refused is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from funding import services
from funding.choices import BudgetLineKind, Decision, Half
from funding.models import (
    Allocation,
    AllocationRound,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.forms import error_codes
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    OfficeFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = Decimal
APPROVED_ON = datetime.date(2024, 12, 12)


@pytest.fixture
def lines(strategy):
    return budget_create(strategy)


@pytest.fixture
def approved_2025(lines, finance):
    """Parliament's approval of 2025 for lines a, b and c at their planned amounts."""
    return services.approval_year_record(
        strategy=lines["a"].strategy,
        year=2025,
        approved_on=APPROVED_ON,
        amounts={
            lines["a"].pk: D("48000000"),
            lines["b"].pk: D("50000000"),
            lines["c"].pk: D("2000000"),
        },
        reference="Finance Act 2025",
        user=finance,
    )


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def field_codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


# --- Parliamentary approval -------------------------------------------------------------------


def test_approval_of_a_year_records_every_line_with_history(approved_2025, lines, finance):
    assert ParliamentaryApproval.objects.filter(year=2025).count() == 3
    approval = ParliamentaryApproval.objects.get(line=lines["b"], year=2025)
    assert approval.amount == D("50000000.00")
    assert approval.approved_on == APPROVED_ON
    record = approval.history.get()
    assert record.history_user == finance
    assert record.history_change_reason == "Parliamentary approval of 2025 recorded"


def test_approval_of_a_year_saves_nothing_when_one_amount_is_refused(lines, finance):
    amounts = {lines["a"].pk: D("48000000"), lines["b"].pk: D("-1"), lines["c"].pk: D("2000000")}
    error = refused(
        services.approval_year_record,
        strategy=lines["a"].strategy,
        year=2025,
        approved_on=APPROVED_ON,
        amounts=amounts,
        user=finance,
    )
    assert field_codes(error, services.approval_amount_field(lines["b"])) == {"not_positive"}
    assert not ParliamentaryApproval.objects.exists()


def test_approval_of_a_year_needs_every_line_amount(lines, finance):
    error = refused(
        services.approval_year_record,
        strategy=lines["a"].strategy,
        year=2025,
        approved_on=APPROVED_ON,
        amounts={lines["a"].pk: D("48000000")},
        user=finance,
    )
    assert services.approval_amount_field(lines["b"]) in error.error_dict
    assert services.approval_amount_field(lines["c"]) in error.error_dict
    assert not ParliamentaryApproval.objects.exists()


def test_approval_of_a_year_already_approved_is_refused(approved_2025, lines, finance):
    error = refused(
        services.approval_year_record,
        strategy=lines["a"].strategy,
        year=2025,
        approved_on=APPROVED_ON,
        amounts={line.pk: D("1") for line in lines.values()},
        user=finance,
    )
    assert field_codes(error, "year") == {"already_approved"}
    assert ParliamentaryApproval.objects.count() == 3


def test_approval_of_a_year_outside_the_period_is_refused_once(lines, finance):
    error = refused(
        services.approval_year_record,
        strategy=lines["a"].strategy,
        year=2027,
        approved_on=datetime.date(2026, 12, 10),
        amounts={line.pk: D("1") for line in lines.values()},
        user=finance,
    )
    assert [item.code for item in error.error_dict["year"]] == ["outside_period"]
    assert not ParliamentaryApproval.objects.exists()


@pytest.mark.parametrize(
    ("approved_on", "accepted"),
    [
        (datetime.date(2023, 12, 31), False),
        (datetime.date(2024, 1, 1), True),
        (datetime.date(2025, 12, 31), True),
        (datetime.date(2026, 1, 1), False),
    ],
)
def test_approval_is_dated_between_the_year_before_and_the_end_of_the_year(
    lines, finance, approved_on, accepted
):
    kwargs = {
        "strategy": lines["a"].strategy,
        "year": 2025,
        "approved_on": approved_on,
        "amounts": {line.pk: D("1000") for line in lines.values()},
        "user": finance,
    }
    if accepted:
        services.approval_year_record(**kwargs)
        assert ParliamentaryApproval.objects.count() == 3
    else:
        error = refused(services.approval_year_record, **kwargs)
        assert field_codes(error, "approved_on") == {"approval_date_outside_year"}
        assert not ParliamentaryApproval.objects.exists()


def test_approval_may_precede_the_period_for_its_first_year(lines, finance):
    services.approval_year_record(
        strategy=lines["a"].strategy,
        year=2023,
        approved_on=datetime.date(2022, 12, 15),
        amounts={line.pk: D("1000") for line in lines.values()},
        user=finance,
    )
    assert ParliamentaryApproval.objects.filter(year=2023).count() == 3


def test_approval_cannot_fall_below_or_after_its_commitments(approved_2025, lines, finance):
    services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("30000000"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    approval = ParliamentaryApproval.objects.get(line=lines["a"], year=2025)
    error = refused(
        services.approval_update,
        approval=approval,
        version=version_token(approval),
        amount=D("29999999.99"),
        approved_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    assert field_codes(error, "amount") == {"below_committed"}
    assert field_codes(error, "approved_on") == {"after_commitment"}
    approval.refresh_from_db()
    assert approval.amount == D("48000000.00")


def test_approval_with_commitments_cannot_be_deleted(approved_2025, lines, finance):
    services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("1"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    approval = ParliamentaryApproval.objects.get(line=lines["a"], year=2025)
    error = refused(services.approval_delete, approval=approval, user=finance)
    assert error_codes(error) == {"has_commitments"}
    assert ParliamentaryApproval.objects.filter(pk=approval.pk).exists()


# --- Commitments ------------------------------------------------------------------------------


def test_commitment_before_any_approval_is_refused(lines, finance):
    error = refused(
        services.commitment_create,
        line=lines["a"],
        year=2025,
        amount=D("1000"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    assert field_codes(error, "year") == {"not_approved"}
    assert not Commitment.objects.exists()


def test_commitment_dated_before_the_approval_is_refused(approved_2025, lines, finance):
    error = refused(
        services.commitment_create,
        line=lines["a"],
        year=2025,
        amount=D("1000"),
        committed_on=APPROVED_ON - datetime.timedelta(days=1),
        user=finance,
    )
    assert field_codes(error, "committed_on") == {"before_approval"}
    assert not Commitment.objects.exists()


def test_commitments_may_not_exceed_the_approved_amount(approved_2025, lines, finance):
    services.commitment_create(
        line=lines["c"],
        year=2025,
        amount=D("1999999.99"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    error = refused(
        services.commitment_create,
        line=lines["c"],
        year=2025,
        amount=D("0.02"),
        committed_on=datetime.date(2025, 1, 21),
        user=finance,
    )
    assert field_codes(error, "amount") == {"over_approval"}
    assert "DKK 0.01 is still free to commit" in error.messages[0]
    services.commitment_create(
        line=lines["c"],
        year=2025,
        amount=D("0.01"),
        committed_on=datetime.date(2025, 1, 21),
        user=finance,
    )
    assert Commitment.objects.filter(line=lines["c"]).count() == 2


@pytest.mark.parametrize(
    ("amount", "code"), [(D("-100"), "not_positive"), (D("0"), "not_positive")]
)
def test_commitment_amount_must_be_positive(approved_2025, lines, finance, amount, code):
    error = refused(
        services.commitment_create,
        line=lines["a"],
        year=2025,
        amount=amount,
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    assert field_codes(error, "amount") == {code}
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("committed_on", [datetime.date(2022, 12, 31), datetime.date(2027, 1, 1)])
def test_commitment_dated_outside_the_period_is_refused(lines, finance, committed_on):
    ParliamentaryApprovalFactory(
        line=lines["a"], year=2023, amount=D("48000000"), approved_on=datetime.date(2022, 12, 1)
    )
    error = refused(
        services.commitment_create,
        line=lines["a"],
        year=2023,
        amount=D("1000"),
        committed_on=committed_on,
        user=finance,
    )
    assert field_codes(error, "committed_on") == {"outside_period"}


def test_commitment_cannot_be_lowered_below_what_is_disbursed(approved_2025, lines, finance):
    commitment = services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("10000000"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    services.disbursement_create(
        line=lines["a"],
        year=2025,
        amount=D("6000000"),
        paid_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    error = refused(
        services.commitment_update,
        commitment=Commitment.objects.get(pk=commitment.pk),
        version=version_token(commitment),
        line=lines["a"],
        year=2025,
        amount=D("5999999.99"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    assert field_codes(error, "amount") == {"below_disbursed"}
    commitment.refresh_from_db()
    assert commitment.amount == D("10000000.00")


def test_commitment_moved_to_another_year_keeps_its_payments_covered(approved_2025, lines, finance):
    ParliamentaryApprovalFactory(
        line=lines["a"], year=2026, amount=D("48000000"), approved_on=datetime.date(2025, 12, 1)
    )
    commitment = services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("10000000"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    services.disbursement_create(
        line=lines["a"],
        year=2025,
        amount=D("1"),
        paid_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    error = refused(
        services.commitment_update,
        commitment=Commitment.objects.get(pk=commitment.pk),
        version=version_token(commitment),
        line=lines["a"],
        year=2026,
        amount=D("10000000"),
        committed_on=datetime.date(2026, 1, 20),
        user=finance,
    )
    assert field_codes(error, "amount") == {"below_disbursed"}


def test_commitment_with_payments_cannot_be_deleted(approved_2025, lines, finance):
    commitment = services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("100"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    services.disbursement_create(
        line=lines["a"], year=2025, amount=D("1"), paid_on=datetime.date(2025, 2, 1), user=finance
    )
    error = refused(services.commitment_delete, commitment=commitment, user=finance)
    assert error_codes(error) == {"below_disbursed"}
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_stale_commitment_edit_is_refused(approved_2025, lines, finance):
    commitment = services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("100"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    started = version_token(commitment)
    services.commitment_update(
        commitment=Commitment.objects.get(pk=commitment.pk),
        version=started,
        line=lines["a"],
        year=2025,
        amount=D("200"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    error = refused(
        services.commitment_update,
        commitment=Commitment.objects.get(pk=commitment.pk),
        version=started,
        line=lines["a"],
        year=2025,
        amount=D("300"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    assert error_codes(error) == {STALE_CODE}
    assert Commitment.objects.get(pk=commitment.pk).amount == D("200.00")


# --- Disbursements ----------------------------------------------------------------------------


@pytest.fixture
def committed_2025(approved_2025, lines, finance):
    return services.commitment_create(
        line=lines["a"],
        year=2025,
        amount=D("10000000"),
        committed_on=datetime.date(2025, 1, 20),
        reference="J.nr. 2025-1",
        user=finance,
    )


def test_over_disbursement_is_refused_and_nothing_saved(committed_2025, lines, finance):
    services.disbursement_create(
        line=lines["a"],
        year=2025,
        amount=D("6000000"),
        paid_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    error = refused(
        services.disbursement_create,
        line=lines["a"],
        year=2025,
        amount=D("4000000.01"),
        paid_on=datetime.date(2025, 6, 1),
        user=finance,
    )
    assert field_codes(error, "amount") == {"over_committed"}
    assert "DKK 4,000,000 is left to disburse" in error.messages[0]
    assert Disbursement.objects.count() == 1


def test_disbursement_without_commitment_is_refused(approved_2025, lines, finance):
    error = refused(
        services.disbursement_create,
        line=lines["b"],
        year=2025,
        amount=D("1"),
        paid_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    assert field_codes(error, "amount") == {"over_committed"}
    assert "Nothing is committed" in error.messages[0]


def test_disbursements_add_up_to_the_ore(approved_2025, lines, finance):
    services.commitment_create(
        line=lines["c"],
        year=2025,
        amount=D("0.03"),
        committed_on=datetime.date(2025, 1, 20),
        user=finance,
    )
    for amount in (D("0.01"), D("0.02")):
        services.disbursement_create(
            line=lines["c"],
            year=2025,
            amount=amount,
            paid_on=datetime.date(2025, 2, 1),
            user=finance,
        )
    error = refused(
        services.disbursement_create,
        line=lines["c"],
        year=2025,
        amount=D("0.01"),
        paid_on=datetime.date(2025, 2, 2),
        user=finance,
    )
    assert field_codes(error, "amount") == {"over_committed"}


@pytest.mark.parametrize("paid_on", [datetime.date(2022, 12, 31), datetime.date(2027, 1, 1)])
def test_disbursement_paid_outside_the_period_is_refused(committed_2025, lines, finance, paid_on):
    error = refused(
        services.disbursement_create,
        line=lines["a"],
        year=2025,
        amount=D("1"),
        paid_on=paid_on,
        user=finance,
    )
    assert field_codes(error, "paid_on") == {"outside_period"}
    assert not Disbursement.objects.exists()


def test_disbursement_counted_against_a_year_outside_the_period_is_refused(
    committed_2025, lines, finance
):
    error = refused(
        services.disbursement_create,
        line=lines["a"],
        year=2027,
        amount=D("1"),
        paid_on=datetime.date(2026, 12, 1),
        user=finance,
    )
    assert field_codes(error, "year") == {"outside_period"}


def test_disbursement_change_stays_within_the_commitment(committed_2025, lines, finance):
    payment = services.disbursement_create(
        line=lines["a"],
        year=2025,
        amount=D("10000000"),
        paid_on=datetime.date(2025, 2, 1),
        user=finance,
    )
    # The payment itself does not count twice: the same amount again is accepted.
    services.disbursement_update(
        disbursement=Disbursement.objects.get(pk=payment.pk),
        version=version_token(payment),
        line=lines["a"],
        year=2025,
        amount=D("10000000"),
        paid_on=datetime.date(2025, 2, 3),
        note="Value date corrected",
        user=finance,
    )
    payment.refresh_from_db()
    error = refused(
        services.disbursement_update,
        disbursement=Disbursement.objects.get(pk=payment.pk),
        version=version_token(payment),
        line=lines["a"],
        year=2025,
        amount=D("10000000.01"),
        paid_on=datetime.date(2025, 2, 3),
        user=finance,
    )
    assert field_codes(error, "amount") == {"over_committed"}
    reasons = list(payment.history.values_list("history_change_reason", flat=True))
    assert reasons == ["Disbursement changed", "Disbursement recorded"]


# --- Allocation rounds ------------------------------------------------------------------------


@pytest.fixture
def round_2025(lines, finance):
    return services.allocationround_create(
        line=lines["b"],
        year=2025,
        half=Half.FIRST,
        dialogue_on=datetime.date(2025, 3, 10),
        user=finance,
    )


def proposal(allocation_round, amount, user, **kwargs):
    return services.allocation_create(
        allocation_round=allocation_round,
        office=kwargs.get("office"),
        theme=kwargs.get("theme", "Border management"),
        amount=amount,
        user=user,
    )


def decide(allocation, decision, user, reason="In line with the priorities."):
    return services.allocation_decide(
        allocation=Allocation.objects.select_related("round__line").get(pk=allocation.pk),
        version=version_token(Allocation.objects.get(pk=allocation.pk)),
        decision=decision,
        reason=reason,
        user=user,
    )


def test_approved_allocations_of_a_year_may_not_exceed_line_b(round_2025, lines, finance, manager):
    second_half = services.allocationround_create(
        line=lines["b"], year=2025, half=Half.SECOND, user=finance
    )
    first = proposal(round_2025, D("30000000"), finance)
    second = proposal(second_half, D("20000000.01"), finance)
    decide(first, Decision.APPROVED, manager)
    error = refused(decide, allocation=second, decision=Decision.APPROVED, user=manager)
    assert field_codes(error, "decision") == {"over_line_budget"}
    assert "DKK 20,000,000 is left" in error.messages[0]
    second.refresh_from_db()
    assert second.decision == Decision.PENDING
    assert second.decided_by is None


def test_allocations_may_use_line_b_exactly(round_2025, finance, manager):
    first = proposal(round_2025, D("49999999.99"), finance)
    second = proposal(round_2025, D("0.01"), finance)
    decide(first, Decision.APPROVED, manager)
    decided = decide(second, Decision.APPROVED, manager)
    assert decided.decision == Decision.APPROVED
    assert decided.decided_by == manager
    assert decided.decided_at is not None


def test_rejections_do_not_count_against_line_b(round_2025, finance, manager):
    big = proposal(round_2025, D("50000000"), finance)
    other = proposal(round_2025, D("50000000"), finance)
    decide(big, Decision.REJECTED, manager, reason="Outside the geographical focus.")
    assert decide(other, Decision.APPROVED, manager).decision == Decision.APPROVED


@pytest.mark.parametrize("decision", [Decision.APPROVED, Decision.REJECTED])
def test_decision_needs_a_reason(round_2025, finance, manager, decision):
    allocation = proposal(round_2025, D("1000"), finance)
    error = refused(decide, allocation=allocation, decision=decision, user=manager, reason=" ")
    assert field_codes(error, "decision_reason") == {"reason_required"}


def test_allocation_without_a_planned_amount_cannot_be_approved(strategy, finance, manager):
    allocation_round = AllocationRoundFactory(
        line__strategy=strategy, line__kind=BudgetLineKind.SOFT_EARMARKED, year=2025
    )
    allocation = AllocationFactory(round=allocation_round, amount=D("1"))
    error = refused(decide, allocation=allocation, decision=Decision.APPROVED, user=manager)
    assert field_codes(error, "decision") == {"no_plan"}


def test_decided_proposal_cannot_be_changed(round_2025, finance, manager):
    allocation = proposal(round_2025, D("1000"), finance)
    decide(allocation, Decision.APPROVED, manager)
    stored = Allocation.objects.get(pk=allocation.pk)
    error = refused(
        services.allocation_update,
        allocation=stored,
        version=version_token(stored),
        office=None,
        theme="Another theme",
        amount=D("2000"),
        user=finance,
    )
    assert error_codes(error) == {"already_decided"}


def test_negative_proposal_is_refused(round_2025, finance):
    error = refused(proposal, allocation_round=round_2025, amount=D("-5"), user=finance)
    assert field_codes(error, "amount") == {"not_positive"}
    assert not Allocation.objects.exists()


def test_proposal_office_must_be_the_partners(round_2025, finance):
    foreign = OfficeFactory(organisation=OrganisationFactory())
    error = refused(
        proposal, allocation_round=round_2025, amount=D("5"), user=finance, office=foreign
    )
    assert field_codes(error, "office") == {"other_organisation"}


def test_second_round_for_the_same_half_year_is_refused(round_2025, lines, finance):
    error = refused(
        services.allocationround_create, line=lines["b"], year=2025, half=1, user=finance
    )
    assert field_codes(error, "half") == {"duplicate_round"}
    assert AllocationRound.objects.count() == 1


def test_round_is_only_for_the_softly_earmarked_line(lines, finance):
    error = refused(
        services.allocationround_create, line=lines["a"], year=2025, half=1, user=finance
    )
    assert field_codes(error, "line") == {"not_soft_earmarked"}


def test_round_dialogue_outside_the_period_is_refused(lines, finance):
    error = refused(
        services.allocationround_create,
        line=lines["b"],
        year=2026,
        half=2,
        dialogue_on=datetime.date(2027, 1, 5),
        user=finance,
    )
    assert field_codes(error, "dialogue_on") == {"outside_period"}


def test_commitment_delete_without_payments_is_recorded_in_history(approved_2025, lines, finance):
    commitment = CommitmentFactory(
        line=lines["a"], year=2025, amount=D("5"), committed_on=datetime.date(2025, 2, 1)
    )
    services.commitment_delete(commitment=commitment, user=finance)
    deleted = Commitment.history.filter(history_type="-").get()
    assert deleted.history_user == finance
    assert deleted.history_change_reason == "Commitment deleted"


def test_non_field_refusals_carry_their_code(approved_2025, lines, finance):
    commitment = CommitmentFactory(
        line=lines["a"], year=2025, amount=D("5"), committed_on=datetime.date(2025, 2, 1)
    )
    DisbursementFactory(
        line=lines["a"], year=2025, amount=D("5"), paid_on=datetime.date(2025, 3, 1)
    )
    error = refused(services.commitment_delete, commitment=commitment, user=finance)
    assert not hasattr(error, "error_dict") or NON_FIELD_ERRORS in error.error_dict
    assert error.code == "below_disbursed"

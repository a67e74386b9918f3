"""The funding rules across records, asked with plain totals: each refusal's field, code, words."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from funding import rules
from funding.models import BudgetLine, ParliamentaryApproval

LINE = BudgetLine(code="a", name="Core funding")
APPROVAL = ParliamentaryApproval(
    line=LINE, year=2024, amount=Decimal(48_000_000), approved_on=datetime.date(2023, 12, 15)
)
M = Decimal(1_000_000)


def refusal(check, **values) -> dict[str, list[tuple[str, str]]]:
    with pytest.raises(ValidationError) as caught:
        check(line=LINE, year=2024, **values)
    return {
        field: [(item.code, item.messages[0]) for item in items]
        for field, items in caught.value.error_dict.items()
    }


def test_a_commitment_needs_the_years_approval():
    assert refusal(rules.commitment_approval_check, approval=None, committed_on=None) == {
        "year": [
            (
                "not_approved",
                "Parliament's approval of line a for 2024 is not recorded. "
                "Record the approval of 2024 first.",
            )
        ]
    }


def test_a_commitment_is_not_dated_before_its_approval():
    errors = refusal(
        rules.commitment_approval_check,
        approval=APPROVAL,
        committed_on=datetime.date(2023, 12, 14),
    )
    assert errors == {
        "committed_on": [
            (
                "before_approval",
                "Parliament approved 2024 on 15 December 2023; "
                "a commitment cannot be dated before that.",
            )
        ]
    }
    rules.commitment_approval_check(
        line=LINE, year=2024, approval=APPROVAL, committed_on=datetime.date(2023, 12, 15)
    )


def test_commitments_stay_within_the_approval():
    rules.commitments_within_approval_check(
        line=LINE, year=2024, approval=APPROVAL, others=40 * M, amount=8 * M
    )
    errors = refusal(
        rules.commitments_within_approval_check, approval=APPROVAL, others=40 * M, amount=10 * M
    )
    assert errors == {
        "amount": [
            (
                "over_approval",
                "Commitments from line a for 2024 would reach DKK 50,000,000, more than the "
                "DKK 48,000,000 parliament approved; DKK 8,000,000 is still free to commit.",
            )
        ]
    }


def test_an_approval_covers_the_commitments_made_under_it():
    errors = refusal(
        rules.approval_covers_commitments_check,
        amount=40 * M,
        approved_on=datetime.date(2024, 3, 1),
        committed=48 * M,
        first_committed_on=datetime.date(2024, 2, 1),
    )
    assert {field: [code for code, _ in items] for field, items in errors.items()} == {
        "amount": ["below_committed"],
        "approved_on": ["after_commitment"],
    }


def test_disbursements_stay_within_the_commitments():
    rules.disbursements_within_commitments_check(
        line=LINE, year=2024, committed=48 * M, others=24 * M, amount=24 * M
    )
    over = refusal(
        rules.disbursements_within_commitments_check, committed=48 * M, others=24 * M, amount=30 * M
    )
    assert over["amount"] == [
        (
            "over_committed",
            "Disbursements of line a against 2024 would reach DKK 54,000,000, more than the "
            "DKK 48,000,000 committed; DKK 24,000,000 is left to disburse.",
        )
    ]
    nothing = refusal(
        rules.disbursements_within_commitments_check, committed=Decimal(0), others=0, amount=M
    )
    assert nothing["amount"] == [
        (
            "over_committed",
            "Nothing is committed from line a for 2024; record the commitment before paying.",
        )
    ]


def test_commitments_keep_covering_what_is_disbursed():
    with pytest.raises(ValidationError) as caught:
        rules.commitments_cover_disbursements_check(
            line=LINE, year=2024, committed=20 * M, disbursed=24 * M
        )
    assert caught.value.code == "below_disbursed"
    assert NON_FIELD_ERRORS not in getattr(caught.value, "error_dict", {})
    errors = refusal(
        rules.commitments_cover_disbursements_check,
        committed=20 * M,
        disbursed=24 * M,
        field="amount",
    )
    assert errors["amount"][0][0] == "below_disbursed"


def test_approved_allocations_stay_within_the_years_plan():
    rules.allocations_within_plan_check(
        line=LINE, year=2024, planned=50 * M, others=30 * M, amount=20 * M
    )
    assert refusal(rules.allocations_within_plan_check, planned=None, others=0, amount=M) == {
        "decision": [
            (
                "no_plan",
                "The budget plans no amount for line a in 2024, so nothing can be approved.",
            )
        ]
    }
    errors = refusal(
        rules.allocations_within_plan_check, planned=50 * M, others=30 * M, amount=25 * M
    )
    assert errors == {
        "decision": [
            (
                "over_line_budget",
                "Approving this would bring the approved allocations of 2024 to "
                "DKK 55,000,000, above the DKK 50,000,000 of line a; "
                "DKK 20,000,000 is left.",
            )
        ]
    }

"""Writes for the money side of a strategy, with the rules that span records.

Each function runs in one transaction, locks the budget lines whose totals it checks
(`select_for_update`, effective on PostgreSQL), validates the record with `full_clean()`, checks
the totals and only then saves, naming the user and the reason in the change history. A refused
change raises `ValidationError` keyed by the field the user should correct; nothing is saved.
The checks are also public (`*_check`, no write) so that the admin's forms run the same rules
before saving through these functions.

The rules across records:

- a commitment needs parliament's approval of its line and year, may not be dated before that
  approval, and the commitments of a line and year may not exceed the approved amount;
- the disbursements of a line and year may not exceed what is committed for it;
- an approval may not be lowered below, or dated after, the commitments made under it;
- the approved allocations of a softly earmarked line in a year, over all of that year's rounds,
  may not exceed the amount the budget plans for the line in that year.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

from funding import selectors
from funding.choices import Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
    long_date,
)
from priorities.models import Strategy
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import change_reason


def dkk(amount: Decimal) -> str:
    """Return an amount for a message: DKK 48,000,000.00."""
    return f"DKK {amount:,.2f}"


def approval_amount_field(line: BudgetLine) -> str:
    """Return the key under which errors of `line`'s amount in a year's approval are raised."""
    return f"amount_{line.pk}"


def lines_lock(*line_ids: int | None) -> None:
    """Lock the budget lines `line_ids` until the transaction ends; call inside one."""
    # Lock in a fixed order so that two changes touching the same lines cannot deadlock.
    list(
        BudgetLine.objects.select_for_update()
        .filter(pk__in={pk for pk in line_ids if pk})
        .order_by("pk")
    )


def _save(instance: models.Model, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = change_reason(reason)
    instance.save()


def _delete(instance: models.Model, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = change_reason(reason)
    instance.delete()


# --- Parliamentary approval -------------------------------------------------------------------


@transaction.atomic
def approval_year_record(
    *,
    strategy: Strategy,
    year: int,
    approved_on: datetime.date,
    amounts: Mapping[int, Decimal | None],
    reference: str = "",
    note: str = "",
    user,
) -> list[ParliamentaryApproval]:
    """Record parliament's approval of every budget line of `strategy` for `year`, all or none.

    `amounts` maps each line's id to its approved amount. Errors of a line's amount are keyed by
    `approval_amount_field(line)`.
    """
    lines = list(
        BudgetLine.objects.select_for_update().filter(strategy=strategy).order_by("order", "code")
    )
    if not lines:
        raise ValidationError(
            {"year": "The strategy has no budget lines to approve."}, code="no_lines"
        )
    errors: dict[str, list[ValidationError]] = {}

    def add(key: str, error: ValidationError) -> None:
        errors.setdefault(key, []).append(error)

    already = [
        approval.line.code
        for approval in ParliamentaryApproval.objects.filter(
            line__in=lines, year=year
        ).select_related("line")
    ]
    if already:
        add(
            "year",
            ValidationError(
                f"{year} is already approved for line {', '.join(already)}. "
                "Change the recorded approval instead.",
                code="already_approved",
            ),
        )
    approvals = []
    for line in lines:
        approval = ParliamentaryApproval(
            line=line,
            year=year,
            amount=amounts.get(line.pk),
            approved_on=approved_on,
            reference=reference,
            note=note,
        )
        approvals.append(approval)
        try:
            approval.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for key, items in error.error_dict.items():
                target = approval_amount_field(line) if key == "amount" else key
                for item in items:
                    if target in ("year", "approved_on", NON_FIELD_ERRORS) and any(
                        existing.messages == item.messages for existing in errors.get(target, [])
                    ):
                        continue
                    add(target, item)
    if errors:
        raise ValidationError(errors)
    for approval in approvals:
        _save(approval, user=user, reason=f"Parliamentary approval of {year} recorded")
    return approvals


@transaction.atomic
def approval_create(
    *,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    approved_on: datetime.date,
    reference: str = "",
    note: str = "",
    is_illustrative: bool = False,
    user,
) -> ParliamentaryApproval:
    """Record parliament's approval of one budget line for a year, e.g. a line added later."""
    lines_lock(line.pk)
    approval = ParliamentaryApproval(
        line=line,
        year=year,
        amount=amount,
        approved_on=approved_on,
        reference=reference,
        note=note,
        is_illustrative=is_illustrative,
    )
    approval.full_clean()
    _save(approval, user=user, reason=f"Parliamentary approval of {year} recorded")
    return approval


def approval_update_check(approval: ParliamentaryApproval) -> None:
    """Refuse an approval lower than, or dated after, the commitments made under it; no write."""
    approval.full_clean()
    line, year, amount = approval.line, approval.year, approval.amount
    committed = selectors.committed_total(line=line, year=year)
    errors = {}
    if amount < committed:
        errors["amount"] = ValidationError(
            f"Commitments from line {line.code} for {year} already amount to {dkk(committed)}; "
            "the approval cannot be lower.",
            code="below_committed",
        )
    first = selectors.earliest_commitment_date(line=line, year=year)
    if first is not None and approval.approved_on > first:
        errors["approved_on"] = ValidationError(
            f"A commitment under this approval is dated {long_date(first)}; "
            "the approval cannot be later.",
            code="after_commitment",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def approval_update(
    *,
    approval: ParliamentaryApproval,
    version: str | None,
    amount: Decimal,
    approved_on: datetime.date,
    reference: str = "",
    note: str = "",
    user,
) -> ParliamentaryApproval:
    """Change a recorded approval, never below or after the commitments made under it."""
    lock_unchanged(approval, version)
    lines_lock(approval.line_id)
    approval.amount = amount
    approval.approved_on = approved_on
    approval.reference = reference
    approval.note = note
    approval_update_check(approval)
    _save(approval, user=user, reason=f"Parliamentary approval of {approval.year} changed")
    return approval


def approval_delete_check(approval: ParliamentaryApproval) -> None:
    """Refuse to delete an approval under which commitments are recorded; no write."""
    if selectors.committed_total(line=approval.line, year=approval.year):
        raise ValidationError(
            f"Commitments are recorded under the approval of line {approval.line.code} for "
            f"{approval.year}; delete them first.",
            code="has_commitments",
        )


@transaction.atomic
def approval_delete(*, approval: ParliamentaryApproval, user) -> None:
    """Delete a recorded approval under which nothing is committed."""
    lines_lock(approval.line_id)
    approval_delete_check(approval)
    _delete(approval, user=user, reason=f"Parliamentary approval of {approval.year} deleted")


# --- Commitments ------------------------------------------------------------------------------


def commitment_check(commitment: Commitment, *, before: Commitment | None = None) -> None:
    """Refuse a commitment without approval, before it or above it; no write.

    `before` is the stored commitment when it is being changed: the disbursements of its old
    line and year must stay covered.
    """
    commitment.full_clean()
    line, year, amount = commitment.line, commitment.year, commitment.amount
    approval = selectors.approval_for(line=line, year=year)
    if approval is None:
        raise ValidationError(
            {
                "year": ValidationError(
                    f"Parliament's approval of line {line.code} for {year} is not recorded. "
                    f"Record the approval of {year} first.",
                    code="not_approved",
                )
            }
        )
    if commitment.committed_on < approval.approved_on:
        raise ValidationError(
            {
                "committed_on": ValidationError(
                    f"Parliament approved {year} on {long_date(approval.approved_on)}; "
                    "a commitment cannot be dated before that.",
                    code="before_approval",
                )
            }
        )
    others = selectors.committed_total(line=line, year=year, exclude_pk=commitment.pk)
    if others + amount > approval.amount:
        free = max(approval.amount - others, Decimal("0.00"))
        raise ValidationError(
            {
                "amount": ValidationError(
                    f"Commitments from line {line.code} for {year} would reach "
                    f"{dkk(others + amount)}, more than the {dkk(approval.amount)} parliament "
                    f"approved; {dkk(free)} is still free to commit.",
                    code="over_approval",
                )
            }
        )
    if before is not None:
        _commitments_cover_disbursements(
            line=before.line,
            year=before.year,
            committed=selectors.committed_total(
                line=before.line, year=before.year, exclude_pk=commitment.pk
            )
            + (amount if (before.line_id, before.year) == (line.pk, year) else Decimal(0)),
            field="amount",
        )


def _commitments_cover_disbursements(
    *, line: BudgetLine, year: int, committed: Decimal, field: str
) -> None:
    disbursed = selectors.disbursed_total(line=line, year=year)
    if disbursed > committed:
        error = ValidationError(
            f"{dkk(disbursed)} is already disbursed from line {line.code} against {year}; "
            f"the commitments for it cannot fall to {dkk(committed)}.",
            code="below_disbursed",
        )
        raise error if field == NON_FIELD_ERRORS else ValidationError({field: error})


@transaction.atomic
def commitment_create(
    *,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    committed_on: datetime.date,
    reference: str = "",
    note: str = "",
    is_illustrative: bool = False,
    user,
) -> Commitment:
    """Commit funds from a budget line for a year that parliament has approved."""
    lines_lock(line.pk)
    commitment = Commitment(
        line=line,
        year=year,
        amount=amount,
        committed_on=committed_on,
        reference=reference,
        note=note,
        is_illustrative=is_illustrative,
    )
    commitment_check(commitment)
    _save(commitment, user=user, reason="Commitment recorded")
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    version: str | None,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    committed_on: datetime.date,
    reference: str = "",
    note: str = "",
    user,
) -> Commitment:
    """Change a commitment, keeping the rules for its old and its new line and year."""
    lock_unchanged(commitment, version)
    before = Commitment.objects.select_related("line").get(pk=commitment.pk)
    lines_lock(before.line_id, line.pk)
    commitment.line = line
    commitment.year = year
    commitment.amount = amount
    commitment.committed_on = committed_on
    commitment.reference = reference
    commitment.note = note
    commitment_check(commitment, before=before)
    _save(commitment, user=user, reason="Commitment changed")
    return commitment


def commitment_delete_check(commitment: Commitment) -> None:
    """Refuse to delete a commitment whose disbursements would lose their cover; no write."""
    remaining = selectors.committed_total(
        line=commitment.line, year=commitment.year, exclude_pk=commitment.pk
    )
    _commitments_cover_disbursements(
        line=commitment.line, year=commitment.year, committed=remaining, field=NON_FIELD_ERRORS
    )


@transaction.atomic
def commitment_delete(*, commitment: Commitment, user) -> None:
    """Delete a commitment unless the disbursements made against it would lose their cover."""
    lines_lock(commitment.line_id)
    commitment_delete_check(commitment)
    _delete(commitment, user=user, reason="Commitment deleted")


# --- Disbursements ----------------------------------------------------------------------------


def disbursement_check(disbursement: Disbursement) -> None:
    """Refuse disbursements of a line and year above what is committed for it; no write."""
    disbursement.full_clean()
    line, year, amount = disbursement.line, disbursement.year, disbursement.amount
    committed = selectors.committed_total(line=line, year=year)
    others = selectors.disbursed_total(line=line, year=year, exclude_pk=disbursement.pk)
    if others + amount > committed:
        if committed:
            message = (
                f"Disbursements of line {line.code} against {year} would reach "
                f"{dkk(others + amount)}, more than the {dkk(committed)} committed; "
                f"{dkk(max(committed - others, Decimal('0.00')))} is left to disburse."
            )
        else:
            message = (
                f"Nothing is committed from line {line.code} for {year}; "
                "record the commitment before paying."
            )
        raise ValidationError(
            {"amount": ValidationError(message, code="over_committed")},
        )


@transaction.atomic
def disbursement_create(
    *,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    paid_on: datetime.date,
    reference: str = "",
    note: str = "",
    is_illustrative: bool = False,
    user,
) -> Disbursement:
    """Record a payment from a budget line, counted against a year, within what is committed."""
    lines_lock(line.pk)
    disbursement = Disbursement(
        line=line,
        year=year,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        note=note,
        is_illustrative=is_illustrative,
    )
    disbursement_check(disbursement)
    _save(disbursement, user=user, reason="Disbursement recorded")
    return disbursement


@transaction.atomic
def disbursement_update(
    *,
    disbursement: Disbursement,
    version: str | None,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    paid_on: datetime.date,
    reference: str = "",
    note: str = "",
    user,
) -> Disbursement:
    """Change a recorded payment, within what is committed for its line and year."""
    lock_unchanged(disbursement, version)
    before_line_id = Disbursement.objects.values_list("line_id", flat=True).get(pk=disbursement.pk)
    lines_lock(before_line_id, line.pk)
    disbursement.line = line
    disbursement.year = year
    disbursement.amount = amount
    disbursement.paid_on = paid_on
    disbursement.reference = reference
    disbursement.note = note
    disbursement_check(disbursement)
    _save(disbursement, user=user, reason="Disbursement changed")
    return disbursement


@transaction.atomic
def disbursement_delete(*, disbursement: Disbursement, user) -> None:
    """Delete a recorded payment."""
    lines_lock(disbursement.line_id)
    _delete(disbursement, user=user, reason="Disbursement deleted")


# --- Allocation rounds ------------------------------------------------------------------------


def allocationround_create_check(allocation_round: AllocationRound) -> None:
    """Refuse a round for a line, year and half that already has one; no write."""
    allocation_round.full_clean(validate_constraints=False)
    line = allocation_round.line
    if (
        AllocationRound.objects.filter(
            line=line, year=allocation_round.year, half=allocation_round.half
        )
        .exclude(pk=allocation_round.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "half": ValidationError(
                    f"There is already a round for the {allocation_round} of line {line.code}.",
                    code="duplicate_round",
                )
            }
        )
    allocation_round.full_clean()


@transaction.atomic
def allocationround_create(
    *,
    line: BudgetLine,
    year: int,
    half: int,
    dialogue_on: datetime.date | None = None,
    note: str = "",
    is_illustrative: bool = False,
    user,
) -> AllocationRound:
    """Open the six-monthly round of a softly earmarked line for a year and half."""
    lines_lock(line.pk)
    allocation_round = AllocationRound(
        line=line,
        year=year,
        half=half,
        dialogue_on=dialogue_on,
        note=note,
        is_illustrative=is_illustrative,
    )
    allocationround_create_check(allocation_round)
    _save(allocation_round, user=user, reason="Allocation round opened")
    return allocation_round


@transaction.atomic
def allocationround_update(
    *,
    allocation_round: AllocationRound,
    version: str | None,
    dialogue_on: datetime.date | None,
    note: str = "",
    user,
) -> AllocationRound:
    """Change the date of a round's dialogue and its note."""
    lock_unchanged(allocation_round, version)
    allocation_round.dialogue_on = dialogue_on
    allocation_round.note = note
    allocation_round.full_clean()
    _save(allocation_round, user=user, reason="Allocation round changed")
    return allocation_round


@transaction.atomic
def allocation_create(
    *,
    allocation_round: AllocationRound,
    office,
    theme: str,
    amount: Decimal,
    description: str = "",
    is_illustrative: bool = False,
    user,
) -> Allocation:
    """Record a proposal of the partner in a round, awaiting Denmark's decision."""
    allocation = Allocation(
        round=allocation_round,
        office=office,
        theme=theme,
        amount=amount,
        description=description,
        decision=Decision.PENDING,
        is_illustrative=is_illustrative,
    )
    allocation.full_clean()
    _save(allocation, user=user, reason="Proposal recorded")
    return allocation


def allocation_pending_check(allocation: Allocation) -> None:
    """Refuse to change a stored proposal that is already decided; no write."""
    stored = Allocation.objects.values_list("decision", flat=True).get(pk=allocation.pk)
    if stored != Decision.PENDING:
        raise ValidationError(
            "This proposal is already decided; a decided proposal is not changed.",
            code="already_decided",
        )


@transaction.atomic
def allocation_update(
    *,
    allocation: Allocation,
    version: str | None,
    office,
    theme: str,
    amount: Decimal,
    description: str = "",
    user,
) -> Allocation:
    """Change a proposal that still awaits a decision."""
    lock_unchanged(allocation, version)
    allocation_pending_check(allocation)
    allocation.office = office
    allocation.theme = theme
    allocation.amount = amount
    allocation.description = description
    allocation.full_clean()
    _save(allocation, user=user, reason="Proposal changed")
    return allocation


@transaction.atomic
def allocation_decide(
    *,
    allocation: Allocation,
    version: str | None,
    decision: str,
    reason: str,
    user,
) -> Allocation:
    """Approve or reject a proposal with a reason, within the year's softly earmarked line."""
    lines_lock(allocation.round.line_id)
    lock_unchanged(allocation, version)
    allocation.decision = decision
    allocation.decision_reason = (reason or "").strip()
    allocation.decided_by = user
    allocation.decided_at = timezone.now()
    allocation_decision_check(allocation)
    verb = "approved" if decision == Decision.APPROVED else "rejected"
    _save(allocation, user=user, reason=f"Proposal {verb}")
    return allocation


def allocation_decision_check(allocation: Allocation) -> None:
    """Refuse a decision without a reason, or an approval above the year's line; no write.

    The approved allocations of a softly earmarked line in a year, over all of that year's
    rounds, may not exceed the amount the budget plans for the line in that year.
    """
    if allocation.decision not in (Decision.APPROVED, Decision.REJECTED):
        raise ValidationError(
            {"decision": ValidationError("Approve or reject the proposal.", code="invalid")}
        )
    if not (allocation.decision_reason or "").strip():
        raise ValidationError(
            {
                "decision_reason": ValidationError(
                    "Give the reason for the decision.", code="reason_required"
                )
            }
        )
    allocation.full_clean()
    line = allocation.round.line
    if allocation.decision == Decision.APPROVED:
        year = allocation.round.year
        planned = selectors.planned_amount(line=line, year=year)
        if planned is None:
            raise ValidationError(
                {
                    "decision": ValidationError(
                        f"The budget plans no amount for line {line.code} in {year}, so nothing "
                        "can be approved.",
                        code="no_plan",
                    )
                }
            )
        others = selectors.approved_allocation_total(line=line, year=year, exclude_pk=allocation.pk)
        if others + allocation.amount > planned:
            raise ValidationError(
                {
                    "decision": ValidationError(
                        f"Approving this would bring the approved allocations of {year} to "
                        f"{dkk(others + allocation.amount)}, above the {dkk(planned)} of line "
                        f"{line.code}; {dkk(max(planned - others, Decimal('0.00')))} is left.",
                        code="over_line_budget",
                    )
                }
            )


# --- Set-up: budget lines and their plan ------------------------------------------------------

BUDGET_LINE_FIELDS = (
    "code",
    "name",
    "kind",
    "finance_act_code",
    "responsible_unit",
    "currency",
    "order",
)


def budgetline_save(
    *,
    strategy: Strategy,
    line=None,
    amounts: dict[int, Decimal | None],
    version: str | None = None,
    user,
    **values,
):
    """Add or change a budget line and its planned amount for each year of the period."""
    with transaction.atomic():
        if line is None:
            line = BudgetLine(strategy=strategy)
        else:
            lock_unchanged(line, version)
        for name in BUDGET_LINE_FIELDS:
            if name in values:
                setattr(line, name, values[name])
        line.full_clean()
        _save(line, user=user, reason="Set up the budget line")
        current = {planned.year: planned for planned in line.planned_amounts.all()}
        for year, amount in amounts.items():
            strategy.year_check(year, f"amount_{year}")
            planned = current.get(year)
            if amount is None:
                if planned is not None:
                    _delete(planned, user=user, reason=f"Removed the plan for {year}")
                continue
            if planned is None:
                planned = PlannedAmount(line=line, year=year)
            elif planned.amount == amount:
                continue
            planned.amount = amount
            try:
                planned.full_clean()
                _save(planned, user=user, reason=f"Planned {line.code} {year}")
            except ValidationError as error:
                raise ValidationError(
                    {f"amount_{year}": error.messages}, code="invalid_amount"
                ) from error
    return line

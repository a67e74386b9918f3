"""Writes for the money side of a strategy, with the rules that span records.

Each function runs in one transaction, locks the budget lines whose totals it checks
(`select_for_update`, effective on PostgreSQL), validates the record with `full_clean()`, checks
the totals and only then saves, naming the user and the reason in the change history. A refused
change raises `ValidationError` keyed by the field the user should correct; nothing is saved.
The rules across records are `funding.rules`, which the workbook import asks too; the
checks here (`*_check`, no write) gather the totals those rules compare.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from funding import rules, selectors
from funding.choices import BudgetLineKind, Currency, Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    FinanceActCode,
    ParliamentaryApproval,
    PlannedAmount,
    PlannedAmountRevision,
)
from priorities.models import Strategy
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_delete, recorded_save
from strategy_monitor.services import model_update


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
            {"year": _("The strategy has no budget lines to approve.")}, code="no_lines"
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
                ngettext(
                    "%(year)s is already approved for line %(lines)s. "
                    "Change the recorded approval instead.",
                    "%(year)s is already approved for lines %(lines)s. "
                    "Change the recorded approval instead.",
                    len(already),
                )
                % {"year": year, "lines": ", ".join(already)},
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
        recorded_save(
            approval, user=user, validate=False, reason=f"Parliamentary approval of {year} recorded"
        )
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
    recorded_save(
        approval, user=user, validate=False, reason=f"Parliamentary approval of {year} recorded"
    )
    return approval


def approval_update_check(approval: ParliamentaryApproval) -> None:
    """Refuse an approval lower than, or dated after, the commitments made under it; no write."""
    approval.full_clean()
    line, year = approval.line, approval.year
    rules.approval_covers_commitments_check(
        line=line,
        year=year,
        amount=approval.amount,
        approved_on=approval.approved_on,
        committed=selectors.committed_total(line=line, year=year),
        first_committed_on=selectors.earliest_commitment_date(line=line, year=year),
    )


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
    model_update(
        instance=approval,
        fields=("amount", "approved_on", "reference", "note"),
        data={"amount": amount, "approved_on": approved_on, "reference": reference, "note": note},
    )
    approval_update_check(approval)
    recorded_save(
        approval,
        user=user,
        validate=False,
        reason=f"Parliamentary approval of {approval.year} changed",
    )
    return approval


def approval_delete_check(approval: ParliamentaryApproval) -> None:
    """Refuse to delete an approval under which commitments are recorded; no write."""
    if selectors.committed_total(line=approval.line, year=approval.year):
        raise ValidationError(
            _(
                "Commitments are recorded under the approval of line %(code)s for %(year)s; "
                "delete them first."
            )
            % {"code": approval.line.code, "year": approval.year},
            code="has_commitments",
        )


@transaction.atomic
def approval_delete(*, approval: ParliamentaryApproval, user) -> None:
    """Delete a recorded approval under which nothing is committed."""
    lines_lock(approval.line_id)
    approval_delete_check(approval)
    recorded_delete(
        approval, user=user, reason=f"Parliamentary approval of {approval.year} deleted"
    )


# --- Commitments ------------------------------------------------------------------------------

COMMITMENT_FIELDS = ("line", "year", "amount", "committed_on", "reference", "note")


def commitment_check(commitment: Commitment, *, before: Commitment | None = None) -> None:
    """Refuse a commitment without approval, before it or above it; no write.

    `before` is the stored commitment when it is being changed: the disbursements of its old
    line and year must stay covered.
    """
    commitment.full_clean()
    line, year, amount = commitment.line, commitment.year, commitment.amount
    approval = selectors.approval_for(line=line, year=year)
    rules.commitment_approval_check(
        line=line, year=year, approval=approval, committed_on=commitment.committed_on
    )
    rules.commitments_within_approval_check(
        line=line,
        year=year,
        approval=approval,
        others=selectors.committed_total(line=line, year=year, exclude_pk=commitment.pk),
        amount=amount,
    )
    if before is not None:
        rules.commitments_cover_disbursements_check(
            line=before.line,
            year=before.year,
            committed=selectors.committed_total(
                line=before.line, year=before.year, exclude_pk=commitment.pk
            )
            + (amount if (before.line_id, before.year) == (line.pk, year) else Decimal(0)),
            disbursed=selectors.disbursed_total(line=before.line, year=before.year),
            field="amount",
        )


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
    recorded_save(commitment, user=user, validate=False, reason="Commitment recorded")
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
    model_update(
        instance=commitment,
        fields=COMMITMENT_FIELDS,
        data={
            "line": line,
            "year": year,
            "amount": amount,
            "committed_on": committed_on,
            "reference": reference,
            "note": note,
        },
    )
    commitment_check(commitment, before=before)
    recorded_save(commitment, user=user, validate=False, reason="Commitment changed")
    return commitment


def commitment_delete_check(commitment: Commitment) -> None:
    """Refuse to delete a commitment whose disbursements would lose their cover; no write."""
    line, year = commitment.line, commitment.year
    rules.commitments_cover_disbursements_check(
        line=line,
        year=year,
        committed=selectors.committed_total(line=line, year=year, exclude_pk=commitment.pk),
        disbursed=selectors.disbursed_total(line=line, year=year),
    )


@transaction.atomic
def commitment_delete(*, commitment: Commitment, user) -> None:
    """Delete a commitment unless the disbursements made against it would lose their cover."""
    lines_lock(commitment.line_id)
    commitment_delete_check(commitment)
    recorded_delete(commitment, user=user, reason="Commitment deleted")


# --- Disbursements ----------------------------------------------------------------------------

DISBURSEMENT_FIELDS = ("line", "year", "amount", "paid_on", "reference", "note")


def disbursement_check(disbursement: Disbursement) -> None:
    """Refuse disbursements of a line and year above what is committed for it; no write."""
    disbursement.full_clean()
    line, year = disbursement.line, disbursement.year
    rules.disbursements_within_commitments_check(
        line=line,
        year=year,
        committed=selectors.committed_total(line=line, year=year),
        others=selectors.disbursed_total(line=line, year=year, exclude_pk=disbursement.pk),
        amount=disbursement.amount,
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
    recorded_save(disbursement, user=user, validate=False, reason="Disbursement recorded")
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
    model_update(
        instance=disbursement,
        fields=DISBURSEMENT_FIELDS,
        data={
            "line": line,
            "year": year,
            "amount": amount,
            "paid_on": paid_on,
            "reference": reference,
            "note": note,
        },
    )
    disbursement_check(disbursement)
    recorded_save(disbursement, user=user, validate=False, reason="Disbursement changed")
    return disbursement


@transaction.atomic
def disbursement_delete(*, disbursement: Disbursement, user) -> None:
    """Delete a recorded payment."""
    lines_lock(disbursement.line_id)
    recorded_delete(disbursement, user=user, reason="Disbursement deleted")


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
                    _("There is already a round for the %(round)s of line %(code)s.")
                    % {"round": allocation_round, "code": line.code},
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
    recorded_save(allocation_round, user=user, validate=False, reason="Allocation round opened")
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
    recorded_save(allocation_round, user=user, validate=False, reason="Allocation round changed")
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
    recorded_save(allocation, user=user, validate=False, reason="Proposal recorded")
    return allocation


def allocation_pending_check(allocation: Allocation) -> None:
    """Refuse to change a stored proposal that is already decided; no write."""
    stored = Allocation.objects.values_list("decision", flat=True).get(pk=allocation.pk)
    if stored != Decision.PENDING:
        raise ValidationError(
            _("This proposal is already decided; a decided proposal is not changed."),
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
    model_update(
        instance=allocation,
        fields=("office", "theme", "amount", "description"),
        data={"office": office, "theme": theme, "amount": amount, "description": description},
    )
    allocation.full_clean()
    recorded_save(allocation, user=user, validate=False, reason="Proposal changed")
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
    recorded_save(allocation, user=user, validate=False, reason=f"Proposal {verb}")
    return allocation


def allocation_decision_check(allocation: Allocation) -> None:
    """Refuse a decision without a reason, or an approval above the year's line; no write.

    The approved allocations of a softly earmarked line in a year, over all of that year's
    rounds, may not exceed the amount the budget plans for the line in that year.
    """
    if allocation.decision not in (Decision.APPROVED, Decision.REJECTED):
        raise ValidationError(
            {"decision": ValidationError(_("Approve or reject the proposal."), code="invalid")}
        )
    if not (allocation.decision_reason or "").strip():
        raise ValidationError(
            {
                "decision_reason": ValidationError(
                    _("Give the reason for the decision."), code="reason_required"
                )
            }
        )
    allocation.full_clean()
    if allocation.decision == Decision.APPROVED:
        line, year = allocation.round.line, allocation.round.year
        rules.allocations_within_plan_check(
            line=line,
            year=year,
            planned=selectors.planned_amount(line=line, year=year),
            others=selectors.approved_allocation_total(
                line=line, year=year, exclude_pk=allocation.pk
            ),
            amount=allocation.amount,
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


def finance_act_code_resolve(*, strategy: Strategy, code, user) -> FinanceActCode | None:
    """Return the strategy's Finance Act code printed as `code`, adding it if it is new.

    `code` may already be a `FinanceActCode` (kept as it is) or the text typed on the set-up
    page or in the workbook; empty text means no code.
    """
    if code is None or isinstance(code, FinanceActCode):
        return code
    text = " ".join(str(code).split())
    if not text:
        return None
    existing = FinanceActCode.objects.filter(strategy=strategy, code=text).first()
    if existing is not None:
        return existing
    new = FinanceActCode(
        strategy=strategy,
        code=text,
        order=FinanceActCode.objects.filter(strategy=strategy).count(),
    )
    try:
        recorded_save(new, user=user, reason="Added the Finance Act code")
    except ValidationError as error:
        raise ValidationError({"finance_act_code": error.messages}, code="invalid") from error
    return new


def finance_act_code_save(
    *,
    strategy: Strategy,
    finance_act_code: FinanceActCode | None = None,
    code: str,
    label: str = "",
    order: int | None = None,
    version: str | None = None,
    user,
) -> FinanceActCode:
    """Add or change one of the strategy's Finance Act codes; its lines follow the change."""
    with transaction.atomic():
        if finance_act_code is None:
            finance_act_code = FinanceActCode(strategy=strategy)
            if order is None:
                order = FinanceActCode.objects.filter(strategy=strategy).count()
        else:
            lock_unchanged(finance_act_code, version)
        data = {"code": " ".join(code.split()), "label": label}
        if order is not None:
            data["order"] = order
        model_update(instance=finance_act_code, fields=("code", "label", "order"), data=data)
        recorded_save(finance_act_code, user=user, reason="Set up the Finance Act code")
    return finance_act_code


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
        if "finance_act_code" in values:
            values["finance_act_code"] = finance_act_code_resolve(
                strategy=strategy, code=values["finance_act_code"], user=user
            )
        model_update(instance=line, fields=BUDGET_LINE_FIELDS, data=values)
        recorded_save(line, user=user, reason="Set up the budget line")
        current = {planned.year: planned for planned in line.planned_amounts.all()}
        for year, amount in amounts.items():
            strategy.year_check(year, f"amount_{year}")
            planned = current.get(year)
            if amount is None:
                if planned is not None:
                    recorded_delete(planned, user=user, reason=f"Removed the plan for {year}")
                continue
            if planned is None:
                planned = PlannedAmount(line=line, year=year)
            elif planned.amount == amount:
                continue
            elif planned.revisions.exists():
                # The set-up would overwrite a revised figure and break its history.
                raise ValidationError(
                    {
                        f"amount_{year}": ValidationError(
                            _(
                                "The plan of %(year)s has been revised since it was set up; "
                                "record a further revision on the budget page instead."
                            )
                            % {"year": year},
                            code="revised",
                        )
                    }
                )
            planned.amount = amount
            try:
                recorded_save(planned, user=user, reason=f"Planned {line.code} {year}")
            except ValidationError as error:
                raise ValidationError(
                    {f"amount_{year}": error.messages}, code="invalid_amount"
                ) from error
    return line


def budget_from_onepager(*, strategy: Strategy, plan, user) -> str:
    """Give a strategy set up from its one-pager a budget line, where the front page allows.

    With one Finance Act code, the front page's commitments are that code's budget line. With
    several, the one table does not say how they share it: no line is made, and the
    administrator adds one per code on the budget page.
    """
    codes = plan.finance_act_codes
    for code in codes:
        finance_act_code_resolve(strategy=strategy, code=code, user=user)
    if len(codes) > 1:
        return _(
            "The front page gives %(count)s Finance Act codes for one table: add the budget "
            "lines under each on the budget page."
        ) % {"count": len(codes)}
    amounts = {
        year: commitment for year, (commitment, _committed_by) in plan.amounts.items() if commitment
    }
    if not codes or not amounts:
        return ""
    budgetline_save(
        strategy=strategy,
        amounts=amounts,
        user=user,
        code="a",
        name=f"Contribution under {codes[0]}",
        kind=BudgetLineKind.OTHER,
        finance_act_code=codes[0],
        currency=Currency.DKK,
        order=1,
    )
    return _(
        "Budget line a. under %(code)s created with the front page's commitments; "
        "give it its kind and split it on the budget page if the strategy has several lines."
    ) % {"code": codes[0]}


# --- Revisions of the plan --------------------------------------------------------------------


@transaction.atomic
def planned_amount_revise(
    *,
    planned: PlannedAmount,
    amount: Decimal,
    revised_on: datetime.date,
    source: str,
    reason: str = "",
    original_source: str | None = None,
    version: str | None = None,
    user,
) -> PlannedAmountRevision:
    """Record a later figure for a planned amount, keeping the one it replaces.

    The planned amount then holds the new figure, which execution is measured against; the
    revision keeps the figure before it, its date, where it is stated and why.
    """
    lock_unchanged(planned, version)
    lines_lock(planned.line_id)
    revision = PlannedAmountRevision(
        planned_amount=planned,
        previous_amount=planned.amount,
        amount=amount,
        revised_on=revised_on,
        source=source,
        reason=reason,
    )
    revision.full_clean()
    latest = planned.revisions.order_by("-revised_on").values_list("revised_on", flat=True).first()
    if latest is not None and revised_on < latest:
        raise ValidationError(
            {
                "revised_on": ValidationError(
                    _(
                        "The figure was already revised on %(day)s; record revisions in "
                        "the order of their dates."
                    )
                    % {"day": date_format(latest, "DATE_FORMAT")},
                    code="before_last_revision",
                )
            }
        )
    recorded_save(
        revision,
        user=user,
        validate=False,
        reason=f"Revised the plan of {planned.line.code} {planned.year}",
    )
    if original_source is not None and latest is None:
        # The planned amount's source names where the original figure is stated.
        planned.source = original_source
    planned.amount = amount
    recorded_save(
        planned,
        user=user,
        reason=f"Revised {planned.line.code} {planned.year} to {amount} ({source})",
    )
    return revision

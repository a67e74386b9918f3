"""The funding rules across records, written once with their wording and error codes.

The pages save through `funding.services`, the workbook import checks what it wrote
(`reports.importers`), and both ask these functions with totals read by `funding.selectors`:

- a commitment needs parliament's approval of its line and year and may not be dated before
  it; the commitments of a line and year may not exceed the approved amount, and an approval
  may not be lowered below, or dated after, the commitments made under it;
- the disbursements of a line and year may not exceed what is committed for it;
- the approved allocations of a softly earmarked line in a year, over all of that year's
  rounds, may not exceed the amount the budget plans for the line in that year.

The rules of a single record (an approval dated in the window parliament approves its year in,
a year and date inside the strategy period, an amount above zero) are the models' `clean()`.
Each function raises `ValidationError` keyed by the field to correct, and reads nothing itself.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from funding.models import BudgetLine, ParliamentaryApproval, long_date
from strategy_monitor.formats import amount_in_currency as dkk

ZERO = Decimal("0.00")


def commitment_approval_check(
    *,
    line: BudgetLine,
    year: int,
    approval: ParliamentaryApproval | None,
    committed_on: datetime.date | None,
) -> None:
    """Refuse a commitment for a year parliament has not approved, or dated before the approval."""
    if approval is None:
        raise ValidationError(
            {
                "year": ValidationError(
                    _(
                        "Parliament's approval of line %(code)s for %(year)s is not recorded. "
                        "Record the approval of %(year)s first."
                    )
                    % {"code": line.code, "year": year},
                    code="not_approved",
                )
            }
        )
    if committed_on is not None and committed_on < approval.approved_on:
        raise ValidationError(
            {
                "committed_on": ValidationError(
                    _(
                        "Parliament approved %(year)s on %(day)s; "
                        "a commitment cannot be dated before that."
                    )
                    % {"year": year, "day": long_date(approval.approved_on)},
                    code="before_approval",
                )
            }
        )


def commitments_within_approval_check(
    *,
    line: BudgetLine,
    year: int,
    approval: ParliamentaryApproval,
    others: Decimal,
    amount: Decimal,
) -> None:
    """Refuse commitments of a line and year above parliament's approval of it.

    `amount` is what is being committed, `others` what the line's other commitments for the
    year already hold.
    """
    if others + amount > approval.amount:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _(
                        "Commitments from line %(code)s for %(year)s would reach %(total)s, "
                        "more than the %(approved)s parliament approved; %(free)s is still "
                        "free to commit."
                    )
                    % {
                        "code": line.code,
                        "year": year,
                        "total": dkk(others + amount),
                        "approved": dkk(approval.amount),
                        "free": dkk(max(approval.amount - others, ZERO)),
                    },
                    code="over_approval",
                )
            }
        )


def approval_covers_commitments_check(
    *,
    line: BudgetLine,
    year: int,
    amount: Decimal,
    approved_on: datetime.date,
    committed: Decimal,
    first_committed_on: datetime.date | None,
) -> None:
    """Refuse an approval lower than, or dated after, the commitments made under it."""
    errors = {}
    if amount < committed:
        errors["amount"] = ValidationError(
            _(
                "Commitments from line %(code)s for %(year)s already amount to %(committed)s; "
                "the approval cannot be lower."
            )
            % {"code": line.code, "year": year, "committed": dkk(committed)},
            code="below_committed",
        )
    if first_committed_on is not None and approved_on > first_committed_on:
        errors["approved_on"] = ValidationError(
            _("A commitment under this approval is dated %(day)s; the approval cannot be later.")
            % {"day": long_date(first_committed_on)},
            code="after_commitment",
        )
    if errors:
        raise ValidationError(errors)


def disbursements_within_commitments_check(
    *, line: BudgetLine, year: int, committed: Decimal, others: Decimal, amount: Decimal
) -> None:
    """Refuse disbursements of a line and year above what is committed for it.

    `amount` is what is being paid, `others` what the line's other payments against the year
    already hold.
    """
    if others + amount <= committed:
        return
    if committed:
        message = _(
            "Disbursements of line %(code)s against %(year)s would reach %(total)s, more than "
            "the %(committed)s committed; %(left)s is left to disburse."
        ) % {
            "code": line.code,
            "year": year,
            "total": dkk(others + amount),
            "committed": dkk(committed),
            "left": dkk(max(committed - others, ZERO)),
        }
    else:
        message = _(
            "Nothing is committed from line %(code)s for %(year)s; "
            "record the commitment before paying."
        ) % {"code": line.code, "year": year}
    raise ValidationError({"amount": ValidationError(message, code="over_committed")})


def commitments_cover_disbursements_check(
    *,
    line: BudgetLine,
    year: int,
    committed: Decimal,
    disbursed: Decimal,
    field: str = NON_FIELD_ERRORS,
) -> None:
    """Refuse commitments of a line and year falling below what is already disbursed."""
    if disbursed > committed:
        error = ValidationError(
            _(
                "%(disbursed)s is already disbursed from line %(code)s against %(year)s; "
                "the commitments for it cannot fall to %(committed)s."
            )
            % {
                "disbursed": dkk(disbursed),
                "code": line.code,
                "year": year,
                "committed": dkk(committed),
            },
            code="below_disbursed",
        )
        raise error if field == NON_FIELD_ERRORS else ValidationError({field: error})


def allocations_within_plan_check(
    *,
    line: BudgetLine,
    year: int,
    planned: Decimal | None,
    others: Decimal,
    amount: Decimal,
) -> None:
    """Refuse approved allocations of a softly earmarked line above the year's planned amount.

    `amount` is the allocation being approved, `others` the line's other approved allocations
    in the year, over all of that year's rounds.
    """
    if planned is None:
        raise ValidationError(
            {
                "decision": ValidationError(
                    _(
                        "The budget plans no amount for line %(code)s in %(year)s, so nothing "
                        "can be approved."
                    )
                    % {"code": line.code, "year": year},
                    code="no_plan",
                )
            }
        )
    if others + amount > planned:
        raise ValidationError(
            {
                "decision": ValidationError(
                    _(
                        "Approving this would bring the approved allocations of %(year)s to "
                        "%(total)s, above the %(planned)s of line %(code)s; %(left)s is left."
                    )
                    % {
                        "year": year,
                        "total": dkk(others + amount),
                        "planned": dkk(planned),
                        "code": line.code,
                        "left": dkk(max(planned - others, ZERO)),
                    },
                    code="over_line_budget",
                )
            }
        )

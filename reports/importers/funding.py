"""Writing the money: budget lines, approvals, commitments, disbursements, allocations."""

from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from funding import rules as funding_rules
from funding import selectors as funding_selectors
from funding.choices import BudgetLineKind, Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    FinanceActCode,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.choices import OfficeKind
from priorities.models import Office
from reports import layout

from ._common import _norm
from .reading import Row
from .results import Problem


class _FundingWriter:
    """Write the budget and the money, then check the funding rules across records.

    The rules and their wording are `funding.rules`, as on the funding pages; a refusal names
    the sheet, the row and the column it was found at.
    """

    def budget_write(self):
        lines = {line.code: line for line in self.strategy.budget_lines.all()}
        planned = {
            (item.line.code, item.year): item
            for item in PlannedAmount.objects.filter(line__strategy=self.strategy).select_related(
                "line"
            )
        }
        codes = {code.code: code for code in self.strategy.finance_act_codes.all()}
        for row in self.rows("lines"):
            code_text = " ".join(str(row["finance_act_code"] or "").split())
            act_code = codes.get(code_text)
            if code_text and act_code is None:
                act_code = self.save(
                    FinanceActCode(strategy=self.strategy, code=code_text, order=len(codes)),
                    sheet=layout.BUDGET,
                    table="lines",
                    row=row.number,
                    values={},
                    columns={"code": "finance_act_code"},
                )
                if act_code is None:
                    continue
                codes[code_text] = act_code
            line = self.save(
                lines.get(row["code"]) or BudgetLine(strategy=self.strategy, code=row["code"]),
                sheet=layout.BUDGET,
                table="lines",
                row=row.number,
                values={
                    "name": row["name"],
                    "kind": row["kind"],
                    "finance_act_code": act_code,
                    "responsible_unit": row["responsible_unit"] or "",
                    "currency": row["currency"] or "DKK",
                    "order": row["order"] or 0,
                },
            )
            if line is None:
                continue
            lines[line.code] = line
            for year in self.years:
                amount = row[f"planned_{year}"]
                current = planned.get((line.code, year))
                if amount is None:
                    continue
                self.save(
                    current or PlannedAmount(line=line, year=year),
                    sheet=layout.BUDGET,
                    table="lines",
                    row=row.number,
                    values={"amount": amount},
                    columns={"amount": f"planned_{year}", "year": f"planned_{year}"},
                )
        self.lines = lines

    def line(self, sheet: str, table: str, row: Row):
        line = self.lines.get(row["line"])
        if line is None:
            self.problem(
                sheet,
                row,
                self.where(table, "line"),
                f'No budget line "{row["line"]}": expected a code from the sheet Budget.',
                "unknown_line",
            )
        return line

    def money_write(self):
        approvals = {
            (item.line.code, item.year): item
            for item in ParliamentaryApproval.objects.filter(
                line__strategy=self.strategy
            ).select_related("line")
        }
        self.approval_rows: dict[tuple[int, int], Row] = {}
        for row in self.rows("approvals"):
            line = self.line(layout.APPROVALS, "approvals", row)
            if line is None:
                continue
            saved = self.save(
                approvals.get((line.code, row["year"]))
                or ParliamentaryApproval(line=line, year=row["year"]),
                sheet=layout.APPROVALS,
                table="approvals",
                row=row.number,
                values={
                    "amount": row["amount"],
                    "approved_on": row["approved_on"],
                    "reference": row["reference"] or "",
                    "note": row["note"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )
            if saved is not None:
                self.approval_rows[(line.pk, row["year"])] = row
        self.money_rows: dict[tuple[str, int, str], list[Row]] = defaultdict(list)
        for model, table, sheet, date_key in (
            (Commitment, "commitments", layout.COMMITMENTS, "committed_on"),
            (Disbursement, "disbursements", layout.DISBURSEMENTS, "paid_on"),
        ):
            pool = defaultdict(list)
            for record in model.objects.filter(line__strategy=self.strategy).order_by("pk"):
                pool[
                    (record.line_id, record.year, getattr(record, date_key), record.reference)
                ].append(record)
            for row in self.rows(table):
                line = self.line(sheet, table, row)
                if line is None:
                    continue
                key = (line.pk, row["year"], row[date_key], row["reference"] or "")
                instance = pool[key].pop(0) if pool[key] else model(line=line)
                saved = self.save(
                    instance,
                    sheet=sheet,
                    table=table,
                    row=row.number,
                    values={
                        "year": row["year"],
                        "amount": row["amount"],
                        date_key: row[date_key],
                        "reference": row["reference"] or "",
                        "note": row["note"] or "",
                        "is_illustrative": bool(row["is_illustrative"]),
                    },
                )
                if saved is not None:
                    self.money_rows[(table, line.pk, row["year"])].append(row)

    def allocations_write(self):
        rounds = {
            (item.line.code, item.year, item.half): item
            for item in AllocationRound.objects.filter(line__strategy=self.strategy).select_related(
                "line"
            )
        }
        for row in self.rows("rounds"):
            line = self.line(layout.ALLOCATIONS, "rounds", row)
            if line is None:
                continue
            saved = self.save(
                rounds.get((line.code, row["year"], row["half"]))
                or AllocationRound(line=line, year=row["year"], half=row["half"]),
                sheet=layout.ALLOCATIONS,
                table="rounds",
                row=row.number,
                values={
                    "dialogue_on": row["dialogue_on"],
                    "note": row["note"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
            )
            if saved is not None:
                rounds[(line.code, row["year"], row["half"])] = saved
        offices = {
            _norm(office.name): office
            for office in Office.objects.filter(organisation=self.organisation).order_by(
                "kind", "order", "pk"
            )
        }
        pool = defaultdict(list)
        for record in Allocation.objects.filter(round__line__strategy=self.strategy).order_by("pk"):
            pool[(record.round_id, record.theme)].append(record)
        self.allocation_rows: dict[tuple[int, int], list[Row]] = defaultdict(list)
        for row in self.rows("allocations"):
            line = self.line(layout.ALLOCATIONS, "allocations", row)
            if line is None:
                continue
            allocation_round = rounds.get((line.code, row["year"], row["half"]))
            if allocation_round is None:
                self.problem(
                    layout.ALLOCATIONS,
                    row,
                    self.where("allocations", "half"),
                    f"No allocation round for line {line.code} in the "
                    f"{'first' if row['half'] == 1 else 'second'} half of {row['year']}: "
                    "expected it in the table Allocation rounds.",
                    "unknown_round",
                )
                continue
            office = None
            if row["office"]:
                office = offices.get(_norm(row["office"]))
                if office is None:
                    office = self.save(
                        Office(
                            organisation=self.organisation,
                            key=self._office_key(row["office"]),
                            kind=OfficeKind.COUNTRY,
                            name=row["office"],
                        ),
                        sheet=layout.ALLOCATIONS,
                        table="allocations",
                        row=row.number,
                        values={},
                        columns={"name": "office", "key": "office"},
                    )
                    if office is None:
                        continue
                    offices[_norm(office.name)] = office
                    self.warnings.append(
                        Problem(
                            layout.ALLOCATIONS,
                            row.number,
                            self.where("allocations", "office"),
                            f'The partner had no office "{row["office"]}": it was added as a '
                            "country office.",
                            "office_created",
                        )
                    )
            key = (allocation_round.pk, row["theme"])
            instance = pool[key].pop(0) if pool[key] else Allocation(round=allocation_round)
            saved = self.save(
                instance,
                sheet=layout.ALLOCATIONS,
                table="allocations",
                row=row.number,
                values={
                    "office": office,
                    "theme": row["theme"],
                    "amount": row["amount"],
                    "description": row["description"] or "",
                    "decision": row["decision"] or Decision.PENDING,
                    "decision_reason": row["decision_reason"] or "",
                    "decided_by": self.person(layout.ALLOCATIONS, row, "decided_by", "allocations"),
                    "decided_at": row["decided_at"],
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={"round": "half"},
            )
            if saved is not None:
                self.allocation_rows[(line.pk, row["year"])].append(row)

    def _office_key(self, name: str) -> str:
        base = slugify(name)[:70] or "office"
        key, number = base, 1
        while Office.objects.filter(organisation=self.organisation, key=key).exists():
            number += 1
            key = f"{base}-{number}"
        return key

    @contextmanager
    def refusals(self, *, sheet: str, table: str, row: Row):
        """Report a refusal of `funding.rules` at `row` of `table`, in the rules' own words."""
        try:
            yield
        except ValidationError as error:
            self._errors(error, sheet, table, row.number, {})

    def funding_rules_check(self):
        """Apply the funding rules across records to what the import leaves in the database.

        Each rule is asked once per budget line and year: the workbook's rows are what is being
        recorded, the line's other records count as they are stored, and a refusal is reported
        at the last row of that line and year.
        """
        lines = {line.pk: line for line in self.lines.values()}
        for (table, line_id, year), rows in self.money_rows.items():
            line, last = lines[line_id], rows[-1]
            amount = sum((row["amount"] for row in rows), Decimal(0))
            committed = funding_selectors.committed_total(line=line, year=year)
            if table == "commitments":
                approval = funding_selectors.approval_for(line=line, year=year)
                with self.refusals(sheet=layout.COMMITMENTS, table=table, row=last):
                    funding_rules.commitment_approval_check(
                        line=line,
                        year=year,
                        approval=approval,
                        committed_on=funding_selectors.earliest_commitment_date(
                            line=line, year=year
                        ),
                    )
                    funding_rules.commitments_within_approval_check(
                        line=line,
                        year=year,
                        approval=approval,
                        others=committed - amount,
                        amount=amount,
                    )
                    if ("disbursements", line_id, year) not in self.money_rows:
                        # Stored payments the workbook leaves alone keep their cover.
                        funding_rules.commitments_cover_disbursements_check(
                            line=line,
                            year=year,
                            committed=committed,
                            disbursed=funding_selectors.disbursed_total(line=line, year=year),
                            field="amount",
                        )
            else:
                with self.refusals(sheet=layout.DISBURSEMENTS, table=table, row=last):
                    funding_rules.disbursements_within_commitments_check(
                        line=line,
                        year=year,
                        committed=committed,
                        others=funding_selectors.disbursed_total(line=line, year=year) - amount,
                        amount=amount,
                    )
        for (line_id, year), row in self.approval_rows.items():
            if ("commitments", line_id, year) in self.money_rows:
                continue  # asked from the side of the commitments, above
            line = lines[line_id]
            approval = funding_selectors.approval_for(line=line, year=year)
            with self.refusals(sheet=layout.APPROVALS, table="approvals", row=row):
                funding_rules.approval_covers_commitments_check(
                    line=line,
                    year=year,
                    amount=approval.amount,
                    approved_on=approval.approved_on,
                    committed=funding_selectors.committed_total(line=line, year=year),
                    first_committed_on=funding_selectors.earliest_commitment_date(
                        line=line, year=year
                    ),
                )
        for (line_id, year), rows in self.allocation_rows.items():
            line = lines[line_id]
            if line.kind != BudgetLineKind.SOFT_EARMARKED:
                continue
            approved = funding_selectors.approved_allocation_total(line=line, year=year)
            if not approved:
                continue
            # The workbook's approved proposals of the line and year, asked as one approval.
            amount = sum(
                (row["amount"] for row in rows if row["decision"] == Decision.APPROVED),
                Decimal(0),
            )
            with self.refusals(sheet=layout.ALLOCATIONS, table="allocations", row=rows[-1]):
                funding_rules.allocations_within_plan_check(
                    line=line,
                    year=year,
                    planned=funding_selectors.planned_amount(line=line, year=year),
                    others=approved - amount,
                    amount=amount,
                )

"""Writing the money: budget lines, approvals, commitments, disbursements, allocations."""

from collections import defaultdict

from django.utils.text import slugify

from funding import selectors as funding_selectors
from funding.choices import BudgetLineKind, Decision
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
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
    """Write the budget and the money, then check the funding rules across records."""

    def budget_write(self):
        lines = {line.code: line for line in self.strategy.budget_lines.all()}
        planned = {
            (item.line.code, item.year): item
            for item in PlannedAmount.objects.filter(line__strategy=self.strategy).select_related(
                "line"
            )
        }
        for row in self.rows("lines"):
            line = self.save(
                lines.get(row["code"]) or BudgetLine(strategy=self.strategy, code=row["code"]),
                sheet=layout.BUDGET,
                table="lines",
                row=row.number,
                values={
                    "name": row["name"],
                    "kind": row["kind"],
                    "finance_act_code": row["finance_act_code"] or "",
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
        for row in self.rows("approvals"):
            line = self.line(layout.APPROVALS, "approvals", row)
            if line is None:
                continue
            self.save(
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

    def funding_rules_check(self):
        """Apply the funding rules across records to what the import leaves in the database."""
        dkk = "DKK {:,.2f}".format
        lines = {line.pk: line for line in self.lines.values()}
        for (table, line_id, year), rows in self.money_rows.items():
            line = lines[line_id]
            last = rows[-1]
            if table == "commitments":
                approval = funding_selectors.approval_for(line=line, year=year)
                if approval is None:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "year"),
                        f"Parliament's approval of line {line.code} for {year} is not recorded: "
                        "expected it on the sheet Approvals.",
                        "not_approved",
                    )
                    continue
                first = funding_selectors.earliest_commitment_date(line=line, year=year)
                if first and first < approval.approved_on:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "committed_on"),
                        f"Parliament approved {year} on {approval.approved_on}; a commitment "
                        "cannot be dated before that.",
                        "before_approval",
                    )
                committed = funding_selectors.committed_total(line=line, year=year)
                if committed > approval.amount:
                    self.problem(
                        layout.COMMITMENTS,
                        last,
                        self.where(table, "amount"),
                        f"Commitments from line {line.code} for {year} reach {dkk(committed)}, "
                        f"more than the {dkk(approval.amount)} parliament approved.",
                        "over_approval",
                    )
            else:
                committed = funding_selectors.committed_total(line=line, year=year)
                disbursed = funding_selectors.disbursed_total(line=line, year=year)
                if disbursed > committed:
                    self.problem(
                        layout.DISBURSEMENTS,
                        last,
                        self.where(table, "amount"),
                        f"Disbursements of line {line.code} against {year} reach "
                        f"{dkk(disbursed)}, more than the {dkk(committed)} committed.",
                        "over_committed",
                    )
        for (line_id, year), rows in self.allocation_rows.items():
            line = lines[line_id]
            if line.kind != BudgetLineKind.SOFT_EARMARKED:
                continue
            approved = funding_selectors.approved_allocation_total(line=line, year=year)
            if not approved:
                continue
            planned = funding_selectors.planned_amount(line=line, year=year)
            if planned is None or approved > planned:
                self.problem(
                    layout.ALLOCATIONS,
                    rows[-1],
                    self.where("allocations", "amount"),
                    f"Approved allocations of line {line.code} in {year} reach {dkk(approved)}, "
                    f"more than the {dkk(planned or 0)} the budget plans for the line.",
                    "over_line_budget",
                )

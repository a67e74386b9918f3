"""The monitoring workbook: every table of one strategy, all years, as plain rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from engagement.models import ActionPoint, Meeting
from funding.models import Allocation
from funding.selectors import budget_plan
from funding.services import BUDGET_LINE_FIELDS
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityAreaNode,
    ResultsFramework,
    ResultsNode,
    Strategy,
)
from priorities.selectors import front_page_total_warnings
from reports import layout
from reports.layout import LEVEL_SEPARATOR, SheetRows
from risks.selectors import risk_list
from strategy_monitor.formats import person_name

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class WorkbookReport:
    """Every table of the monitoring workbook of one strategy, all years, as plain rows."""

    strategy_slug: str
    label: str
    title: str
    years: tuple[int, ...]
    exported_at: datetime.datetime
    sheets: tuple[SheetRows, ...]
    partner: str = ""
    file_number: str = ""

    @property
    def has_illustrative(self) -> bool:
        return any(sheet.has_illustrative for sheet in self.sheets)

    @property
    def illustrative_sheets(self) -> tuple[str, ...]:
        return tuple(sheet.name for sheet in self.sheets if sheet.has_illustrative)

    def sheet(self, name: str) -> SheetRows:
        return next(sheet for sheet in self.sheets if sheet.name == name)


def _person_fields(key: str) -> tuple[str, ...]:
    return (f"{key}_id", f"{key}__username", f"{key}__first_name", f"{key}__last_name")


def _person(row: dict, key: str) -> str:
    """Return the name of the person in `row` (read with `_person_fields(key)`), as pages show it.

    The workbook is read by managers, who know people by name; the user name stays in a hidden
    column for the import.
    """
    if row[f"{key}_id"] is None:
        return ""
    user = get_user_model()(
        pk=row[f"{key}_id"],
        username=row[f"{key}__username"],
        first_name=row[f"{key}__first_name"] or "",
        last_name=row[f"{key}__last_name"] or "",
    )
    return person_name(user)


def _strategy_rows(strategy: Strategy) -> tuple[dict, ...]:
    organisation = strategy.organisation
    values = {
        "organisation_slug": organisation.slug,
        "organisation_name": organisation.name,
        "organisation_acronym": organisation.acronym,
        "sdgs": ", ".join(
            str(goal) for goal in strategy.sdgs.order_by("goal").values_list("goal", flat=True)
        ),
    }
    rows = []
    for item in layout.STRATEGY_FIELDS:
        value = values[item.key] if item.key in values else getattr(strategy, item.key)
        rows.append({"field": item.label, "value": value})
    return tuple(rows)


def _illustrative(rows: tuple[dict, ...], *keys: str) -> bool:
    keys = keys or ("is_illustrative",)
    return any(row.get(key) for row in rows for key in keys)


AREA_FIELDS = (
    "slug",
    "number",
    "kind",
    "title",
    "front_page_title",
    "key_result",
    "text",
    "monitoring_note",
    "framework_under_development",
    "indicators_under_development",
    "order",
)


def _renamed(row: dict, names: dict[str, str]) -> dict:
    """Return `row` with its keys renamed by `names` (values() names → the layout's keys)."""
    return {names.get(key, key): value for key, value in row.items()}


def _without(row: dict, key: str) -> dict:
    return {name: value for name, value in row.items() if name != key}


def _sums_by_line_year(rows) -> dict[tuple[int, int], dict]:
    """Return the amounts of `rows` summed per (line, year), and whether any is illustrative."""
    sums: dict[tuple[int, int], dict] = {}
    for row in rows:
        cell = sums.setdefault(
            (row["line_id"], row["year"]), {"total": ZERO, "illustrative": False}
        )
        cell["total"] += row["amount"]
        cell["illustrative"] = cell["illustrative"] or row["is_illustrative"]
    return sums


def workbook_build(*, strategy: Strategy) -> WorkbookReport:
    """Gather the monitoring workbook of `strategy`, every year, in a fixed number of queries.

    Each table is read with `values()`: the columns the workbook shows and nothing else, no
    model instances (a strategy's workbook holds thousands of rows, and building instances,
    with their timestamps, cost more than the queries). The budget execution (planned,
    approved, committed and disbursed per line and year) is summed from the approvals,
    commitments and disbursements the workbook lists anyway, as `budget_overview()` sums them,
    rather than read a second time.
    """
    from funding.models import (
        AllocationRound,
        BudgetLine,
        Commitment,
        Disbursement,
        DonorTable,
        EarmarkedDonor,
        FundingRow,
        ParliamentaryApproval,
        PlannedAmount,
        StatedTotal,
        UnearmarkedContribution,
        UnearmarkedDonor,
    )
    from priorities.models import TeamMembership
    from risks.models import Risk

    years = tuple(strategy.years)
    organisation_id = strategy.organisation_id

    year_rows = tuple(
        strategy.strategy_years.order_by("year").values(
            "year", "planned_commitment", "planned_disbursement", "state"
        )
    )
    team_rows = tuple(
        {
            "username": member.user.username,
            "role": member.role,
            "name": person_name(member.user),
            "is_illustrative": member.is_illustrative,
        }
        for member in TeamMembership.objects.filter(strategy=strategy)
        .select_related("user")
        .only("role", "is_illustrative", "user__username", "user__first_name", "user__last_name")
        .order_by("role", "user__username")
    )

    areas = list(
        strategy.priority_areas.order_by("order", "number", "slug").values("pk", *AREA_FIELDS)
    )
    area_slugs = {area["pk"]: area["slug"] for area in areas}
    area_rows = tuple({key: area[key] for key in AREA_FIELDS} for area in areas)

    followed: dict[int, list[str]] = defaultdict(list)
    for node_id, area_id in (
        PriorityAreaNode.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "order", "pk")
        .values_list("node_id", "priority_area_id")
    ):
        followed[node_id].append(area_slugs[area_id])
    frameworks = list(
        ResultsFramework.objects.filter(organisation_id=organisation_id)
        .order_by("order", "name", "pk")
        .values("slug", "name", "level_names", "uses_codes", "code_scheme", "code_pattern", "order")
    )
    framework_rows = tuple(
        {
            "framework": framework["slug"],
            "name": framework["name"],
            "levels": LEVEL_SEPARATOR.join(framework["level_names"] or ()),
            "uses_codes": framework["uses_codes"],
            "code_scheme": framework["code_scheme"],
            "code_pattern": framework["code_pattern"],
            "order": framework["order"],
        }
        for framework in frameworks
    )
    framework_place = {framework["slug"]: place for place, framework in enumerate(frameworks)}
    level_names = {framework["slug"]: framework["level_names"] or [] for framework in frameworks}
    # The model's own ordering (framework, level, order, key) orders siblings that sort alike.
    nodes = _depth_first(
        ResultsNode.objects.filter(framework__organisation_id=organisation_id).values(
            "pk",
            "parent_id",
            "framework__slug",
            "framework__name",
            "key",
            "code",
            "level",
            "order",
            "parent__key",
            "title",
            "status",
            "is_implied",
            "section",
        ),
        framework_place,
    )
    node_rows = tuple(
        {
            "framework": node["framework__slug"],
            "framework_name": node["framework__name"],
            "key": node["key"],
            "code": node["code"],
            "depth": node["level"],
            "level": _level_name(level_names[node["framework__slug"]], node["level"]),
            "parent": node["parent__key"] or "",
            "title": node["title"],
            "status": node["status"],
            "is_implied": node["is_implied"],
            "section": node["section"],
            "priority_areas": ", ".join(followed.get(node["pk"], ())),
            "order": node["order"],
        }
        for node in nodes
    )

    progress: dict[tuple[int, int], dict] = {
        (row["indicator_id"], row["strategy_year__year"]): row
        for row in IndicatorProgress.objects.filter(
            indicator__priority_area__strategy=strategy
        ).values(
            "indicator_id", "strategy_year__year", "target", "actual", "comment", "is_illustrative"
        )
    }
    indicator_names = {
        "priority_area__slug": "area",
        "node__framework__slug": "framework",
        "node__key": "node",
    }
    indicator_rows = []
    for indicator in (
        Indicator.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "order", "key")
        .values(
            "pk",
            "priority_area__slug",
            "key",
            "code",
            "title",
            "node__framework__slug",
            "node__key",
            "unit",
            "allows_negative",
            "baseline",
            "baseline_year",
            "direction",
            "status",
            "order",
            "is_illustrative",
        )
    ):
        pk = indicator["pk"]
        row = _renamed(_without(indicator, "pk"), indicator_names)
        for year in years:
            figures = progress.get((pk, year))
            row[f"target_{year}"] = figures["target"] if figures else None
            row[f"actual_{year}"] = figures["actual"] if figures else None
            row[f"comment_{year}"] = figures["comment"] if figures else ""
            row[f"illustrative_{year}"] = figures["is_illustrative"] if figures else None
        indicator_rows.append(row)
    indicator_rows = tuple(indicator_rows)

    assessment_rows = tuple(
        _renamed(row, {"priority_area__slug": "area", "strategy_year__year": "year"})
        for row in Assessment.objects.filter(priority_area__strategy=strategy)
        .order_by("priority_area__order", "priority_area__number", "strategy_year__year")
        .values(
            "priority_area__slug", "strategy_year__year", "rating", "narrative", "is_illustrative"
        )
    )

    lines = list(
        BudgetLine.objects.filter(strategy=strategy)
        .order_by("order", "code")
        .values("pk", *BUDGET_LINE_FIELDS, finance_act_text=F("finance_act_code__code"))
    )
    for line in lines:
        line["finance_act_code"] = line.pop("finance_act_text") or ""
    line_codes = {line["pk"]: line["code"] for line in lines}

    def money_rows(model, date_key: str, *order: str) -> list[dict]:
        return list(
            model.objects.filter(line__strategy=strategy)
            .order_by(*order)
            .values("line_id", "year", "amount", date_key, "reference", "note", "is_illustrative")
        )

    approvals = money_rows(
        ParliamentaryApproval, "approved_on", "line__order", "line__code", "year"
    )
    commitments = money_rows(
        Commitment, "committed_on", "line__order", "line__code", "year", "committed_on", "pk"
    )
    disbursements = money_rows(
        Disbursement, "paid_on", "line__order", "line__code", "year", "paid_on", "pk"
    )

    planned = {
        (row["line_id"], row["year"]): row["amount"]
        for row in PlannedAmount.objects.filter(line__strategy=strategy).values(
            "line_id", "year", "amount"
        )
    }
    approved = {(row["line_id"], row["year"]): row for row in approvals}
    committed = _sums_by_line_year(commitments)
    disbursed = _sums_by_line_year(disbursements)
    none: dict = {}
    # The planned budget with its revisions and printed totals, read once for the two tables.
    plan = budget_plan(strategy=strategy, lines=lines, planned=planned)
    line_rows, execution_rows = [], []
    for line in lines:
        row = _without(line, "pk")
        for year in years:
            key = (line["pk"], year)
            row[f"planned_{year}"] = planned.get(key)
            approval = approved.get(key, none)
            commitment = committed.get(key, none)
            disbursement = disbursed.get(key, none)
            execution_rows.append(
                {
                    "code": line["code"],
                    "year": year,
                    "planned": planned.get(key),
                    "approved": approval.get("amount"),
                    "committed": commitment.get("total", ZERO),
                    "disbursed": disbursement.get("total", ZERO),
                    "is_illustrative": bool(
                        approval.get("is_illustrative")
                        or commitment.get("illustrative")
                        or disbursement.get("illustrative")
                    ),
                }
            )
        line_rows.append(row)

    def listed(records) -> tuple[dict, ...]:
        return tuple(
            {"line": line_codes[record["line_id"]], **_without(record, "line_id")}
            for record in records
        )

    approval_rows = listed(approvals)
    commitment_rows = listed(commitments)
    disbursement_rows = listed(disbursements)

    round_rows = tuple(
        _renamed(row, {"line__code": "line"})
        for row in AllocationRound.objects.filter(line__strategy=strategy)
        .order_by("line__order", "line__code", "year", "half")
        .values("line__code", "year", "half", "dialogue_on", "note", "is_illustrative")
    )
    allocation_rows = tuple(
        {
            "line": allocation["round__line__code"],
            "year": allocation["round__year"],
            "half": allocation["round__half"],
            "office": allocation["office__name"] or "",
            "theme": allocation["theme"],
            "amount": allocation["amount"],
            "description": allocation["description"],
            "decision": allocation["decision"],
            "decision_reason": allocation["decision_reason"],
            "decided_by": _person(allocation, "decided_by"),
            "decided_by_username": allocation["decided_by__username"] or "",
            "decided_at": timezone.localtime(allocation["decided_at"]).replace(tzinfo=None)
            if allocation["decided_at"]
            else None,
            "is_illustrative": allocation["is_illustrative"],
        }
        for allocation in Allocation.objects.filter(round__line__strategy=strategy)
        .order_by("round__line__order", "round__line__code", "round__year", "round__half", "pk")
        .values(
            "round__line__code",
            "round__year",
            "round__half",
            "office__name",
            "theme",
            "amount",
            "description",
            "decision",
            "decision_reason",
            *_person_fields("decided_by"),
            "decided_at",
            "is_illustrative",
        )
    )

    risk_areas: dict[int, list[str]] = defaultdict(list)
    for risk_id, slug in (
        Risk.priority_areas.through.objects.filter(risk__strategy=strategy)
        .order_by("priorityarea__order", "priorityarea__number", "priorityarea__slug")
        .values_list("risk_id", "priorityarea__slug")
    ):
        risk_areas[risk_id].append(slug)
    risk_rows = tuple(
        {
            "key": risk["key"],
            "title": risk["title"],
            "category": risk["category"],
            "description": risk["description"],
            "response": risk["response"],
            "likelihood": risk["likelihood"],
            "impact": risk["impact"],
            "residual_likelihood": risk["residual_likelihood"],
            "residual_impact": risk["residual_impact"],
            "residual_justification": risk["residual_justification"],
            "status": risk["status"],
            "closed_reason": risk["closed_reason"],
            "next_review": risk["next_review"],
            "owner": _person(risk, "owner"),
            "owner_username": risk["owner__username"] or "",
            "priority_areas": ", ".join(risk_areas.get(risk["pk"], ())),
            "rating_is_illustrative": risk["rating_is_illustrative"],
            "order": risk["order"],
        }
        for risk in risk_list(strategy=strategy).values(
            "pk",
            "key",
            "title",
            "category",
            "description",
            "response",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
            "residual_justification",
            "status",
            "closed_reason",
            "next_review",
            *_person_fields("owner"),
            "rating_is_illustrative",
            "order",
        )
    )

    action_rows = tuple(
        {
            "meeting": action["meeting__title"] or "",
            "meeting_date": action["meeting__held_on"],
            "text": action["text"],
            "owner": _person(action, "owner"),
            "owner_username": action["owner__username"] or "",
            "due_on": action["due_on"],
            "status": action["status"],
            "closing_note": action["closing_note"],
            "priority_area": action["priority_area__slug"] or "",
            "is_illustrative": action["is_illustrative"],
        }
        for action in ActionPoint.objects.filter(strategy=strategy)
        .order_by("meeting__held_on", "meeting__title", "due_on", "pk")
        .values(
            "meeting__title",
            "meeting__held_on",
            "text",
            *_person_fields("owner"),
            "due_on",
            "status",
            "closing_note",
            "priority_area__slug",
            "is_illustrative",
        )
    )
    meeting_rows = tuple(
        _renamed(row, {"body__name": "body"})
        for row in Meeting.objects.filter(strategy=strategy)
        .order_by("held_on", "title", "pk")
        .values("title", "held_on", "kind", "body__name", "location", "summary", "is_illustrative")
    )

    # The donor tables of the partner, each kind of row grouped by table in the tables' order.
    of_partner = {"table__organisation_id": organisation_id}
    by_table = ("table__key", "table_id")
    donor_tables = (
        layout.TableRows(
            "donor_tables",
            tuple(
                DonorTable.objects.filter(organisation_id=organisation_id)
                .order_by("key", "pk")
                .values("key", "title", "currency", "year", "as_of", "notes", "source")
            ),
        ),
        layout.TableRows(
            "funding_rows",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in FundingRow.objects.filter(**of_partner)
                .order_by(*by_table, "order")
                .values("table__key", "order", "donor", "title", "kind", "amount", "is_refund")
            ),
        ),
        layout.TableRows(
            "unearmarked_donors",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in UnearmarkedDonor.objects.filter(**of_partner)
                .order_by(*by_table, "order")
                .values("table__key", "member_state", "order", "stated_total")
            ),
        ),
        layout.TableRows(
            "contributions",
            tuple(
                _renamed(row, {"donor__table__key": "table", "donor__member_state": "member_state"})
                for row in UnearmarkedContribution.objects.filter(
                    donor__table__organisation_id=organisation_id
                )
                .order_by(
                    "donor__table__key", "donor__table_id", "donor__order", "donor_id", "year"
                )
                .values("donor__table__key", "donor__member_state", "year", "amount", "is_pledged")
            ),
        ),
        layout.TableRows(
            "earmarked_donors",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in EarmarkedDonor.objects.filter(**of_partner)
                .order_by(*by_table, "rank")
                .values("table__key", "rank", "donor", "amount")
            ),
        ),
        layout.TableRows(
            "stated_totals",
            tuple(
                _renamed(row, {"table__key": "table"})
                for row in StatedTotal.objects.filter(**of_partner)
                .order_by(*by_table, "key")
                .values("table__key", "key", "label", "kind", "year", "amount", "growth_percent")
            ),
        ),
    )

    sheets = (
        SheetRows(
            layout.OVERVIEW,
            (
                layout.TableRows("strategy", _strategy_rows(strategy)),
                layout.TableRows("years", year_rows),
                layout.TableRows("team", team_rows),
            ),
            has_illustrative=_illustrative(team_rows),
        ),
        SheetRows(layout.AREAS, (layout.TableRows("areas", area_rows),)),
        SheetRows(
            layout.FRAMEWORK,
            (
                layout.TableRows("nodes", node_rows),
                layout.TableRows("frameworks", framework_rows),
            ),
        ),
        SheetRows(
            layout.INDICATORS,
            (layout.TableRows("indicators", indicator_rows),),
            has_illustrative=_illustrative(
                indicator_rows, "is_illustrative", *(f"illustrative_{year}" for year in years)
            ),
        ),
        SheetRows(
            layout.ASSESSMENTS,
            (layout.TableRows("assessments", assessment_rows),),
            has_illustrative=_illustrative(assessment_rows),
        ),
        SheetRows(
            layout.BUDGET,
            (
                layout.TableRows("lines", tuple(line_rows)),
                layout.TableRows("execution", tuple(execution_rows)),
                layout.TableRows("revisions", _revision_rows(plan)),
                layout.TableRows("printed_totals", _printed_total_rows(strategy, plan, year_rows)),
            ),
            has_illustrative=_illustrative(tuple(execution_rows)),
        ),
        SheetRows(
            layout.APPROVALS,
            (layout.TableRows("approvals", approval_rows),),
            has_illustrative=_illustrative(approval_rows),
        ),
        SheetRows(
            layout.COMMITMENTS,
            (layout.TableRows("commitments", commitment_rows),),
            has_illustrative=_illustrative(commitment_rows),
        ),
        SheetRows(
            layout.DISBURSEMENTS,
            (layout.TableRows("disbursements", disbursement_rows),),
            has_illustrative=_illustrative(disbursement_rows),
        ),
        SheetRows(
            layout.ALLOCATIONS,
            (
                layout.TableRows("allocations", allocation_rows),
                layout.TableRows("rounds", round_rows),
            ),
            has_illustrative=_illustrative(allocation_rows) or _illustrative(round_rows),
        ),
        SheetRows(
            layout.RISKS,
            (layout.TableRows("risks", risk_rows),),
            has_illustrative=_illustrative(risk_rows, "rating_is_illustrative"),
        ),
        SheetRows(
            layout.ACTIONS,
            (
                layout.TableRows("actions", action_rows),
                layout.TableRows("meetings", meeting_rows),
            ),
            has_illustrative=_illustrative(action_rows) or _illustrative(meeting_rows),
        ),
        SheetRows(layout.DONORS, donor_tables),
    )
    label = f"{strategy.organisation.acronym} {strategy.period}"
    return WorkbookReport(
        strategy_slug=strategy.slug,
        label=label,
        title=strategy.title,
        years=years,
        exported_at=timezone.localtime().replace(microsecond=0, tzinfo=None),
        sheets=sheets,
        partner=strategy.organisation.name,
        file_number=strategy.file_number,
    )


def _node_sort_key(node: dict) -> tuple:
    parts = []
    for segment in (node["code"] or "").split("."):
        digits = "".join(ch for ch in segment if ch.isdigit())
        letters = "".join(ch for ch in segment if ch.isalpha())
        parts.append((int(digits) if digits else 0, letters))
    return (node["order"], 0 if node["code"] else 1, parts, node["key"])


def _level_name(names: list[str], level: int) -> str:
    return names[level - 1] if 1 <= level <= len(names) else f"Level {level}"


def _depth_first(nodes, framework_place: dict[str, int]) -> list[dict]:
    """Return results nodes (rows of values) framework by framework, each parent followed by
    its children."""
    children: dict[int | None, list[dict]] = defaultdict(list)
    nodes = list(nodes)
    ids = {node["pk"] for node in nodes}
    for node in nodes:
        children[node["parent_id"] if node["parent_id"] in ids else None].append(node)
    ordered: list[dict] = []

    def key(node: dict) -> tuple:
        return (framework_place.get(node["framework__slug"], 0), *_node_sort_key(node))

    def visit(parent_id: int | None) -> None:
        for node in sorted(children[parent_id], key=key):
            ordered.append(node)
            visit(node["pk"])

    visit(None)
    return ordered


def _revision_rows(plan) -> tuple[dict, ...]:
    """Return one row per revision of a planned amount, oldest first within each figure."""
    rows = []
    for history in plan.revisions:
        for index, revision in enumerate(history.revisions):
            rows.append(
                {
                    "code": history.line_code,
                    "year": history.year,
                    "original": revision.previous,
                    "original_source": history.original_source if index == 0 else "",
                    "revised_on": revision.revised_on,
                    "amount": revision.amount,
                    "source": revision.source,
                    "reason": revision.reason,
                }
            )
    return tuple(rows)


def _printed_total_rows(strategy, plan, year_rows) -> tuple[dict, ...]:
    """Return the printed totals of the front page and the budget table that do not add up."""
    rows = [
        {"total": label, "warning": warning}
        for label, warning in front_page_total_warnings(strategy, year_rows)
    ]
    for warning in plan.warnings:
        label, _, text = warning.partition(": ")
        rows.append({"total": label, "warning": text})
    return tuple(rows)

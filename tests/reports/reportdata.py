"""Report objects built by hand, for the renderer tests that run without a database."""

import datetime
from decimal import Decimal

from reports import layout
from reports.builders import (
    ActionRow,
    AreaSection,
    Brief,
    BudgetSection,
    Consultation,
    Fact,
    HeatGrid,
    IatiActivity,
    IatiBudget,
    IatiIndicator,
    IatiPeriod,
    IatiResult,
    IatiTransaction,
    IndicatorRow,
    MilestoneRow,
    MoneyRow,
    NodeRow,
    RiskChange,
    RiskRow,
    RiskSection,
    WorkbookReport,
    YearPlan,
)
from reports.layout import SheetRows, TableRows

M = Decimal(1_000_000)
EMPTY_GRID = tuple(tuple(0 for _ in range(5)) for _ in range(5))


def area(number: int, *, narrative: str = "Progress as planned.", illustrative=False, **values):
    values.setdefault(
        "indicators",
        (
            IndicatorRow(
                code=f"{number}.1",
                title=f"Officials trained under area {number}",
                unit="number of officials",
                baseline=Decimal("3200"),
                baseline_year=2022,
                target=Decimal("4000"),
                actual=Decimal("3820"),
                direction="Higher is better",
                under_development=False,
                is_illustrative=illustrative,
            ),
        ),
    )
    values.setdefault("key_indicators", values["indicators"])
    return AreaSection(
        slug=str(number),
        number=number,
        is_cross_cutting=False,
        label=f"Priority area {number}: Area {number}",
        title=f"Area {number}",
        key_result=f"Key result of area {number}.",
        text="Denmark will support the partner.",
        rating="on_track",
        rating_label="On track",
        narrative=narrative,
        rating_is_illustrative=illustrative,
        nodes=(
            NodeRow(0, "3", "Objective", "Objective 3", False, False, False),
            NodeRow(1, "3b", "Long-term outcome", "Outcome 3b", True, False, False),
        ),
        framework_under_development=False,
        indicators_under_development=False,
        **values,
    )


def money(code: str, name: str, planned, approved, committed, disbursed, illustrative=False):
    return MoneyRow(
        code=code,
        name=name,
        planned=Decimal(planned) * M if planned is not None else None,
        approved=Decimal(approved) * M if approved is not None else None,
        committed=Decimal(committed) * M,
        disbursed=Decimal(disbursed) * M,
        is_illustrative=illustrative,
        approved_is_illustrative=illustrative,
        committed_is_illustrative=illustrative,
        disbursed_is_illustrative=illustrative,
    )


def brief(*, illustrative_sections=frozenset(), areas=None, **overrides) -> Brief:
    """Return a brief for 2024 with three budget lines, two areas and one rated risk."""
    year_rows = (
        money("a", "Core funding", 48, 48, 48, 24, "budget" in illustrative_sections),
        money("b", "Soft earmarked", 50, 50, 50, 25),
        money("c", "Personnel support", 2, 2, 2, 1),
    )
    period_rows = (
        money("a", "Core funding", 192, 96, 96, 72),
        money("b", "Soft earmarked", 200, 100, 100, 75),
        money("c", "Personnel support", 8, 4, 4, 3),
    )
    values = {
        "strategy_slug": "test-2023-2026",
        "strategy_title": "Test strategy 2023-2026",
        "organisation": "Partner Organisation",
        "acronym": "PO",
        "file_number": "2022-18394",
        "period": "2023-2026",
        "year": 2024,
        "as_of": datetime.date(2025, 5, 1),
        "is_draft": False,
        "overall_objective": "Strengthen orderly and humane migration management.",
        "facts": (Fact("File no.", "2022-18394"), Fact("Responsible unit", "Geneva")),
        "plan": tuple(YearPlan(year, 100 * M, 100 * M) for year in range(2023, 2027)),
        "stated_commitment_total": 400 * M,
        "stated_disbursement_total": 400 * M,
        "areas": areas
        if areas is not None
        else (area(1, illustrative="areas" in illustrative_sections), area(2)),
        "budget": BudgetSection(
            year=2024,
            year_rows=year_rows,
            year_total=money("", "Total", 100, 100, 100, 50, "budget" in illustrative_sections),
            period="2023-2026",
            period_rows=period_rows,
            period_total=money("", "Total", 400, 200, 200, 150),
        ),
        "rounds": (),
        "allocations": (),
        "risks": RiskSection(
            open_count=2,
            unrated_count=1,
            top=(
                RiskRow(
                    title="Weak core structure",
                    category="Institutional",
                    likelihood=4,
                    impact=4,
                    score=16,
                    band="high",
                    band_label="High (10-16)",
                    residual_score=9,
                    residual_band_label="Medium (5-9)",
                    response="Support the budget reform.",
                    is_illustrative="risks" in illustrative_sections,
                ),
            ),
            inherent=HeatGrid(
                "Inherent",
                ((0,) * 5, (0, 0, 0, 1, 0), (0,) * 5, (0,) * 5, (0,) * 5),
                1,
                "risks" in illustrative_sections,
            ),
            residual=HeatGrid("Residual", EMPTY_GRID, 1, False),
        ),
        "consultation": Consultation(
            "Annual consultations 2024",
            "Annual consultation",
            datetime.date(2024, 6, 12),
            "Geneva",
            False,
        ),
        "consultation_actions": (
            ActionRow(
                text="Draft the terms of reference for the mid-term review.",
                owner="Sofie Lund",
                due_on=datetime.date(2024, 10, 31),
                status="open",
                status_label="Open",
                closing_note="",
                area="",
                meeting="Annual consultations 2024",
                is_overdue=True,
                is_illustrative=False,
            ),
        ),
        "open_actions": (
            ActionRow(
                text="Draft the terms of reference for the mid-term review.",
                owner="Sofie Lund",
                due_on=datetime.date(2024, 10, 31),
                status="open",
                status_label="Open",
                closing_note="",
                area="",
                meeting="Annual consultations 2024",
                is_overdue=True,
                is_illustrative=False,
            ),
        ),
        "risk_changes": (
            RiskChange(
                title="Weak core structure",
                change="rerated",
                change_label="Re-rated",
                changed_on=datetime.date(2024, 3, 1),
                score_before=12,
                score_after=16,
                band_after_label="High (10-16)",
                note="Support the budget reform.",
                is_illustrative="risks" in illustrative_sections,
            ),
        ),
        "milestones": (
            MilestoneRow(
                title="Annual consultation 2025",
                kind="Annual consultation",
                due_on=datetime.date(2025, 6, 15),
                owner="",
                note="",
                is_illustrative=False,
            ),
        ),
        "illustrative_sections": frozenset(illustrative_sections),
    }
    values.update(overrides)
    return Brief(**values)


def workbook_report(*, sheets: dict | None = None) -> WorkbookReport:
    """Return a workbook report with three budget lines of 48, 50 and 2 million a year."""
    years = (2023, 2024, 2025, 2026)
    lines = tuple(
        {
            "code": code,
            "name": name,
            "kind": kind,
            "finance_act_code": "06.32.10.14",
            "currency": "DKK",
            "order": order,
            **{f"planned_{year}": Decimal(amount) * M for year in years},
        }
        for order, (code, name, kind, amount) in enumerate(
            (
                ("a", "Core funding", "core", 48),
                ("b", "Soft earmarked", "soft_earmarked", 50),
                ("c", "Personnel support", "personnel", 2),
            ),
            start=1,
        )
    )
    tables = {
        layout.OVERVIEW: (
            TableRows(
                "strategy",
                (
                    {"field": "Strategy slug", "value": "test-2023-2026"},
                    {"field": "First year", "value": 2023},
                    {"field": "Last year", "value": 2026},
                ),
            ),
        ),
        layout.BUDGET: (TableRows("lines", lines),),
        layout.RISKS: (
            TableRows(
                "risks",
                (
                    {"key": "core", "title": "Weak core", "likelihood": 4, "impact": 4},
                    {"key": "unrated", "title": "Not yet rated"},
                ),
            ),
        ),
        layout.FRAMEWORK: (
            TableRows(
                "nodes",
                (
                    {"framework": "srf", "key": "3", "code": "3", "depth": 1, "level": "Impact"},
                    {
                        "framework": "srf",
                        "key": "3b",
                        "code": "3b",
                        "depth": 2,
                        "level": "Outcome",
                        "parent": "3",
                    },
                    {
                        "framework": "srf",
                        "key": "3b.4",
                        "code": "3b.4",
                        "depth": 3,
                        "level": "Output",
                        "parent": "3b",
                    },
                ),
            ),
            TableRows(
                "frameworks",
                (
                    {
                        "framework": "srf",
                        "name": "Strategic plan",
                        "levels": "Impact; Outcome; Output",
                        "uses_codes": True,
                        "code_scheme": "hierarchical",
                    },
                ),
            ),
        ),
        **(sheets or {}),
    }
    return WorkbookReport(
        strategy_slug="test-2023-2026",
        label="PO 2023-2026",
        title="Test strategy 2023-2026",
        years=years,
        exported_at=datetime.datetime(2025, 5, 1, 12, 0),
        sheets=tuple(
            SheetRows(spec.name, tables.get(spec.name, ())) for spec in layout.layout(years)
        ),
    )


def iati_activity(**overrides) -> IatiActivity:
    values = {
        "identifier": "DK-CVR-43271911-2022-18394",
        "title": "Test strategy 2023-2026",
        "description": "Strengthen orderly and humane migration management.",
        "partner_name": "International Organization for Migration",
        "partner_ref": "XM-DAC-47066",
        "start": datetime.date(2023, 1, 1),
        "end": datetime.date(2026, 12, 31),
        "actual_start": datetime.date(2023, 2, 15),
        "status": "2",
        "budgets": tuple(
            IatiBudget(year, datetime.date(year, 1, 1), datetime.date(year, 12, 31), 100 * M)
            for year in range(2023, 2027)
        ),
        "planned_disbursements": (),
        "transactions": (
            IatiTransaction(
                "2",
                datetime.date(2023, 1, 16),
                48 * M,
                "a. Core funding, 2023",
                "ref-1",
                "B02",
                "1",
            ),
            IatiTransaction(
                "3", datetime.date(2023, 2, 15), 48 * M, "a. Core funding, 2023", "", "B02", "1"
            ),
        ),
        "results": (
            IatiResult(
                "Priority area 3",
                "Better migration management.",
                (
                    IatiIndicator(
                        "Officials trained",
                        "Unit: officials",
                        "1",
                        True,
                        2022,
                        Decimal("3200"),
                        (
                            IatiPeriod(
                                datetime.date(2024, 1, 1),
                                datetime.date(2024, 12, 31),
                                Decimal("4000"),
                                Decimal("3820"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "generated_at": datetime.datetime(2025, 5, 1, 12, 0, tzinfo=datetime.UTC),
        "include_illustrative": False,
        "left_out": 0,
    }
    values.update(overrides)
    return IatiActivity(**values)

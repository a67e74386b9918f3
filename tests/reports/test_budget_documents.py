"""The budget as the documents have it, in the brief and the workbook: revisions beside the
current figures, printed totals that do not add up, and no allocations chapter without a softly
earmarked line."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from funding.choices import BudgetLineKind
from funding.services import planned_amount_revise
from priorities.models import Strategy
from reports import layout
from reports.builders import brief_build, workbook_build
from reports.importers import workbook_import
from reports.render.pdf import brief_pdf
from reports.render.xlsx import workbook_xlsx
from tests.funding.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)
TODAY = datetime.date(2024, 5, 1)


@pytest.fixture
def revised(strategy, admin_user):
    """Core funding planned at 100 for 2023 in the draft, 75 in the final one-pager."""
    line = BudgetLineFactory(strategy=strategy, code="a", name="Core funding", order=1)
    planned = PlannedAmountFactory(
        line=line, year=2023, amount=100 * M, source="draft strategy, section 5"
    )
    for year in (2024, 2025, 2026):
        PlannedAmountFactory(line=line, year=year, amount=100 * M)
    planned_amount_revise(
        planned=planned,
        amount=75 * M,
        revised_on=datetime.date(2023, 3, 1),
        source="final one-pager",
        reason="",
        user=admin_user,
    )
    ParliamentaryApprovalFactory(line=line, year=2023, amount=75 * M)
    CommitmentFactory(line=line, year=2023, amount=75 * M)
    DisbursementFactory(line=line, year=2023, amount=Decimal(30) * M)
    return Strategy.objects.select_related("organisation").get(pk=strategy.pk)


def pdf_text(brief) -> str:
    pages = PdfReader(io.BytesIO(brief_pdf(brief))).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def workbook(strategy) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_xlsx(workbook_build(strategy=strategy))))


def sheet_values(sheet) -> list[tuple]:
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_brief_shows_the_revision_and_measures_execution_against_the_current_figure(revised):
    brief = brief_build(strategy=revised, year=2023, today=TODAY)
    [row] = brief.budget.year_rows
    assert (row.planned, row.approved, row.disbursed) == (75 * M, 75 * M, 30 * M)
    assert row.execution_rate == Decimal(40)
    assert brief.budget.revisions == (
        "a 2023: Originally 100 (draft strategy, section 5); revised to 75 from 1 March 2023 "
        "(final one-pager)",
    )
    text = pdf_text(brief)
    assert "Revised: a 2023" in text
    assert "Originally 100 (draft strategy, section 5); revised to 75 from 1 March 2023" in text


def test_workbook_shows_the_revision_beside_the_current_plan_and_still_imports(revised):
    book = workbook(revised)
    rows = sheet_values(book[layout.BUDGET])
    lines = [row for row in rows if row[0] == "a" and row[1] == "Core funding"]
    assert 75 * M in lines[0] or 75_000_000 in lines[0]
    revision = next(row for row in rows if row[:2] == ("a", 2023) and "final one-pager" in row)
    assert revision[2] == 100_000_000 and revision[3] == "draft strategy, section 5"
    assert revision[5] == 75_000_000
    # The revisions are derived: importing the workbook again changes nothing and refuses
    # nothing.
    buffer = io.BytesIO()
    book.save(buffer)
    result = workbook_import(data=buffer.getvalue(), user=None)
    assert result.created == ()


def test_printed_totals_that_differ_are_warned_about_in_the_brief_and_workbook(strategy):
    strategy.stated_commitment_total = Decimal(2055) * M
    strategy.save()
    for year in strategy.strategy_years.all():
        year.planned_commitment = Decimal(510) * M if year.year < 2027 else None
        year.save()
    strategy = Strategy.objects.select_related("organisation").get(pk=strategy.pk)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert brief.total_warnings == (
        "Commitment: printed total 2,055 differs from the sum of the years, 2,040",
    )
    assert "printed total 2,055 differs from the sum of the years, 2,040" in pdf_text(brief)
    rows = sheet_values(workbook(strategy)[layout.BUDGET])
    assert (
        "Commitment",
        "printed total 2,055 differs from the sum of the years, 2,040",
    ) in [row[:2] for row in rows]


def test_totals_that_add_up_give_no_warning(strategy):
    strategy.stated_commitment_total = Decimal(400) * M
    strategy.save()
    strategy.strategy_years.update(planned_commitment=Decimal(100) * M)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert brief.total_warnings == ()


def test_brief_without_a_softly_earmarked_line_says_nothing_of_allocations(strategy):
    budget_create(
        strategy,
        shape=(("a", "Core funding", BudgetLineKind.CORE, Decimal(48) * M),),
    )
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert not brief.has_allocations
    assert [anchor for anchor, _ in brief.chapters] == ["summary", "areas", "budget"]
    text = pdf_text(brief)
    assert "allocation" not in text.lower()
    assert "3. Money: DKK 0.0 million disbursed" in text


def test_brief_with_a_softly_earmarked_line_reports_its_allocation_rounds(strategy):
    budget_create(strategy)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    assert brief.has_allocations
    assert "No allocation round of the softly earmarked funds in 2024" in pdf_text(brief)

"""The brief labels each illustrative value, and only those, and says what it assumes."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from demo.loader import CHANGE_REASON
from engagement.choices import MilestoneKind
from priorities.choices import TeamRole
from priorities.models import TeamMembership
from reports.builders import brief_build
from reports.render.pdf import brief_html, brief_pdf
from tests.engagement.factories import MilestoneFactory
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 5, 1)
TAG = "Illustrative</span>"
MARK = "Illustrative data on this page"


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<div id="annex-', start + 1)
    return html[start : min(html.index("</section>", start), end if end > 0 else len(html))]


def cells(fragment: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", fragment, flags=re.S)


def test_money_total_labels_only_the_illustrative_budget_figures(strategy):
    lines = budget_create(strategy)
    ParliamentaryApprovalFactory(
        line=lines["a"], year=2024, amount=Decimal(48_000_000), is_illustrative=True
    )
    CommitmentFactory(line=lines["a"], year=2024, amount=Decimal(48_000_000))
    DisbursementFactory(line=lines["a"], year=2024, amount=Decimal(24_000_000))
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    html = brief_html(brief)
    money = section(html, "budget")
    planned, approved, committed, disbursed, rate = cells(money[money.index("<tfoot>") :])[:5]
    assert TAG in approved and TAG in rate
    assert TAG not in planned and TAG not in committed and TAG not in disbursed
    # The glance says the money is illustrative where it gives the disbursed share.
    assert TAG in section(html, "summary")


def test_budget_rows_label_each_illustrative_figure_not_the_planned_one(strategy):
    lines = budget_create(strategy)
    ParliamentaryApprovalFactory(line=lines["a"], year=2024, amount=Decimal(48_000_000))
    CommitmentFactory(line=lines["a"], year=2024, amount=Decimal(48_000_000), is_illustrative=True)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    budget = section(brief_html(brief), "budget")
    row = re.search(r"<tr data-illustrative>\s*<th scope=\"row\">a\. .*?</tr>", budget, re.S)
    assert row is not None
    assert TAG not in row.group(0).split("</th>")[0]  # the line's name
    planned, approved, committed, disbursed, rate = cells(row.group(0))
    assert TAG in committed
    assert TAG not in planned + approved + disbursed + rate


def test_risk_labels_its_demo_rating_and_category_not_its_title(strategy):
    risk = RiskFactory(strategy=strategy, title="Weak core structure", rated=True, category="")
    risk.category = "programmatic"
    risk.rating_is_illustrative = True
    risk._change_reason = CHANGE_REASON
    risk.save()
    RiskFactory(strategy=strategy, title="Categorised by the desk", rated=True)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY, annex=True)
    rows = {row.title: row for row in brief.risks.top}
    assert rows["Weak core structure"].category_is_illustrative
    assert not rows["Categorised by the desk"].category_is_illustrative
    risks = section(brief_html(brief), "annex-risks")
    demo = re.search(r"<tr data-illustrative>.*?</tr>", risks, re.S).group(0)
    title, category, score, *_ = cells(demo)
    assert title == "Weak core structure"
    assert TAG in category and TAG in score


def test_demo_indicators_follow_the_statement_that_indicators_are_under_development(strategy):
    area, node = area_with_nodes(strategy, 2)
    area.indicators_under_development = True
    area.save()
    indicator_in(area, node, title="Officials trained", is_illustrative=True)
    html = brief_html(brief_build(strategy=strategy, year=2024, today=TODAY, annex=True))
    statement = html.index("Indicators: under development by")
    assert statement < html.index("Officials trained")


def test_milestones_label_demo_owners_planning_defaults_and_the_assumed_rhythm(strategy):
    demo = UserFactory(username="mission", first_name="Sofie", last_name="Lund")
    colleague = UserFactory(username="kirsten", first_name="Kirsten", last_name="Berg")
    # The demo data puts its people on the team as illustrative members; real ones are not.
    TeamMembership.objects.create(
        strategy=strategy, user=demo, role=TeamRole.MISSION_STAFF, is_illustrative=True
    )
    TeamMembership.objects.create(strategy=strategy, user=colleague, role=TeamRole.DESK_OFFICER)
    MilestoneFactory(
        strategy=strategy,
        key="consultation-2025",
        kind=MilestoneKind.HIGH_LEVEL_CONSULTATION,
        title="High-level consultation 2025",
        due_on=datetime.date(2025, 6, 15),
        owner=demo,
    )
    MilestoneFactory(
        strategy=strategy,
        title="Board retreat",
        kind=MilestoneKind.OTHER,
        due_on=datetime.date(2025, 9, 1),
        owner=colleague,
    )
    brief = brief_build(strategy=strategy, year=2024, today=TODAY)
    planned, retreat = brief.milestones
    assert planned.owner_is_illustrative and planned.date_is_planning_default
    assert not retreat.owner_is_illustrative and not retreat.date_is_planning_default
    assert brief.rhythm_is_assumed and brief.rhythm_first_high_level_year == 2023
    html = section(brief_html(brief), "milestones")
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.split("<tbody>")[1], re.S)
    assert rows[0].startswith("<tr data-illustrative>")
    due, _, kind, owner = cells(rows[0])
    assert "Planning default" in due and TAG in owner and "assumed rhythm" in kind
    assert "data-illustrative" not in rows[1] and "Planning default" not in rows[1]
    assert "an assumption until the team sets it" in html
    assert "alternate years from 2023" in html

    texts = [page.extract_text() for page in PdfReader(io.BytesIO(brief_pdf(brief))).pages]
    # The strategy has no softly earmarked line, so the brief has no allocations chapter.
    page = next(text for text in texts if "4. Coming milestones" in text)
    assert MARK in page

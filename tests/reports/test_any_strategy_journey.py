"""Browser journey: a strategy of another shape, set up from its one-pager on four set-up pages.

The second strategy runs five years with a budget over four of them, under two Finance Act
codes, follows a framework without codes at three named levels and has no softly earmarked
line. After its set-up, its desk officer logs a year, and everything a member of its team can
open of it (its pages, its brief, its workbook and its IATI file) says nothing of the first
partner's habits.
"""

import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import openpyxl
import pytest
from django.core.management import call_command
from lxml import etree, html
from playwright.sync_api import expect
from pypdf import PdfReader

from funding.models import BudgetLine, FinanceActCode
from priorities.choices import TeamRole
from priorities.models import (
    Assessment,
    IndicatorProgress,
    PriorityAreaNode,
    ResultsFramework,
    Strategy,
)
from reports.render.iati import schema_errors
from tests.priorities.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_PAGER = """\
# Strategy for Denmark's engagement with the United Nations Population Fund (UNFPA) 2025-2029

### Key results:

- Women and girls in humanitarian settings reach sexual and reproductive health services.
- Fewer child marriages in the countries Denmark follows.
- Data on population and gender that governments use in their plans.

<b>File No.</b>\t2025 / 4410
<b>Responsible Unit</b>\tDepartment for Multilateral Cooperation
\t<i>Million DKK</i>\t<b>2025</b>\t<b>2026</b>\t<b>2027</b>\t<b>2028</b>\tTotal
<b>Commitment</b>\t75\t75\t80\t80\t310
<b>Projected ann. Disb.</b>\t75\t75\t80\t80\t310
<b>Duration of strategy</b>\t2025-2029 (5 years)
<b>Finance Act code.</b>\t§06.36.01.11 and §06.34.01.75
<b>Desk officer</b>\tTove Lind
<b>Financial officer</b>\tKarl Berg

### SDGs relevant for Programme

SDG 3, SDG 5 and SDG 10
"""
SLUG = "unfpa-2025-2029"
# Words that belong to the first partner's strategy, never to another's pages or exports.
FOREIGN = re.compile(
    r"\bIOM\b|\bSRF\b|Standing Committee|\bCouncil\b|softly earmarked", re.IGNORECASE
)
# The pages of the strategy a team member may open, and how far the walk goes.
MAX_PAGES = 80


def setup_tab(page, name: str) -> None:
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name=name).click()


def test_a_strategy_of_another_shape_is_set_up_logged_and_exported_without_iom_words(
    page, browser, live_server, browser_login, admin_user, tmp_path
):
    # The first partner's strategy is there too, as in the ministry's database.
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    tove = UserFactory(username="tove", first_name="Tove", last_name="Lind")
    karl = UserFactory(username="karl", first_name="Karl", last_name="Berg")
    browser_login(page, "administrator")
    setup_pages = set()

    # 1. From the one-pager: read, review, fill in what the table leaves open, confirm.
    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("link", name="New strategy from its one-pager").click()
    setup_pages.add(urlsplit(page.url).path)
    page.get_by_label("The one-pager's text").fill(ONE_PAGER)
    page.get_by_role("button", name="Read the one-pager").click()
    expect(page.get_by_role("heading", name="Review and confirm")).to_be_visible()
    expect(page.get_by_label("New partner: acronym")).to_have_value("UNFPA")
    expect(page.get_by_label("Commitment 2028")).to_have_value("80")
    expect(page.get_by_label("Commitment 2029")).to_have_value("")
    assert not Strategy.objects.filter(slug=SLUG).exists()
    page.get_by_label("New partner: IATI organisation identifier").fill("XM-DAC-41119")
    page.get_by_role("button", name="Confirm and set up the strategy").click()
    expect(page.get_by_role("heading", name="Ready to be monitored?")).to_be_visible()
    strategy = Strategy.objects.get(slug=SLUG)
    assert (strategy.start_year, strategy.end_year) == (2025, 2029)
    assert [code.code for code in strategy.finance_act_codes.order_by("order")] == [
        "§06.36.01.11",
        "§06.34.01.75",
    ]

    # 2. The budget: one line under each Finance Act code, in DKK million as printed.
    setup_tab(page, "Budget")
    setup_pages.add(urlsplit(page.url).path)
    for code, name, kind, act, amounts in (
        ("a", "Core contribution", "Core (unearmarked)", "§06.36.01.11", ("60", "60", "65", "65")),
        ("b", "Humanitarian thematic fund", "Earmarked", "§06.34.01.75", ("15",) * 4),
    ):
        row = page.locator("table.budget-setup tbody tr.new-row").last
        row.get_by_label("Code", exact=True).fill(code)
        row.get_by_label("Name", exact=True).fill(name)
        row.get_by_label("Kind").select_option(label=kind)
        row.get_by_label("Finance Act code", exact=True).fill(act)
        for year, amount in zip(range(2025, 2029), amounts, strict=True):
            row.get_by_label(str(year)).fill(amount)
        page.get_by_role("button", name="Save budget").click()
        expect(page.get_by_role("status")).to_contain_text("saved")
    lines = {line.code: line for line in BudgetLine.objects.filter(strategy=strategy)}
    assert lines["a"].finance_act_code.code == "§06.36.01.11"
    assert lines["b"].planned_amounts.get(year=2028).amount == 15_000_000
    assert FinanceActCode.objects.filter(strategy=strategy).count() == 2

    # 3. The partner's framework: three named levels, no codes, a node list, one mapping.
    setup_tab(page, "Results framework")
    setup_pages.add(urlsplit(page.url).path)
    page.get_by_label("Name of the framework").fill("Strategic Plan 2022-2025")
    page.get_by_label("Levels").fill("Transformative result\nOutcome\nOutput")
    page.get_by_role("button", name="Add framework").click()
    rows = page.locator("table.node-list tbody tr")
    for number, (level, title) in enumerate(
        [
            ("Transformative result", "Ending unmet need for family planning"),
            ("Outcome", "Services reach women and girls in crises"),
            ("Output", "Supplies pre-positioned before the rainy season"),
        ]
    ):
        rows.nth(number).get_by_label("Level").select_option(label=level)
        rows.nth(number).get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save the nodes of Strategic Plan 2022-2025").click()
    page.locator("#id_node").select_option(
        label="Output: Supplies pre-positioned before the rainy season"
    )
    page.locator("#id_priority_area").select_option(index=1)
    page.get_by_role("button", name="Map node").click()
    framework = ResultsFramework.objects.get(organisation=strategy.organisation)
    assert (framework.level_names, framework.uses_codes) == (
        ["Transformative result", "Outcome", "Output"],
        False,
    )
    assert PriorityAreaNode.objects.filter(priority_area__strategy=strategy).count() == 1

    # 4. The team, in one save.
    setup_tab(page, "Team")
    setup_pages.add(urlsplit(page.url).path)
    for prefix, user, role in (("new", tove, "Desk officer"), ("new-1", karl, "Financial officer")):
        page.locator(f'[name="{prefix}-user"]').select_option(value=str(user.pk))
        page.locator(f'[name="{prefix}-role"]').select_option(label=role)
        if prefix == "new":
            page.get_by_role("button", name="Add another row").click()
    page.get_by_role("button", name="Save the team").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    assert set(strategy.team.values_list("user__username", "role")) == {
        ("tove", TeamRole.DESK_OFFICER),
        ("karl", TeamRole.FINANCIAL_OFFICER),
    }
    assert len(setup_pages) <= 4, setup_pages

    # The desk officer, on this strategy's team only, logs 2025.
    context = browser.new_context()
    desk = context.new_page()
    browser_login(desk, "tove")
    base = f"{live_server.url}/strategies/{SLUG}/"
    desk.goto(base + "priorities/1/")
    desk.get_by_role("link", name="Define an indicator").click()
    desk.get_by_label("Results-framework node").select_option(index=1)
    desk.get_by_label("Title").fill("Share of health facilities with the supplies they need")
    desk.get_by_label("Unit").fill("%")
    desk.get_by_label("Baseline", exact=True).fill("40")
    desk.get_by_label("Baseline year").fill("2024")
    desk.get_by_role("button", name="Define indicator").click()
    desk.get_by_role("link", name=re.compile("Enter 2025 figures")).first.click()
    desk.get_by_label("Target", exact=False).first.fill("55")
    desk.get_by_label(re.compile("^Actual")).fill("52")
    desk.get_by_role("button", name="Save 2025").click()
    expect(desk.get_by_role("status")).to_contain_text("Figures for 2025 saved")
    desk.get_by_role("link", name="Rate 2025").click()
    desk.get_by_label("Some delays").check()
    desk.get_by_label("Narrative").fill("Supplies reached most facilities; two regions lagged.")
    desk.get_by_role("button", name="Save rating").click()
    expect(desk.get_by_role("status")).to_contain_text("for 2025 saved")
    assert IndicatorProgress.objects.get(strategy_year__year=2025).actual == 52
    assert Assessment.objects.filter(priority_area__strategy=strategy).count() == 1

    # Every page of the strategy the desk officer can reach, and its exports, read back.
    found = walk(desk, base)
    # The brief with its annex is prepared in the background, then downloaded from its job.
    desk.goto(base + "brief/2025.pdf?annex=1")
    desk.get_by_role("button", name="Prepare the brief with its annex").click()
    expect(desk.get_by_role("link", name=re.compile(r"^Download "))).to_be_visible()
    brief = desk.request.get(
        urljoin(
            base, desk.get_by_role("link", name=re.compile(r"^Download ")).get_attribute("href")
        )
    )
    workbook = desk.request.get(base + "workbook.xlsx")
    iati = desk.request.get(base + "iati.xml")
    for response in (brief, workbook, iati):
        assert response.ok, response.url
    brief_text = "\n".join(
        page_.extract_text() for page_ in PdfReader(io.BytesIO(brief.body())).pages
    )
    assert "Annual consultation brief 2025" in brief_text
    # The framework's own level names, as the brief's annex prints them.
    assert "transformative result" in brief_text.lower()
    found["brief"] = brief_text
    book = openpyxl.load_workbook(io.BytesIO(workbook.body()))
    found["workbook"] = "\n".join(
        [sheet.title for sheet in book.worksheets]
        + [
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
    )
    assert schema_errors(iati.body()) == []
    assert b'ref="XM-DAC-41119"' in iati.body()
    found["iati"] = etree.tostring(etree.fromstring(iati.body()), method="text", encoding="unicode")
    context.close()

    assert len(found) > 10, sorted(found)
    leaks = {
        where: sorted({match.group(0) for match in FOREIGN.finditer(text)})
        for where, text in found.items()
        if FOREIGN.search(text)
    }
    assert leaks == {}


def walk(page, base: str) -> dict[str, str]:
    """Return the visible text of every page under `base` that links from its overview reach.

    Pages are fetched with the page's session, links followed breadth-first; files (the
    exports, evidence) are left to the caller.
    """
    seen: dict[str, str] = {}
    queue = deque([base])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = page.request.get(url)
        assert response.ok, f"{url} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        tree = html.fromstring(response.text())
        for dropped in tree.xpath("//script|//style"):
            dropped.drop_tree()
        seen[url] = tree.text_content()
        for href in tree.xpath("//a/@href"):
            target = urljoin(url, href).split("#")[0]
            path = urlsplit(target).path
            if (
                target.startswith(base)
                and not path.endswith((".pdf", ".xlsx", ".xml", ".csv", ".ics"))
                and "/download" not in path
                and target not in seen
            ):
                queue.append(target)
    return seen

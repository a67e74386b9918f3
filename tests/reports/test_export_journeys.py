"""Browser journeys in headless Chromium: downloading the exports and importing a workbook."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from priorities.models import Strategy
from reports import layout
from tests.funding.factories import budget_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mission_staff_download_the_brief_and_the_workbook(
    page, live_server, browser_login, mission, strategy, tmp_path
):
    budget_create(strategy)
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    exports = page.get_by_role("region", name="Exports")
    expect(exports).to_be_visible()
    expect(exports.get_by_role("link", name="Import a workbook")).to_have_count(0)

    with page.expect_download() as download:
        exports.get_by_role("link", name="2024", exact=True).click()
    assert download.value.suggested_filename == f"{strategy.slug}-consultation-brief-2024.pdf"
    pdf = tmp_path / "brief.pdf"
    download.value.save_as(pdf)
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert "Annual consultation brief 2024" in reader.pages[0].extract_text()

    with page.expect_download() as download:
        exports.get_by_role("link", name="Monitoring workbook (Excel)").click()
    target = tmp_path / "workbook.xlsx"
    download.value.save_as(target)
    assert openpyxl.load_workbook(target)[layout.BUDGET]["H8"].value == "=SUM(H5:H7)"


def test_administrator_imports_a_workbook_and_sees_problems_first(
    page, live_server, browser_login, admin_user, strategy, tmp_path
):
    budget_create(strategy)
    browser_login(page, "administrator")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Monitoring workbook (Excel)").click()
    path = tmp_path / "workbook.xlsx"
    download.value.save_as(path)

    workbook = openpyxl.load_workbook(path)
    workbook[layout.BUDGET]["H5"] = "forty-eight"
    broken = tmp_path / "broken.xlsx"
    workbook.save(broken)
    page.get_by_role("link", name="Import a workbook").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(broken)
    page.get_by_role("button", name="Import workbook").click()
    problems = page.get_by_role("region", name="The workbook was not imported")
    expect(problems).to_contain_text("H (Planned 2023 (DKK))")
    expect(problems).to_contain_text("Expected an amount (a number), found 'forty-eight'")

    workbook[layout.BUDGET]["H5"] = 49_000_000
    workbook.save(broken)
    page.get_by_role("link", name="Upload a corrected workbook").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(broken)
    page.get_by_role("button", name="Import workbook").click()
    expect(page.get_by_role("status")).to_contain_text("Workbook imported.")
    line = Strategy.objects.get(pk=strategy.pk).budget_lines.get(code="a")
    assert line.planned_amounts.get(year=2023).amount == 49_000_000

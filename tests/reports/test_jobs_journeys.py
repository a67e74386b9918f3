"""Browser journeys: long exports and imports through their progress page, with a real worker.

The tasks wait in the database, as in production, until the worker (`manage.py db_worker`)
takes them; meanwhile the progress page polls its status and, when the job ends, shows the
download, the import's summary, or its error.
"""

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from funding.models import BudgetLine
from priorities.models import Indicator, Strategy
from reports import layout
from reports.models import Job, JobState
from risks.models import Risk
from tests.funding.factories import budget_create
from tests.reports.jobdata import workbook_broken, workbook_grown, workbook_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker_runs() -> None:
    """Run the worker over every waiting task, then stop, as `make run`'s worker would."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def records() -> dict[str, int]:
    return {
        "strategies": Strategy.objects.count(),
        "budget lines": BudgetLine.objects.count(),
        "indicators": Indicator.objects.count(),
        "risks": Risk.objects.count(),
    }


@override_settings(TASKS=DATABASE_TASKS)
def test_a_background_workbook_export_reaches_ready_and_downloads(
    page, live_server, browser_login, mission, strategy, tmp_path
):
    budget_create(strategy)
    browser_login(page, "mission")
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    exports = page.get_by_role("region", name="Exports")
    exports.get_by_role("button", name="Prepare the workbook").click()

    progress = page.get_by_role("region", name="Progress")
    expect(progress).to_contain_text("Waiting to start")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    job = Job.objects.get()
    assert job.state == JobState.QUEUED

    worker_runs()
    # The page follows the job by itself: no reload by the user.
    ready = page.get_by_role("region", name="Ready")
    expect(ready).to_contain_text("Your file is ready.")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        ready.get_by_role("link", name=f"Download {strategy.slug}-monitoring-workbook.xlsx").click()
    assert download.value.suggested_filename == f"{strategy.slug}-monitoring-workbook.xlsx"
    path = tmp_path / "workbook.xlsx"
    download.value.save_as(path)
    assert openpyxl.load_workbook(path)[layout.BUDGET]["H8"].value == "=SUM(H5:H7)"

    page.get_by_role("link", name="My exports and imports").click()
    expect(page.get_by_role("table")).to_contain_text("Ready")


@override_settings(TASKS=DATABASE_TASKS)
def test_an_import_through_its_progress_page_refused_then_done(
    page, live_server, browser_login, admin_user, strategy, tmp_path
):
    budget_create(strategy)
    sound = workbook_grown(workbook_of(strategy), slug="grown-2023-2026", risks=40)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook_broken(sound))
    before = records()

    browser_login(page, "administrator")
    page.goto(f"{live_server.url}/strategies/import/")
    page.get_by_label("Workbook (.xlsx)").set_input_files(broken)
    page.get_by_role("button", name="Import workbook").click()
    expect(page.get_by_role("region", name="Progress")).to_contain_text("Waiting to start")
    worker_runs()
    refused = page.get_by_role("region", name="The workbook was not imported")
    expect(refused).to_contain_text("1 problem in broken.xlsx")
    expect(refused).to_contain_text("Nothing was changed")
    expect(refused.get_by_role("row", name="Risks")).to_contain_text(
        "Expected a whole number, found 'very likely'"
    )
    assert records() == before  # nothing half-written
    assert not Strategy.objects.filter(slug="grown-2023-2026").exists()

    page.get_by_role("link", name="Upload a corrected workbook").click()
    sound_path = tmp_path / "grown.xlsx"
    sound_path.write_bytes(sound)
    page.get_by_label("Workbook (.xlsx)").set_input_files(sound_path)
    page.get_by_role("button", name="Import workbook").click()
    expect(page.get_by_role("region", name="Progress")).to_contain_text("Waiting to start")
    worker_runs()
    expect(page.get_by_role("status")).to_contain_text("Workbook imported. grown-2023-2026")
    page.get_by_role("link", name="Open the strategy").click()
    expect(page).to_have_url(f"{live_server.url}/strategies/grown-2023-2026/")
    assert Strategy.objects.get(slug="grown-2023-2026").risks.count() == 40
    assert not any(job.file for job in Job.objects.all())  # no upload is kept

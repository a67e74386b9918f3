"""Jobs: long exports and imports off the request, their progress page, status and download.

The tests run each task at once (the immediate backend of settings_test), as soon as the
transaction that started it commits: `started()` lets those commits happen inside a test.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engagement.models import Meeting
from funding.models import BudgetLine
from priorities.models import Indicator, Strategy, TeamMembership
from reports import jobs, tasks
from reports.models import Job, JobKind, JobState
from risks.models import Risk
from tests.funding.factories import budget_create
from tests.priorities.factories import StrategyFactory, UserFactory
from tests.reports.jobdata import workbook_broken, workbook_grown, workbook_of
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
TEAM = ["client_desk", "client_finance", "client_mission", "client_manager", "client_admin"]
IMPORT_URL = "/strategies/import/"


@pytest.fixture
def started(django_capture_on_commit_callbacks):
    """Return a function that sends a POST and runs the job it starts, as a worker would."""

    def send(client: Client, url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code == 302, response.status_code
        job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        assert response.url == job.get_absolute_url()
        job.refresh_from_db()
        return job

    return send


def workbook_start_url(strategy) -> str:
    return reverse("reports:workbook_start", args=[strategy.slug])


def records() -> dict[str, int]:
    return {
        "strategies": Strategy.objects.count(),
        "budget lines": BudgetLine.objects.count(),
        "indicators": Indicator.objects.count(),
        "risks": Risk.objects.count(),
        "meetings": Meeting.objects.count(),
    }


# --- The job's life -------------------------------------------------------------------------


def test_a_background_workbook_export_is_ready_with_its_file_for_a_day(
    client_desk, desk, strategy, started
):
    budget_create(strategy)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        job = started(client_desk, workbook_start_url(strategy))
    assert job.user == desk
    assert job.kind == JobKind.WORKBOOK
    assert job.state == JobState.DONE
    assert job.percent == 100
    assert job.task_result_id
    assert job.finished_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    assert job.expires_at == job.finished_at + datetime.timedelta(days=1)
    assert default_storage.exists(job.file.name)

    page = client_desk.get(job.get_absolute_url()).text
    assert "Ready" in page
    download_url = reverse("reports:job_download", args=[job.pk])
    assert download_url in page
    assert "job-progress.js" not in page  # nothing left to follow

    download = client_desk.get(download_url)
    assert download["Content-Disposition"] == (
        'attachment; filename="test-2023-2026-monitoring-workbook.xlsx"'
    )
    content = b"".join(download.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert "Budget" in workbook.sheetnames
    overview = [cell for row in workbook["Overview"].iter_rows(values_only=True) for cell in row]
    assert "test-2023-2026" in overview


def test_a_waiting_job_shows_its_bar_and_follows_itself(client_desk, desk, strategy):
    job = Job.objects.create(
        user=desk,
        kind=JobKind.WORKBOOK,
        title="Workbook",
        strategy_slug=strategy.slug,
        percent=40,
        step="Writing the workbook",
        state=JobState.RUNNING,
    )
    page = client_desk.get(job.get_absolute_url()).text
    assert '<progress id="job-bar" max="100" value="40"' in page
    assert ">40%</progress>" in page
    assert 'aria-live="polite"' in page
    assert "Writing the workbook" in page
    assert reverse("reports:job_status", args=[job.pk]) in page
    assert "js/job-progress.js" in page
    # Without JavaScript the page reloads itself, and says so.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "reload it now" in page
    assert "<script>" not in page.replace("<noscript>", "")


def test_the_brief_with_its_annex_is_made_in_the_background(client_mission, strategy, started):
    budget_create(strategy)
    job = started(client_mission, reverse("reports:brief_annex_start", args=[strategy.slug, 2024]))
    assert job.state == JobState.DONE, job.error
    download = client_mission.get(reverse("reports:job_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert "with-annex" in download["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert strategy.title in text


def test_a_year_outside_the_period_starts_no_job(client_desk, strategy):
    response = client_desk.post(reverse("reports:brief_annex_start", args=[strategy.slug, 2031]))
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_failing_export_shows_its_error_and_keeps_nothing(
    client_desk, strategy, started, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the renderer broke <b>here</b>")

    monkeypatch.setattr(tasks, "workbook_xlsx", broken)
    job = started(client_desk, workbook_start_url(strategy))
    assert job.state == JobState.FAILED
    assert not job.file
    assert "could not be produced" in job.error
    page = client_desk.get(job.get_absolute_url()).text
    assert "The monitoring workbook could not be produced. Nothing was kept" in page
    assert "renderer broke" not in page  # the user reads plain words, never the trace
    assert client_desk.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_job_whose_worker_is_stopped_says_so_and_keeps_nothing(desk, strategy, monkeypatch):
    def stopped(*args, **kwargs):
        raise SystemExit(1)  # what the worker does on a second signal

    monkeypatch.setattr(tasks, "workbook_build", stopped)
    job = Job.objects.create(
        user=desk, kind=JobKind.WORKBOOK, title="Workbook", strategy_slug=strategy.slug
    )
    with pytest.raises(SystemExit):
        jobs.job_run(job_id=job.pk, work=tasks._workbook)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "The server stopped before this was finished" in job.error
    assert not job.file


def test_the_task_checks_again_that_the_user_may_see_the_strategy(desk, strategy):
    job = Job.objects.create(
        user=desk, kind=JobKind.WORKBOOK, title="Workbook", strategy_slug=strategy.slug
    )
    TeamMembership.objects.filter(user=desk).delete()
    tasks.workbook_export.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "may no longer see this strategy" in job.error
    assert not job.file


def test_a_job_runs_once(desk, strategy):
    job = Job.objects.create(
        user=desk, kind=JobKind.WORKBOOK, title="Workbook", strategy_slug=strategy.slug
    )
    tasks.workbook_export.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    first = job.file.name
    tasks.workbook_export.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.file.name == first


@pytest.mark.django_db(transaction=True)
def test_progress_is_one_update_written_only_when_it_changes(django_assert_num_queries):
    desk = UserFactory(username="desk")
    job = Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title="Workbook")
    progress = jobs.JobProgress(job_id=job.pk)
    with django_assert_num_queries(1):
        progress(10.4, "Reading the sheet <Risks>")
    with django_assert_num_queries(0):
        progress(10.9, "Reading the sheet <Risks>")  # the same percentage and step
    progress(150, "Almost")
    progress.close()
    job.refresh_from_db()
    # A job is only ever 100 percent done when its file is kept.
    assert (job.percent, job.step) == (99, "Almost")


def test_expired_jobs_and_their_files_are_pruned(desk):
    now = timezone.now()
    old = Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title="Old")
    old.file.save("result", ContentFile(b"old"), save=False)
    old.expires_at = now - datetime.timedelta(minutes=1)
    old.save()
    kept = Job.objects.create(
        user=desk, kind=JobKind.WORKBOOK, title="Kept", expires_at=now + datetime.timedelta(hours=1)
    )
    stuck = Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title="Stuck")
    Job.objects.filter(pk=stuck.pk).update(created_at=now - datetime.timedelta(days=8))
    name = old.file.name
    assert default_storage.exists(name)
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert "Removed 2 expired job(s)" in out.getvalue()
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(name)


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", TEAM)
def test_every_reader_of_the_strategy_may_start_its_exports(request, client_name, strategy):
    client = request.getfixturevalue(client_name)
    for url in (
        workbook_start_url(strategy),
        reverse("reports:brief_annex_start", args=[strategy.slug, 2024]),
    ):
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert response.status_code == 302
    assert Job.objects.count() == 2


def test_a_user_of_another_strategy_may_start_nothing_on_this_one(client_outsider, strategy):
    for url in (
        workbook_start_url(strategy),
        reverse("reports:brief_annex_start", args=[strategy.slug, 2024]),
    ):
        assert client_outsider.get(url).status_code == 403
        assert client_outsider.post(url).status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "client_name", ["client_finance", "client_manager", "client_admin", "client_outsider"]
)
def test_only_the_user_who_started_a_job_sees_it(request, client_name, desk, strategy):
    job = Job.objects.create(
        user=desk, kind=JobKind.WORKBOOK, title="Workbook of the desk", state=JobState.DONE
    )
    job.file.save("result", ContentFile(b"xlsx"), save=True)
    client = request.getfixturevalue(client_name)
    for name in ("job_detail", "job_status", "job_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    assert "Workbook of the desk" not in client.get(reverse("reports:job_list")).text


def test_the_import_is_for_administrators_only(client_desk, client_manager):
    upload = SimpleUploadedFile("wb.xlsx", b"PK")
    for client in (client_desk, client_manager):
        assert client.post(IMPORT_URL, {"file": upload}).status_code == 403
    assert not Job.objects.exists()


# --- The status the page polls ----------------------------------------------------------------


@pytest.mark.parametrize("jobs_before", [0, 20])
def test_the_status_is_json_for_the_owner_in_a_fixed_number_of_queries(
    client_desk, desk, django_assert_num_queries, jobs_before
):
    for number in range(jobs_before):
        Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title=f"Earlier {number}")
    job = Job.objects.create(
        user=desk,
        kind=JobKind.PORTFOLIO,
        title="Every strategy",
        state=JobState.RUNNING,
        percent=35,
        step="Workbook 3 of 8: <b>UNHCR</b>",
    )
    url = reverse("reports:job_status", args=[job.pk])
    # session, user, the job by its key and its user
    with django_assert_num_queries(3):
        response = client_desk.get(url)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response  # polling writes no session
    assert response.json() == {
        "state": "running",
        "state_label": "Running",
        "percent": 35,
        "step": "Workbook 3 of 8: <b>UNHCR</b>",
        "finished": False,
    }


def test_the_status_of_a_job_that_is_not_there_is_not_found(client_desk):
    url = reverse("reports:job_status", args=["6f1c7b0e-9d7c-4a59-9a39-8a7a3c7f1d11"])
    assert client_desk.get(url).status_code == 404


@pytest.mark.parametrize("more", [0, 15])
def test_my_exports_lists_the_last_day_newest_first(
    client_desk, desk, django_assert_num_queries, more
):
    now = timezone.now()
    for number in range(more):
        Job.objects.create(
            user=desk, kind=JobKind.PORTFOLIO, title=f"Portfolio {number}", state=JobState.DONE
        )
    Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title="Today's workbook")
    old = Job.objects.create(user=desk, kind=JobKind.WORKBOOK, title="Last week's workbook")
    Job.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=7))
    yesterday = Job.objects.create(
        user=desk,
        kind=JobKind.IMPORT,
        title="Yesterday's import",
        state=JobState.FAILED,
        error="Refused <b>badly</b>",
        expires_at=now + datetime.timedelta(hours=4),
    )
    Job.objects.filter(pk=yesterday.pk).update(created_at=now - datetime.timedelta(hours=20))
    # session, user, the user's groups (may they import?), the jobs
    with django_assert_num_queries(4):
        page = client_desk.get(reverse("reports:job_list")).text
    assert page.index("Today&#x27;s workbook") < page.index("Yesterday&#x27;s import")
    assert "Last week" not in page
    assert "Refused &lt;b&gt;badly&lt;/b&gt;" in page


# --- Small and large workbooks ----------------------------------------------------------------


def test_a_small_workbook_answers_at_once_and_a_large_one_is_prepared(client_desk, strategy):
    url = reverse("reports:workbook_download", args=[strategy.slug])
    assert client_desk.get(url)["Content-Type"].startswith("application/vnd.openxmlformats")
    RiskFactory(strategy=strategy, key="one", title="One risk")
    with override_settings(WORKBOOK_DIRECT_MAX_ROWS=0):
        response = client_desk.get(url, follow=True)
    assert response.redirect_chain[-1][0] == strategy.get_absolute_url() + "#exports"
    assert "This strategy&#x27;s workbook is large" in response.text
    assert workbook_start_url(strategy) in response.text


def test_the_workbook_size_counts_the_bulk_of_the_strategy(strategy, other_strategy):
    RiskFactory(strategy=strategy, key="one", title="One")
    RiskFactory(strategy=strategy, key="two", title="Two")
    RiskFactory(strategy=other_strategy, key="else", title="Elsewhere")
    assert jobs.workbook_rows(strategy=strategy) == 2


# --- The portfolio -----------------------------------------------------------------------------


def zip_names(client: Client, job: Job) -> list[str]:
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    for name in archive.namelist():
        openpyxl.load_workbook(io.BytesIO(archive.read(name)))  # each one a workbook
    return sorted(archive.namelist())


def test_the_portfolio_export_holds_every_strategy_the_user_sees_and_no_other(
    client_desk, client_manager, strategy, other_strategy, started
):
    StrategyFactory(slug="third-2023-2026", title="Third strategy")
    url = reverse("reports:portfolio_export_start")
    job = started(client_desk, url)
    assert job.state == JobState.DONE
    assert zip_names(client_desk, job) == ["test-2023-2026-monitoring-workbook.xlsx"]
    job = started(client_manager, url)
    assert zip_names(client_manager, job) == [
        "other-2023-2026-monitoring-workbook.xlsx",
        "test-2023-2026-monitoring-workbook.xlsx",
        "third-2023-2026-monitoring-workbook.xlsx",
    ]


def test_the_start_page_offers_the_portfolio_export(client_desk, strategy):
    page = client_desk.get(reverse("home")).text
    assert f'action="{reverse("reports:portfolio_export_start")}"' in page
    assert "Export every strategy I can see" in page


# --- The import -------------------------------------------------------------------------------


def test_a_refused_import_shows_its_problems_and_changes_nothing(client_admin, strategy, started):
    budget_create(strategy)
    content = workbook_broken(workbook_grown(workbook_of(strategy), slug="new-2023-2026", risks=3))
    before = records()
    job = started(client_admin, IMPORT_URL, {"file": SimpleUploadedFile('wb "<i>".xlsx', content)})
    assert job.state == JobState.FAILED
    assert records() == before
    assert not job.file  # the uploaded workbook is not kept
    page = client_admin.get(job.get_absolute_url()).text
    assert "The workbook was not imported: 1 problem in wb &quot;&lt;i&gt;&quot;.xlsx" in page
    assert "Nothing was changed" in page
    assert "<td>Risks</td>" in page
    assert "Likelihood" in page


def test_a_large_import_completes_through_its_job(client_admin, admin_user, strategy, started):
    budget_create(strategy)
    content = workbook_grown(workbook_of(strategy), slug="grown-2023-2026", risks=300)
    job = started(client_admin, IMPORT_URL, {"file": SimpleUploadedFile("grown.xlsx", content)})
    assert job.state == JobState.DONE, job.error
    grown = Strategy.objects.get(slug="grown-2023-2026")
    assert grown.risks.count() == 300
    assert grown.budget_lines.count() == 3
    assert not job.file  # the upload is gone once the import is done
    assert job.outcome["strategy_slug"] == "grown-2023-2026"
    page = client_admin.get(job.get_absolute_url()).text
    assert "Workbook imported. grown-2023-2026: created" in page
    assert f'href="{grown.get_absolute_url()}"' in page


def test_an_administrator_who_lost_the_right_imports_nothing(admin_user, strategy):
    content = workbook_grown(workbook_of(strategy), slug="late-2023-2026", risks=1)
    job = Job(user=admin_user, kind=JobKind.IMPORT, title="Import")
    job.file.save("upload", ContentFile(content), save=True)
    admin_user.groups.clear()
    before = records()
    tasks.workbook_import_job.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Only administrators import workbooks" in job.error
    assert records() == before

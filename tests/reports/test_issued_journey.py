"""Browser journey: mission staff issue the brief for a consultation; an administrator withdraws it.

The brief is issued from the meeting's page, downloaded twice (the same bytes, whose SHA-256 is
the one the list shows), and after its withdrawal it stays listed on the meeting and on the
overview, marked withdrawn with the reason, and still downloads as issued.
"""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from priorities.choices import TeamRole
from reports.models import IssuedBrief
from tests.engagement.factories import MeetingFactory
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_a_brief_issued_for_a_meeting_is_kept_as_sent_and_withdrawn_with_a_reason(
    browser, live_server, browser_login, admin_user
):
    strategy = StrategyFactory(slug="journey-2023-2026", title="Journey strategy 2023-2026")
    strategy.organisation.acronym = "JRN"
    strategy.organisation.save()
    mission = UserFactory(username="mission", first_name="Mette", last_name="Møller")
    TeamMembershipFactory(strategy=strategy, user=mission, role=TeamRole.MISSION_STAFF)
    meeting = MeetingFactory(
        strategy=strategy, title="Annual consultation 2025", held_on=datetime.date(2025, 5, 14)
    )
    base = live_server.url

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    browser_login(page, "mission")
    page.goto(f"{base}/strategies/{strategy.slug}/meetings/{meeting.pk}/")
    panel = page.locator("section[aria-labelledby=issued-briefs]")
    expect(panel).to_contain_text("No brief has been issued for this meeting.")
    panel.get_by_role("link", name="Issue this brief").click()

    # The page shows what will be issued: the year before the meeting, as of its date.
    expect(page.get_by_label("Year the brief reports on")).to_have_value("2024")
    expect(page.get_by_label("Meeting")).to_have_value(str(meeting.pk))
    expect(page.get_by_label("Figures as of")).to_have_value("2025-05-14")
    page.get_by_label("With the annex").check()
    page.get_by_role("button", name="Issue this brief").click()

    expect(page.locator(".messages")).to_contain_text("Issued brief JRN-CB2024-01")
    brief = IssuedBrief.objects.get()
    assert (brief.meeting_id, brief.year, brief.with_annex) == (meeting.pk, 2024, True)
    row = page.locator(f"#issued-brief-{brief.pk}")
    expect(row).to_contain_text("JRN-CB2024-01")
    expect(row).to_contain_text("Mette Møller")
    expect(row.locator("code")).to_have_attribute("title", brief.sha256)

    link = row.get_by_role("link", name="JRN-CB2024-01")
    first_name, first = _download(page, link)
    second_name, second = _download(page, link)
    assert first_name == second_name == "JRN-CB2024-01.pdf"
    assert first == second
    assert hashlib.sha256(first).hexdigest() == brief.sha256
    assert len(PdfReader(io.BytesIO(first)).pages) >= 1
    context.close()

    admin_context = browser.new_context(accept_downloads=True)
    admin = admin_context.new_page()
    browser_login(admin, admin_user.username)
    admin.goto(f"{base}/strategies/{strategy.slug}/")
    admin.get_by_role("link", name="Withdraw brief JRN-CB2024-01").click()
    admin.get_by_role("button", name="Withdraw the brief").click()
    expect(admin.get_by_text("This field is required.").first).to_be_visible()
    admin.get_by_label("Reason for withdrawing the brief").fill("Sent with last year's figures.")
    admin.get_by_role("button", name="Withdraw the brief").click()

    row = admin.locator(f"#issued-brief-{brief.pk}")
    expect(row).to_contain_text("Withdrawn")
    expect(row).to_contain_text("Sent with last year's figures.")
    admin.goto(f"{base}/strategies/{strategy.slug}/meetings/{meeting.pk}/")
    row = admin.locator(f"#issued-brief-{brief.pk}")
    expect(row).to_contain_text("Withdrawn")
    name, content = _download(admin, row.get_by_role("link", name="JRN-CB2024-01"))
    assert name == "JRN-CB2024-01-withdrawn.pdf"
    assert content == first
    admin_context.close()

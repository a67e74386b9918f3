"""Issuing a brief keeps the PDF as sent; the record never changes but for one withdrawal."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from reports import issued as issued_module
from reports.admin import IssuedBriefAdmin
from reports.issued import brief_issue, issued_brief_withdraw
from reports.models import IssuedBrief, issued_brief_reference, reference_prefix
from reports.render.pdf import brief_pdf
from strategy_monitor.formats import person_name
from tests.engagement.factories import MeetingFactory
from tests.reports.issued_factories import issued_brief_store

pytestmark = pytest.mark.django_db


def _stored_briefs() -> list[Path]:
    """Return the files under the storage's briefs folder."""
    root = Path(settings.MEDIA_ROOT) / "briefs"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _stored_bytes(brief: IssuedBrief) -> bytes:
    with brief.file.storage.open(brief.file.name, "rb") as stored:
        return stored.read()


def test_reference_reads_partner_year_and_number():
    assert issued_brief_reference(acronym="IOM", year=2024, number=3) == "IOM-CB2024-03"
    # Only letters and digits of an acronym go into a reference, which names a file.
    assert reference_prefix(acronym='U.N. "HCR"/../', year=2025) == "UNHCR-CB2025-"
    assert reference_prefix(acronym="—", year=2025) == "BRIEF-CB2025-"


def test_brief_issue_numbers_per_partner_and_year(strategy, desk):
    strategy.organisation.acronym = "I.O.M."
    strategy.organisation.save()
    first = brief_issue(strategy=strategy, year=2024, user=desk)
    second = brief_issue(strategy=strategy, year=2024, user=desk)
    other_year = brief_issue(strategy=strategy, year=2025, user=desk)
    assert [first.reference, second.reference, other_year.reference] == [
        "IOM-CB2024-01",
        "IOM-CB2024-02",
        "IOM-CB2025-01",
    ]
    assert (first.number, second.number, other_year.number) == (1, 2, 1)


def test_brief_issue_stores_the_rendered_pdf_with_its_hash(strategy, desk, monitor_rendered):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 5, 14))
    brief = brief_issue(
        strategy=strategy,
        year=2024,
        meeting=meeting,
        as_of=datetime.date(2025, 5, 14),
        annex=True,
        user=desk,
    )
    stored = _stored_bytes(brief)
    assert stored == monitor_rendered[-1][1]
    assert stored.startswith(b"%PDF")
    assert brief.sha256 == hashlib.sha256(stored).hexdigest()
    assert brief.size == len(stored)
    assert (brief.year, brief.meeting, brief.as_of, brief.with_annex) == (
        2024,
        meeting,
        datetime.date(2025, 5, 14),
        True,
    )
    assert brief.issued_by == desk
    # The stored name is random: it reveals neither the reference nor the strategy's slug.
    assert brief.reference not in brief.file.name
    assert strategy.slug not in brief.file.name
    # The brief was built as issued: its reference, date and issuer, its meeting and annex.
    built = monitor_rendered[-1][0]
    assert built.issue.reference == brief.reference
    # The date the brief prints is the local day of issue (Copenhagen), not the UTC one.
    assert built.issue.issued_on == timezone.localdate(brief.issued_at)
    assert built.issue.issued_by == person_name(desk)
    assert (built.meeting_id, built.annex, built.as_of) == (meeting.pk, True, brief.as_of)


@pytest.fixture
def monitor_rendered(monkeypatch) -> list:
    """Record each brief the service renders, with the bytes the renderer returned."""
    rendered = []

    def render(brief):
        content = brief_pdf(brief)
        rendered.append((brief, content))
        return content

    monkeypatch.setattr(issued_module, "brief_pdf", render)
    return rendered


def test_brief_issue_leaves_nothing_when_rendering_fails(strategy, desk, monkeypatch):
    def broken(brief):
        raise RuntimeError("WeasyPrint gave up")

    monkeypatch.setattr(issued_module, "brief_pdf", broken)
    before = _stored_briefs()
    with pytest.raises(RuntimeError):
        brief_issue(strategy=strategy, year=2024, user=desk)
    assert not IssuedBrief.objects.exists()
    assert _stored_briefs() == before


def test_brief_issue_removes_the_stored_file_when_recording_fails(strategy, desk, monkeypatch):
    monkeypatch.setattr(issued_module, "brief_pdf", lambda brief: b"%PDF-1.7 rendered")

    def failing_save(instance, **kwargs):
        assert instance.file.storage.exists(instance.file.name)  # the file was stored first
        raise IntegrityError("the database went away")

    monkeypatch.setattr(issued_module, "recorded_save", failing_save)
    before = _stored_briefs()
    with pytest.raises(ValidationError) as refused:
        brief_issue(strategy=strategy, year=2024, user=desk)
    assert refused.value.code == "issued_meanwhile"
    assert not IssuedBrief.objects.exists()
    assert _stored_briefs() == before


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"year": 2030}, "year", "year_outside_period"),
        ({"as_of": datetime.date(2099, 1, 1)}, "as_of", "future"),
        ({"as_of": datetime.date(2023, 12, 31)}, "as_of", "before_year"),
    ],
)
def test_brief_issue_refuses_what_the_brief_cannot_be(strategy, desk, kwargs, field, code):
    with pytest.raises(ValidationError) as refused:
        brief_issue(strategy=strategy, **{"year": 2024, **kwargs}, user=desk)
    assert [error.code for error in refused.value.error_dict[field]] == [code]
    assert not IssuedBrief.objects.exists()


def test_brief_issue_refuses_another_strategys_meeting(strategy, other_strategy, desk):
    meeting = MeetingFactory(strategy=other_strategy)
    with pytest.raises(ValidationError) as refused:
        brief_issue(strategy=strategy, year=2024, meeting=meeting, user=desk)
    assert refused.value.error_dict["meeting"][0].code == "meeting_of_other_strategy"


def test_an_issued_brief_is_never_changed(strategy, desk):
    brief = issued_brief_store(strategy=strategy, user=desk)
    for field, value in [
        ("reference", "XX-CB2024-99"),
        ("sha256", "0" * 64),
        ("year", 2025),
        ("as_of", datetime.date(2025, 1, 1)),
        ("file", "briefs/elsewhere.pdf"),
    ]:
        stored = IssuedBrief.objects.get(pk=brief.pk)
        setattr(stored, field, value)
        with pytest.raises(ValidationError) as refused:
            stored.save()
        assert refused.value.code == "issued_brief_changed", field
        with pytest.raises(ValidationError):
            stored.full_clean()
    with pytest.raises(ValidationError) as refused:
        IssuedBrief.objects.get(pk=brief.pk).delete()
    assert refused.value.code == "issued_brief_delete"
    assert IssuedBrief.objects.get(pk=brief.pk).reference == brief.reference


def test_withdrawal_needs_a_reason_in_the_database_too(strategy, desk):
    brief = issued_brief_store(strategy=strategy, user=desk)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedBrief.objects.filter(pk=brief.pk).update(withdrawn_at=brief.issued_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedBrief.objects.filter(pk=brief.pk).update(withdrawal_reason="Wrong figures")


def test_the_database_holds_a_digest_of_sha256_length(strategy, desk):
    brief = issued_brief_store(strategy=strategy, user=desk)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedBrief.objects.filter(pk=brief.pk).update(sha256="abc")
    invalid = IssuedBrief(sha256="Z" * 64)
    with pytest.raises(ValidationError) as refused:
        invalid.full_clean()
    assert [error.code for error in refused.value.error_dict["sha256"]] == ["sha256"]


def test_only_administrators_withdraw_with_a_reason_once(strategy, desk, admin_user, manager):
    brief = issued_brief_store(strategy=strategy, user=desk)
    for user in (desk, manager):
        with pytest.raises(ValidationError) as refused:
            issued_brief_withdraw(issued=brief, user=user, reason="Wrong figures")
        assert refused.value.code == "withdraw_not_allowed"
    with pytest.raises(ValidationError) as refused:
        issued_brief_withdraw(issued=brief, user=admin_user, reason="   ")
    assert refused.value.error_dict["withdrawal_reason"][0].code == "reason_required"
    assert not IssuedBrief.objects.get(pk=brief.pk).is_withdrawn

    withdrawn = issued_brief_withdraw(issued=brief, user=admin_user, reason="Wrong figures")
    assert withdrawn.is_withdrawn
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (admin_user, "Wrong figures")
    with pytest.raises(ValidationError) as refused:
        issued_brief_withdraw(issued=brief, user=admin_user, reason="Again")
    assert refused.value.code == "issued_brief_withdrawn"
    # Nor can a withdrawal be rewritten or taken back by saving the record.
    stored = IssuedBrief.objects.get(pk=brief.pk)
    stored.withdrawal_reason = "Another reason"
    with pytest.raises(ValidationError):
        stored.save()
    stored = IssuedBrief.objects.get(pk=brief.pk)
    stored.withdrawn_at = stored.withdrawn_by = None
    stored.withdrawal_reason = ""
    with pytest.raises(ValidationError):
        stored.save()
    # The file is the file that was issued.
    assert IssuedBrief.objects.get(pk=brief.pk).sha256 == brief.sha256


def test_withdrawal_is_in_the_history_and_the_strategys_change_log(
    strategy, desk, admin_user, client_admin, caplog
):
    brief = issued_brief_store(strategy=strategy, user=desk)
    with caplog.at_level("WARNING", logger="reports.issued"):
        issued_brief_withdraw(issued=brief, user=admin_user, reason="Figures of 2023 & “2024”")
    latest = brief.history.latest()
    assert latest.history_user == admin_user
    assert latest.history_change_reason.startswith(f"Withdrew brief {brief.reference}")
    assert any(brief.reference in record.getMessage() for record in caplog.records)
    page = client_admin.get(reverse("reports:strategy_history", args=[strategy.slug]))
    assert page.status_code == 200
    assert "Issued brief" in page.text
    assert f"Withdrew brief {brief.reference}" in page.text


def test_the_admin_neither_adds_changes_nor_deletes_issued_briefs(strategy, desk, admin_user):
    brief = issued_brief_store(strategy=strategy, user=desk)
    admin_user.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = IssuedBriefAdmin(IssuedBrief, admin.site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, brief)
    assert not model_admin.has_delete_permission(request, brief)
    assert not model_admin.get_actions(request)


def test_the_admin_links_to_withdrawal_and_refuses_deleting(client, strategy, desk, admin_user):
    brief = issued_brief_store(strategy=strategy, user=desk)
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    listing = client.get(reverse("admin:reports_issuedbrief_changelist"))
    assert listing.status_code == 200
    assert reverse("reports:issuedbrief_withdraw", args=[strategy.slug, brief.pk]) in listing.text
    delete_url = reverse("admin:reports_issuedbrief_delete", args=[brief.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:reports_issuedbrief_change", args=[brief.pk])
    client.post(change_url, {"reference": "XX-CB2024-99"})
    assert IssuedBrief.objects.get(pk=brief.pk).reference == brief.reference

"""The pages of issued briefs: issuing, the lists, the download and the withdrawal."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import IssuedBrief
from tests.engagement.factories import MeetingFactory
from tests.priorities.factories import UserFactory
from tests.reports.issued_factories import issued_brief_store

pytestmark = pytest.mark.django_db


def _overview(strategy) -> str:
    return reverse("priorities:strategy_detail", args=[strategy.slug])


def _meeting_page(meeting) -> str:
    return reverse("engagement:meeting_detail", args=[meeting.strategy.slug, meeting.pk])


def _issue_url(strategy) -> str:
    return reverse("reports:issuedbrief_issue", args=[strategy.slug])


def _download_url(brief) -> str:
    return reverse("reports:issuedbrief_download", args=[brief.strategy.slug, brief.pk])


def _withdraw_url(brief) -> str:
    return reverse("reports:issuedbrief_withdraw", args=[brief.strategy.slug, brief.pk])


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Download ------------------------------------------------------------------------------------


def test_an_issued_brief_downloads_twice_byte_identical_with_its_hash(client_desk, strategy, desk):
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    brief = issued_brief_store(strategy=strategy, user=desk, content=content)
    first = client_desk.get(_download_url(brief))
    second = client_desk.get(_download_url(brief))
    assert first.status_code == second.status_code == 200
    first_bytes, second_bytes = _content(first), _content(second)
    assert first_bytes == second_bytes == content
    assert hashlib.sha256(first_bytes).hexdigest() == brief.sha256
    assert first["ETag"] == f'"{brief.sha256}"'
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Length"] == str(len(content))
    assert first["Cache-Control"] == "private"
    assert first["Content-Disposition"] == f'attachment; filename="{brief.reference}.pdf"'


def test_a_reader_holding_the_brief_is_told_it_is_unchanged(client_desk, client_outsider, strategy):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    etag = f'"{brief.sha256}"'
    response = client_desk.get(_download_url(brief), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "private"
    assert not response.content
    other = client_desk.get(_download_url(brief), headers={"if-none-match": '"' + "0" * 64 + '"'})
    assert other.status_code == 200
    assert hashlib.sha256(_content(other)).hexdigest() == brief.sha256
    # The permission comes first: knowing the hash opens nothing.
    refused = client_outsider.get(_download_url(brief), headers={"if-none-match": etag})
    assert refused.status_code == 403


def test_a_withdrawn_brief_still_downloads_as_issued_named_withdrawn(
    client_desk, client_admin, strategy, desk
):
    brief = issued_brief_store(strategy=strategy, user=desk)
    before = _content(client_desk.get(_download_url(brief)))
    response = client_admin.post(_withdraw_url(brief), {"withdrawal_reason": "Wrong year"})
    assert response.status_code == 302
    after = client_desk.get(_download_url(brief))
    assert _content(after) == before
    assert hashlib.sha256(before).hexdigest() == brief.sha256
    assert after["Content-Disposition"] == (
        f'attachment; filename="{brief.reference}-withdrawn.pdf"'
    )


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("client_desk", 200),
        ("client_finance", 200),
        ("client_mission", 200),
        ("client_manager", 200),
        ("client_admin", 200),
        ("client_outsider", 403),
    ],
)
def test_download_is_for_those_who_see_the_strategy(request, strategy, client_name, status):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    client = request.getfixturevalue(client_name)
    assert client.get(_download_url(brief)).status_code == status


def test_download_through_another_strategys_address_is_not_found(
    client_outsider, strategy, other_strategy
):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    url = reverse("reports:issuedbrief_download", args=[other_strategy.slug, brief.pk])
    assert client_outsider.get(url).status_code == 404


def test_download_needs_a_login(client, strategy):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    response = client.get(_download_url(brief))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_of_a_missing_file_is_not_found(client_desk, strategy, desk):
    brief = issued_brief_store(strategy=strategy, user=desk)
    brief.file.storage.delete(brief.file.name)
    assert client_desk.get(_download_url(brief)).status_code == 404


def test_download_query_count(client_desk, django_assert_num_queries, strategy, desk):
    brief = issued_brief_store(strategy=strategy, user=desk)
    # session, user, the brief with its strategy and partner and whether the reader is on its
    # team (a team member's roles and groups are not read again)
    with django_assert_num_queries(3):
        response = client_desk.get(_download_url(brief))
    assert response.status_code == 200
    _content(response)


# --- Issuing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("client_desk", 200),
        ("client_finance", 200),
        ("client_mission", 200),
        ("client_admin", 200),
        ("client_manager", 403),
        ("client_outsider", 403),
    ],
)
def test_issue_page_is_for_those_who_keep_the_meetings(request, strategy, client_name, status):
    client = request.getfixturevalue(client_name)
    assert client.get(_issue_url(strategy)).status_code == status
    response = client.post(_issue_url(strategy), {"year": "2024"})
    if status == 403:
        assert response.status_code == 403
        assert not IssuedBrief.objects.exists()


def test_issue_page_from_a_meeting_shows_what_will_be_issued(client_mission, strategy):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 5, 14))
    MeetingFactory(strategy=strategy, title="Another meeting")
    response = client_mission.get(_issue_url(strategy), {"meeting": meeting.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["year"].value() == 2024
    assert form["meeting"].value() == meeting.pk
    assert form["as_of"].value() == datetime.date(2025, 5, 14)
    assert form["with_annex"].value() is False
    assert "Issue this brief" in response.text
    assert strategy.file_number in response.text
    # Only this strategy's meetings are offered.
    assert list(form.fields["meeting"].queryset) == sorted(
        strategy.meetings.all(), key=lambda item: item.held_on, reverse=True
    )


def test_issue_page_refuses_another_strategys_meeting(client_mission, strategy, other_strategy):
    meeting = MeetingFactory(strategy=other_strategy)
    response = client_mission.post(_issue_url(strategy), {"year": "2024", "meeting": meeting.pk})
    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    assert not IssuedBrief.objects.exists()


def test_issue_page_refuses_a_future_date(client_mission, strategy):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_mission.post(
        _issue_url(strategy), {"year": "2024", "as_of": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert "as_of" in response.context["form"].errors
    assert not IssuedBrief.objects.exists()


def test_issuing_for_a_meeting_lists_the_brief_on_the_meeting_and_the_overview(
    client_mission, strategy, mission
):
    mission.first_name, mission.last_name = "Mette", "Møller"
    mission.save()
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 5, 14))
    response = client_mission.post(
        _issue_url(strategy),
        {"year": "2024", "meeting": meeting.pk, "as_of": "2025-05-14", "with_annex": "on"},
    )
    brief = IssuedBrief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _meeting_page(meeting) + "#issued-briefs"
    assert (brief.year, brief.meeting, brief.as_of, brief.with_annex, brief.issued_by) == (
        2024,
        meeting,
        datetime.date(2025, 5, 14),
        True,
        mission,
    )
    for page in (_meeting_page(meeting), _overview(strategy)):
        text = client_mission.get(page).text
        assert brief.reference in text
        assert "Mette Møller" in text
        assert f'title="{brief.sha256}"' in text
        assert brief.sha256[:12] in text
        assert _download_url(brief) in text
    downloaded = _content(client_mission.get(_download_url(brief)))
    assert hashlib.sha256(downloaded).hexdigest() == brief.sha256


# --- Lists ---------------------------------------------------------------------------------------


def test_lists_say_when_nothing_was_issued(client_desk, strategy):
    meeting = MeetingFactory(strategy=strategy)
    assert "No brief has been issued yet." in client_desk.get(_overview(strategy)).text
    assert (
        "No brief has been issued for this meeting." in client_desk.get(_meeting_page(meeting)).text
    )


def test_a_meeting_lists_only_its_own_briefs(client_desk, strategy, desk):
    meeting = MeetingFactory(strategy=strategy)
    other_meeting = MeetingFactory(strategy=strategy)
    own = issued_brief_store(strategy=strategy, user=desk, meeting=meeting)
    other = issued_brief_store(strategy=strategy, user=desk, meeting=other_meeting)
    loose = issued_brief_store(strategy=strategy, user=desk)
    text = client_desk.get(_meeting_page(meeting)).text
    assert own.reference in text
    assert other.reference not in text
    assert loose.reference not in text
    overview = client_desk.get(_overview(strategy)).text
    assert all(brief.reference in overview for brief in (own, other, loose))


def test_issue_link_shows_only_to_those_who_may_issue(client_desk, client_manager, strategy):
    meeting = MeetingFactory(strategy=strategy)
    assert _issue_url(strategy) in client_desk.get(_overview(strategy)).text
    assert f"{_issue_url(strategy)}?meeting={meeting.pk}" in (
        client_desk.get(_meeting_page(meeting)).text
    )
    assert _issue_url(strategy) not in client_manager.get(_overview(strategy)).text


def test_user_text_in_the_list_is_escaped(client_desk, client_admin, strategy, desk):
    meeting = MeetingFactory(strategy=strategy, title='<b>"Council" & friends</b>')
    brief = issued_brief_store(strategy=strategy, user=desk, meeting=meeting)
    client_admin.post(_withdraw_url(brief), {"withdrawal_reason": "<script>x</script> & co"})
    text = client_desk.get(_overview(strategy)).text
    assert "<script>x</script>" not in text
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in text
    assert "<b>" not in text


@pytest.mark.parametrize("rows", [1, 6])
def test_overview_query_count_does_not_grow_with_issued_briefs(
    client_desk, django_assert_num_queries, strategy, desk, admin_user, rows
):
    meeting = MeetingFactory(strategy=strategy)
    for number in range(rows):
        brief = issued_brief_store(
            strategy=strategy, user=UserFactory(), meeting=meeting if number % 2 else None
        )
        if number % 3 == 0:
            brief.withdrawn_at, brief.withdrawn_by = timezone.now(), admin_user
            brief.withdrawal_reason = "Replaced"
            brief.save()
    # session, user, strategy, user's groups, user's team roles; strategy years, priority
    # areas, area-node links, framework nodes, assessments; budget lines, budget totals,
    # revisions of planned amounts; risks; offices; SDGs; key figures; chapters; the issued
    # briefs with their meetings, issuers and withdrawers
    with django_assert_num_queries(19):
        response = client_desk.get(_overview(strategy))
    assert response.status_code == 200
    assert response.text.count("issued-brief-") == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_meeting_page_query_count_does_not_grow_with_issued_briefs(
    client_desk, django_assert_num_queries, strategy, admin_user, rows
):
    meeting = MeetingFactory(strategy=strategy)
    for number in range(rows):
        brief = issued_brief_store(strategy=strategy, user=UserFactory(), meeting=meeting)
        if number % 2:
            brief.withdrawn_at, brief.withdrawn_by = timezone.now(), admin_user
            brief.withdrawal_reason = "Replaced"
            brief.save()
    # session, user, strategy, user's team roles, meeting, its priority areas, its action
    # points, its key messages, user's groups; the meeting's issued briefs with their issuers
    # and withdrawers
    with django_assert_num_queries(10):
        response = client_desk.get(_meeting_page(meeting))
    assert response.status_code == 200
    assert response.text.count("issued-brief-") == rows


# --- Withdrawal ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_name",
    ["client_desk", "client_finance", "client_mission", "client_manager", "client_outsider"],
)
def test_only_administrators_withdraw(request, strategy, client_name):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    client = request.getfixturevalue(client_name)
    assert client.get(_withdraw_url(brief)).status_code == 403
    response = client.post(_withdraw_url(brief), {"withdrawal_reason": "Not mine to keep"})
    assert response.status_code == 403
    assert not IssuedBrief.objects.get(pk=brief.pk).is_withdrawn


def test_withdrawal_asks_for_a_reason(client_admin, strategy):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    page = client_admin.get(_withdraw_url(brief))
    assert page.status_code == 200
    assert brief.sha256 in page.text
    response = client_admin.post(_withdraw_url(brief), {"withdrawal_reason": ""})
    assert response.status_code == 200
    assert "withdrawal_reason" in response.context["form"].errors
    assert not IssuedBrief.objects.get(pk=brief.pk).is_withdrawn


def test_a_withdrawn_brief_stays_listed_as_withdrawn(
    client_desk, client_admin, strategy, desk, admin_user
):
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    meeting = MeetingFactory(strategy=strategy)
    brief = issued_brief_store(strategy=strategy, user=desk, meeting=meeting)
    response = client_admin.post(
        _withdraw_url(brief), {"withdrawal_reason": "Figures for 2024 were corrected"}
    )
    assert response.status_code == 302
    assert response["Location"] == _overview(strategy) + "#issued-briefs"
    for page in (_overview(strategy), _meeting_page(meeting)):
        text = client_desk.get(page).text
        row = text[text.index(f'id="issued-brief-{brief.pk}"') :]
        row = row[: row.index("</tr>")]
        assert brief.reference in row
        assert "Withdrawn" in row
        assert "Ada Admin" in row
        assert "Figures for 2024 were corrected" in row
    # A second withdrawal shows the first and changes nothing.
    page = client_admin.get(_withdraw_url(brief))
    assert "was withdrawn on" in page.text
    client_admin.post(_withdraw_url(brief), {"withdrawal_reason": "Again"})
    assert IssuedBrief.objects.get(pk=brief.pk).withdrawal_reason == (
        "Figures for 2024 were corrected"
    )


def test_withdrawal_through_another_strategys_address_is_not_found(
    client_admin, strategy, other_strategy
):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    url = reverse("reports:issuedbrief_withdraw", args=[other_strategy.slug, brief.pk])
    assert client_admin.get(url).status_code == 404
    assert client_admin.post(url, {"withdrawal_reason": "x"}).status_code == 404


@pytest.mark.parametrize("rows", [1, 8])
def test_issue_page_query_count(client_mission, django_assert_num_queries, strategy, rows):
    meetings = [MeetingFactory(strategy=strategy) for _ in range(rows)]
    # session, user, strategy with its partner, user's groups, user's team roles; the preset
    # meeting; the meetings to choose from
    with django_assert_num_queries(7):
        response = client_mission.get(_issue_url(strategy), {"meeting": meetings[0].pk})
    assert response.status_code == 200


def test_withdraw_page_query_count(client_admin, django_assert_num_queries, strategy):
    brief = issued_brief_store(strategy=strategy, user=UserFactory())
    # session, user, strategy with its partner, user's groups, user's team roles; the brief
    # with its strategy, meeting, issuer and withdrawer
    with django_assert_num_queries(6):
        response = client_admin.get(_withdraw_url(brief))
    assert response.status_code == 200

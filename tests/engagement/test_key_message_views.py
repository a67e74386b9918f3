"""The key message pages, the meeting page that shows them, and the meeting's minutes.

Which role may open which page is walked in tests/security/test_url_access.py; here each role
meets what it does on these pages.
"""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagement.models import ActionPoint, KeyMessage, Meeting
from strategy_monitor.concurrency import version_token
from tests.engagement.factories import ActionPointFactory, KeyMessageFactory, MeetingFactory
from tests.priorities.factories import PDF_BYTES, PriorityAreaFactory

pytestmark = pytest.mark.django_db

HELD = datetime.date(2024, 6, 12)
AFTER = datetime.datetime(2024, 6, 20, 12, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(strategy):
    return MeetingFactory(strategy=strategy, held_on=HELD, title="Annual consultation 2024")


def list_url(meeting) -> str:
    return reverse("engagement:keymessage_list", args=[meeting.strategy.slug, meeting.pk])


def outcome_url(meeting) -> str:
    return reverse("engagement:keymessage_outcome", args=[meeting.strategy.slug, meeting.pk])


def detail_url(meeting) -> str:
    return reverse("engagement:meeting_detail", args=[meeting.strategy.slug, meeting.pk])


def convert_url(message) -> str:
    strategy = message.meeting.strategy
    return reverse("engagement:keymessage_actionpoint", args=[strategy.slug, message.pk])


# --- Drafting --------------------------------------------------------------------------------


def test_meeting_page_says_when_there_are_no_key_messages_and_how_to_draft(client_desk, meeting):
    text = client_desk.get(detail_url(meeting)).text
    assert "No key messages drafted for this meeting." in text
    assert "Draft key messages" in text
    assert list_url(meeting) in text


def test_mission_staff_drafts_two_key_messages_and_sees_them_grouped_on_the_meeting(
    client_mission, meeting, mission
):
    area = PriorityAreaFactory(strategy=meeting.strategy, title="Migration governance")
    data = {
        "blank_rows": "3",
        "new-0-text": "Ask how the data strategy is funded",
        "new-0-priority_area": str(area.pk),
        "new-1-text": "Welcome the MOPAN follow-up",
        "new-2-order": "7",  # an order alone adds nothing
    }

    response = client_mission.post(list_url(meeting), data, follow=True)

    assert response.redirect_chain[-1][0] == detail_url(meeting)
    assert "Saved the key messages for “Annual consultation 2024”." in response.text
    messages = list(meeting.key_messages.all())
    assert [m.text for m in messages] == [
        "Ask how the data strategy is funded",
        "Welcome the MOPAN follow-up",
    ]
    assert {m.drafted_by for m in messages} == {mission}
    text = response.text
    assert "Internal — not shared with the partner" in text
    # Strategy-wide messages first, then each priority area's.
    assert (
        text.index("The strategy as a whole")
        < text.index("Welcome the MOPAN")
        < text.index(area.label)
    )
    assert text.index(area.label, text.index("key-messages")) < text.index("Ask how the data")
    assert text.count("Not yet recorded") == 2


def test_key_message_page_edits_reorders_and_removes(client_desk, meeting):
    first = KeyMessageFactory(meeting=meeting, text="First", order=1)
    second = KeyMessageFactory(meeting=meeting, text="Second", order=2)
    data = {
        "blank_rows": "1",
        f"message-{first.pk}-text": "First, sharpened",
        f"message-{first.pk}-order": "3",
        f"message-{first.pk}-version": version_token(first),
        f"message-{second.pk}-text": "Second",
        f"message-{second.pk}-order": "2",
        f"message-{second.pk}-version": version_token(second),
        f"message-{second.pk}-remove": "on",
        "new-0-text": "Third",
        "new-0-order": "1",
    }

    assert client_desk.post(list_url(meeting), data).status_code == 302

    assert list(meeting.key_messages.values_list("text", flat=True)) == [
        "Third",
        "First, sharpened",
    ]


def test_a_key_message_emptied_and_ticked_for_removal_is_removed(client_desk, meeting):
    message = KeyMessageFactory(meeting=meeting, text="Going")
    data = {
        "blank_rows": "1",
        f"message-{message.pk}-text": "",
        f"message-{message.pk}-version": version_token(message),
        f"message-{message.pk}-remove": "on",
    }
    assert client_desk.post(list_url(meeting), data).status_code == 302
    assert not meeting.key_messages.exists()


def test_key_message_page_refuses_a_stale_row_and_keeps_the_input(client_desk, meeting, mission):
    message = KeyMessageFactory(meeting=meeting, text="Before")
    stale = version_token(message)
    message.text = "Changed by mission"
    message._history_user = mission
    message.save()
    data = {
        "blank_rows": "1",
        f"message-{message.pk}-text": "Changed by desk",
        f"message-{message.pk}-order": "1",
        f"message-{message.pk}-version": stale,
        "new-0-text": "Also new",
    }

    response = client_desk.post(list_url(meeting), data)

    assert response.status_code == 200
    assert "Changed by desk" in response.text
    assert "changed" in response.text.lower()
    assert list(meeting.key_messages.values_list("text", flat=True)) == ["Changed by mission"]
    # The form now carries the stored version: saving again is a deliberate choice.
    form = response.context["forms"][0]
    assert form.data[form.add_prefix("version")] == version_token(
        KeyMessage.objects.get(pk=message.pk)
    )


def test_key_message_page_refuses_overlong_text_next_to_its_row(client_desk, meeting):
    response = client_desk.post(list_url(meeting), {"blank_rows": "1", "new-0-text": "x" * 1001})
    assert response.status_code == 200
    assert response.context["forms"][0].errors["text"]
    assert not meeting.key_messages.exists()


def test_readers_see_key_messages_but_no_buttons_to_change_them(client_manager, meeting):
    KeyMessageFactory(meeting=meeting, text="Ask about the audit")
    text = client_manager.get(detail_url(meeting)).text
    assert "Ask about the audit" in text
    for label in ("Draft key messages", "Edit key messages", "Record the outcome"):
        assert label not in text
    assert "Make an action point" not in text
    assert client_manager.get(list_url(meeting)).status_code == 403


def test_a_user_of_another_strategy_sees_nothing_and_changes_nothing(
    client_outsider, meeting, outsider, other_strategy
):
    message = KeyMessageFactory(meeting=meeting, text="Secret point")
    assert client_outsider.get(detail_url(meeting)).status_code == 403
    assert client_outsider.post(list_url(meeting), {"new-0-text": "x"}).status_code == 403
    assert client_outsider.post(convert_url(message), {"text": "x"}).status_code == 403
    # Through the outsider's own strategy's address, the meeting is not found.
    own = reverse("engagement:keymessage_list", args=[other_strategy.slug, meeting.pk])
    assert client_outsider.get(own).status_code == 404
    assert list(KeyMessage.objects.values_list("text", flat=True)) == ["Secret point"]


# --- After the meeting -----------------------------------------------------------------------


@time_machine.travel(AFTER)
def test_outcome_page_records_raised_with_answer_and_the_meeting_page_shows_it(
    client_desk, meeting
):
    raised = KeyMessageFactory(meeting=meeting, text="Ask about the audit")
    skipped = KeyMessageFactory(meeting=meeting, text="Praise the data strategy")
    assert "Record the outcome" in client_desk.get(detail_url(meeting)).text
    data = {
        f"message-{raised.pk}-raised": "yes",
        f"message-{raised.pk}-answer": "IOM will share the audit in September.",
        f"message-{raised.pk}-version": version_token(raised),
        f"message-{skipped.pk}-raised": "no",
        f"message-{skipped.pk}-answer": "",
        f"message-{skipped.pk}-version": version_token(skipped),
    }

    response = client_desk.post(outcome_url(meeting), data, follow=True)

    assert response.redirect_chain[-1][0] == detail_url(meeting)
    raised.refresh_from_db()
    skipped.refresh_from_db()
    assert (raised.raised, raised.answer) == (True, "IOM will share the audit in September.")
    assert skipped.raised is False
    assert "IOM will share the audit in September." in response.text
    assert "Not raised" in response.text


@time_machine.travel(AFTER)
def test_outcome_page_refuses_an_answer_to_a_point_not_raised(client_desk, meeting):
    message = KeyMessageFactory(meeting=meeting)
    data = {
        f"message-{message.pk}-raised": "no",
        f"message-{message.pk}-answer": "They answered anyway",
        f"message-{message.pk}-version": version_token(message),
    }
    response = client_desk.post(outcome_url(meeting), data)
    assert response.status_code == 200
    assert "only for a point raised" in response.text
    message.refresh_from_db()
    assert message.answer == ""


@time_machine.travel(BEFORE)
def test_outcome_waits_for_the_meeting(client_desk, meeting):
    message = KeyMessageFactory(meeting=meeting)
    page = client_desk.get(detail_url(meeting)).text
    assert "Record the outcome" not in page
    assert "Make an action point" not in page
    assert "once it has been held" in client_desk.get(outcome_url(meeting)).text
    data = {f"message-{message.pk}-raised": "yes", f"message-{message.pk}-answer": "Early"}
    response = client_desk.post(outcome_url(meeting), data, follow=True)
    assert "record what came of the key messages once it has been held" in response.text
    message.refresh_from_db()
    assert message.raised is None


def test_outcome_page_says_when_there_is_nothing_to_record(client_desk, meeting):
    text = client_desk.get(outcome_url(meeting)).text
    assert "No key messages were drafted for this meeting" in text


# --- Into an action point --------------------------------------------------------------------


@time_machine.travel(AFTER)
def test_a_key_message_becomes_an_action_point_in_one_step(client_desk, meeting, mission):
    area = PriorityAreaFactory(strategy=meeting.strategy)
    message = KeyMessageFactory(
        meeting=meeting, text="Ask for the audit", priority_area=area, raised=True
    )
    page = client_desk.get(convert_url(message))
    assert page.context["form"].initial["text"] == "Ask for the audit"
    data = {
        "text": "Follow up on the audit",
        "owner": mission.pk,
        "due_on": "2024-09-01",
        "version": version_token(message),
    }

    response = client_desk.post(convert_url(message), data, follow=True)

    point = ActionPoint.objects.get()
    assert (point.meeting, point.priority_area, point.owner) == (meeting, area, mission)
    message.refresh_from_db()
    assert message.action_point == point
    assert "The key message is now an action point." in response.text
    assert f'href="#action-{point.pk}"' in response.text
    assert "Make an action point" not in response.text
    listing = client_desk.get(reverse("engagement:actionpoint_list", args=[meeting.strategy.slug]))
    assert "Follow up on the audit" in listing.text


@time_machine.travel(AFTER)
def test_a_second_conversion_is_refused_with_a_clear_message(client_desk, meeting, desk):
    message = KeyMessageFactory(
        meeting=meeting, action_point=ActionPointFactory(strategy=meeting.strategy, meeting=meeting)
    )
    assert "already an action point" in client_desk.get(convert_url(message)).text
    data = {"text": "Again", "owner": desk.pk, "due_on": "2024-09-01"}
    response = client_desk.post(convert_url(message), data)
    assert response.status_code == 200
    assert "already become an action point" in response.text
    assert ActionPoint.objects.count() == 1


def test_a_key_message_of_another_strategy_is_not_found(client_desk, strategy, other_strategy):
    message = KeyMessageFactory(meeting=MeetingFactory(strategy=other_strategy))
    url = reverse("engagement:keymessage_actionpoint", args=[strategy.slug, message.pk])
    assert client_desk.get(url).status_code == 404


# --- Hostile text ----------------------------------------------------------------------------


@time_machine.travel(AFTER)
def test_script_and_formula_text_in_a_key_message_renders_escaped(client_desk, meeting):
    hostile = '<script>alert("km")</script>=HYPERLINK("http://x")'
    KeyMessageFactory(meeting=meeting, text=hostile, raised=True, answer="<b>bold</b> & more")
    for url in (detail_url(meeting), list_url(meeting), outcome_url(meeting)):
        text = client_desk.get(url).text
        assert '<script>alert("km")' not in text
        assert "&lt;script&gt;alert(" in text
    assert "<b>bold</b>" not in client_desk.get(detail_url(meeting)).text


# --- Minutes ---------------------------------------------------------------------------------


def meeting_form_data(meeting, **extra) -> dict:
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "title": meeting.title,
        "location": meeting.location,
        "participants": "",
        "summary": "",
        "minutes": "",
        "version": version_token(meeting),
        **extra,
    }


def update_url(meeting) -> str:
    return reverse("engagement:meeting_update", args=[meeting.strategy.slug, meeting.pk])


def minutes_url(meeting) -> str:
    return reverse("engagement:meeting_minutes", args=[meeting.strategy.slug, meeting.pk])


def test_minutes_as_text_and_file_show_on_the_meeting_and_download_under_their_name(
    client_desk, client_manager, meeting
):
    upload = SimpleUploadedFile("Minutes 2024.pdf", PDF_BYTES, content_type="application/pdf")
    data = meeting_form_data(meeting, minutes="Both sides agreed.", minutes_file=upload)

    assert client_desk.post(update_url(meeting), data).status_code == 302

    meeting.refresh_from_db()
    assert meeting.minutes_file_name == "Minutes 2024.pdf"
    assert meeting.minutes_file.name.startswith(f"minutes/strategy-{meeting.strategy_id}/")
    page = client_manager.get(detail_url(meeting)).text
    assert "Both sides agreed." in page
    assert minutes_url(meeting) in page
    response = client_manager.get(minutes_url(meeting))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'filename="Minutes 2024.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_meeting_is_logged_with_its_minutes_file(client_mission, strategy):
    upload = SimpleUploadedFile("Minutes.docx", docx_bytes())
    data = {
        "kind": "annual_consultation",
        "held_on": "2024-06-12",
        "title": "",
        "location": "Geneva",
        "participants": "",
        "summary": "",
        "minutes": "",
        "minutes_file": upload,
        "action_points-TOTAL_FORMS": "0",
        "action_points-INITIAL_FORMS": "0",
    }
    response = client_mission.post(reverse("engagement:meeting_create", args=[strategy.slug]), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.minutes_file_name == "Minutes.docx"
    assert meeting.minutes_file.name.endswith(".docx")
    assert default_storage.exists(meeting.minutes_file.name)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_minutes_file_is_checked_by_its_content(client_desk, meeting):
    disguised = SimpleUploadedFile("minutes.pdf", b"#!/bin/sh\necho hi\n")
    response = client_desk.post(
        update_url(meeting), meeting_form_data(meeting, minutes_file=disguised)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["minutes_file"]
    assert [error.code for error in errors] == ["file_content"]
    meeting.refresh_from_db()
    assert not meeting.minutes_file


def test_minutes_file_over_the_size_limit_is_refused(client_desk, meeting, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    upload = SimpleUploadedFile("minutes.pdf", PDF_BYTES)
    data = meeting_form_data(meeting, minutes_file=upload)
    response = client_desk.post(update_url(meeting), data)
    errors = response.context["form"].errors.as_data()["minutes_file"]
    assert [error.code for error in errors] == ["file_too_large"]


def test_an_odt_minutes_file_is_accepted(client_desk, meeting):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    upload = SimpleUploadedFile("minutes.odt", buffer.getvalue())
    data = meeting_form_data(meeting, minutes_file=upload)
    response = client_desk.post(update_url(meeting), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_file.name.endswith(".odt")
    assert client_desk.get(minutes_url(meeting))["Content-Type"] == (
        "application/vnd.oasis.opendocument.text"
    )


def test_replacing_and_removing_the_minutes_file_removes_the_stored_file(
    client_desk, meeting, django_capture_on_commit_callbacks
):
    meeting.minutes_file.save("old.pdf", ContentFile(PDF_BYTES))
    meeting.minutes_file_name = "old.pdf"
    meeting.save()
    old = meeting.minutes_file.name
    upload = SimpleUploadedFile("new.pdf", PDF_BYTES)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_desk.post(
            update_url(meeting), meeting_form_data(meeting, minutes_file=upload)
        )

    assert response.status_code == 302
    meeting.refresh_from_db()
    new = meeting.minutes_file.name
    assert new != old
    assert not default_storage.exists(old)
    assert default_storage.exists(new)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_desk.post(
            update_url(meeting), meeting_form_data(meeting, minutes_file_remove="on")
        )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.minutes_file
    assert meeting.minutes_file_name == ""
    assert not default_storage.exists(new)


def test_a_refused_edit_keeps_the_old_minutes_file_and_stores_no_new_one(client_desk, meeting):
    meeting.minutes_file.save("old.pdf", ContentFile(PDF_BYTES))
    old = meeting.minutes_file.name
    folder = f"minutes/strategy-{meeting.strategy_id}"
    before = set(default_storage.listdir(folder)[1])
    upload = SimpleUploadedFile("new.pdf", PDF_BYTES)
    # A date outside the years the strategy allows refuses the save after the file is set.
    data = meeting_form_data(meeting, minutes_file=upload, held_on="2001-01-01")

    response = client_desk.post(update_url(meeting), data)

    assert response.status_code == 200
    assert default_storage.exists(old)
    assert set(default_storage.listdir(folder)[1]) == before


def test_minutes_download_is_not_found_without_a_file(client_desk, meeting):
    assert client_desk.get(minutes_url(meeting)).status_code == 404


def test_deleting_a_meeting_removes_its_minutes_file(meeting, django_capture_on_commit_callbacks):
    meeting.minutes_file.save("gone.pdf", ContentFile(PDF_BYTES))
    name = meeting.minutes_file.name
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.filter(pk=meeting.pk).delete()
    assert not default_storage.exists(name)


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_key_message_page_query_count(client_desk, django_assert_num_queries, meeting, rows):
    areas = [PriorityAreaFactory(strategy=meeting.strategy) for _ in range(3)]
    for index in range(rows):
        KeyMessageFactory(meeting=meeting, priority_area=areas[index % 3])
    # session, user, strategy, meeting, its key messages with areas and action points, the
    # strategy's priority areas (each row's choices, evaluated once), user's team roles, groups
    with django_assert_num_queries(8):
        response = client_desk.get(list_url(meeting))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_meeting_detail_with_key_messages_query_count(
    client_desk, django_assert_num_queries, meeting, rows
):
    areas = [PriorityAreaFactory(strategy=meeting.strategy) for _ in range(3)]
    for index in range(rows):
        KeyMessageFactory(
            meeting=meeting,
            priority_area=areas[index % 3] if index % 2 else None,
            action_point=ActionPointFactory(strategy=meeting.strategy, meeting=meeting),
        )
    # session, user, strategy, user's team roles, meeting, its priority areas, its action
    # points with owners and areas, its key messages with areas and action points, groups, the
    # briefs issued for it
    with django_assert_num_queries(10):
        response = client_desk.get(detail_url(meeting))
    assert response.status_code == 200

"""Meeting, action point, milestone and task pages: refused changes, forms, and query counts.

Which role may open which page is walked in tests/security/test_url_access.py.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, Meeting, Milestone
from strategy_monitor.concurrency import version_token
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.priorities.factories import PriorityAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = ["client_manager", "client_admin"]

READ_VIEWS = ["meeting_list", "meeting_detail", "actionpoint_list", "milestone_list"]
WRITE_VIEWS = [
    "meeting_create",
    "meeting_update",
    "actionpoint_create",
    "actionpoint_update",
    "actionpoint_close",
    "milestone_create",
    "milestone_update",
    "milestone_delete",
]
POST_ONLY_VIEWS = ["milestone_generate", "milestone_done"]


@pytest.fixture
def records(strategy):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 6, 12))
    return {
        "meeting": meeting,
        "action_point": ActionPointFactory(strategy=strategy, meeting=meeting),
        "milestone": MilestoneFactory(strategy=strategy),
    }


def url_for(name: str, strategy, records) -> str:
    slug = strategy.slug
    if name in ("meeting_list", "actionpoint_list", "milestone_list"):
        return reverse(f"engagement:{name}", args=[slug])
    if name in ("meeting_create", "milestone_create", "milestone_generate"):
        return reverse(f"engagement:{name}", args=[slug])
    if name in ("meeting_detail", "meeting_update", "actionpoint_create"):
        return reverse(f"engagement:{name}", args=[slug, records["meeting"].pk])
    if name.startswith("actionpoint_"):
        return reverse(f"engagement:{name}", args=[slug, records["action_point"].pk])
    return reverse(f"engagement:{name}", args=[slug, records["milestone"].pk])


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", [*READERS, "client_outsider"])
@pytest.mark.parametrize("name", WRITE_VIEWS + POST_ONLY_VIEWS)
def test_others_may_not_change_anything(request, strategy, records, client_name, name):
    client = request.getfixturevalue(client_name)
    url = url_for(name, strategy, records)
    if name not in POST_ONLY_VIEWS:
        assert client.get(url).status_code == 403
    before = (Meeting.objects.count(), ActionPoint.objects.count(), Milestone.objects.count())
    assert client.post(url, {"done": "1", "kind": "other", "title": "x"}).status_code == 403
    after = (Meeting.objects.count(), ActionPoint.objects.count(), Milestone.objects.count())
    assert before == after
    records["milestone"].refresh_from_db()
    assert records["milestone"].done_on is None


def test_objects_of_another_strategy_are_not_found(client_desk, strategy, other_strategy):
    meeting = MeetingFactory(strategy=other_strategy)
    point = ActionPointFactory(strategy=other_strategy, meeting=meeting)
    milestone = MilestoneFactory(strategy=other_strategy)
    slug = strategy.slug
    for url in (
        reverse("engagement:meeting_detail", args=[slug, meeting.pk]),
        reverse("engagement:actionpoint_close", args=[slug, point.pk]),
        reverse("engagement:milestone_update", args=[slug, milestone.pk]),
    ):
        assert client_desk.get(url).status_code == 404


def test_readers_do_not_see_the_buttons_for_changes(client_manager, strategy, records):
    pages = [url_for(name, strategy, records) for name in READ_VIEWS]
    text = " ".join(client_manager.get(url).text for url in pages)
    for label in (
        "Log a meeting",
        "Edit meeting",
        "Add an action point",
        "Add a milestone",
        "Generate milestones",
        "Mark done",
        ">Close<",
    ):
        assert label not in text


def test_team_members_see_the_buttons(client_mission, strategy, records):
    pages = [url_for(name, strategy, records) for name in READ_VIEWS]
    text = " ".join(client_mission.get(url).text for url in pages)
    for label in (
        "Log a meeting",
        "Edit meeting",
        "Add an action point",
        "Add a milestone",
        "Generate milestones",
        "Mark done",
        ">Close<",
    ):
        assert label in text


def test_strategy_header_has_meetings_and_milestones_tabs(client_desk, strategy):
    response = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug]))
    assert reverse("engagement:meeting_list", args=[strategy.slug]) in response.text
    assert 'aria-current="page">Milestones</a>' in response.text
    assert reverse("reports:my_tasks") in response.text


# --- Logging a meeting ------------------------------------------------------------------------


def meeting_data(**extra) -> dict:
    data = {
        "kind": MeetingKind.ANNUAL_CONSULTATION,
        "held_on": "2024-06-12",
        "title": "",
        "location": "Geneva",
        "participants": "Mission; IOM",
        "summary": "Reviewed 2023.",
        "action_points-TOTAL_FORMS": "3",
        "action_points-INITIAL_FORMS": "0",
        "action_points-MIN_NUM_FORMS": "0",
        "action_points-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_mission_logs_a_consultation_with_three_action_points(
    client_mission, strategy, desk, finance, mission
):
    area = PriorityAreaFactory(strategy=strategy)
    data = meeting_data(priority_areas=[area.pk])
    for index, (owner, due) in enumerate(
        [(desk, "2024-09-01"), (finance, "2024-10-01"), (mission, "2024-11-01")]
    ):
        data[f"action_points-{index}-text"] = f"Point {index}"
        data[f"action_points-{index}-owner"] = owner.pk
        data[f"action_points-{index}-due_on"] = due
    response = client_mission.post(
        reverse("engagement:meeting_create", args=[strategy.slug]), data, follow=True
    )
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "engagement:meeting_detail", args=[strategy.slug, meeting.pk]
    )
    assert "Logged “Annual consultation 2024” with 3 action points." in response.text
    assert meeting.title == "Annual consultation 2024"
    assert list(meeting.priority_areas.all()) == [area]
    assert sorted(meeting.action_points.values_list("owner__username", flat=True)) == [
        "desk",
        "finance",
        "mission",
    ]
    assert "Point 2" in response.text


def test_empty_action_point_rows_are_skipped(client_mission, strategy):
    response = client_mission.post(
        reverse("engagement:meeting_create", args=[strategy.slug]), meeting_data()
    )
    assert response.status_code == 302
    assert Meeting.objects.count() == 1
    assert not ActionPoint.objects.exists()


def test_an_action_point_row_without_owner_is_refused_next_to_its_field(client_mission, strategy):
    data = meeting_data(**{"action_points-1-text": "Who?", "action_points-1-due_on": "2024-09-01"})
    response = client_mission.post(reverse("engagement:meeting_create", args=[strategy.slug]), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["owner"] == ["Choose who owns the action point."]
    assert '<a href="#id_action_points-1-owner">Row 2 · Owner: Choose who owns' in response.text
    assert not Meeting.objects.exists()


def test_the_optional_action_point_rows_are_not_marked_required(client_mission, strategy):
    response = client_mission.get(reverse("engagement:meeting_create", args=[strategy.slug]))
    html = response.text
    rows = html[html.index('id="new-action-points"') :]
    assert "(optional)" in rows
    assert 'class="required"' not in rows[: rows.index("form-actions")]


def test_an_action_point_due_before_the_meeting_is_refused_next_to_its_field(
    client_mission, strategy, desk
):
    data = meeting_data(
        **{
            "action_points-0-text": "Backdated",
            "action_points-0-owner": desk.pk,
            "action_points-0-due_on": "2024-01-01",
        }
    )
    response = client_mission.post(reverse("engagement:meeting_create", args=[strategy.slug]), data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors.as_data()["due_on"]
    assert [error.code for error in errors] == ["before_meeting"]
    assert not Meeting.objects.exists()


def test_a_user_outside_the_team_cannot_be_chosen_as_owner(client_mission, strategy):
    stranger = UserFactory()
    data = meeting_data(
        **{
            "action_points-0-text": "x",
            "action_points-0-owner": stranger.pk,
            "action_points-0-due_on": "2024-09-01",
        }
    )
    response = client_mission.post(reverse("engagement:meeting_create", args=[strategy.slug]), data)
    assert "owner" in response.context["formset"].forms[0].errors
    assert not Meeting.objects.exists()


def test_editing_a_meeting_from_a_stale_copy_is_refused_with_what_changed(
    client_desk, strategy, records
):
    meeting = records["meeting"]
    url = reverse("engagement:meeting_update", args=[strategy.slug, meeting.pk])
    stale = version_token(meeting)
    data = {
        "kind": meeting.kind,
        "held_on": "2024-06-12",
        "title": "Renamed",
        "location": "Copenhagen",
        "participants": "",
        "summary": "",
        "version": stale,
    }
    assert client_desk.post(url, data).status_code == 302
    response = client_desk.post(url, {**data, "title": "From the old copy"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"


# --- Action points ----------------------------------------------------------------------------


def test_adding_an_action_point_to_a_meeting(client_finance, strategy, records, finance):
    meeting = records["meeting"]
    response = client_finance.post(
        reverse("engagement:actionpoint_create", args=[strategy.slug, meeting.pk]),
        {"text": "Send the numbers", "owner": finance.pk, "due_on": "2024-10-01"},
    )
    point = meeting.action_points.get(text="Send the numbers")
    assert response.url == (
        reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk])
        + f"#action-{point.pk}"
    )


def test_closing_an_action_point_as_done_with_a_note(client_desk, strategy, records):
    point = records["action_point"]
    url = reverse("engagement:actionpoint_close", args=[strategy.slug, point.pk])
    response = client_desk.post(
        url, {"status": "done", "closing_note": "Sent.", "version": version_token(point)}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.status, point.closing_note) == (ActionStatus.DONE, "Sent.")


def test_closing_without_a_note_shows_the_error_next_to_the_field(client_desk, strategy, records):
    point = records["action_point"]
    url = reverse("engagement:actionpoint_close", args=[strategy.slug, point.pk])
    response = client_desk.post(url, {"status": "dropped", "closing_note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["closing_note"] == ["This field is required."]
    point.refresh_from_db()
    assert point.status == ActionStatus.OPEN


def test_closing_a_closed_action_point_again_is_refused(client_desk, strategy, records):
    point = records["action_point"]
    ActionPoint.objects.filter(pk=point.pk).update(status="done", closing_note="Done.")
    url = reverse("engagement:actionpoint_close", args=[strategy.slug, point.pk])
    response = client_desk.post(url, {"status": "dropped", "closing_note": "Again"})
    assert response.status_code == 200
    assert "already done" in response.text
    point.refresh_from_db()
    assert point.closing_note == "Done."


# --- Milestones -------------------------------------------------------------------------------


def test_generating_milestones_from_the_browser(client_mission, strategy, mission):
    url = reverse("engagement:milestone_generate", args=[strategy.slug])
    response = client_mission.post(url, {"first_high_level_year": "2024"}, follow=True)
    # No mid-term review set, no bodies, no dialogue line: a consultation, an approval, a
    # report and the approval of the year's progress a year.
    assert "Generated 16 milestones." in response.text
    assert Milestone.objects.get(key="consultation-2024").kind == (
        MilestoneKind.HIGH_LEVEL_CONSULTATION
    )
    response = client_mission.post(url, {"first_high_level_year": "2024"}, follow=True)
    assert "Generated 0 milestones; 16 already planned were left as they are." in response.text


def test_generating_with_a_year_outside_the_period_is_refused(client_mission, strategy):
    url = reverse("engagement:milestone_generate", args=[strategy.slug])
    response = client_mission.post(url, {"first_high_level_year": "2031"}, follow=True)
    assert "Select a valid choice" in response.text
    assert not Milestone.objects.exists()


@time_machine.travel(datetime.datetime(2024, 7, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_marking_a_milestone_done_and_open_again(client_finance, strategy, records):
    milestone = records["milestone"]
    url = reverse("engagement:milestone_done", args=[strategy.slug, milestone.pk])
    response = client_finance.post(url, {"done": "1"})
    assert response.url.endswith(f"#milestone-{milestone.pk}")
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2024, 7, 1)
    client_finance.post(url, {"done": "0"})
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_moving_a_milestone_date(client_desk, strategy, records, desk):
    milestone = records["milestone"]
    url = reverse("engagement:milestone_update", args=[strategy.slug, milestone.pk])
    response = client_desk.post(
        url,
        {
            "kind": milestone.kind,
            "title": milestone.title,
            "due_on": "2024-05-20",
            "owner": desk.pk,
            "done_on": "",
            "note": "Moved to the week before.",
            "version": version_token(milestone),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.owner) == (datetime.date(2024, 5, 20), desk)


def test_deleting_a_milestone(client_desk, strategy, records):
    milestone = records["milestone"]
    url = reverse("engagement:milestone_delete", args=[strategy.slug, milestone.pk])
    assert "Delete “" in client_desk.get(url).text
    assert client_desk.post(url).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert milestone.history.filter(history_type="-").get().history_user.username == "desk"


def test_lists_export_as_csv(client_desk, strategy, records):
    for name in ("meeting_list", "actionpoint_list", "milestone_list"):
        response = client_desk.get(url_for(name, strategy, records), {"_export": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")


def test_illustrative_records_are_labelled(client_desk, strategy):
    MeetingFactory(strategy=strategy, is_illustrative=True)
    response = client_desk.get(reverse("engagement:meeting_list", args=[strategy.slug]))
    assert "illustrative-banner" in response.text
    assert 'class="illustrative"' in response.text


# --- My tasks ---------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2024, 9, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_my_tasks_shows_the_users_overdue_and_upcoming_items(client_finance, strategy, finance):
    overdue = ActionPointFactory(
        strategy=strategy, owner=finance, due_on=datetime.date(2024, 9, 1), text="Late one"
    )
    ActionPointFactory(
        strategy=strategy, owner=finance, due_on=datetime.date(2024, 10, 1), text="Soon one"
    )
    ActionPointFactory(strategy=strategy, due_on=datetime.date(2024, 10, 1), text="Not mine")
    response = client_finance.get(reverse("reports:my_tasks"))
    report = response.context["report"]
    assert [item.title for item in report.overdue] == ["Late one"]
    assert [item.title for item in report.upcoming] == ["Soon one"]
    assert "Not mine" not in response.text
    assert f"#action-{overdue.pk}" in response.text
    assert 'aria-current="page">My tasks</a>' in response.text


def test_my_tasks_needs_a_login(client):
    response = client.get(reverse("reports:my_tasks"))
    assert response.status_code == 302


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_meeting_list_query_count(client_desk, django_assert_num_queries, strategy, rows):
    areas = [PriorityAreaFactory(strategy=strategy) for _ in range(3)]
    for _ in range(rows):
        meeting = MeetingFactory(strategy=strategy)
        meeting.priority_areas.set(areas)
        ActionPointFactory.create_batch(2, strategy=strategy, meeting=meeting)
    # session, user, strategy, user's team roles, user's groups; paginator count, page of
    # meetings with counts, their priority areas
    with django_assert_num_queries(8):
        response = client_desk.get(reverse("engagement:meeting_list", args=[strategy.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_meeting_detail_query_count(client_desk, django_assert_num_queries, strategy, rows):
    meeting = MeetingFactory(strategy=strategy)
    areas = [PriorityAreaFactory(strategy=strategy) for _ in range(rows)]
    meeting.priority_areas.set(areas)
    for area in areas:
        ActionPointFactory(
            strategy=strategy, meeting=meeting, priority_area=area, owner=UserFactory()
        )
    url = reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk])
    # session, user, strategy, user's team roles, meeting, its priority areas, its action
    # points with owners and areas, its key messages with areas and action points, user's groups,
    # the briefs issued for it
    with django_assert_num_queries(10):
        response = client_desk.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_actionpoint_list_query_count(client_desk, django_assert_num_queries, strategy, rows):
    meeting = MeetingFactory(strategy=strategy)
    for _ in range(rows):
        ActionPointFactory(
            strategy=strategy,
            meeting=meeting,
            owner=UserFactory(),
            priority_area=PriorityAreaFactory(strategy=strategy),
        )
    # session, user, strategy, user's team roles, user's groups; team members for the owner
    # filter, paginator count, page of action points with meeting, owner and area
    with django_assert_num_queries(8):
        response = client_desk.get(reverse("engagement:actionpoint_list", args=[strategy.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_milestone_list_query_count(client_desk, django_assert_num_queries, strategy, desk, rows):
    for _ in range(rows):
        MilestoneFactory(strategy=strategy, owner=desk)
    # session, user, strategy, user's team roles, user's groups; the milestones' kinds and
    # years (no record fulfils these, so no source is read); team members for the owner filter,
    # paginator count, page of milestones with owners, the consultations' rhythm, the review
    with django_assert_num_queries(11):
        response = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
@time_machine.travel(datetime.datetime(2024, 9, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_my_tasks_query_count(client_desk, django_assert_num_queries, strategy, desk, rows):
    for _ in range(rows):
        ActionPointFactory(strategy=strategy, owner=desk, due_on=datetime.date(2024, 10, 1))
        MilestoneFactory(strategy=strategy, owner=desk, due_on=datetime.date(2024, 10, 1))
    # session, user; the dated list: years, risks, action points, user's groups, milestones;
    # the desk officer's queue: user's team roles, returned years, the years in progress,
    # their areas with counts, risks due for review, own action points
    with django_assert_num_queries(13):
        response = client_desk.get(reverse("reports:my_tasks"))
    assert len(response.context["report"].upcoming) == rows * 2


def test_errors_of_the_meeting_and_its_rows_show_together(client_mission, strategy):
    data = meeting_data(held_on="", **{"action_points-0-text": "No owner, no date"})
    response = client_mission.post(reverse("engagement:meeting_create", args=[strategy.slug]), data)
    assert response.context["form"].errors["held_on"] == ["This field is required."]
    row = response.context["formset"].forms[0]
    assert set(row.errors) == {"owner", "due_on"}

"""Milestones done by the records that fulfil them, the milestones page's order, and the review."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagement.calendar import milestone_event
from engagement.choices import MeetingKind, MilestoneKind
from engagement.models import MidTermReview, Milestone
from engagement.rhythm import rhythm_plan
from engagement.selectors import calendar_items_for_strategy, milestones_fulfil, my_tasks
from engagement.services import midtermreview_save, milestone_set_done
from priorities.choices import TeamRole
from priorities.registry import PARLIAMENTARY_APPROVAL_KIND, fulfilled_kinds
from tests.engagement.factories import MeetingFactory, MilestoneFactory
from tests.funding.factories import BudgetLineFactory, ParliamentaryApprovalFactory
from tests.priorities.builders import media_root  # noqa: F401
from tests.priorities.factories import PDF_BYTES, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 20, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


def fulfilled(milestone: Milestone):
    return milestones_fulfil([Milestone.objects.get(pk=milestone.pk)])[0].fulfilment


def page(client, strategy) -> str:
    return client.get(reverse("engagement:milestone_list", args=[strategy.slug])).text


# --- Which record fulfils which milestone -------------------------------------------------------


def test_the_parliamentary_approval_kind_is_the_milestone_kind():
    assert PARLIAMENTARY_APPROVAL_KIND == MilestoneKind.PARLIAMENTARY_APPROVAL
    assert {
        MilestoneKind.PARLIAMENTARY_APPROVAL,
        MilestoneKind.ANNUAL_CONSULTATION,
        MilestoneKind.HIGH_LEVEL_CONSULTATION,
        MilestoneKind.MID_TERM_REVIEW,
        MilestoneKind.YEAR_APPROVED,
    } == fulfilled_kinds()


def test_the_rhythm_gives_an_approval_the_year_of_its_funds():
    plan = rhythm_plan(start_year=2023, end_year=2024, high_level=set(), approval_years={2024})
    approval = next(item for item in plan if item.kind == MilestoneKind.PARLIAMENTARY_APPROVAL)
    assert (approval.due_on, approval.year) == (datetime.date(2023, 12, 15), 2024)


def test_an_approval_of_the_year_fulfils_its_milestone_not_another_years(strategy, other_strategy):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.PARLIAMENTARY_APPROVAL,
        due_on=datetime.date(2024, 12, 15),
        year=2025,
    )
    line = BudgetLineFactory(strategy=strategy)
    ParliamentaryApprovalFactory(line=line, year=2024)
    ParliamentaryApprovalFactory(line=BudgetLineFactory(strategy=other_strategy), year=2025)
    assert fulfilled(milestone) is None

    ParliamentaryApprovalFactory(line=line, year=2025, approved_on=datetime.date(2024, 12, 12))
    fulfilment = fulfilled(milestone)
    assert fulfilment.label == "Parliamentary approval recorded"
    assert fulfilment.done_on == datetime.date(2024, 12, 12)
    assert fulfilment.url == (
        reverse("funding:parliamentaryapproval_list", args=[strategy.slug]) + "?year=2025"
    )


def test_a_milestone_without_a_year_is_for_the_year_of_its_due_date(strategy):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.PARLIAMENTARY_APPROVAL,
        due_on=datetime.date(2025, 1, 10),
    )
    ParliamentaryApprovalFactory(line=BudgetLineFactory(strategy=strategy), year=2025)
    assert fulfilled(milestone) is not None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "kind", [MilestoneKind.ANNUAL_CONSULTATION, MilestoneKind.HIGH_LEVEL_CONSULTATION]
)
def test_a_consultation_held_in_the_year_fulfils_the_milestone_of_its_kind(
    strategy, other_strategy, kind
):
    milestone = MilestoneFactory(strategy=strategy, kind=kind, due_on=datetime.date(2024, 6, 15))
    other_kind = (
        MeetingKind.HIGH_LEVEL_CONSULTATION
        if kind == MilestoneKind.ANNUAL_CONSULTATION
        else MeetingKind.ANNUAL_CONSULTATION
    )
    MeetingFactory(strategy=strategy, kind=other_kind, held_on=datetime.date(2024, 6, 12))
    MeetingFactory(strategy=strategy, kind=kind, held_on=datetime.date(2023, 6, 12))
    MeetingFactory(strategy=other_strategy, kind=kind, held_on=datetime.date(2024, 6, 12))
    MeetingFactory(
        strategy=strategy, kind=MeetingKind.DONOR_GROUP, held_on=datetime.date(2024, 6, 1)
    )
    assert fulfilled(milestone) is None

    meeting = MeetingFactory(strategy=strategy, kind=kind, held_on=datetime.date(2024, 6, 20))
    fulfilment = fulfilled(milestone)
    assert fulfilment.done_on == datetime.date(2024, 6, 20)
    assert fulfilment.url == reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk])


@time_machine.travel(NOW, tick=False)
def test_a_consultation_planned_for_later_fulfils_nothing_yet(strategy):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.ANNUAL_CONSULTATION,
        due_on=datetime.date(2025, 6, 15),
    )
    MeetingFactory(
        strategy=strategy,
        kind=MeetingKind.ANNUAL_CONSULTATION,
        held_on=datetime.date(2025, 6, 10),
    )
    assert fulfilled(milestone) is None


@time_machine.travel(NOW, tick=False)
def test_the_review_fulfils_the_mid_term_review_milestone_of_its_strategy_only(
    strategy, other_strategy, desk
):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.MID_TERM_REVIEW,
        due_on=datetime.date(2024, 12, 31),
    )
    midtermreview_save(
        strategy=other_strategy,
        completed_on=datetime.date(2024, 11, 1),
        findings="Elsewhere.",
        user=desk,
    )
    assert fulfilled(milestone) is None
    midtermreview_save(
        strategy=strategy,
        completed_on=datetime.date(2025, 2, 3),
        findings="On track.",
        user=desk,
    )
    fulfilment = fulfilled(milestone)
    assert fulfilment.done_on == datetime.date(2025, 2, 3)
    assert fulfilment.label == "Mid-term review recorded"


@pytest.mark.parametrize("kind", [MilestoneKind.GOVERNING_BODY, MilestoneKind.ANNUAL_REPORT])
def test_kinds_no_record_fulfils_stay_open_whatever_is_recorded(strategy, kind):
    milestone = MilestoneFactory(strategy=strategy, kind=kind, due_on=datetime.date(2024, 6, 15))
    MeetingFactory(strategy=strategy, kind=MeetingKind.GOVERNING_BODY, held_on=milestone.due_on)
    MeetingFactory(strategy=strategy, held_on=milestone.due_on)
    ParliamentaryApprovalFactory(line=BudgetLineFactory(strategy=strategy), year=2024)
    assert fulfilled(milestone) is None


def test_a_kind_a_record_fulfils_is_never_marked_done_by_hand(strategy, desk):
    milestone = MilestoneFactory(strategy=strategy, kind=MilestoneKind.ANNUAL_CONSULTATION)
    with pytest.raises(ValidationError) as error:
        milestone_set_done(milestone=milestone, done_on=datetime.date(2024, 6, 1), user=desk)
    assert error.value.error_list[0].code == "fulfilled_by_record"


# --- The milestones page -------------------------------------------------------------------------


@pytest.fixture
def board(strategy):
    """Milestones of each state: next, really overdue, fulfilled though past, closed by hand."""
    MeetingFactory(
        strategy=strategy,
        kind=MeetingKind.ANNUAL_CONSULTATION,
        held_on=datetime.date(2024, 6, 12),
        title="Annual consultation 2024",
    )
    ParliamentaryApprovalFactory(
        line=BudgetLineFactory(strategy=strategy),
        year=2025,
        approved_on=datetime.date(2025, 3, 12),
    )
    return {
        "later": MilestoneFactory(
            strategy=strategy, title="Council 2025", due_on=datetime.date(2025, 11, 30)
        ),
        "next": MilestoneFactory(
            strategy=strategy,
            kind=MilestoneKind.ANNUAL_CONSULTATION,
            title="Annual consultation 2025",
            due_on=datetime.date(2025, 6, 15),
        ),
        "overdue": MilestoneFactory(
            strategy=strategy,
            kind=MilestoneKind.ANNUAL_REPORT,
            title="Annual report 2023",
            due_on=datetime.date(2024, 6, 30),
        ),
        "approval": MilestoneFactory(
            strategy=strategy,
            kind=MilestoneKind.PARLIAMENTARY_APPROVAL,
            title="Approval of the 2025 funds",
            due_on=datetime.date(2024, 12, 15),
            year=2025,
        ),
        "consultation": MilestoneFactory(
            strategy=strategy,
            kind=MilestoneKind.ANNUAL_CONSULTATION,
            title="Annual consultation 2024",
            due_on=datetime.date(2024, 6, 15),
        ),
        "by_hand": MilestoneFactory(
            strategy=strategy,
            title="Donor meeting 2023",
            due_on=datetime.date(2023, 9, 1),
            done_on=datetime.date(2023, 9, 1),
        ),
    }


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_what_is_next_then_what_is_overdue_then_what_is_done(
    client_desk, strategy, board
):
    response = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug]))
    titles = [row.record.title for row in response.context["table"].page.object_list]
    # Next by date; overdue; done, the latest first.
    assert titles == [
        "Annual consultation 2025",
        "Council 2025",
        "Annual report 2023",
        "Approval of the 2025 funds",
        "Annual consultation 2024",
        "Donor meeting 2023",
    ]
    text = response.text
    assert text.count('state-overdue">Overdue<') == 1
    assert 'Done</span> — <a class="fulfilment" href="' in text
    assert "Parliamentary approval recorded 12 March 2025</a>" in text
    assert "Annual consultation logged 12 June 2024</a>" in text


@time_machine.travel(NOW, tick=False)
def test_mark_done_is_offered_only_for_kinds_no_record_fulfils(client_desk, strategy, board):
    text = page(client_desk, strategy)
    assert 'aria-label="Mark done: Council 2025"' in text
    assert 'aria-label="Mark done: Annual report 2023"' in text
    assert "Mark done: Annual consultation 2025" not in text
    assert "Mark done: Approval of the 2025 funds" not in text


@time_machine.travel(NOW, tick=False)
def test_the_state_filter_and_the_download_count_fulfilled_milestones_done(
    client_desk, strategy, board
):
    url = reverse("engagement:milestone_list", args=[strategy.slug])
    overdue = client_desk.get(url, {"state": "overdue"}).context["table"]
    assert [row.record.title for row in overdue.page.object_list] == ["Annual report 2023"]
    done = client_desk.get(url, {"state": "done"}).context["table"]
    assert len(done.page.object_list) == 3
    csv_text = client_desk.get(url, {"_export": "csv"}).content.decode()
    line = next(row for row in csv_text.splitlines() if "Approval of the 2025 funds" in row)
    assert ",Done," in line and "2025-03-12" in line and "Parliamentary approval recorded" in line


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("rows", [1, 10])
def test_milestone_page_query_count_with_every_kind(
    client_desk, django_assert_num_queries, strategy, rows
):
    for index in range(rows):
        for kind in MilestoneKind.values:
            MilestoneFactory(strategy=strategy, kind=kind, due_on=datetime.date(2024, 6, index + 1))
        MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 5, index + 1))
    ParliamentaryApprovalFactory(line=BudgetLineFactory(strategy=strategy), year=2024)
    # session, user, strategy, user's team roles, user's groups; the milestones' kinds and
    # years, approvals, consultations, the review, the approved years (one query per source);
    # team members for the owner filter, paginator count, page of milestones with owners, the
    # consultations' rhythm, the review shown below the table
    with django_assert_num_queries(15):
        response = client_desk.get(reverse("engagement:milestone_list", args=[strategy.slug]))
    assert response.status_code == 200


# --- Reminders, My tasks, calendar ----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_fulfilled_milestones_are_not_due_and_show_done_in_the_calendar(strategy, desk, board):
    report = my_tasks(user=desk, today=TODAY)
    titles = {item.title for item in (*report.overdue, *report.upcoming)}
    assert "Annual report 2023" in titles
    assert not titles & {"Approval of the 2025 funds", "Annual consultation 2024"}

    events = {
        milestone.title: str(milestone_event(milestone, "").get("summary"))
        for milestone in calendar_items_for_strategy(strategy=strategy).milestones
    }
    assert events["Approval of the 2025 funds"] == "Approval of the 2025 funds (done)"
    assert events["Annual report 2023"] == "Annual report 2023"


# --- The review's page -----------------------------------------------------------------------


def review_url(strategy) -> str:
    return reverse("engagement:milestone_review", args=[strategy.slug])


def report_upload(content: bytes = PDF_BYTES, name: str = "MTR report.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def team_manager(strategy):
    user = UserFactory(username="team-manager")
    TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.MANAGER)
    return user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client_desk", 200),
        ("client_manager", 200),
        ("client_finance", 403),
        ("client_mission", 403),
        ("client_admin", 403),
        ("client_outsider", 403),
    ],
)
def test_who_may_record_the_review(request, strategy, who, status):
    client = request.getfixturevalue(who)
    assert client.get(review_url(strategy)).status_code == status
    response = client.post(review_url(strategy), {"completed_on": "2024-11-29", "findings": "x"})
    assert response.status_code == (302 if status == 200 else 403)
    assert MidTermReview.objects.filter(strategy=strategy).exists() == (status == 200)


def test_a_manager_on_the_team_records_the_review(client, strategy, team_manager):
    client.force_login(team_manager)
    assert client.get(review_url(strategy)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_recording_the_review_with_its_report_marks_the_milestone_done(client_desk, strategy):
    milestone = MilestoneFactory(
        strategy=strategy,
        kind=MilestoneKind.MID_TERM_REVIEW,
        title="Mid-term review (second half of 2024)",
        due_on=datetime.date(2024, 12, 31),
    )
    assert 'state-overdue">Overdue<' in page(client_desk, strategy)
    assert "Record the mid-term review" in page(client_desk, strategy)
    response = client_desk.post(
        review_url(strategy),
        {
            "completed_on": "2024-11-29",
            "findings": "Results framework on track.\nFollow up on gender.",
            "report_file": report_upload(),
        },
        follow=True,
    )
    assert "Recorded the mid-term review." in response.text
    assert "Mid-term review recorded 29 November 2024</a>" in response.text
    assert "Results framework on track.<br>Follow up on gender." in response.text
    assert fulfilled(milestone).done_on == datetime.date(2024, 11, 29)
    review = MidTermReview.objects.get(strategy=strategy)
    assert review.report_file_name == "MTR report.pdf"
    assert review.report_file.name.startswith(f"reviews/strategy-{strategy.pk}/")

    # Edited: one review per strategy, the same record.
    version = client_desk.get(review_url(strategy)).context["form"]["version"].value()
    client_desk.post(
        review_url(strategy),
        {"completed_on": "2024-12-02", "findings": "Revised.", "version": version},
    )
    assert MidTermReview.objects.get().completed_on == datetime.date(2024, 12, 2)
    assert MidTermReview.history.filter(strategy_id=strategy.pk).count() == 2


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "report.pdf"),
        (PDF_BYTES, "report.exe"),
        (b"", "report.pdf"),
    ],
)
def test_a_report_that_is_no_document_is_refused(client_desk, strategy, content, name):
    response = client_desk.post(
        review_url(strategy),
        {
            "completed_on": "2024-11-29",
            "findings": "x",
            "report_file": report_upload(content, name),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["report_file"]
    assert not MidTermReview.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_review_cannot_be_completed_in_the_future(client_desk, strategy):
    response = client_desk.post(
        review_url(strategy), {"completed_on": "2025-04-01", "findings": "x"}
    )
    assert response.context["form"].errors["completed_on"] == [
        "A review cannot be completed in the future."
    ]


def test_the_report_is_sent_only_to_those_who_see_the_strategy(
    client_desk, client_finance, client_outsider, strategy, desk
):
    url = reverse("engagement:milestone_review_report", args=[strategy.slug])
    assert client_desk.get(url).status_code == 404
    midtermreview_save(
        strategy=strategy,
        completed_on=datetime.date(2024, 11, 29),
        findings="x",
        report_upload=report_upload(name='MTR "final".pdf'),
        user=desk,
    )
    response = client_finance.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_outsider.get(url).status_code == 403


def test_readers_see_the_review_and_not_the_button(client_finance, strategy, desk):
    midtermreview_save(
        strategy=strategy, completed_on=datetime.date(2024, 11, 29), findings="Fine.", user=desk
    )
    text = page(client_finance, strategy)
    assert "29 November 2024" in text and "Fine." in text
    assert "Edit the mid-term review" not in text


def test_a_milestone_added_by_hand_can_name_the_year_it_is_for(client_finance, strategy):
    url = reverse("engagement:milestone_create", args=[strategy.slug])
    data = {
        "kind": MilestoneKind.PARLIAMENTARY_APPROVAL,
        "title": "Finance Act 2025",
        "due_on": "2024-12-10",
        "owner": "",
        "note": "",
    }
    response = client_finance.post(url, {**data, "year": "2030"})
    assert response.context["form"].errors["year"] == [
        "2030 is outside the strategy period 2023-2026."
    ]
    client_finance.post(url, {**data, "year": "2025"})
    milestone = Milestone.objects.get(title="Finance Act 2025")
    assert (milestone.year, milestone.for_year) == (2025, 2025)
    ParliamentaryApprovalFactory(line=BudgetLineFactory(strategy=strategy), year=2025)
    assert fulfilled(milestone) is not None

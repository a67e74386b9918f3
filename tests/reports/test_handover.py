"""An administrator hands a leaver's work to a successor in one step, then the account closes."""

import datetime
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from engagement.choices import ActionStatus
from engagement.models import ActionPoint, Milestone
from priorities.choices import TeamRole
from priorities.models import TeamMembership
from reports.handover import handover_plan, work_hand_over
from risks.choices import RiskStatus
from risks.models import Risk
from tests.engagement.factories import ActionPointFactory, MilestoneFactory
from tests.priorities.factories import TeamMembershipFactory, UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def leaver(strategy, other_strategy):
    user = UserFactory(username="leaver", first_name="Lars", last_name="Holm")
    TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.DESK_OFFICER)
    TeamMembershipFactory(strategy=other_strategy, user=user, role=TeamRole.MISSION_STAFF)
    return user


@pytest.fixture
def successor(strategy):
    user = UserFactory(username="anna", first_name="Anna", last_name="Berg")
    # Anna is already a desk officer of the strategy: that role merges.
    TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.DESK_OFFICER)
    return user


@pytest.fixture
def work(strategy, other_strategy, leaver, desk):
    """The leaver's open and closed work, and work of another user that must stay put."""
    return {
        "open_points": [
            ActionPointFactory(strategy=strategy, owner=leaver),
            ActionPointFactory(strategy=strategy, owner=leaver),
            ActionPointFactory(strategy=other_strategy, owner=leaver),
        ],
        "done_point": ActionPointFactory(
            strategy=strategy, owner=leaver, status=ActionStatus.DONE, closing_note="Sent."
        ),
        "open_milestones": [
            MilestoneFactory(strategy=strategy, owner=leaver),
            MilestoneFactory(strategy=other_strategy, owner=leaver),
        ],
        "done_milestone": MilestoneFactory(
            strategy=strategy, owner=leaver, done_on=datetime.date(2024, 5, 14)
        ),
        "open_risks": [
            RiskFactory(strategy=strategy, owner=leaver),
            RiskFactory(strategy=other_strategy, owner=leaver),
        ],
        "closed_risk": RiskFactory(
            strategy=strategy, owner=leaver, status=RiskStatus.CLOSED, closed_reason="Gone."
        ),
        "others_point": ActionPointFactory(strategy=strategy, owner=desk),
        "others_milestone": MilestoneFactory(strategy=strategy, owner=desk),
        "others_risk": RiskFactory(strategy=strategy, owner=desk),
    }


def owners(records) -> set:
    return {type(record).objects.get(pk=record.pk).owner.username for record in records}


def test_everything_open_moves_and_the_leaver_is_deactivated(
    work, leaver, successor, superuser, strategy, other_strategy
):
    result = work_hand_over(leaver=leaver, successor=successor, user=superuser)

    assert (result.action_points, result.milestones, result.risks, result.team_roles) == (
        3,
        2,
        2,
        2,
    )
    assert owners(work["open_points"] + work["open_milestones"] + work["open_risks"]) == {"anna"}
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not TeamMembership.objects.filter(user=leaver).exists()
    # The role Anna held already is there once; the other is hers now.
    assert set(TeamMembership.objects.filter(user=successor).values_list("strategy", "role")) == {
        (strategy.pk, TeamRole.DESK_OFFICER),
        (other_strategy.pk, TeamRole.MISSION_STAFF),
    }


def test_closed_work_and_other_users_work_stay_put(work, leaver, successor, superuser, desk):
    work_hand_over(leaver=leaver, successor=successor, user=superuser)

    assert owners([work["done_point"], work["done_milestone"], work["closed_risk"]]) == {"leaver"}
    assert owners([work["others_point"], work["others_milestone"], work["others_risk"]]) == {"desk"}


def test_every_move_is_in_the_change_log_under_the_administrator(
    work, leaver, successor, superuser
):
    work_hand_over(leaver=leaver, successor=successor, user=superuser)

    reason = "Handed over from Lars Holm to Anna Berg"
    point = work["open_points"][0]
    latest = point.history.latest()
    assert (latest.history_user, latest.history_change_reason, latest.owner_id) == (
        superuser,
        reason,
        successor.pk,
    )
    for record in (work["open_milestones"][0], work["open_risks"][0]):
        latest = record.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (superuser, reason)
    memberships = TeamMembership.history.filter(history_change_reason=reason)
    assert {entry.history_type for entry in memberships} == {"~", "-"}
    assert {entry.history_user for entry in memberships} == {superuser}


def test_the_successor_cannot_be_the_leaver(work, leaver, superuser):
    with pytest.raises(ValidationError) as error:
        work_hand_over(leaver=leaver, successor=leaver, user=superuser)
    assert error.value.code == "successor_is_leaver"
    leaver.refresh_from_db()
    assert leaver.is_active


def test_an_inactive_successor_is_refused(work, leaver, successor, superuser):
    successor.is_active = False
    successor.save()
    with pytest.raises(ValidationError) as error:
        work_hand_over(leaver=leaver, successor=successor, user=superuser)
    assert error.value.code == "successor_inactive"
    assert owners(work["open_points"]) == {"leaver"}


def test_a_failure_part_way_moves_nothing(work, leaver, successor, superuser):
    with (
        mock.patch("reports.handover.risks_hand_over", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        work_hand_over(leaver=leaver, successor=successor, user=superuser)

    assert owners(work["open_points"] + work["open_milestones"] + work["open_risks"]) == {"leaver"}
    assert TeamMembership.objects.filter(user=leaver).count() == 2
    leaver.refresh_from_db()
    assert leaver.is_active


def test_work_on_a_team_the_leaver_has_left_is_refused_whole(
    leaver, successor, superuser, strategy
):
    # Taken off the team long ago, the leaver still owns a risk there; Anna is not on it either.
    third = TeamMembershipFactory(role=TeamRole.DESK_OFFICER).strategy
    risk = RiskFactory(strategy=third, owner=leaver)
    point = ActionPointFactory(strategy=strategy, owner=leaver)

    with pytest.raises(ValidationError) as error:
        work_hand_over(leaver=leaver, successor=successor, user=superuser)

    assert error.value.code == "not_on_team"
    assert owners([risk, point]) == {"leaver"}


def test_the_plan_lists_what_moves_and_which_roles_merge(work, leaver, successor):
    plan = handover_plan(leaver=leaver, successor=successor)
    assert (len(plan.action_points), len(plan.milestones), len(plan.risks)) == (3, 2, 2)
    merged = [item for item in plan.team_roles if item.note]
    assert [item.title for item in merged] == ["Desk officer"]


# --- The admin pages ------------------------------------------------------------------------


def handover_url(user) -> str:
    return reverse("admin:auth_user_handover", args=[user.pk])


def test_the_user_change_page_links_to_the_handover(superuser, leaver):
    client = Client()
    client.force_login(superuser)
    html = client.get(reverse("admin:auth_user_change", args=[leaver.pk])).content.decode()
    assert handover_url(leaver) in html


def test_the_admin_confirms_what_moves_then_moves_it(work, leaver, successor, superuser):
    client = Client()
    client.force_login(superuser)
    url = handover_url(leaver)

    chosen = client.post(url, {"successor": successor.pk})

    assert chosen.status_code == 200
    html = chosen.content.decode()
    assert "Check what moves to <strong>Anna Berg</strong>" in html
    assert "Open action points (3)" in html and "Team roles (2)" in html
    assert "already held by the successor: kept once" in html
    assert owners(work["open_points"]) == {"leaver"}  # nothing has moved yet

    done = client.post(url, {"successor": successor.pk, "confirm": "yes"}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:auth_user_change", args=[leaver.pk])
    shown = [str(message) for message in get_messages(done.wsgi_request)]
    shown += [str(message) for message in done.context["messages"]]
    expected = "Moved 3 action points, 2 milestones, 2 risks and 2 team roles to Anna Berg"
    assert any(message.startswith(expected) for message in shown), shown
    assert owners(work["open_points"]) == {"anna"}
    entry = LogEntry.objects.get(object_id=str(leaver.pk))
    assert entry.user == superuser and expected in entry.get_change_message()


def test_the_admin_page_refuses_the_leaver_as_successor(leaver, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.post(handover_url(leaver), {"successor": leaver.pk, "confirm": "yes"})
    assert response.status_code == 200
    assert response.context["form"].errors["successor"]
    leaver.refresh_from_db()
    assert leaver.is_active


def test_the_handover_is_for_staff_who_may_change_users(leaver, successor, client_desk):
    url = handover_url(leaver)
    # Not staff: sent to log in.
    response = client_desk.post(url, {"successor": successor.pk, "confirm": "yes"})
    assert response.status_code == 302
    # Staff without the right to change users: refused.
    staff = UserFactory(username="helpdesk", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"successor": successor.pk, "confirm": "yes"}).status_code == 403
    leaver.refresh_from_db()
    assert leaver.is_active
    assert ActionPoint.objects.filter(owner=successor).count() == 0
    assert Milestone.objects.filter(owner=successor).count() == 0
    assert Risk.objects.filter(owner=successor).count() == 0


def test_the_admin_page_says_why_a_handover_is_refused_and_moves_nothing(
    leaver, successor, superuser
):
    third = TeamMembershipFactory(role=TeamRole.DESK_OFFICER).strategy
    risk = RiskFactory(strategy=third, owner=leaver, title="Floods at the port")
    client = Client()
    client.force_login(superuser)

    response = client.post(handover_url(leaver), {"successor": successor.pk, "confirm": "yes"})

    assert response.status_code == 200
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("is not on the team of" in message for message in shown), shown
    assert "Floods at the port" in response.content.decode()
    assert owners([risk]) == {"leaver"}
    leaver.refresh_from_db()
    assert leaver.is_active

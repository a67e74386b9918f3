"""Faster set-up pages: priority areas and team edited as lists, in one save each."""

import pytest
from django.urls import reverse

from priorities.choices import PriorityKind, TeamRole
from priorities.models import PriorityArea, TeamMembership
from strategy_monitor.concurrency import version_token
from tests.priorities.factories import PriorityAreaFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def areas_url(strategy) -> str:
    return reverse("priorities:priorityarea_setup", kwargs={"slug": strategy.slug})


def team_url(strategy) -> str:
    return reverse("priorities:team_setup", kwargs={"slug": strategy.slug})


def area_row(area, **values) -> dict:
    prefix = f"area-{area.pk}"
    data = {
        "kind": area.kind,
        "number": area.number or "",
        "title": area.title,
        "order": area.order,
        "version": version_token(area),
    }
    data.update(values)
    return {f"{prefix}-{name}": value for name, value in data.items()}


def blank_area(prefix: str, number: int, title: str) -> dict:
    return {
        f"{prefix}-kind": PriorityKind.PRIORITY,
        f"{prefix}-number": str(number),
        f"{prefix}-title": title,
        f"{prefix}-order": "",
        f"{prefix}-version": "",
    }


def test_the_page_offers_several_blank_rows_and_more_on_request(client_admin, strategy):
    response = client_admin.get(areas_url(strategy))
    assert response.context["blank_rows"] == 3
    assert 'name="new-2-title"' in response.text
    assert 'href="?rows=6"' in response.text
    response = client_admin.get(areas_url(strategy) + "?rows=6")
    assert 'name="new-5-title"' in response.text


def test_two_areas_are_added_in_one_save(client_admin, strategy):
    data = {
        "blank_rows": "3",
        **blank_area("new", 1, "Protection"),
        **blank_area("new-1", 2, "Solutions"),
    }
    response = client_admin.post(areas_url(strategy), data, follow=True)
    assert "Priority areas saved." in response.text
    assert list(PriorityArea.objects.filter(strategy=strategy).values_list("number", "title")) == [
        (1, "Protection"),
        (2, "Solutions"),
    ]


def test_one_bad_row_saves_none(client_admin, strategy):
    data = {
        "blank_rows": "2",
        **blank_area("new", 1, "Protection"),
        **blank_area("new-1", 1, "Same number"),
    }
    response = client_admin.post(areas_url(strategy), data)
    assert "The strategy has a priority area with that number." in response.text
    assert not PriorityArea.objects.filter(strategy=strategy).exists()


def test_areas_are_reordered_and_removed_in_one_save(client_admin, strategy):
    first = PriorityAreaFactory(strategy=strategy, number=1, order=1)
    second = PriorityAreaFactory(strategy=strategy, number=2, order=2)
    third = PriorityAreaFactory(strategy=strategy, number=3, order=3)
    data = {
        "blank_rows": "1",
        **area_row(first, order=2),
        **area_row(second, order=1),
        **area_row(third, remove="on"),
    }
    client_admin.post(areas_url(strategy), data)
    assert list(
        PriorityArea.objects.filter(strategy=strategy).order_by("order").values_list("number")
    ) == [(2,), (1,)]


def test_a_stale_row_is_refused_and_nothing_saved(client_admin, strategy, admin_user):
    area = PriorityAreaFactory(strategy=strategy, number=1, title="Old")
    stale = version_token(area)
    PriorityArea.objects.filter(pk=area.pk).update(title="Changed meanwhile")
    area.refresh_from_db()
    area.updated_at = area.updated_at.replace(year=area.updated_at.year + 1)
    PriorityArea.objects.filter(pk=area.pk).update(updated_at=area.updated_at)
    data = {
        "blank_rows": "1",
        **area_row(area, title="Mine", version=stale),
        **blank_area("new", 2, "New area"),
    }
    response = client_admin.post(areas_url(strategy), data)
    assert response.status_code == 200
    assert "form-errors" in response.text
    assert PriorityArea.objects.filter(strategy=strategy).count() == 1
    assert PriorityArea.objects.get(pk=area.pk).title == "Changed meanwhile"


def test_two_members_are_added_a_role_changed_and_one_removed_in_one_save(client_admin, strategy):
    anna, bo, carl = UserFactory(), UserFactory(), UserFactory()
    old = TeamMembershipFactory(strategy=strategy, user=carl, role=TeamRole.MISSION_STAFF)
    gone = TeamMembershipFactory(strategy=strategy, user=bo, role=TeamRole.OBSERVER)
    data = {
        "blank_rows": "3",
        f"member-{old.pk}-user": carl.pk,
        f"member-{old.pk}-role": TeamRole.MANAGER,
        f"member-{old.pk}-version": version_token(old),
        f"member-{gone.pk}-user": bo.pk,
        f"member-{gone.pk}-role": TeamRole.OBSERVER,
        f"member-{gone.pk}-version": version_token(gone),
        f"member-{gone.pk}-remove": "on",
        "new-user": anna.pk,
        "new-role": TeamRole.DESK_OFFICER,
        "new-1-user": bo.pk,
        "new-1-role": TeamRole.FINANCIAL_OFFICER,
    }
    response = client_admin.post(team_url(strategy), data, follow=True)
    assert "Team saved." in response.text
    assert set(TeamMembership.objects.filter(strategy=strategy).values_list("user", "role")) == {
        (anna.pk, TeamRole.DESK_OFFICER),
        (bo.pk, TeamRole.FINANCIAL_OFFICER),
        (carl.pk, TeamRole.MANAGER),
    }


def test_a_member_without_a_role_is_refused_next_to_the_row(client_admin, strategy):
    anna = UserFactory()
    response = client_admin.post(
        team_url(strategy), {"blank_rows": "1", "new-user": anna.pk, "new-role": ""}
    )
    assert response.context["forms"][-1].errors["role"] == ["This field is required."]
    assert not TeamMembership.objects.filter(strategy=strategy).exists()


@pytest.mark.parametrize("client_name", ["client_desk", "client_finance", "client_manager"])
def test_only_administrators_edit_the_lists(request, client_name, strategy):
    client = request.getfixturevalue(client_name)
    assert client.get(team_url(strategy)).status_code == 403
    assert client.post(areas_url(strategy), blank_area("new", 1, "X")).status_code == 403
    assert not PriorityArea.objects.filter(strategy=strategy).exists()


@pytest.mark.parametrize("rows", [2, 12])
def test_the_lists_take_a_fixed_number_of_queries(
    client_admin, strategy, django_assert_num_queries, rows
):
    for number in range(1, rows + 1):
        PriorityAreaFactory(strategy=strategy, number=number)
        TeamMembershipFactory(strategy=strategy, user=UserFactory(), role=TeamRole.DESK_OFFICER)
    client_admin.get(team_url(strategy))  # the session is settled before counting
    with django_assert_num_queries(QUERIES_TEAM):
        client_admin.get(team_url(strategy))
    with django_assert_num_queries(QUERIES_AREAS):
        client_admin.get(areas_url(strategy))


# session, user, groups (administrator), strategy, users to choose from, the team with its
# users, the team again for the page header
QUERIES_TEAM = 7
# session, user, groups (administrator), strategy, priority areas, the team for the header
QUERIES_AREAS = 6


def test_a_stale_team_row_is_refused_and_nothing_saved(client_admin, strategy):
    anna, bo = UserFactory(), UserFactory()
    member = TeamMembershipFactory(strategy=strategy, user=anna, role=TeamRole.MISSION_STAFF)
    stale = version_token(member)
    TeamMembership.objects.filter(pk=member.pk).update(
        role=TeamRole.OBSERVER,
        updated_at=member.updated_at.replace(year=member.updated_at.year + 1),
    )
    response = client_admin.post(
        team_url(strategy),
        {
            "blank_rows": "1",
            f"member-{member.pk}-user": anna.pk,
            f"member-{member.pk}-role": TeamRole.MANAGER,
            f"member-{member.pk}-version": stale,
            "new-user": bo.pk,
            "new-role": TeamRole.DESK_OFFICER,
        },
    )
    assert response.status_code == 200
    assert "form-errors" in response.text
    assert list(
        TeamMembership.objects.filter(strategy=strategy).values_list("role", flat=True)
    ) == [TeamRole.OBSERVER]


def test_an_observer_is_refused_the_one_pager_set_up(client, strategy):
    observer = UserFactory(username="observer")
    TeamMembershipFactory(strategy=strategy, user=observer, role=TeamRole.OBSERVER)
    client.force_login(observer)
    url = reverse("priorities:strategy_create_from_onepager")
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "File No. 1"}).status_code == 403

"""Shared fixtures: a strategy with a team, and one logged-in client per role.

After Healthchecks' alice/bob/charlie: `desk` is on the strategy's team as desk officer,
`finance` as financial officer, `mission` as mission staff; `manager` is in the Manager group;
`admin` is an administrator; `outsider` is a desk officer of another strategy.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from priorities.choices import TeamRole
from priorities.permissions import ADMINISTRATOR_GROUP, MANAGER_GROUP
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def strategy(db):
    """Return a strategy 2023-2026 with its years."""
    return StrategyFactory(slug="test-2023-2026", title="Test strategy 2023-2026")


@pytest.fixture
def other_strategy(db):
    """Return a second strategy, whose team none of the role users is on."""
    return StrategyFactory(slug="other-2023-2026", title="Other strategy 2023-2026")


def _member(strategy, username: str, role: str):
    user = UserFactory(username=username)
    TeamMembershipFactory(strategy=strategy, user=user, role=role)
    return user


@pytest.fixture
def desk(strategy):
    return _member(strategy, "desk", TeamRole.DESK_OFFICER)


@pytest.fixture
def finance(strategy):
    return _member(strategy, "finance", TeamRole.FINANCIAL_OFFICER)


@pytest.fixture
def mission(strategy):
    return _member(strategy, "mission", TeamRole.MISSION_STAFF)


@pytest.fixture
def manager(db):
    user = UserFactory(username="manager")
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="administrator", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=ADMINISTRATOR_GROUP)[0])
    return user


@pytest.fixture
def outsider(other_strategy):
    """Return a desk officer of another strategy."""
    return _member(other_strategy, "outsider", TeamRole.DESK_OFFICER)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_desk(desk):
    return _client_for(desk)


@pytest.fixture
def client_finance(finance):
    return _client_for(finance)


@pytest.fixture
def client_mission(mission):
    return _client_for(mission)


@pytest.fixture
def client_manager(manager):
    return _client_for(manager)


@pytest.fixture
def client_admin(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def client_outsider(outsider):
    return _client_for(outsider)

"""Fixtures: a world of records with a client per role, and the running server of the
production journeys (E2E_BASE_URL), such as gunicorn in CI."""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from priorities.choices import TeamRole
from priorities.permissions import ADMINISTRATOR_GROUP, MANAGER_GROUP
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory
from tests.security.world import World, world_build


@pytest.fixture(scope="session")
def e2e_url() -> str:
    """Return the address of the running server, or skip where none is given."""
    url = os.environ.get("E2E_BASE_URL", "").rstrip("/")
    if not url:
        pytest.skip(
            "E2E_BASE_URL is not set: these journeys need a running server with the IOM "
            "strategy and the demo users (.ci/run starts gunicorn on PostgreSQL for them)"
        )
    return url


@pytest.fixture(scope="session")
def e2e_password() -> str:
    """Return the demo users' password on that server (load_demo --password)."""
    password = os.environ.get("E2E_PASSWORD", "")
    if not password:
        pytest.skip("E2E_PASSWORD is not set: the demo users' password on the running server")
    return password


@pytest.fixture
def world(strategy, other_strategy, desk, outsider) -> World:
    return world_build(strategy=strategy, other=other_strategy, desk=desk, outsider=outsider)


@pytest.fixture
def clients(
    client_desk, client_finance, client_mission, client_manager, client_admin, client_outsider
) -> dict[str, Client]:
    return {
        "desk": client_desk,
        "finance": client_finance,
        "mission": client_mission,
        "manager": client_manager,
        "admin": client_admin,
        "outsider": client_outsider,
    }


@dataclass(frozen=True)
class Site:
    """A world of records and a logged-in client per role, shared by a module's tests."""

    world: World
    clients: dict[str, Client]


TEAM_ROLES = {
    "desk": TeamRole.DESK_OFFICER,
    "finance": TeamRole.FINANCIAL_OFFICER,
    "mission": TeamRole.MISSION_STAFF,
}


def _site_users(strategy, other) -> dict:
    """Create a user per role, as the per-test role fixtures do, under names of their own."""
    users = {}
    for role, team_role in TEAM_ROLES.items():
        users[role] = UserFactory(username=f"walk-{role}")
        TeamMembershipFactory(strategy=strategy, user=users[role], role=team_role)
    users["manager"] = UserFactory(username="walk-manager")
    users["manager"].groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    users["admin"] = UserFactory(username="walk-administrator", is_staff=True)
    users["admin"].groups.add(Group.objects.get_or_create(name=ADMINISTRATOR_GROUP)[0])
    users["outsider"] = UserFactory(username="walk-outsider")
    TeamMembershipFactory(strategy=other, user=users["outsider"], role=TeamRole.DESK_OFFICER)
    return users


@pytest.fixture(scope="module")
def site(module_db, django_db_blocker, tmp_path_factory) -> Site:
    """Build the world and log each role in once for the module.

    Each test runs in its own savepoint, so what one writes is gone before the next. The
    strategies have slugs of their own, so the per-test role fixtures can be used beside it.
    """
    # Uploaded evidence stays in a folder of the module's own while its tests run.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            strategy = StrategyFactory(slug="walk-2023-2026", title="Walked strategy 2023-2026")
            other = StrategyFactory(slug="walk-other-2023-2026", title="Other walked strategy")
            users = _site_users(strategy, other)
            world = world_build(
                strategy=strategy, other=other, desk=users["desk"], outsider=users["outsider"]
            )
            clients = {role: Client() for role in users}
            for role, user in users.items():
                clients[role].force_login(user)
        yield Site(world=world, clients=clients)

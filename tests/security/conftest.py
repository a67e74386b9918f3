"""Fixtures: a world of records with a client per role, and the running server of the
production journeys (E2E_BASE_URL), such as gunicorn in CI."""

import os

import pytest
from django.test import Client

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

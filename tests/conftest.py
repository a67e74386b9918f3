"""Shared fixtures: a strategy with a team, and one logged-in client per role.

After Healthchecks' alice/bob/charlie: `desk` is on the strategy's team as desk officer,
`finance` as financial officer, `mission` as mission staff; `manager` is in the Manager group;
`admin` is an administrator; `outsider` is a desk officer of another strategy.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from priorities.choices import TeamRole
from priorities.permissions import ADMINISTRATOR_GROUP, MANAGER_GROUP
from tests.priorities.factories import StrategyFactory, TeamMembershipFactory, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright drives the browser from an event loop; the live server's ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Skip browser journeys, with the reason, where Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (CI installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language_after_each_test() -> Iterator[None]:
    """Return to the default language after each test.

    A request in Danish (Accept-Language: da) leaves Danish active in the thread that served
    it, which the test client shares: without this, the tests after it would read Danish.
    """
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def media_root_temporary(tmp_path_factory) -> Iterator[Path]:
    """Keep every file the tests store in a temporary folder, never in the project's var/."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium headless; Playwright's own browser download is not used."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def translation_reset() -> Iterator[None]:
    """Speak the default language again after each test.

    A request in Danish (the browser's language or a user's own) leaves Danish active in the
    thread that handled it, and a later test building a form outside a request would read its
    messages in Danish.
    """
    yield
    translation.deactivate()


@pytest.fixture
def browser_login(live_server):
    """Return a function that logs `username` in on `page` through the login form."""

    def login(page, username: str, password: str = "pw") -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)

    return login


@pytest.fixture
def strategy(db):
    """Return a strategy 2023-2026 with its years."""
    return StrategyFactory(slug="test-2023-2026", title="Test strategy 2023-2026")


@pytest.fixture
def other_strategy(db):
    """Return a second strategy, whose team none of the role users is on."""
    return StrategyFactory(slug="other-2023-2026", title="Other strategy 2023-2026")


# The IOM 2023-2026 strategy document's data, as `make run` loads it.
IOM_FIXTURE = "iom_2023_2026"
IOM_SLUG = "iom-2023-2026"


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Hold a module's shared rows in a transaction that is rolled back after its last test.

    Rows written here are seen by every test of the module; each test still runs in its own
    savepoint inside it (the `db` fixture), so what a test writes is gone before the next.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def iom_loaded(module_db, django_db_blocker) -> None:
    """Load the IOM strategy once for the module that asks for it."""
    with django_db_blocker.unblock():
        call_command("loaddata", IOM_FIXTURE, verbosity=0)


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

"""Fixtures for the API: the walked world with a record of every resource, and API tokens."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from api.services import api_token_create
from priorities.models import Assessment
from tests.priorities.factories import AssessmentFactory
from tests.risks.factories import RiskRatingFactory
from tests.security.conftest import Site, site  # noqa: F401  (the shared walked world)
from tests.security.world import World


@dataclass(frozen=True)
class Resource:
    """One API resource: its URL name and how to find the world's sample record."""

    basename: str
    sample: object  # a function of the world and its assessment, returning the lookup value

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, value) -> str:
        return reverse(f"api:{self.basename}-detail", args=[value])


RESOURCES = (
    Resource("strategy", lambda world, extra: world.strategy.slug),
    Resource("strategyyear", lambda world, extra: world.strategy.strategy_years.first().pk),
    Resource("priorityarea", lambda world, extra: world.area.pk),
    Resource("resultsnode", lambda world, extra: world.node.pk),
    Resource("indicator", lambda world, extra: world.indicator.pk),
    Resource("assessment", lambda world, extra: extra.assessment.pk),
    Resource("budgetline", lambda world, extra: world.line.pk),
    Resource("risk", lambda world, extra: world.risk.pk),
    Resource("meeting", lambda world, extra: world.meeting.pk),
    Resource("actionpoint", lambda world, extra: world.action_point.pk),
    Resource("milestone", lambda world, extra: world.milestone.pk),
)


@dataclass(frozen=True)
class Extra:
    """What the API shows beyond the walked world: an assessment and tokens of each kind."""

    assessment: Assessment
    tokens: dict[str, str]  # role or kind of token -> the token's text


@dataclass(frozen=True)
class ApiSite:
    world: World
    clients: dict[str, Client]
    extra: Extra


def walk_username(role: str) -> str:
    """Return the user name of the walked world's user of `role`."""
    return "walk-administrator" if role == "admin" else f"walk-{role}"


def bearer(text: str) -> dict[str, str]:
    """Return the header that signs a request with the token `text`."""
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


@pytest.fixture(scope="module")
def api_site(site, django_db_blocker) -> ApiSite:  # noqa: F811
    """Add an assessment, a re-rating and tokens to the walked world, once for the module."""
    with django_db_blocker.unblock():
        users = {user.username: user for user in get_user_model().objects.all()}
        world = site.world
        assessment = AssessmentFactory(priority_area=world.area, is_illustrative=True)
        RiskRatingFactory(risk=world.risk, is_illustrative=True)
        tokens = {}
        for role in ("desk", "finance", "mission", "manager", "admin", "outsider"):
            _, tokens[role] = api_token_create(user=users[walk_username(role)], name=role)
        revoked, tokens["revoked"] = api_token_create(user=users["walk-desk"], name="revoked")
        revoked.revoked_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        revoked.save()
        past = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        _, tokens["expired"] = api_token_create(
            user=users["walk-desk"], name="expired", expires_at=past
        )
    return ApiSite(world=world, clients=site.clients, extra=Extra(assessment, tokens))


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Start every test with empty request counts, so no test is throttled by another."""
    cache.clear()
    yield
    cache.clear()

"""Every API resource, walked by every role with a session and with a token.

The API's own walk, beside the pages' URL walk (tests/security/test_url_access.py), which leaves
the `api/` routes to this one as it leaves `admin/` routes to the admin's: the API answers 401
rather than the login page, and 404 rather than 403 for another strategy's record.

Who sees what is the pages' rule (`priorities.permissions`): the strategy's team, managers and
administrators read the world's strategy; the outsider, a desk officer of another strategy,
lists none of its records and gets 404 for each of them.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.api.conftest import RESOURCES, bearer
from tests.security.test_url_access import ALL_PATTERNS

pytestmark = pytest.mark.django_db

READERS = ("desk", "finance", "mission", "manager", "admin")
IDS = [resource.basename for resource in RESOURCES]


def _ids(response, resource) -> set:
    key = "slug" if resource.basename == "strategy" else "id"
    return {row[key] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_readers_list_and_read_the_strategy_with_session_and_token(resource, api_site):
    world, extra = api_site.world, api_site.extra
    sample = resource.sample(world, extra)
    for role in READERS:
        for client, headers in (
            (api_site.clients[role], {}),
            (Client(), bearer(extra.tokens[role])),
        ):
            listed = client.get(resource.list_url(), **headers)
            assert listed.status_code == 200, (role, listed.content)
            assert sample in _ids(listed, resource), (role, resource.basename)
            detail = client.get(resource.detail_url(sample), **headers)
            assert detail.status_code == 200, (role, detail.content)
            assert detail["Content-Type"] == "application/json"
            assert detail["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_outsider_sees_no_record_of_another_team_and_gets_404(resource, api_site):
    world, extra = api_site.world, api_site.extra
    sample = resource.sample(world, extra)
    for client, headers in (
        (api_site.clients["outsider"], {}),
        (Client(), bearer(extra.tokens["outsider"])),
    ):
        listed = client.get(resource.list_url(), **headers)
        assert listed.status_code == 200
        rows = listed.json()["results"]
        assert sample not in _ids(listed, resource)
        assert all(row.get("strategy") != world.strategy.slug for row in rows)
        assert client.get(resource.detail_url(sample), **headers).status_code == 404


def test_outsider_lists_their_own_strategy(api_site):
    response = Client().get("/api/v1/strategies/", **bearer(api_site.extra.tokens["outsider"]))
    assert [row["slug"] for row in response.json()["results"]] == [api_site.world.other.slug]


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_requests_without_valid_credentials_answer_401(resource, api_site):
    extra = api_site.extra
    url = resource.detail_url(resource.sample(api_site.world, extra))
    for headers in (
        {},
        bearer(extra.tokens["revoked"]),
        bearer(extra.tokens["expired"]),
        bearer(extra.tokens["desk"] + "x"),
        bearer("no-such-token"),
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer sk\u00e6rm.\u00f8"},
    ):
        for target in (resource.list_url(), url):
            response = Client().get(target, **headers)
            assert response.status_code == 401, (headers, target)
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_is_also_taken_with_the_token_keyword(api_site):
    headers = {"HTTP_AUTHORIZATION": f"Token {api_site.extra.tokens['desk']}"}
    assert Client().get("/api/v1/strategies/", **headers).status_code == 200


def test_an_expired_session_answers_401_not_the_login_page(api_site, settings):
    client = Client()
    client.force_login(get_user_model().objects.get(username="walk-desk"))
    assert client.get("/api/v1/strategies/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/strategies/")
    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(api_site):
    user = get_user_model().objects.get(username="walk-finance")
    user.is_active = False
    user.save()
    response = Client().get("/api/v1/strategies/", **bearer(api_site.extra.tokens["finance"]))
    assert response.status_code == 401


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_writes_answer_405_with_token_and_session(resource, api_site):
    extra = api_site.extra
    detail = resource.detail_url(resource.sample(api_site.world, extra))
    for client, headers in (
        (Client(), bearer(extra.tokens["admin"])),
        (api_site.clients["admin"], {}),
    ):
        assert client.post(resource.list_url(), {}, **headers).status_code == 405
        for method in (client.put, client.patch, client.delete, client.post):
            response = method(detail, {}, content_type="application/json", **headers)
            assert response.status_code == 405, (method, response.status_code)
        assert client.head(detail, **headers).status_code == 200
        assert client.options(resource.list_url(), **headers).status_code == 200


def test_a_session_post_without_its_csrf_token_is_refused_before_the_method(api_site):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="walk-desk"))
    response = client.post("/api/v1/strategies/", {})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_anonymous_writes_answer_401_and_change_nothing(api_site):
    count = get_user_model().objects.count()
    assert Client().delete(f"/api/v1/strategies/{api_site.world.strategy.slug}/").status_code == 401
    assert get_user_model().objects.count() == count


def test_every_api_route_is_walked_here():
    walked = {
        f"api:{resource.basename}-{kind}" for resource in RESOURCES for kind in ("list", "detail")
    }
    walked |= {"api:schema", "api:docs"}  # tests/api/test_schema.py and test_docs.py
    api_routes = {key for key, route in ALL_PATTERNS if route.startswith("api/")}
    assert api_routes == walked

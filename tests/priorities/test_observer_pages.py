"""An observer on a strategy's team reads its pages and can change nothing through them."""

import pytest
from django.test import Client
from django.urls import reverse

from priorities.choices import TeamRole
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "priorities:strategy_detail",
    "priorities:priorityarea_list",
    "risks:risk_list",
    "engagement:meeting_list",
    "funding:budget",
]
WRITE_PAGES = [
    "risks:risk_create",
    "engagement:meeting_create",
    "engagement:milestone_create",
    "funding:commitment_create",
    "priorities:team_setup",
]


@pytest.fixture
def client_observer(strategy) -> Client:
    observer = UserFactory(username="observer")
    TeamMembershipFactory(strategy=strategy, user=observer, role=TeamRole.OBSERVER)
    client = Client()
    client.force_login(observer)
    return client


@pytest.mark.parametrize("name", READ_PAGES)
def test_observer_reads_the_strategy_pages(client_observer, strategy, name):
    response = client_observer.get(reverse(name, kwargs={"slug": strategy.slug}))
    assert response.status_code == 200


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_observer_is_refused_every_form_that_changes_the_strategy(client_observer, strategy, name):
    url = reverse(name, kwargs={"slug": strategy.slug})
    assert client_observer.get(url).status_code == 403
    assert client_observer.post(url, {"title": "Planted"}).status_code == 403


def test_observer_sees_no_link_to_log_a_meeting(client_observer, strategy):
    response = client_observer.get(
        reverse("engagement:meeting_list", kwargs={"slug": strategy.slug})
    )
    assert reverse("engagement:meeting_create", kwargs={"slug": strategy.slug}) not in (
        response.content.decode()
    )


def test_observer_of_one_strategy_cannot_read_another(client_observer, other_strategy):
    response = client_observer.get(
        reverse("priorities:strategy_detail", kwargs={"slug": other_strategy.slug})
    )
    assert response.status_code == 403


# --- Every page of the URL walk, as an observer sees it ------------------------------------------


@pytest.fixture
def observer_world(strategy, other_strategy, desk, outsider, client_observer):
    from tests.security.world import world_build

    return world_build(strategy=strategy, other=other_strategy, desk=desk, outsider=outsider)


def _walk_pages():
    from tests.security.pages import PAGES, READERS, TEAM

    return PAGES, READERS, TEAM


def test_observer_reads_every_page_the_team_reads(client_observer, observer_world):
    pages, _, team = _walk_pages()
    failures = []
    for key, page in pages.items():
        read_only = page.writers is None and page.get == 200 and not page.slow
        if not (page.scoped and read_only and team <= page.readers):
            continue
        url = reverse(key, kwargs=page.kwargs(observer_world))
        status = client_observer.get(url).status_code
        if status != 200:
            failures.append((key, status))
    assert failures == []


@pytest.mark.parametrize(
    ("name", "kwargs", "content_type"),
    [
        ("reports:brief_download", {"year": 2024}, "application/pdf"),
        (
            "reports:workbook_download",
            {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("reports:iati_download", {}, "application/xml"),
    ],
)
def test_observer_downloads_the_strategy_exports(
    client_observer, strategy, name, kwargs, content_type
):
    response = client_observer.get(reverse(name, kwargs={"slug": strategy.slug, **kwargs}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_observer_is_refused_every_post_that_changes_the_strategy(client_observer, observer_world):
    pages, readers, _ = _walk_pages()
    failures = []
    for key, page in pages.items():
        # Starting an export (a background job) is reading, open to every reader.
        if page.writers is None or not page.scoped or page.writers >= readers:
            continue
        url = reverse(key, kwargs=page.kwargs(observer_world))
        status = client_observer.post(url, {"title": "Planted", "text": "Planted"}).status_code
        if status != 403:
            failures.append((key, status))
    assert failures == []

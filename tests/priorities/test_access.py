"""Who may open and post to each page of progress, workflow, history and set-up.

Desk officers change only the strategies whose team they are on; managers approve; everyone
who sees the strategy reads; administrators set up. A forbidden page answers 403 on GET and
POST alike; the outsider is a desk officer of another strategy.
"""

import pytest
from django.urls import reverse

from priorities.choices import YearState
from priorities.models import Assessment, IndicatorProgress
from tests.priorities.builders import (
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_set_state,
)
from tests.priorities.factories import EvidenceFactory, IndicatorProgressFactory

pytestmark = pytest.mark.django_db

ROLES = ["desk", "finance", "mission", "manager", "admin", "outsider"]
READERS = {"desk", "finance", "mission", "manager", "admin"}
DESK = {"desk"}
MANAGERS = {"manager"}
ADMINS = {"admin"}


@pytest.fixture
def world(strategy):
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node)
    progress = IndicatorProgressFactory(indicator=indicator)
    evidence = EvidenceFactory(progress=progress)
    return {
        "slug": strategy.slug,
        "area": area,
        "indicator": indicator,
        "node": node,
        "evidence": evidence,
    }


def urls(world) -> dict[str, str]:
    slug = world["slug"]
    area, indicator = world["area"], world["indicator"]
    return {
        "priorityarea_list": reverse("priorities:priorityarea_list", kwargs={"slug": slug}),
        "priorityarea_detail": reverse(
            "priorities:priorityarea_detail", kwargs={"slug": slug, "number": area.number}
        ),
        "indicator_export": reverse(
            "priorities:priorityarea_detail", kwargs={"slug": slug, "number": area.number}
        )
        + "?_export=csv",
        "progress_view": reverse(
            "priorities:progress_edit", kwargs={"slug": slug, "pk": indicator.pk, "year": 2024}
        ),
        "evidence_download": reverse(
            "priorities:evidence_download", kwargs={"slug": slug, "pk": world["evidence"].pk}
        ),
        "strategy_history": reverse("reports:strategy_history", kwargs={"slug": slug}),
        "indicator_create": reverse(
            "priorities:indicator_create", kwargs={"slug": slug, "pk": area.pk}
        ),
        "indicator_update": reverse(
            "priorities:indicator_update", kwargs={"slug": slug, "pk": indicator.pk}
        ),
        "assessment_edit": reverse(
            "priorities:assessment_edit", kwargs={"slug": slug, "pk": area.pk, "year": 2024}
        ),
        "year_submit": reverse(
            "priorities:strategyyear_action",
            kwargs={"slug": slug, "year": 2024, "action": "submit"},
        ),
        "year_approve": reverse(
            "priorities:strategyyear_action",
            kwargs={"slug": slug, "year": 2024, "action": "approve"},
        ),
        "year_return": reverse(
            "priorities:strategyyear_action",
            kwargs={"slug": slug, "year": 2024, "action": "return"},
        ),
        "year_reopen": reverse(
            "priorities:strategyyear_action",
            kwargs={"slug": slug, "year": 2024, "action": "reopen"},
        ),
        "strategy_create": reverse("priorities:strategy_create"),
        "strategy_update": reverse("priorities:strategy_update", kwargs={"slug": slug}),
        "strategyyear_setup": reverse("priorities:strategyyear_setup", kwargs={"slug": slug}),
        "priorityarea_setup": reverse("priorities:priorityarea_setup", kwargs={"slug": slug}),
        "budget_setup": reverse("funding:budget_setup", kwargs={"slug": slug}),
        "team_setup": reverse("priorities:team_setup", kwargs={"slug": slug}),
        "framework_setup": reverse("priorities:framework_setup", kwargs={"slug": slug}),
        "node_update": reverse(
            "priorities:node_update", kwargs={"slug": slug, "pk": world["node"].pk}
        ),
    }


# Page → roles allowed to open it (GET) and roles allowed to post to it.
MATRIX = {
    "priorityarea_list": (READERS, None),
    "priorityarea_detail": (READERS, None),
    "indicator_export": (READERS, None),
    "progress_view": (READERS, DESK),
    "evidence_download": (READERS, None),
    "strategy_history": (READERS, None),
    "indicator_create": (DESK, DESK),
    "indicator_update": (DESK, DESK),
    "assessment_edit": (DESK, DESK),
    "year_submit": (DESK, DESK),
    "year_approve": (MANAGERS, MANAGERS),
    "year_return": (MANAGERS, MANAGERS),
    "year_reopen": (MANAGERS, MANAGERS),
    "strategy_create": (ADMINS, ADMINS),
    "strategy_update": (ADMINS, ADMINS),
    "strategyyear_setup": (ADMINS, ADMINS),
    "priorityarea_setup": (ADMINS, ADMINS),
    "budget_setup": (ADMINS, ADMINS),
    "team_setup": (ADMINS, ADMINS),
    "framework_setup": (ADMINS, ADMINS),
    "node_update": (ADMINS, ADMINS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(MATRIX))
def test_get_is_allowed_only_to_the_roles_of_the_page(request, world, page, role):
    client = request.getfixturevalue("client_admin" if role == "admin" else f"client_{role}")
    response = client.get(urls(world)[page])
    readers, _ = MATRIX[page]
    if role in readers:
        assert response.status_code == 200, (page, role)
    else:
        assert response.status_code == 403, (page, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", [page for page, (_, writers) in MATRIX.items() if writers])
def test_post_is_allowed_only_to_the_roles_of_the_page(request, world, page, role):
    client = request.getfixturevalue("client_admin" if role == "admin" else f"client_{role}")
    response = client.post(urls(world)[page], {})
    _, writers = MATRIX[page]
    if role in writers:
        # An empty post is refused by the form (200) or, for a step, by the workflow (200).
        assert response.status_code in (200, 302), (page, role)
    else:
        assert response.status_code == 403, (page, role)


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_users_are_sent_to_log_in(client, world, page):
    response = client.get(urls(world)[page])
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("role", ["finance", "mission", "manager", "admin", "outsider"])
def test_forbidden_posts_change_nothing(request, world, role):
    client = request.getfixturevalue("client_admin" if role == "admin" else f"client_{role}")
    year_set_state(world["area"].strategy, 2024, YearState.DRAFT)
    url = urls(world)
    client.post(url["progress_view"], {"target": "1", "actual": "1", "version": ""})
    client.post(url["assessment_edit"], {"rating": "off_track", "narrative": "x"})
    assert IndicatorProgress.objects.get().actual == 18
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("client_name", "visible"),
    [
        ("client_desk", True),
        ("client_finance", False),
        ("client_mission", False),
        ("client_manager", False),
        ("client_admin", False),
    ],
)
def test_progress_buttons_show_only_to_the_team_desk_officers(request, world, client_name, visible):
    text = request.getfixturevalue(client_name).get(urls(world)["priorityarea_detail"]).text
    for label in ("Define an indicator", "Rate 2024", ">Enter<", "Edit</a>"):
        assert (label in text) is visible, (client_name, label)


@pytest.mark.parametrize(
    ("client_name", "visible"),
    [
        ("client_desk", False),
        ("client_finance", False),
        ("client_mission", False),
        ("client_manager", False),
        ("client_admin", True),
    ],
)
def test_set_up_links_show_only_to_administrators(request, world, client_name, visible):
    client = request.getfixturevalue(client_name)
    overview = client.get(reverse("priorities:strategy_detail", kwargs={"slug": world["slug"]}))
    assert (">Set-up</a>" in overview.text) is visible
    strategies = client.get(reverse("priorities:strategy_list"))
    assert ("Set up a new strategy" in strategies.text) is visible

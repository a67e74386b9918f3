"""What a refused role meets on the pages of progress and set-up: nothing changes, no button.

Desk officers change only the strategies whose team they are on; administrators set up. Which
role may open and post to which page is walked in tests/security/test_url_access.py; the
outsider is a desk officer of another strategy.
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
        "priorityarea_detail": reverse(
            "priorities:priorityarea_detail", kwargs={"slug": slug, "number": area.number}
        ),
        "progress_view": reverse(
            "priorities:progress_edit", kwargs={"slug": slug, "pk": indicator.pk, "year": 2024}
        ),
        "assessment_edit": reverse(
            "priorities:assessment_edit", kwargs={"slug": slug, "pk": area.pk, "year": 2024}
        ),
    }


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

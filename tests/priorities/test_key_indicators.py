"""Key indicators: the few a desk officer marks for the brief, at most five an area."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from priorities import services
from priorities.models import KEY_INDICATORS_PER_AREA, Indicator
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import area_with_nodes, indicator_in

pytestmark = pytest.mark.django_db


def edit_url(indicator) -> str:
    return reverse(
        "priorities:indicator_update",
        kwargs={"slug": indicator.priority_area.strategy.slug, "pk": indicator.pk},
    )


def definition(indicator, **changes) -> dict:
    data = {
        "node": indicator.node_id,
        "code": indicator.code,
        "title": indicator.title,
        "unit": indicator.unit,
        "baseline": "100",
        "baseline_year": "",
        "direction": "increase",
        "status": "defined",
        "source": "",
        "version": version_token(indicator),
    }
    data.update(changes)
    return data


def test_desk_officer_marks_a_key_indicator_and_the_area_page_shows_it(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node, title="Border officials trained")
    form = client_desk.get(edit_url(indicator))
    assert "Key indicator" in form.text and "consultation brief" in form.text

    response = client_desk.post(edit_url(indicator), definition(indicator, is_key="on"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.is_key

    page = client_desk.get(
        reverse(
            "priorities:priorityarea_detail", kwargs={"slug": strategy.slug, "number": area.number}
        )
    )
    assert 'class="tag tag-key"' in page.text


def test_a_sixth_key_indicator_in_an_area_is_refused(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    for number in range(KEY_INDICATORS_PER_AREA):
        indicator_in(area, node, title=f"Key {number}", is_key=True)
    sixth = indicator_in(area, node, title="One too many")

    response = client_desk.post(edit_url(sixth), definition(sixth, is_key="on"))

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["is_key"][0].code == (
        "too_many_key_indicators"
    )
    sixth.refresh_from_db()
    assert not sixth.is_key


def test_the_limit_counts_one_area_only_and_an_unmarked_place_can_be_taken(desk, strategy):
    area, node = area_with_nodes(strategy)
    other_area, other_node = area_with_nodes(strategy, number=4)
    marked = [
        indicator_in(area, node, title=f"Key {n}", is_key=True)
        for n in range(KEY_INDICATORS_PER_AREA)
    ]
    elsewhere = indicator_in(other_area, other_node, title="Other area")
    services.indicator_update(
        indicator=elsewhere, version=version_token(elsewhere), user=desk, is_key=True
    )
    assert Indicator.objects.get(pk=elsewhere.pk).is_key

    extra = indicator_in(area, node, title="Waiting")
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(
            indicator=extra, version=version_token(extra), user=desk, is_key=True
        )
    assert refused.value.error_dict["is_key"][0].code == "too_many_key_indicators"

    # A marked indicator keeps its place when it is saved again.
    services.indicator_update(
        indicator=marked[0], version=version_token(marked[0]), user=desk, title="Renamed"
    )
    services.indicator_update(
        indicator=marked[1], version=version_token(marked[1]), user=desk, is_key=False
    )
    extra.refresh_from_db()
    services.indicator_update(indicator=extra, version=version_token(extra), user=desk, is_key=True)
    assert Indicator.objects.filter(priority_area=area, is_key=True).count() == 5


def test_a_new_indicator_can_be_defined_as_key_within_the_limit(desk, strategy):
    area, node = area_with_nodes(strategy)
    created = services.indicator_create(
        priority_area=area, user=desk, node=node, title="Returns assisted", is_key=True
    )
    assert created.is_key
    for number in range(KEY_INDICATORS_PER_AREA - 1):
        indicator_in(area, node, title=f"Key {number}", is_key=True)
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(
            priority_area=area, user=desk, node=node, title="Too many", is_key=True
        )
    assert refused.value.error_dict["is_key"][0].code == "too_many_key_indicators"

"""Two desk officers marking key indicators at once cannot together pass the limit of five.

The service locks the priority area before it counts the area's key indicators; SQLite has no
row locks (it serialises whole writes instead), so the race runs on PostgreSQL only.
"""

import pytest

from priorities import services
from priorities.models import KEY_INDICATORS_PER_AREA, Indicator
from strategy_monitor.concurrency import version_token
from tests.funding.test_concurrency import postgresql_only, race  # noqa: F401
from tests.priorities.builders import area_with_nodes, indicator_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_marks_cannot_pass_five_key_indicators_an_area(strategy, desk):
    area, node = area_with_nodes(strategy)
    for number in range(KEY_INDICATORS_PER_AREA - 1):
        indicator_in(area, node, title=f"Key {number}", is_key=True)
    first, second = (indicator_in(area, node, title=title) for title in ("First", "Second"))

    def mark(indicator):
        def call():
            stored = Indicator.objects.select_related("priority_area__strategy").get(
                pk=indicator.pk
            )
            services.indicator_update(
                indicator=stored, version=version_token(stored), user=desk, is_key=True
            )

        return call

    assert race(mark(first), mark(second)) == {
        "first": "saved",
        "second": {"too_many_key_indicators"},
    }
    assert Indicator.objects.filter(priority_area=area, is_key=True).count() == 5

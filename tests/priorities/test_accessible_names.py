"""Controls are named in full for screen readers: no name cut off in the middle of a word."""

import re
from decimal import Decimal

from django.urls import reverse

from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory

LONG_TITLE = "Share of partner countries with national action plans on women, peace and security"


def test_the_grid_names_each_field_and_each_enter_link_by_the_whole_indicator(
    client_desk, strategy
):
    area, node = area_with_nodes(strategy, number=2)
    coded = indicator_in(area, node, code="2.1", title="Border officials trained")
    indicator_in(area, node, code="", title=LONG_TITLE)
    IndicatorProgressFactory(indicator=coded, target=Decimal("10"), actual=None)

    area_page = client_desk.get(
        reverse("priorities:priorityarea_detail", kwargs={"slug": strategy.slug, "number": 2})
    ).content.decode()
    assert 'aria-label="Enter 2024 figures for 2.1"' in area_page
    assert f'aria-label="Enter 2024 figures for {LONG_TITLE}"' in area_page

    grid = client_desk.get(
        reverse(
            "priorities:progress_bulk_edit",
            kwargs={"slug": strategy.slug, "pk": area.pk, "year": 2024},
        )
    ).content.decode()
    labels = re.findall(r'<label class="visually-hidden" for="[\w-]+">([^<]+)</label>', grid)
    assert "2024 target for 2.1 Border officials trained (number of officials)" in labels
    assert f"2024 actual for {LONG_TITLE} (number of officials)" in labels
    assert f"2024 narrative for {LONG_TITLE}" in labels
    assert f"2024 evidence files for {LONG_TITLE}" in labels

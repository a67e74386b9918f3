"""The indicator table shows its labels as markup and downloads as plain values."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.safestring import SafeString

from priorities.choices import DefinitionStatus
from priorities.models import ResultsNode
from priorities.templatetags.monitor import illustrative_label
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory, NodeLevel
from tests.security.markup import download_cells, escaped_markup, marked_cells

pytestmark = pytest.mark.django_db

LABEL = '<span class="illustrative"'


@pytest.fixture
def area_node(strategy):
    return area_with_nodes(strategy)


def area_url(area) -> str:
    return reverse(
        "priorities:priorityarea_detail",
        kwargs={"slug": area.strategy.slug, "number": area.number},
    )


def output_under_development(parent) -> ResultsNode:
    """Return an output with neither code nor title, as Annex 4 leaves priority area 1's."""
    return ResultsNode.objects.create(
        framework=parent.framework,
        key="oe-output",
        code="",
        level=NodeLevel.OUTPUT,
        parent=parent,
        title="",
        status=DefinitionStatus.UNDER_DEVELOPMENT,
    )


def columns(rows: list[list[str]], *names: str) -> list[list[str]]:
    """Return the named columns of each data row, by header."""
    header = rows[0]
    positions = [header.index(name) for name in names]
    return [[row[position] for position in positions] for row in rows[1:]]


def test_illustrative_label_for_tables_is_safe_markup():
    label = illustrative_label()
    assert isinstance(label, SafeString)
    assert label.startswith(LABEL)


def test_priority_area_page_shows_the_illustrative_label_as_a_label(client_desk, area_node):
    area, node = area_node
    indicator = indicator_in(area, node, title='Officials "trained" & certified')
    indicator.is_illustrative = True
    indicator.save()
    IndicatorProgressFactory(indicator=indicator, is_illustrative=True)

    html = client_desk.get(area_url(area)).content.decode()

    assert "&lt;span" not in html
    assert escaped_markup(html) == []
    # Once after the title, once after the 2024 actual.
    table = html[html.index('class="table indicators"') :]
    assert table.count(LABEL) == 2
    assert "Officials &quot;trained&quot; &amp; certified" in html


def test_indicator_csv_holds_baseline_and_its_year_apart(client_desk, area_node):
    area, node = area_node
    indicator_in(area, node, title="Trained", baseline=Decimal("2.50"), baseline_year=2022)

    rows = download_cells(client_desk.get(area_url(area), {"_export": "csv"}))

    assert columns(rows, "Baseline", "Baseline year") == [["2.5", "2022"]]
    assert marked_cells(rows) == []


def test_indicator_csv_names_every_node_even_one_without_code_or_title(client_desk, area_node):
    area, node = area_node
    indicator_in(area, node, title="Coded", order=1)
    indicator_in(area, output_under_development(node), title="Uncoded", order=2)

    rows = download_cells(client_desk.get(area_url(area), {"_export": "csv"}))

    assert columns(rows, "Indicator", "Node") == [
        ["Coded", node.code],
        ["Uncoded", "Output (under development)"],
    ]


def test_indicator_downloads_hold_plain_text_and_say_what_is_illustrative(client_desk, area_node):
    area, node = area_node
    indicator = indicator_in(area, node, title='Officials "trained" & certified', unit="a & b")
    indicator.is_illustrative = True
    indicator.save()
    IndicatorProgressFactory(indicator=indicator, actual=Decimal("18"), is_illustrative=True)

    for export_format in ("csv", "xlsx"):
        rows = download_cells(client_desk.get(area_url(area), {"_export": export_format}))
        assert marked_cells(rows) == [], export_format
        assert columns(
            rows, "Indicator", "Unit", "Illustrative", "Actual 2024", "Actual 2024 illustrative"
        ) == [['Officials "trained" & certified', "a & b", "Yes", "18", "Yes"]], export_format
        assert columns(rows, "Actual 2023 illustrative") == [["No"]], export_format

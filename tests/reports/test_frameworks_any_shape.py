"""A partner framework of another shape in the brief, the workbook and the workbook import."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from priorities import services
from priorities.models import PriorityAreaNode, ResultsFramework, ResultsNode, Strategy
from reports import layout
from reports.builders import brief_build, workbook_build
from reports.importers import WorkbookRefused, workbook_import
from reports.render.pdf import brief_html
from reports.render.xlsx import workbook_xlsx
from tests.priorities.factories import (
    PriorityAreaFactory,
    ResultsFrameworkFactory,
    StrategyFactory,
)

LEVELS = ["Impact area", "Outcome area", "Output"]


def codeless_strategy():
    """Return a strategy whose partner has a three-level framework without codes, mapped."""
    strategy = StrategyFactory(slug="unhcr-2024-2028", title="Organisation strategy 2024-2028")
    framework = ResultsFrameworkFactory(
        organisation=strategy.organisation,
        name="Strategic directions",
        slug="directions",
        level_names=list(LEVELS),
        uses_codes=False,
    )
    services.framework_nodes_save(
        framework=framework,
        rows=[
            services.NodeRow(node=None, level=1, title="Protect"),
            services.NodeRow(node=None, level=2, title="Access to asylum"),
            services.NodeRow(node=None, level=3, title="Registration is timely"),
            services.NodeRow(node=None, level=1, title="Solve"),
        ],
        user=None,
    )
    area = PriorityAreaFactory(strategy=strategy, number=1, title="Protection")
    PriorityAreaNode.objects.create(
        priority_area=area, node=ResultsNode.objects.get(title="Registration is timely")
    )
    return strategy


def export(strategy) -> bytes:
    strategy = Strategy.objects.select_related("organisation").get(pk=strategy.pk)
    return workbook_xlsx(workbook_build(strategy=strategy))


def sheet_values(content: bytes, name: str) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[name]
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_brief_names_the_frameworks_own_levels():
    strategy = codeless_strategy()
    brief = brief_build(strategy=strategy, year=2024, annex=True)
    rows = brief.areas[0].nodes
    assert [(row.level, row.title) for row in rows] == [
        ("Impact area", "Protect"),
        ("Outcome area", "Access to asylum"),
        ("Output", "Registration is timely"),
    ]
    html = brief_html(brief)
    # The annex holds the frameworks.
    text = html[html.index('id="annex-frameworks"') : html.index('id="annex-indicators"')]
    assert "Impact area" in text and "Outcome area" in text
    assert "Long-term outcome" not in text and "Objective" not in text


@pytest.mark.django_db
def test_the_workbook_lists_the_framework_with_its_levels_and_nodes_by_name():
    content = export(codeless_strategy())
    rows = sheet_values(content, layout.FRAMEWORK)
    nodes = [row for row in rows if row and row[0] == "directions"]
    assert [(row[3], row[4], row[5], row[7]) for row in nodes[:4]] == [
        (None, 1, "Impact area", "Protect"),
        (None, 2, "Outcome area", "Access to asylum"),
        (None, 3, "Output", "Registration is timely"),
        (None, 1, "Impact area", "Solve"),
    ]
    framework_row = nodes[-1]  # the table of frameworks follows the nodes
    assert framework_row[2] == "Impact area; Outcome area; Output"
    assert framework_row[3] == layout.NO


@pytest.mark.django_db(transaction=True)
def test_a_code_less_framework_makes_the_round_trip():
    first = export(codeless_strategy())
    call_command("flush", interactive=False, verbosity=0)
    result = workbook_import(data=first, user=None)
    assert result.strategy_created
    framework = ResultsFramework.objects.get(slug="directions")
    assert framework.level_names == LEVELS
    assert framework.uses_codes is False
    assert ResultsNode.objects.get(title="Registration is timely").parent.title == (
        "Access to asylum"
    )
    again = export(Strategy.objects.get(slug="unhcr-2024-2028"))
    assert sheet_values(again, layout.FRAMEWORK) == sheet_values(first, layout.FRAMEWORK)


@pytest.mark.django_db
def test_the_import_takes_a_level_by_its_name_and_refuses_an_unknown_one():
    strategy = codeless_strategy()
    content = export(strategy)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[layout.FRAMEWORK]
    sheet["E5"] = None  # depth left out: the name "Impact area" gives it
    sheet["E6"] = None
    sheet["F6"] = "Long-term outcome"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(WorkbookRefused) as refused:
        workbook_import(data=buffer.getvalue(), user=None)
    problems = refused.value.problems
    assert [(problem.row, problem.code) for problem in problems] == [(6, "unknown_level")]
    assert "Impact area, Outcome area, Output" in problems[0].message

"""Small builders shared by the progress, workflow and set-up tests."""

from decimal import Decimal

import pytest
from django.utils import timezone

from priorities.choices import DefinitionStatus, YearState
from priorities.models import ResultsNode, StrategyYear
from tests.priorities.factories import (
    IndicatorFactory,
    NodeLevel,
    PriorityAreaFactory,
    PriorityAreaNodeFactory,
    ResultsFrameworkFactory,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded evidence in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def framework_for(strategy):
    """Return the strategy partner's framework, creating it on first use."""
    framework = strategy.organisation.frameworks.first()
    return framework or ResultsFrameworkFactory(organisation=strategy.organisation)


def area_with_nodes(strategy, number: int = 3, *, under_development: bool = False):
    """Return priority area `number` mapped to output `<n>b.4` under objective `<n>`."""
    framework = framework_for(strategy)
    objective = ResultsNode.objects.create(
        framework=framework,
        key=str(number),
        code=str(number),
        level=NodeLevel.OBJECTIVE,
        title=f"Objective {number}",
    )
    outcome = ResultsNode.objects.create(
        framework=framework,
        key=f"{number}b",
        code=f"{number}b",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=objective,
        title=f"Outcome {number}b",
    )
    output = ResultsNode.objects.create(
        framework=framework,
        key=f"{number}b.4",
        code=f"{number}b.4",
        level=NodeLevel.SHORT_TERM_OUTCOME,
        parent=outcome,
        title="" if under_development else f"Short-term outcome {number}b.4",
        status=DefinitionStatus.UNDER_DEVELOPMENT
        if under_development
        else DefinitionStatus.DEFINED,
    )
    area = PriorityAreaFactory(strategy=strategy, number=number, title=f"Area {number}")
    PriorityAreaNodeFactory(priority_area=area, node=output)
    return area, output


def indicator_in(area, node, **values):
    """Return an indicator of `area` measuring `node`."""
    values.setdefault("unit", "number of officials")
    values.setdefault("baseline", Decimal("100"))
    return IndicatorFactory(priority_area=area, node=node, **values)


def year_of(strategy, year: int = 2024) -> StrategyYear:
    return strategy.strategy_years.get(year=year)


def year_set_state(strategy, year: int, state: str) -> StrategyYear:
    """Put a year in `state` directly, as the workflow would have."""
    strategy_year = year_of(strategy, year)
    strategy_year.state = state
    strategy_year.state_changed_at = timezone.now()
    strategy_year.save()
    return strategy_year


def approve(strategy, year: int = 2024) -> StrategyYear:
    return year_set_state(strategy, year, YearState.APPROVED)


def node_list_data(framework, new_rows=(), *, changes=None) -> dict:
    """Return the POST data of a framework's node list: its nodes as stored, then `new_rows`.

    `changes` maps a node to the values to change in its row (e.g. {"remove": "on"}); new rows
    are dicts of the row's fields (level, code, title, status, section, order).
    """
    from strategy_monitor.concurrency import version_token

    changes = changes or {}
    data = {"action": "nodes", "framework": framework.pk}
    for node in framework.nodes.all():
        prefix = f"f{framework.pk}-n{node.pk}"
        row = {
            "order": node.order or "",
            "level": node.level,
            "code": node.code,
            "title": node.title,
            "status": node.status,
            "section": node.section,
            "version": version_token(node),
            **changes.get(node, {}),
        }
        data.update({f"{prefix}-{key}": value for key, value in row.items()})
    for number, row in enumerate(new_rows):
        row = {"status": "defined", **row}
        data.update({f"f{framework.pk}-new{number}-{key}": value for key, value in row.items()})
    return data

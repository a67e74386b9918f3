"""Indicators: the nodes an area's indicators may measure, and their definitions."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from priorities.models import (
    Indicator,
    IndicatorProgress,
    PriorityArea,
    ResultsNode,
    indicator_value_errors,
)
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_save
from strategy_monitor.services import model_update

# --- Indicators -------------------------------------------------------------------------------


def area_node_ids(priority_area: PriorityArea) -> set[int]:
    """Return the nodes an indicator of the area may measure: mapped nodes and their ancestors."""
    mapped = set(priority_area.node_links.values_list("node_id", flat=True))
    if not mapped:
        return set()
    parents = dict(
        ResultsNode.objects.filter(
            framework__organisation_id=priority_area.strategy.organisation_id
        ).values_list("pk", "parent_id")
    )
    shown = set()
    for node_id in mapped:
        current = node_id
        while current is not None and current not in shown:
            shown.add(current)
            current = parents.get(current)
    return shown


def _indicator_key(priority_area: PriorityArea, code: str, title: str) -> str:
    base = slugify(code or title)[:50].strip("-") or "indicator"
    taken = set(
        Indicator.objects.filter(priority_area=priority_area, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    return key


INDICATOR_FIELDS = (
    "node",
    "code",
    "title",
    "unit",
    "allows_negative",
    "baseline",
    "baseline_year",
    "direction",
    "status",
    "source",
    "is_key",
)


def _area_lock(priority_area: PriorityArea) -> None:
    # Marking a key indicator counts the area's others: the lock keeps two editors from both
    # taking the last of its places (SQLite ignores it; it serialises writes anyway).
    PriorityArea.objects.select_for_update().filter(pk=priority_area.pk).first()


def _indicator_node_check(priority_area: PriorityArea, node: ResultsNode) -> None:
    if node.pk not in area_node_ids(priority_area):
        raise ValidationError(
            {
                "node": ValidationError(
                    _("Choose a results-framework node this priority area follows."),
                    code="node_not_followed",
                )
            }
        )


def indicator_create(*, priority_area: PriorityArea, user, **values) -> Indicator:
    """Define an indicator under a node the area follows, defined or under development."""
    values = {name: values[name] for name in INDICATOR_FIELDS if name in values}
    with transaction.atomic():
        if values.get("is_key"):
            _area_lock(priority_area)
        _indicator_node_check(priority_area, values["node"])
        indicator = Indicator(priority_area=priority_area, **values)
        indicator.key = _indicator_key(
            priority_area, values.get("code", ""), values.get("title", "")
        )
        indicator.order = (
            Indicator.objects.filter(priority_area=priority_area).aggregate(
                top=models.Max("order")
            )["top"]
            or 0
        ) + 1
        recorded_save(indicator, user=user, reason="Defined the indicator")
    return indicator


def indicator_update(*, indicator: Indicator, version: str | None, user, **values) -> Indicator:
    """Change an indicator's definition; figures already recorded must still fit its unit."""
    with transaction.atomic():
        if values.get("is_key") and not indicator.is_key:
            _area_lock(indicator.priority_area)
        lock_unchanged(indicator, version)
        model_update(instance=indicator, fields=INDICATOR_FIELDS, data=values)
        _indicator_node_check(indicator.priority_area, indicator.node)
        recorded = IndicatorProgress.objects.filter(indicator=indicator).select_related(
            "strategy_year"
        )
        for progress in recorded:
            errors = indicator_value_errors(
                unit=indicator.unit,
                allows_negative=indicator.allows_negative,
                values={"target": progress.target, "actual": progress.actual},
            )
            if errors:
                raise ValidationError(
                    {
                        "unit": ValidationError(
                            _("The figures recorded for %(year)s do not fit this unit: %(why)s")
                            % {
                                "year": progress.strategy_year.year,
                                "why": " ".join(m for e in errors.values() for m in e.messages),
                            },
                            code="recorded_figures_do_not_fit",
                        )
                    }
                )
        recorded_save(indicator, user=user, reason="Changed the indicator's definition")
    return indicator

"""The strategy's own records in its change log: front page, years, areas, team and progress."""

from strategy_monitor.changelog import path_value, register
from strategy_monitor.changes import short_text
from strategy_monitor.formats import person_name


def _area_label(area) -> str:
    if area is None:
        return "a removed priority area"
    return f"priority area {area.number}" if area.number else area.title


def _record_number(record) -> str:
    return f"record #{record.pk}"


def register_tracked() -> None:
    """Add the monitored models of strategies and progress to the change log."""
    register("priorities.Strategy", path="", title="Strategy (front page)", name=lambda h: h.title)
    register(
        "priorities.StrategyYear",
        path="strategy",
        title="Reporting year",
        name=lambda h: f"Year {h.year}",
        reference=lambda year: str(year.year),
    )
    register(
        "priorities.PriorityArea",
        path="strategy",
        title="Priority area",
        name=lambda h: f"{_area_label(h).capitalize()}: {short_text(h.title, 8)}",
    )
    register(
        "priorities.PriorityAreaNode",
        path="priority_area__strategy",
        title="Framework mapping",
        related=("priority_area", "node"),
        name=lambda h: (
            f"{path_value(h, 'node.code') or short_text(path_value(h, 'node.title', ''), 6)} "
            f"under {_area_label(h.priority_area)}"
        ),
    )
    register(
        "priorities.RelevantSDG",
        path="strategy",
        title="Relevant SDG",
        name=lambda h: f"SDG {h.goal}",
    )
    register(
        "priorities.Chapter",
        path="strategy",
        title="Chapter",
        name=lambda h: f"{h.number}. {h.title}" if h.number else h.title,
    )
    register(
        "priorities.TeamMembership",
        path="strategy",
        title="Team member",
        related=("user",),
        name=lambda h: f"{person_name(h.user)} as {h.get_role_display().lower()}",
        reference=_record_number,
    )
    register(
        "priorities.Indicator",
        path="priority_area__strategy",
        title="Indicator",
        name=lambda h: " ".join(filter(None, [h.code, short_text(h.title, 10)])) or "Indicator",
    )
    register(
        "priorities.IndicatorProgress",
        path="indicator__priority_area__strategy",
        title="Indicator figures",
        related=("indicator", "strategy_year"),
        name=lambda h: (
            f"{short_text(path_value(h, 'indicator.title', 'Indicator'), 8)} — "
            f"{path_value(h, 'strategy_year.year', '')}"
        ),
        reference=_record_number,
    )
    register(
        "priorities.Assessment",
        path="priority_area__strategy",
        title="Rating",
        related=("priority_area", "strategy_year"),
        name=lambda h: (
            f"Rating of {_area_label(h.priority_area)} — {path_value(h, 'strategy_year.year', '')}"
        ),
    )
    register(
        "priorities.Evidence",
        path="progress__indicator__priority_area__strategy",
        title="Evidence file",
        name=lambda h: h.original_name,
        reference=_record_number,
    )

"""The strategy's own records in its change log: front page, years, areas, team and progress."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategy_monitor.changelog import path_value, register
from strategy_monitor.changes import short_text
from strategy_monitor.formats import person_name


def _area_label(area) -> str:
    if area is None:
        return gettext("a removed priority area")
    if area.number:
        return gettext("priority area %(number)s") % {"number": area.number}
    return area.title


def _record_number(record) -> str:
    return gettext("record #%(number)s") % {"number": record.pk}


def register_tracked() -> None:
    """Add the monitored models of strategies and progress to the change log."""
    register(
        "priorities.Strategy", path="", title=_("Strategy (front page)"), name=lambda h: h.title
    )
    register(
        "priorities.StrategyYear",
        path="strategy",
        title=_("Reporting year"),
        name=lambda h: gettext("Year %(year)s") % {"year": h.year},
        reference=lambda year: str(year.year),
    )
    register(
        "priorities.PriorityArea",
        path="strategy",
        title=_("Priority area"),
        name=lambda h: f"{_area_label(h).capitalize()}: {short_text(h.title, 8)}",
    )
    register(
        "priorities.PriorityAreaNode",
        path="priority_area__strategy",
        title=_("Framework mapping"),
        related=("priority_area", "node"),
        name=lambda h: (
            gettext("%(node)s under %(area)s")
            % {
                "node": path_value(h, "node.code")
                or short_text(path_value(h, "node.title", ""), 6),
                "area": _area_label(h.priority_area),
            }
        ),
    )
    register(
        "priorities.RelevantSDG",
        path="strategy",
        title=_("Relevant SDG"),
        name=lambda h: f"SDG {h.goal}",
    )
    register(
        "priorities.Chapter",
        path="strategy",
        title=_("Chapter"),
        name=lambda h: f"{h.number}. {h.title}" if h.number else h.title,
    )
    register(
        "priorities.TeamMembership",
        path="strategy",
        title=_("Team member"),
        related=("user",),
        name=lambda h: (
            gettext("%(person)s as %(role)s")
            % {"person": person_name(h.user), "role": h.get_role_display().lower()}
        ),
        reference=_record_number,
    )
    register(
        "priorities.Indicator",
        path="priority_area__strategy",
        title=_("Indicator"),
        name=lambda h: (
            " ".join(filter(None, [h.code, short_text(h.title, 10)])) or gettext("Indicator")
        ),
    )
    register(
        "priorities.IndicatorProgress",
        path="indicator__priority_area__strategy",
        title=_("Indicator figures"),
        related=("indicator", "strategy_year"),
        name=lambda h: (
            f"{short_text(path_value(h, 'indicator.title', gettext('Indicator')), 8)} — "
            f"{path_value(h, 'strategy_year.year', '')}"
        ),
        reference=_record_number,
    )
    register(
        "priorities.Assessment",
        path="priority_area__strategy",
        title=_("Rating"),
        related=("priority_area", "strategy_year"),
        name=lambda h: (
            gettext("Rating of %(area)s — %(year)s")
            % {
                "area": _area_label(h.priority_area),
                "year": path_value(h, "strategy_year.year", ""),
            }
        ),
    )
    register(
        "priorities.Evidence",
        path="progress__indicator__priority_area__strategy",
        title=_("Evidence file"),
        name=lambda h: h.original_name,
        reference=_record_number,
    )

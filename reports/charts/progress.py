"""Progress figures: indicators' achievement against target and the matrix of ratings."""

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from strategy_monitor.charts import (
    FONT,
    INK_MUTED,
    LEGEND_BOTTOM,
    base_layout,
    category_axis,
    hover_escape,
    illustrative_mark,
    value_axis,
)


@dataclass(frozen=True)
class AchievementBar:
    """An indicator's achievement against its target in each year, with the figures behind it."""

    label: str
    hover_label: str
    points: tuple[tuple[int, float | None, str], ...]  # (year, per cent of target, detail)


def indicator_figure(
    *,
    bars: Sequence[AchievementBar],
    years: Sequence[int],
    title: str,
    illustrative: bool = False,
) -> go.Figure:
    """Return each indicator's achievement against its target (100 % = target met) per year."""
    labels = [bar.label for bar in bars]
    shades = ["#9ecae1", "#4292c6", "#08519c", "#08306b", "#c6dbef", "#2171b5"]
    figure = go.Figure()
    highest = 100.0
    for index, year in enumerate(years):
        values, details = [], []
        for bar in bars:
            point = next((p for p in bar.points if p[0] == year), (year, None, _("No figures")))
            values.append(point[1])
            details.append([bar.hover_label, point[2]])
            if point[1] is not None:
                highest = max(highest, point[1])
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=str(year),
                marker={
                    "color": shades[index % len(shades)],
                    "line": {"color": FONT["color"], "width": 0.6},
                },
                customdata=details,
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{year}: "
                    + _("%(value)s %% of target") % {"value": "%{x:.1f}"}
                    + "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        base_layout(
            title,
            height=200 + 22 * max(len(bars), 1) * max(len(years), 1),
            barmode="group",
            bargap=0.3,
            margin={"l": 330, "r": 30, "t": 70, "b": 110},
            legend={**LEGEND_BOTTOM, "title": {"text": _("Year") + " "}},
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 100,
                    "x1": 100,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": FONT["color"], "width": 1.5, "dash": "dash"},
                }
            ],
            xaxis=value_axis(
                _("Achievement against the year's target (%; 100 = target met)"),
                range=[0, round(highest * 1.08 + 5)],
            ),
            yaxis=category_axis(autorange="reversed", automargin=True),
        )
    )
    if illustrative:
        illustrative_mark(figure)
    return figure


@dataclass(frozen=True)
class RatingStyle:
    """How a rating is drawn: its place on the colour scale, its symbol and its colour."""

    level: int
    symbol: str
    colour: str


# Light tints of the Okabe-Ito colours, each with its own symbol, so that no reader depends on
# colour: ✓ on track, ◐ some delays, ✕ off track, – not assessed.
RATING_STYLES = {
    "on_track": RatingStyle(3, "✓", "#9fd9c4"),
    "some_delays": RatingStyle(2, "◐", "#f6d38a"),
    "off_track": RatingStyle(1, "✕", "#f0a98a"),
    "not_assessed": RatingStyle(0, "–", "#eef0f3"),
}


@dataclass(frozen=True)
class RatingMark:
    """One cell of a rating matrix: the rating value, its label and whether it is illustrative."""

    rating: str  # a key of RATING_STYLES, or "" where the year is outside the strategy
    label: str
    illustrative: bool = False


def rating_figure(
    *,
    rows: Sequence[tuple[str, Sequence[RatingMark]]],
    years: Sequence[int],
    title: str,
    illustrative: bool = False,
) -> go.Figure:
    """Return a matrix of ratings, one row per priority area and one column per year.

    Each cell prints its symbol and rating; an asterisk marks an illustrative rating.
    """
    steps = len(RATING_STYLES)
    colourscale = []
    for style in sorted(RATING_STYLES.values(), key=lambda s: s.level):
        colourscale += [
            [style.level / steps, style.colour],
            [(style.level + 1) / steps, style.colour],
        ]
    z, text, hover = [], [], []
    for label, marks in rows:
        z_row, text_row, hover_row = [], [], []
        for year, mark in zip(years, marks, strict=True):
            style = RATING_STYLES.get(mark.rating)
            if style is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"{hover_escape(label)}<br>{year}: outside the strategy period")
                continue
            z_row.append(style.level + 0.5)
            star = " *" if mark.illustrative else ""
            text_row.append(f"{style.symbol} {mark.label}{star}")
            note = "<br>Illustrative rating" if mark.illustrative else ""
            hover_row.append(f"<b>{hover_escape(label)}</b><br>{year}: {mark.label}{note}")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    labels = [hover_escape(label, 48) for label, _ in rows]
    figure = go.Figure(
        go.Heatmap(
            x=[str(year) for year in years],
            y=labels,
            z=z,
            zmin=0,
            zmax=steps,
            colorscale=colourscale,
            showscale=False,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 13, "color": FONT["color"]},
            hovertemplate="%{customdata}<extra></extra>",
            xgap=3,
            ygap=3,
            name=_("Ratings"),
        )
    )
    figure.update_layout(
        base_layout(
            title,
            height=130 + 46 * max(len(rows), 1),
            margin={"l": 330, "r": 20, "t": 90, "b": 40},
            xaxis=category_axis(side="top", type="category"),
            yaxis=category_axis(autorange="reversed", automargin=True),
        )
    )
    if any(mark.illustrative for _, marks in rows for mark in marks):
        figure.add_annotation(
            text="* " + _("Illustrative rating"),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-8,
            showarrow=False,
            font={"size": 12, "color": INK_MUTED},
        )
    if illustrative:
        illustrative_mark(figure)
    return figure

"""Plotly figures for the pages and dashboards, built from plain Python data.

Each builder takes plain values (numbers, dates, strings, small frozen dataclasses) and returns
a `plotly.graph_objects.Figure`; `figure_data()` turns it into the JSON-ready dict that a
template passes through `json_script` to `static/js/charts.js`. Colours are colour-blind safe:
the Okabe-Ito palette for categories and a single-hue blue scale for counts. Every figure has
a title, axis titles with units, and hover text with the values.
"""

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# ColorBrewer "Blues": one hue from light to dark reads the same to every reader, in print too.
SEQUENTIAL_BLUES = [
    [0.0, "#f7fbff"],
    [0.125, "#deebf7"],
    [0.25, "#c6dbef"],
    [0.375, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.625, "#4292c6"],
    [0.75, "#2171b5"],
    [0.875, "#08519c"],
    [1.0, "#08306b"],
]
FONT = {
    "family": 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif',
    "size": 13,
    "color": "#1d1d1f",
}
INK_MUTED = "#5b6470"
RULE = "#d5dae1"
HOVER_LABEL_LENGTH = 70


def figure_data(figure: go.Figure) -> dict:
    """Return `figure` as a JSON-ready dict with `data` and `layout`, for `json_script`."""
    return json.loads(figure.to_json())


def hover_escape(text: str, length: int = HOVER_LABEL_LENGTH) -> str:
    """Return `text` shortened and escaped for plotly's hover labels, which read a little HTML."""
    if len(text) > length:
        text = text[: length - 1].rstrip() + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _base_layout(title: str, **layout) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "template": "none",
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": FONT["color"]}, "align": "left"},
        **layout,
    }


@dataclass(frozen=True)
class MatrixCell:
    """One cell of a likelihood × impact matrix: the names placed there and where to read more."""

    likelihood: int
    impact: int
    labels: tuple[str, ...] = ()
    link: str = ""


@dataclass(frozen=True)
class MatrixPanel:
    """One matrix of a figure, e.g. the inherent or the residual risk."""

    title: str
    cells: tuple[MatrixCell, ...]


def risk_matrix_figure(
    *,
    panels: Sequence[MatrixPanel],
    title: str,
    size: int = 5,
    count_label: str = "Open risks",
    noun: tuple[str, str] = ("risk", "risks"),
) -> go.Figure:
    """Return likelihood × impact matrices side by side, coloured and labelled by count.

    Each cell prints its count, lists its names on hover, and carries its `link` as customdata
    so that `charts.js` opens it on click. All panels share one colour scale.
    """
    scale = list(range(1, size + 1))
    figure = make_subplots(
        rows=1,
        cols=len(panels),
        subplot_titles=[panel.title for panel in panels],
        horizontal_spacing=0.14,
    )
    highest = 1
    for column, panel in enumerate(panels, start=1):
        by_position = {(cell.likelihood, cell.impact): cell for cell in panel.cells}
        counts, hover, links = [], [], []
        for likelihood in scale:
            count_row, hover_row, link_row = [], [], []
            for impact in scale:
                cell = by_position.get((likelihood, impact), MatrixCell(likelihood, impact))
                count = len(cell.labels)
                highest = max(highest, count)
                lines = [
                    f"Likelihood {likelihood} × impact {impact} = score {likelihood * impact}",
                    f"{count} {noun[0] if count == 1 else noun[1]}",
                ]
                lines += [f"• {hover_escape(label)}" for label in cell.labels]
                count_row.append(count)
                hover_row.append("<br>".join(lines))
                link_row.append(cell.link if count else "")
            counts.append(count_row)
            hover.append(hover_row)
            links.append(link_row)
        figure.add_trace(
            go.Heatmap(
                x=scale,
                y=scale,
                z=counts,
                text=hover,
                customdata=links,
                texttemplate="%{z}",
                textfont={"size": 15},
                hovertemplate="%{text}<extra></extra>",
                coloraxis="coloraxis",
                xgap=3,
                ygap=3,
                name=panel.title,
            ),
            row=1,
            col=column,
        )
        axis_suffix = "" if column == 1 else str(column)
        figure.update_layout(
            {
                f"xaxis{axis_suffix}": {
                    "title": {"text": "Impact (1 insignificant – 5 severe)"},
                    "tickvals": scale,
                    "range": [0.5, size + 0.5],
                    "showgrid": False,
                    "zeroline": False,
                    "fixedrange": True,
                    "constrain": "domain",
                },
                f"yaxis{axis_suffix}": {
                    "title": {"text": "Likelihood (1 rare – 5 almost certain)"},
                    "tickvals": scale,
                    "range": [0.5, size + 0.5],
                    "showgrid": False,
                    "zeroline": False,
                    "fixedrange": True,
                    "scaleanchor": f"x{axis_suffix}",
                    "constrain": "domain",
                },
            }
        )
    figure.update_layout(
        _base_layout(
            title,
            height=470,
            margin={"l": 70, "r": 30, "t": 90, "b": 70},
            coloraxis={
                "colorscale": SEQUENTIAL_BLUES,
                "cmin": 0,
                "cmax": highest,
                "colorbar": {
                    "title": {"text": count_label, "side": "right"},
                    "dtick": 1,
                    "thickness": 14,
                    "len": 0.8,
                },
            },
        )
    )
    return figure


@dataclass(frozen=True)
class ScorePoint:
    """A dated rating: the inherent and residual score (likelihood × impact) on that day."""

    on: datetime.date
    inherent: int | None
    residual: int | None
    illustrative: bool = False


# Band edges of a likelihood × impact score, drawn as faint lines on score charts.
SCORE_BANDS = (("Low", 0, 4.5), ("Medium", 4.5, 9.5), ("High", 9.5, 17.5), ("Critical", 17.5, 25))


def risk_score_figure(*, points: Sequence[ScorePoint], title: str) -> go.Figure:
    """Return the inherent and residual score over time as two lines on a 0-25 axis."""
    ordered = sorted(points, key=lambda point: point.on)
    dates = [point.on.isoformat() for point in ordered]
    notes = ["Illustrative rating" if point.illustrative else "" for point in ordered]
    figure = go.Figure()
    for name, values, colour, dash, symbol in (
        ("Inherent score", [p.inherent for p in ordered], OKABE_ITO["blue"], "solid", "circle"),
        ("Residual score", [p.residual for p in ordered], OKABE_ITO["orange"], "dash", "square"),
    ):
        figure.add_trace(
            go.Scatter(
                x=dates,
                y=values,
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5},
                marker={"symbol": symbol, "size": 9, "color": colour},
                customdata=notes,
                hovertemplate=(
                    f"{name}: %{{y}} of 25<br>%{{x|%-d %b %Y}}<br>%{{customdata}}<extra></extra>"
                ),
                connectgaps=False,
            )
        )
    shapes, annotations = [], []
    for label, low, high in SCORE_BANDS:
        if low:
            shapes.append(
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": low,
                    "y1": low,
                    "line": {"color": RULE, "width": 1, "dash": "dot"},
                    "layer": "below",
                }
            )
        annotations.append(
            {
                "xref": "paper",
                "x": 1.01,
                "xanchor": "left",
                "y": (low + high) / 2,
                "text": label,
                "showarrow": False,
                "font": {"size": 11, "color": INK_MUTED},
            }
        )
    figure.update_layout(
        _base_layout(
            title,
            height=340,
            margin={"l": 70, "r": 80, "t": 80, "b": 60},
            showlegend=True,
            legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
            shapes=shapes,
            annotations=annotations,
            modebar={"remove": ["select2d", "lasso2d"]},
            xaxis={
                "title": {"text": "Date of rating"},
                "type": "date",
                "tickformat": "%-d %b %Y",
                "showgrid": False,
                "linecolor": RULE,
            },
            yaxis={
                "title": {"text": "Score (0-25)"},
                "range": [0, 25.5],
                "tickvals": [0, 5, 10, 15, 20, 25],
                "gridcolor": "#eef0f3",
                "zeroline": False,
                "linecolor": RULE,
            },
        )
    )
    return figure


# --- Dashboards -------------------------------------------------------------------------------
#
# The builders below draw the managers' dashboards. They take plain values only (amounts as
# Decimal, labels as strings) and convert money to millions at the last step, for display.

MILLION = Decimal(1_000_000)
ILLUSTRATIVE_TEXT = "Illustrative data"
ILLUSTRATIVE_INK = "#6b4a00"
ILLUSTRATIVE_BACKGROUND = "#fff4d6"
# Legends sit at the foot of the figure, clear of the title and the illustrative label on top.
LEGEND_BOTTOM = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "bottom",
    "yref": "container",
    "traceorder": "normal",
}

# The four stages of the money, each with its own colour and fill pattern, so they read apart
# in greyscale and to every colour-vision deficiency: (attribute, legend name, colour, pattern).
MONEY_MEASURES = (
    ("planned", "Planned (budget)", OKABE_ITO["sky"], "/"),
    ("approved", "Approved by parliament", OKABE_ITO["blue"], ""),
    ("committed", "Committed", OKABE_ITO["orange"], ""),
    ("disbursed", "Disbursed", OKABE_ITO["green"], "."),
)


def millions(amount: Decimal | None) -> float | None:
    """Return `amount` in millions to the thousand, as a chart axis plots it; None stays None."""
    if amount is None:
        return None
    return float((Decimal(amount) / MILLION).quantize(Decimal("0.001")))


def exact_text(amount: Decimal | None, currency: str) -> str:
    """Return the exact amount as hover text, e.g. "DKK 48,000,000.00"."""
    if amount is None:
        return "not recorded"
    return f"{currency} {Decimal(amount):,.2f}"


def illustrative_mark(figure: go.Figure) -> go.Figure:
    """Label `figure` as built from illustrative records, at the right of its title line."""
    top = figure.layout.margin.t if figure.layout.margin.t is not None else 100
    figure.add_annotation(
        text=f"<b>{ILLUSTRATIVE_TEXT}</b>",
        xref="paper",
        yref="paper",
        x=1,
        y=1,
        xanchor="right",
        yanchor="middle",
        # The title's baseline sits half-way down the top margin; the label goes beside it.
        yshift=top / 2 + 4,
        showarrow=False,
        bgcolor=ILLUSTRATIVE_BACKGROUND,
        bordercolor=ILLUSTRATIVE_INK,
        borderwidth=1,
        borderpad=4,
        font={"size": 12, "color": ILLUSTRATIVE_INK},
    )
    return figure


def _category_axis(title: str = "", **extra) -> dict:
    return {
        "title": {"text": title},
        "showgrid": False,
        "linecolor": RULE,
        "fixedrange": True,
        **extra,
    }


def _value_axis(title: str, **extra) -> dict:
    return {
        "title": {"text": title},
        "gridcolor": "#eef0f3",
        "zeroline": True,
        "zerolinecolor": RULE,
        "linecolor": RULE,
        "rangemode": "tozero",
        "fixedrange": True,
        **extra,
    }


def money_figure(
    *,
    categories: Sequence,
    cells: Sequence,
    title: str,
    category_title: str,
    hover_labels: Sequence[str] | None = None,
    currency: str = "DKK",
    illustrative: bool = False,
) -> go.Figure:
    """Return planned, approved, committed and disbursed money as grouped bars per category.

    `cells` hold one object per category with the attributes `planned`, `approved`,
    `committed` and `disbursed` (Decimal or None); `categories` are the x values, or two lists
    (outer, inner) for grouped categories such as budget line and year.
    """
    labels = list(hover_labels) if hover_labels else [str(c) for c in categories]
    figure = go.Figure()
    for attribute, name, colour, pattern in MONEY_MEASURES:
        amounts = [getattr(cell, attribute) for cell in cells]
        figure.add_trace(
            go.Bar(
                x=categories,
                y=[millions(amount) for amount in amounts],
                name=name,
                marker={
                    "color": colour,
                    "line": {"color": FONT["color"], "width": 0.6},
                    "pattern": {
                        "shape": pattern,
                        "fillmode": "overlay",
                        "fgcolor": "#ffffff",
                        "size": 6,
                    },
                },
                customdata=[
                    [label, exact_text(amount, currency)]
                    for label, amount in zip(labels, amounts, strict=True)
                ],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name}: {currency} %{{y:,.1f}} million"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        _base_layout(
            title,
            height=460,
            barmode="group",
            bargap=0.25,
            bargroupgap=0.05,
            margin={"l": 70, "r": 20, "t": 70, "b": 120},
            legend=LEGEND_BOTTOM,
            xaxis=_category_axis(category_title),
            yaxis=_value_axis(f"{currency} million"),
            modebar={"remove": ["select2d", "lasso2d", "zoom2d", "pan2d", "autoScale2d"]},
        )
    )
    if illustrative:
        illustrative_mark(figure)
    return figure


# Score bands of open risks, most severe first, with colours that darken with severity and a
# hatch on the unrated band, which is not a score at all.
BAND_STYLES = {
    "critical": (OKABE_ITO["vermillion"], ""),
    "high": (OKABE_ITO["orange"], ""),
    "medium": (OKABE_ITO["yellow"], ""),
    "low": (OKABE_ITO["sky"], ""),
    "unrated": ("#d5dae1", "x"),
}


@dataclass(frozen=True)
class BandBar:
    """One bar of the open-risk chart: a label and its count per band."""

    label: str
    counts: tuple[tuple[str, int], ...]  # (band value, count), in BAND_STYLES order
    hover_label: str = ""


def risk_band_figure(
    *,
    bars: Sequence[BandBar],
    band_labels: dict[str, str],
    title: str,
    illustrative: bool = False,
) -> go.Figure:
    """Return open risks per bar, stacked by score band, most severe first."""
    labels = [bar.label for bar in bars]
    figure = go.Figure()
    for band, (colour, pattern) in BAND_STYLES.items():
        counts = [dict(bar.counts).get(band, 0) for bar in bars]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=counts,
                orientation="h",
                name=band_labels.get(band, band),
                marker={
                    "color": colour,
                    "line": {"color": FONT["color"], "width": 0.6},
                    "pattern": {
                        "shape": pattern,
                        "fillmode": "overlay",
                        "fgcolor": INK_MUTED,
                        "size": 6,
                    },
                },
                text=[str(count) if count else "" for count in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": FONT["color"]},
                customdata=[bar.hover_label or bar.label for bar in bars],
                hovertemplate=(
                    f"<b>%{{customdata}}</b><br>{band_labels.get(band, band)}: "
                    "%{x} open risk(s)<extra></extra>"
                ),
            )
        )
    highest = max((sum(count for _, count in bar.counts) for bar in bars), default=0)
    figure.update_layout(
        _base_layout(
            title,
            height=max(300, 200 + 34 * len(bars)),
            barmode="stack",
            bargap=0.35,
            margin={"l": 190, "r": 20, "t": 70, "b": 110},
            legend=LEGEND_BOTTOM,
            xaxis=_value_axis("Open risks (count)", dtick=1 if highest <= 10 else None),
            yaxis=_category_axis(autorange="reversed", automargin=True),
        )
    )
    if illustrative:
        illustrative_mark(figure)
    return figure


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
            point = next((p for p in bar.points if p[0] == year), (year, None, "No figures"))
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
                    f"<b>%{{customdata[0]}}</b><br>{year}: %{{x:.1f}} % of target"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        _base_layout(
            title,
            height=200 + 22 * max(len(bars), 1) * max(len(years), 1),
            barmode="group",
            bargap=0.3,
            margin={"l": 330, "r": 30, "t": 70, "b": 110},
            legend={**LEGEND_BOTTOM, "title": {"text": "Year "}},
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
            xaxis=_value_axis(
                "Achievement against the year's target (%; 100 = target met)",
                range=[0, round(highest * 1.08 + 5)],
            ),
            yaxis=_category_axis(autorange="reversed", automargin=True),
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
            name="Ratings",
        )
    )
    figure.update_layout(
        _base_layout(
            title,
            height=130 + 46 * max(len(rows), 1),
            margin={"l": 330, "r": 20, "t": 90, "b": 40},
            xaxis=_category_axis(side="top", type="category"),
            yaxis=_category_axis(autorange="reversed", automargin=True),
        )
    )
    if any(mark.illustrative for _, marks in rows for mark in marks):
        figure.add_annotation(
            text="* Illustrative rating",
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


@dataclass(frozen=True)
class RegionBar:
    """Softly earmarked allocations to one region, by decision."""

    label: str
    approved: Decimal
    pending: Decimal
    rejected: Decimal


def allocation_figure(
    *,
    bars: Sequence[RegionBar],
    title: str,
    currency: str = "DKK",
    illustrative: bool = False,
) -> go.Figure:
    """Return the allocations proposed per region, stacked by Denmark's decision."""
    labels = [bar.label for bar in bars]
    figure = go.Figure()
    for attribute, name, colour, pattern in (
        ("approved", "Approved", OKABE_ITO["blue"], ""),
        ("pending", "Awaiting decision", OKABE_ITO["orange"], "/"),
        ("rejected", "Rejected", "#d5dae1", "x"),
    ):
        amounts = [getattr(bar, attribute) for bar in bars]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[millions(amount) for amount in amounts],
                orientation="h",
                name=name,
                marker={
                    "color": colour,
                    "line": {"color": FONT["color"], "width": 0.6},
                    "pattern": {
                        "shape": pattern,
                        "fillmode": "overlay",
                        "fgcolor": "#ffffff",
                        "size": 6,
                    },
                },
                customdata=[
                    [label, exact_text(amount, currency)]
                    for label, amount in zip(labels, amounts, strict=True)
                ],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name}: {currency} %{{x:,.1f}} million"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        _base_layout(
            title,
            height=200 + 40 * max(len(bars), 1),
            barmode="stack",
            bargap=0.35,
            margin={"l": 230, "r": 20, "t": 70, "b": 110},
            legend=LEGEND_BOTTOM,
            xaxis=_value_axis(f"{currency} million"),
            yaxis=_category_axis(autorange="reversed", automargin=True),
        )
    )
    if illustrative:
        illustrative_mark(figure)
    return figure


@dataclass(frozen=True)
class DonorBar:
    """A donor's contribution in the ranked year; `is_home` marks the donor the pages follow."""

    name: str
    rank: int
    amount: Decimal
    is_home: bool = False
    is_pledged: bool = False


def donor_rank_figure(
    *,
    bars: Sequence[DonorBar],
    title: str,
    currency: str = "USD",
) -> go.Figure:
    """Return donors ranked by contribution, the home donor drawn apart in colour and pattern."""
    names = [f"{bar.rank}. {bar.name}" for bar in bars]
    ticks = [
        f"<b>{name}</b>" if bar.is_home else name for name, bar in zip(names, bars, strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=[millions(bar.amount) for bar in bars],
            orientation="h",
            name="Unearmarked contribution",
            marker={
                "color": [
                    OKABE_ITO["orange"] if bar.is_home else OKABE_ITO["blue"] for bar in bars
                ],
                "line": {"color": FONT["color"], "width": 0.6},
                "pattern": {
                    "shape": ["/" if bar.is_home else "" for bar in bars],
                    "fillmode": "overlay",
                    "fgcolor": "#ffffff",
                    "size": 6,
                },
            },
            text=[f"{millions(bar.amount):,.2f}" for bar in bars],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    name,
                    exact_text(bar.amount, currency),
                    " (pledged, not yet received)" if bar.is_pledged else "",
                ]
                for name, bar in zip(names, bars, strict=True)
            ],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{currency} %{{x:,.2f}} million%{{customdata[2]}}"
                "<br>%{customdata[1]}<extra></extra>"
            ),
        )
    )
    highest = max((millions(bar.amount) or 0 for bar in bars), default=1)
    figure.update_layout(
        _base_layout(
            title,
            height=140 + 26 * max(len(bars), 1),
            bargap=0.25,
            showlegend=False,
            margin={"l": 200, "r": 50, "t": 70, "b": 60},
            xaxis=_value_axis(f"{currency} million", range=[0, highest * 1.15]),
            yaxis=_category_axis(
                autorange="reversed",
                automargin=True,
                tickmode="array",
                tickvals=names,
                ticktext=ticks,
            ),
        )
    )
    return figure

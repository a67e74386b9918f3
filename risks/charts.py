"""Risk figures: the likelihood × impact matrix, scores over time, open risks by band."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from plotly.subplots import make_subplots

from risks.choices import SCORED_BANDS, ScoreBand, score_band
from strategy_monitor.charts import (
    FONT,
    INK_MUTED,
    LEGEND_BOTTOM,
    OKABE_ITO,
    RULE,
    base_layout,
    category_axis,
    hover_escape,
    illustrative_mark,
    value_axis,
)

# The colours of the risk bands in static/css/monitor.css ("Risk bands"), for figures and the
# brief's drawing; tests/risks/test_band_colours.py keeps them the same and their text readable.
BAND_FILL = {
    ScoreBand.LOW: "#cfe8d5",
    ScoreBand.MEDIUM: "#ffdf80",
    ScoreBand.HIGH: "#f4a3a8",
    ScoreBand.CRITICAL: "#a6192e",
}
BAND_INK = {
    ScoreBand.LOW: "#1d1d1f",
    ScoreBand.MEDIUM: "#1d1d1f",
    ScoreBand.HIGH: "#1d1d1f",
    ScoreBand.CRITICAL: "#ffffff",
}
# The short name of each band, printed in the matrix's cells under the count.
BAND_NAMES = {
    ScoreBand.LOW: gettext_lazy("Low"),
    ScoreBand.MEDIUM: gettext_lazy("Medium"),
    ScoreBand.HIGH: gettext_lazy("High"),
    ScoreBand.CRITICAL: gettext_lazy("Critical"),
}
BAND_NAME_STYLE = "font-size:10px;font-weight:normal"


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


def _matrix_hover(cell: MatrixCell, band: ScoreBand, noun: tuple[str, str] | None) -> str:
    count = len(cell.labels)
    score = cell.likelihood * cell.impact
    lines = [
        _("Likelihood %(likelihood)s × impact %(impact)s = score %(score)s")
        % {"likelihood": cell.likelihood, "impact": cell.impact, "score": score},
        _("Score band: %(band)s") % {"band": band.label},
        f"{count} {noun[0] if count == 1 else noun[1]}"
        if noun
        else ngettext("%(count)s risk", "%(count)s risks", count) % {"count": count},
    ]
    lines += [f"• {hover_escape(label)}" for label in cell.labels]
    return "<br>".join(lines)


def risk_matrix_figure(
    *,
    panels: Sequence[MatrixPanel],
    title: str,
    size: int = 5,
    noun: tuple[str, str] | None = None,
) -> go.Figure:
    """Return likelihood × impact matrices side by side, each placed cell in its band's colour.

    A cell with risks is filled in the colour of the band of likelihood × impact (the colours
    of the heat map page), prints its count over the band's name and names the band and its
    risks on hover, so that colour is never the only signal; its customdata is its `link`,
    which `charts.js` opens on click, and its hover text. Cells without risks stay blank. Each
    panel has one heatmap trace per band, so that each band keeps one fill and one text colour.
    """
    scale = list(range(1, size + 1))
    figure = make_subplots(
        rows=1,
        cols=len(panels),
        subplot_titles=[panel.title for panel in panels],
        horizontal_spacing=0.14,
    )
    for column, panel in enumerate(panels, start=1):
        by_position = {(cell.likelihood, cell.impact): cell for cell in panel.cells if cell.labels}
        for band in SCORED_BANDS:
            name = hover_escape(str(BAND_NAMES[band]))
            counts, texts, details = [], [], []
            for likelihood in scale:
                count_row, text_row, detail_row = [], [], []
                for impact in scale:
                    cell = by_position.get((likelihood, impact))
                    if cell is None or score_band(likelihood * impact) != band:
                        count_row.append(None)
                        text_row.append("")
                        detail_row.append(["", ""])
                        continue
                    count = len(cell.labels)
                    count_row.append(count)
                    text_row.append(f'{count}<br><span style="{BAND_NAME_STYLE}">{name}</span>')
                    detail_row.append([cell.link, _matrix_hover(cell, band, noun)])
                counts.append(count_row)
                texts.append(text_row)
                details.append(detail_row)
            figure.add_trace(
                go.Heatmap(
                    x=scale,
                    y=scale,
                    z=counts,
                    text=texts,
                    customdata=details,
                    # Not the bare "%{text}" of a ratings matrix, which charts.js shortens.
                    texttemplate="<b>%{text}</b>",
                    textfont={"size": 15, "color": BAND_INK[band]},
                    hovertemplate="%{customdata[1]}<extra></extra>",
                    hoverongaps=False,
                    colorscale=[[0, BAND_FILL[band]], [1, BAND_FILL[band]]],
                    showscale=False,
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
                    "title": {"text": _("Impact (1 insignificant – 5 severe)")},
                    "tickvals": scale,
                    "range": [0.5, size + 0.5],
                    "showgrid": False,
                    "zeroline": False,
                    "fixedrange": True,
                    "constrain": "domain",
                },
                f"yaxis{axis_suffix}": {
                    "title": {"text": _("Likelihood (1 rare – 5 almost certain)")},
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
        base_layout(title, height=470, margin={"l": 70, "r": 30, "t": 90, "b": 70})
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
SCORE_BANDS = (
    (gettext_lazy("Low"), 0, 4.5),
    (gettext_lazy("Medium"), 4.5, 9.5),
    (gettext_lazy("High"), 9.5, 17.5),
    (gettext_lazy("Critical"), 17.5, 25),
)


def risk_score_figure(*, points: Sequence[ScorePoint], title: str) -> go.Figure:
    """Return the inherent and residual score over time as two lines on a 0-25 axis."""
    ordered = sorted(points, key=lambda point: point.on)
    dates = [point.on.isoformat() for point in ordered]
    # Dates as the reader's language writes them (plotly's own month names are English).
    shown = [date_format(point.on, "SHORT_DATE_FORMAT") for point in ordered]
    notes = [
        [day, _("Illustrative rating") if point.illustrative else ""]
        for day, point in zip(shown, ordered, strict=True)
    ]
    # At most eight dates on the axis, spread over the period, each written out.
    step = max(1, -(-len(dates) // 8))
    ticks = sorted(set(range(0, len(dates), step)) | ({len(dates) - 1} if dates else set()))
    figure = go.Figure()
    for name, values, colour, dash, symbol in (
        (_("Inherent score"), [p.inherent for p in ordered], OKABE_ITO["blue"], "solid", "circle"),
        (_("Residual score"), [p.residual for p in ordered], OKABE_ITO["orange"], "dash", "square"),
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
                    _("%(name)s: %%{y} of 25") % {"name": name}
                    + "<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"
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
                "text": str(label),
                "showarrow": False,
                "font": {"size": 11, "color": INK_MUTED},
            }
        )
    figure.update_layout(
        base_layout(
            title,
            height=340,
            margin={"l": 70, "r": 80, "t": 80, "b": 60},
            showlegend=True,
            legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
            shapes=shapes,
            annotations=annotations,
            modebar={"remove": ["select2d", "lasso2d"]},
            xaxis={
                "title": {"text": _("Date of rating")},
                "type": "date",
                "tickvals": [dates[index] for index in ticks],
                "ticktext": [shown[index] for index in ticks],
                "showgrid": False,
                "linecolor": RULE,
            },
            yaxis={
                "title": {"text": _("Score (0-25)")},
                "range": [0, 25.5],
                "tickvals": [0, 5, 10, 15, 20, 25],
                "gridcolor": "#eef0f3",
                "zeroline": False,
                "linecolor": RULE,
            },
        )
    )
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
                name=str(band_labels.get(band, band)),
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
                    + _("%(count)s open risk(s)") % {"count": "%{x}"}
                    + "<extra></extra>"
                ),
            )
        )
    highest = max((sum(count for _, count in bar.counts) for bar in bars), default=0)
    figure.update_layout(
        base_layout(
            title,
            height=max(300, 200 + 34 * len(bars)),
            barmode="stack",
            bargap=0.35,
            margin={"l": 190, "r": 20, "t": 70, "b": 110},
            legend=LEGEND_BOTTOM,
            xaxis=value_axis(_("Open risks (count)"), dtick=1 if highest <= 10 else None),
            yaxis=category_axis(autorange="reversed", automargin=True),
        )
    )
    if illustrative:
        illustrative_mark(figure)
    return figure

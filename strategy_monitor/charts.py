"""The palette, the layout and the helpers that every figure shares, in every app.

Each builder takes plain values (numbers, dates, strings, small frozen dataclasses) and returns
a `plotly.graph_objects.Figure`; `figure_data()` turns it into the JSON-ready dict that a
template passes through `json_script` to `static/js/charts.js`. Colours are colour-blind safe:
the Okabe-Ito palette for categories and a single-hue blue scale for counts. Every figure has
a title, axis titles with units, and hover text with the values. The risk figures live in
`risks.charts`, the money and progress figures of the dashboards in `reports.charts`.
"""

import json
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext, gettext_noop

from strategy_monitor.formats import amount_in_currency, decimal_separator, thousand_separator

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


def base_layout(title: str, **layout) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "template": "none",
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": FONT["color"]}, "align": "left"},
        # Plotly's number formats (%{y:,.1f}) take the reader's separators: 1,234.5 or 1.234,5.
        "separators": decimal_separator() + thousand_separator(),
        **layout,
    }


# --- Dashboards -------------------------------------------------------------------------------
#
# The builders of the figures (`reports.charts`, `risks.charts`) take plain values
# only (amounts as Decimal, labels as strings) and convert money to millions at the last step,
# for display, with the helpers below.

MILLION = Decimal(1_000_000)
# In English; a figure shows it in the reader's language.
ILLUSTRATIVE_TEXT = gettext_noop("Illustrative data")
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


def millions(amount: Decimal | None) -> float | None:
    """Return `amount` in millions to the thousand, as a chart axis plots it; None stays None."""
    if amount is None:
        return None
    return float((Decimal(amount) / MILLION).quantize(Decimal("0.001")))


def exact_text(amount: Decimal | None, currency: str) -> str:
    """Return the exact amount as hover text, e.g. "DKK 48,000,000.00"."""
    if amount is None:
        return gettext("not recorded")
    return amount_in_currency(amount, currency)


def illustrative_mark(figure: go.Figure) -> go.Figure:
    """Label `figure` as built from illustrative records, at the right of its title line."""
    top = figure.layout.margin.t if figure.layout.margin.t is not None else 100
    figure.add_annotation(
        text=f"<b>{gettext(ILLUSTRATIVE_TEXT)}</b>",
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


def category_axis(title: str = "", **extra) -> dict:
    return {
        "title": {"text": title},
        "showgrid": False,
        "linecolor": RULE,
        "fixedrange": True,
        **extra,
    }


def value_axis(title: str, **extra) -> dict:
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

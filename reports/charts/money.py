"""Money figures: budget execution, allocations by region and the ranking of donors."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from strategy_monitor.charts import (
    FONT,
    LEGEND_BOTTOM,
    OKABE_ITO,
    base_layout,
    category_axis,
    exact_text,
    illustrative_mark,
    millions,
    value_axis,
)
from strategy_monitor.formats import amount_in_millions_fixed

# The four stages of the money, each with its own colour and fill pattern, so they read apart
# in greyscale and to every colour-vision deficiency: (attribute, legend name, colour, pattern).
MONEY_MEASURES = (
    ("planned", gettext_lazy("Planned (budget)"), OKABE_ITO["sky"], "/"),
    ("approved", gettext_lazy("Approved by parliament"), OKABE_ITO["blue"], ""),
    ("committed", gettext_lazy("Committed"), OKABE_ITO["orange"], ""),
    ("disbursed", gettext_lazy("Disbursed"), OKABE_ITO["green"], "."),
)


def in_millions_text(currency: str, value: str) -> str:
    """Return a plotly hover value in millions of `currency`: "DKK %{y:,.1f} million"."""
    return pgettext("a chart's value in millions", "%(currency)s %(value)s million") % {
        "currency": currency,
        "value": value,
    }


def axis_in_millions(currency: str) -> str:
    """Return the title of an axis in millions of `currency`: "DKK million"."""
    return pgettext("a chart's axis", "%(currency)s million") % {"currency": currency}


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
                name=str(name),
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
                    f"<b>%{{customdata[0]}}</b><br>{name}: "
                    f"{in_millions_text(currency, '%{y:,.1f}')}"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        base_layout(
            title,
            height=460,
            barmode="group",
            bargap=0.25,
            bargroupgap=0.05,
            margin={"l": 70, "r": 20, "t": 70, "b": 120},
            legend=LEGEND_BOTTOM,
            xaxis=category_axis(category_title),
            yaxis=value_axis(axis_in_millions(currency)),
            modebar={"remove": ["select2d", "lasso2d", "zoom2d", "pan2d", "autoScale2d"]},
        )
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
        ("approved", pgettext("an allocation decision", "Approved"), OKABE_ITO["blue"], ""),
        ("pending", _("Awaiting decision"), OKABE_ITO["orange"], "/"),
        ("rejected", _("Rejected"), "#d5dae1", "x"),
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
                    f"<b>%{{customdata[0]}}</b><br>{name}: "
                    f"{in_millions_text(currency, '%{x:,.1f}')}"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        base_layout(
            title,
            height=200 + 40 * max(len(bars), 1),
            barmode="stack",
            bargap=0.35,
            margin={"l": 230, "r": 20, "t": 70, "b": 110},
            legend=LEGEND_BOTTOM,
            xaxis=value_axis(axis_in_millions(currency)),
            yaxis=category_axis(autorange="reversed", automargin=True),
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
            name=_("Unearmarked contribution"),
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
            text=[amount_in_millions_fixed(bar.amount, 2) for bar in bars],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    name,
                    exact_text(bar.amount, currency),
                    _(" (pledged, not yet received)") if bar.is_pledged else "",
                ]
                for name, bar in zip(names, bars, strict=True)
            ],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{in_millions_text(currency, '%{x:,.2f}')}"
                "%{customdata[2]}"
                "<br>%{customdata[1]}<extra></extra>"
            ),
        )
    )
    highest = max((millions(bar.amount) or 0 for bar in bars), default=1)
    figure.update_layout(
        base_layout(
            title,
            height=140 + 26 * max(len(bars), 1),
            bargap=0.25,
            showlegend=False,
            margin={"l": 200, "r": 50, "t": 70, "b": 60},
            xaxis=value_axis(axis_in_millions(currency), range=[0, highest * 1.15]),
            yaxis=category_axis(
                autorange="reversed",
                automargin=True,
                tickmode="array",
                tickvals=names,
                ticktext=ticks,
            ),
        )
    )
    return figure

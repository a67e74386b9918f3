"""The risk heat map as inline SVG, drawn from plain counts without a browser.

The matrix is likelihood (rows, 5 at the top) by impact (columns, 1 on the left). Each cell is
coloured by the score band of likelihood × impact in the colours of the pages (green, amber,
red) and hatched for the amber and red bands, so that it reads the same to a reader who does
not see the colours and in black-and-white print, and carries the number of open risks rated
there. The drawing is the template `reports/heatmap.svg`; this module works out the
positions, bands and counts, and the template's autoescaping escapes every piece of text.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from risks.charts import BAND_FILL, BAND_INK
from risks.choices import ScoreBand, score_band

SIZE = 5
CELL = 46
LEFT = 118
TOP = 34
RIGHT = 12
LEGEND_HEIGHT = 58
# The bands drawn with a hatch over their colour; low is plain.
PATTERNED = (ScoreBand.MEDIUM, ScoreBand.HIGH, ScoreBand.CRITICAL)
LIKELIHOOD_LABELS = (_("Rare"), _("Unlikely"), _("Possible"), _("Likely"), _("Almost certain"))
IMPACT_LABELS = (_("Insignificant"), _("Minor"), _("Moderate"), _("Major"), _("Severe"))
FONT = "DejaVu Sans, sans-serif"
INK = "#1d1d1f"
MUTED = "#5b6470"
TEMPLATE = "reports/heatmap.svg"


def _number(value: float) -> str:
    """Return `value` as an SVG coordinate: no trailing ".0", never localised."""
    return f"{value:g}"


@dataclass(frozen=True)
class HeatCell:
    """One square of the matrix: its place, its band's colours, its score and its count."""

    x: str
    y: str
    score_x: str
    score_y: str
    count_x: str
    count_y: str
    chip_x: str
    chip_y: str
    fill: str
    ink: str
    pattern: str
    score: int
    count: int


@dataclass(frozen=True)
class HeatRow:
    """One likelihood: its label on the left and its five squares."""

    likelihood: int
    label: str
    label_x: str
    label_y: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class HeatColumn:
    """One impact: its number and its label below the matrix."""

    impact: int
    label: str
    x: str
    number_y: str
    label_y: str


@dataclass(frozen=True)
class LegendKey:
    """One score band in the legend: its swatch and its name."""

    label: str
    fill: str
    pattern: str
    x: str
    y: str
    label_x: str
    label_y: str


def _pattern(prefix: str, band: ScoreBand) -> str:
    """Return the id of the hatch drawn over `band`'s colour, or "" for a plain band."""
    return f"{prefix}-{band.value}" if band in PATTERNED else ""


def _row(row_index: int, counts: Sequence[int], prefix: str) -> HeatRow:
    """Return the row at `row_index` from the top, whose squares hold `counts`."""
    likelihood = SIZE - row_index
    y = TOP + row_index * CELL
    cells = []
    for column_index, count in enumerate(counts):
        band = score_band(likelihood * (column_index + 1))
        x = LEFT + column_index * CELL
        cells.append(
            HeatCell(
                x=_number(x),
                y=_number(y),
                score_x=_number(x + CELL - 4),
                score_y=_number(y + 10),
                count_x=_number(x + CELL / 2),
                count_y=_number(y + CELL / 2 + 5),
                chip_x=_number(x + CELL / 2 - 11),
                chip_y=_number(y + CELL / 2 - 9),
                fill=BAND_FILL[band],
                ink=BAND_INK[band],
                pattern=_pattern(prefix, band),
                score=likelihood * (column_index + 1),
                count=int(count),
            )
        )
    return HeatRow(
        likelihood=likelihood,
        label=LIKELIHOOD_LABELS[likelihood - 1],
        label_x=_number(LEFT - 8),
        label_y=_number(y + CELL / 2 + 3),
        cells=tuple(cells),
    )


def heatmap_svg(*, counts: Sequence[Sequence[int]], title: str, label: str = "") -> SafeString:
    """Return an SVG risk matrix for `counts` (rows likelihood 5 to 1, columns impact 1 to 5).

    `title` is printed above the matrix; `label` (default: the title) names it for screen
    readers.
    """
    rows = [list(row) for row in counts]
    if len(rows) != SIZE or any(len(row) != SIZE for row in rows):
        raise ValueError("A heat map needs 5 rows of 5 counts.")
    # Two maps share one page: each names its hatches apart, so that no id is given twice.
    prefix = (
        "hatch-" + hashlib.sha1(f"{title}|{label}".encode(), usedforsecurity=False).hexdigest()[:8]
    )
    width = LEFT + SIZE * CELL + RIGHT
    grid_bottom = TOP + SIZE * CELL
    height = grid_bottom + 44 + LEGEND_HEIGHT
    legend_y = grid_bottom + 50
    columns = [
        HeatColumn(
            impact=index + 1,
            label=IMPACT_LABELS[index],
            x=_number(LEFT + index * CELL + CELL / 2),
            number_y=_number(grid_bottom + 12),
            label_y=_number(grid_bottom + 22),
        )
        for index in range(SIZE)
    ]
    legend = []
    for index, band in enumerate(BAND_FILL):
        x = LEFT + (index % 2) * 118
        y = legend_y + 8 + (index // 2) * 16
        legend.append(
            LegendKey(
                label=ScoreBand(band).label,
                fill=BAND_FILL[band],
                pattern=_pattern(prefix, ScoreBand(band)),
                x=_number(x),
                y=_number(y),
                label_x=_number(x + 16),
                label_y=_number(y + 9),
            )
        )
    context = {
        "width": _number(width),
        "height": _number(height),
        "description": label or title,
        "title": title,
        "total": sum(sum(int(count) for count in row) for row in rows),
        "font": FONT,
        "ink": INK,
        "muted": MUTED,
        "left": _number(LEFT),
        "cell_size": _number(CELL),
        "rows": [_row(index, row, prefix) for index, row in enumerate(rows)],
        "hatch": prefix,
        "columns": columns,
        "impact_axis": {"x": _number(LEFT + SIZE * CELL / 2), "y": _number(grid_bottom + 36)},
        "likelihood_axis": {"x": _number(12), "y": _number(TOP + SIZE * CELL / 2)},
        "legend_y": _number(legend_y),
        "legend": legend,
    }
    return render_to_string(TEMPLATE, context)

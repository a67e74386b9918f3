"""The risk heat map as inline SVG, drawn from plain counts without a browser.

The matrix is likelihood (rows, 5 at the top) by impact (columns, 1 on the left). Each cell is
shaded by the score band of likelihood × impact, in one blue hue from light to dark so that it
reads the same to every reader and in black-and-white print, and carries the number of open
risks rated there. Every piece of text is escaped.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from risks.choices import ScoreBand, score_band

SIZE = 5
CELL = 46
LEFT = 118
TOP = 34
RIGHT = 12
LEGEND_HEIGHT = 58
BAND_FILL = {
    ScoreBand.LOW: "#deebf7",
    ScoreBand.MEDIUM: "#9ecae1",
    ScoreBand.HIGH: "#4292c6",
    ScoreBand.CRITICAL: "#08519c",
}
BAND_INK = {
    ScoreBand.LOW: "#1d1d1f",
    ScoreBand.MEDIUM: "#1d1d1f",
    ScoreBand.HIGH: "#ffffff",
    ScoreBand.CRITICAL: "#ffffff",
}
LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Insignificant", "Minor", "Moderate", "Major", "Severe")
FONT = "DejaVu Sans, sans-serif"
INK = "#1d1d1f"
MUTED = "#5b6470"


def _text(x: float, y: float, text: str, **attributes) -> str:
    extra = "".join(
        f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attributes.items()
    )
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(text)}</text>'


def heatmap_svg(*, counts: Sequence[Sequence[int]], title: str, label: str = "") -> SafeString:
    """Return an SVG risk matrix for `counts` (rows likelihood 5 to 1, columns impact 1 to 5).

    `title` is printed above the matrix; `label` (default: the title) names it for screen
    readers.
    """
    rows = [list(row) for row in counts]
    if len(rows) != SIZE or any(len(row) != SIZE for row in rows):
        raise ValueError("A heat map needs 5 rows of 5 counts.")
    width = LEFT + SIZE * CELL + RIGHT
    grid_bottom = TOP + SIZE * CELL
    height = grid_bottom + 44 + LEGEND_HEIGHT
    total = sum(sum(int(count) for count in row) for row in rows)
    description = label or title
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(description)}" font-family="{FONT}">',
        f"<title>{escape(description)}: {total} open risk{'s' if total != 1 else ''} "
        "placed by likelihood and impact</title>",
        _text(LEFT, 14, title, font_size="11", font_weight="bold", fill=INK),
    ]
    for row_index, row in enumerate(rows):
        likelihood = SIZE - row_index
        y = TOP + row_index * CELL
        parts.append(
            _text(
                LEFT - 8,
                y + CELL / 2 + 3,
                f"{likelihood} {LIKELIHOOD_LABELS[likelihood - 1]}",
                font_size="8.5",
                text_anchor="end",
                fill=MUTED,
            )
        )
        for column_index, count in enumerate(row):
            impact = column_index + 1
            band = score_band(likelihood * impact)
            x = LEFT + column_index * CELL
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{BAND_FILL[band]}" stroke="#ffffff" stroke-width="2"/>'
            )
            parts.append(
                _text(
                    x + CELL - 4,
                    y + 10,
                    str(likelihood * impact),
                    font_size="6.5",
                    text_anchor="end",
                    fill=BAND_INK[band],
                    fill_opacity="0.75",
                )
            )
            if int(count):
                parts.append(
                    _text(
                        x + CELL / 2,
                        y + CELL / 2 + 5,
                        str(int(count)),
                        font_size="14",
                        font_weight="bold",
                        text_anchor="middle",
                        fill=BAND_INK[band],
                    )
                )
    for column_index in range(SIZE):
        impact = column_index + 1
        x = LEFT + column_index * CELL + CELL / 2
        parts.append(
            _text(
                x, grid_bottom + 12, str(impact), font_size="8.5", text_anchor="middle", fill=MUTED
            )
        )
        parts.append(
            _text(
                x,
                grid_bottom + 22,
                IMPACT_LABELS[column_index],
                font_size="6.5",
                text_anchor="middle",
                fill=MUTED,
            )
        )
    parts.append(
        _text(
            LEFT + SIZE * CELL / 2,
            grid_bottom + 36,
            "Impact →",
            font_size="9",
            text_anchor="middle",
            fill=INK,
        )
    )
    parts.append(
        _text(
            12,
            TOP + SIZE * CELL / 2,
            "Likelihood →",
            font_size="9",
            text_anchor="middle",
            fill=INK,
            transform=f"rotate(-90 12 {TOP + SIZE * CELL / 2:g})",
        )
    )
    legend_y = grid_bottom + 50
    parts.append(
        _text(LEFT, legend_y, "Score band (likelihood × impact)", font_size="7.5", fill=MUTED)
    )
    for index, band in enumerate(BAND_FILL):
        x = LEFT + (index % 2) * 118
        y = legend_y + 8 + (index // 2) * 16
        parts.append(
            f'<rect x="{x}" y="{y}" width="11" height="11" fill="{BAND_FILL[band]}" '
            'stroke="#5b6470" stroke-width="0.5"/>'
        )
        parts.append(_text(x + 16, y + 9, ScoreBand(band).label, font_size="8", fill=INK))
    parts.append("</svg>")
    return mark_safe("".join(parts))

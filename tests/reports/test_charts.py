"""Plotly figures built from plain data, checked without a database or a browser."""

import datetime
import json

from risks.charts import (
    BAND_FILL,
    BAND_INK,
    BAND_NAME_STYLE,
    MatrixCell,
    MatrixPanel,
    ScorePoint,
    risk_matrix_figure,
    risk_score_figure,
)
from risks.choices import SCORED_BANDS, score_band
from strategy_monitor.charts import OKABE_ITO, figure_data, hover_escape


def matrix() -> dict:
    panels = [
        MatrixPanel(
            title="Inherent",
            cells=(
                MatrixCell(4, 3, ("Weak core structure", "Few donors"), "#inherent-4-3"),
                MatrixCell(1, 5, ("Budget <reform>",), "/strategies/s/risks/7/"),
            ),
        ),
        MatrixPanel(title="Residual", cells=(MatrixCell(2, 2, ("Weak core structure",), "/r/1/"),)),
    ]
    return figure_data(risk_matrix_figure(panels=panels, title="Open risks"))


def placed(traces: list[dict]) -> dict[tuple[int, int], tuple[dict, int]]:
    """Return each placed cell of a panel's traces as (likelihood, impact) -> (trace, count)."""
    cells = {}
    for trace in traces:
        for likelihood, row in enumerate(trace["z"], start=1):
            for impact, count in enumerate(row, start=1):
                if count is not None:
                    assert (likelihood, impact) not in cells, "a cell is drawn twice"
                    cells[likelihood, impact] = (trace, count)
    return cells


def test_matrix_draws_one_trace_per_band_and_panel():
    figure = matrix()
    assert [trace["type"] for trace in figure["data"]] == ["heatmap"] * 8
    assert [trace["name"] for trace in figure["data"]] == ["Inherent"] * 4 + ["Residual"] * 4
    assert {trace["xaxis"] for trace in figure["data"][4:]} == {"x2"}


def test_matrix_puts_the_count_of_each_cell_in_its_likelihood_row_and_impact_column():
    figure = matrix()
    inherent, residual = placed(figure["data"][:4]), placed(figure["data"][4:])
    # z[likelihood - 1][impact - 1]
    assert {position: count for position, (_, count) in inherent.items()} == {
        (4, 3): 2,
        (1, 5): 1,
    }
    assert {position: count for position, (_, count) in residual.items()} == {(2, 2): 1}
    assert all(len(t["z"]) == 5 and all(len(r) == 5 for r in t["z"]) for t in figure["data"])


def test_matrix_fills_each_cell_in_the_colour_of_its_score_band():
    figure = matrix()
    for band, trace in zip(SCORED_BANDS * 2, figure["data"], strict=True):
        assert {colour for _, colour in trace["colorscale"]} == {BAND_FILL[band]}
        assert trace["showscale"] is False
        assert trace["textfont"]["color"] == BAND_INK[band]
    for panel in (figure["data"][:4], figure["data"][4:]):
        for (likelihood, impact), (trace, _) in placed(panel).items():
            assert trace["colorscale"][0][1] == BAND_FILL[score_band(likelihood * impact)]
    # 4 × 3 = 12 is high (red), 1 × 5 = 5 medium (amber), 2 × 2 = 4 low (green).
    assert placed(figure["data"][:4])[4, 3][0]["colorscale"][0][1] == "#f4a3a8"
    assert placed(figure["data"][:4])[1, 5][0]["colorscale"][0][1] == "#ffdf80"
    assert placed(figure["data"][4:])[2, 2][0]["colorscale"][0][1] == "#cfe8d5"


def test_matrix_leaves_cells_without_risks_blank():
    figure = matrix()
    for trace in figure["data"]:
        assert trace["hoverongaps"] is False
    inherent = placed(figure["data"][:4])
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            if (likelihood, impact) in inherent:
                continue
            for trace in figure["data"][:4]:
                assert trace["z"][likelihood - 1][impact - 1] is None
                assert trace["text"][likelihood - 1][impact - 1] == ""
                assert trace["customdata"][likelihood - 1][impact - 1] == ["", ""]


def test_matrix_prints_the_count_over_the_band_and_names_the_band_on_hover():
    figure = matrix()
    for trace in figure["data"]:
        assert trace["texttemplate"] == "<b>%{text}</b>"
        assert trace["hovertemplate"] == "%{customdata[1]}<extra></extra>"
    trace, count = placed(figure["data"][:4])[4, 3]
    assert count == 2
    assert trace["text"][3][2] == f'2<br><span style="{BAND_NAME_STYLE}">High</span>'
    trace, _ = placed(figure["data"][:4])[1, 5]
    assert trace["text"][0][4] == f'1<br><span style="{BAND_NAME_STYLE}">Medium</span>'
    hover = placed(figure["data"][:4])[4, 3][0]["customdata"][3][2][1]
    assert "Likelihood 4 × impact 3 = score 12" in hover
    assert "Score band: High (10-16)" in hover
    assert "2 risks" in hover
    assert "• Weak core structure" in hover and "• Few donors" in hover


def test_matrix_escapes_names_and_links_placed_cells():
    inherent = placed(matrix()["data"][:4])
    trace, _ = inherent[1, 5]
    link, hover = trace["customdata"][0][4]
    assert link == "/strategies/s/risks/7/"
    assert "Budget &lt;reform&gt;" in hover
    trace, _ = inherent[4, 3]
    assert trace["customdata"][3][2][0] == "#inherent-4-3"


def test_matrix_has_no_colour_scale_of_counts():
    figure = matrix()
    assert "coloraxis" not in figure["layout"]
    assert figure["layout"]["title"]["text"] == "Open risks"
    assert "Impact" in figure["layout"]["xaxis"]["title"]["text"]
    assert "Likelihood" in figure["layout"]["yaxis2"]["title"]["text"]


def test_an_empty_matrix_draws_its_axes_and_no_cell():
    figure = figure_data(risk_matrix_figure(panels=[MatrixPanel("Inherent", ())], title="t"))
    assert len(figure["data"]) == 4
    assert placed(figure["data"]) == {}
    assert figure["layout"]["xaxis"]["range"] == [0.5, 5.5]


def test_score_figure_draws_inherent_and_residual_in_date_order_on_zero_to_25():
    points = [
        ScorePoint(datetime.date(2024, 3, 1), 12, 9),
        ScorePoint(datetime.date(2023, 3, 1), 16, None, illustrative=True),
    ]
    figure = figure_data(risk_score_figure(points=points, title="Score over time"))
    inherent, residual = figure["data"]
    assert inherent["name"] == "Inherent score" and residual["name"] == "Residual score"
    assert inherent["x"] == ["2023-03-01", "2024-03-01"]
    assert inherent["y"] == [16, 12]
    assert residual["y"] == [None, 9]
    assert inherent["customdata"] == [["1 Mar 2023", "Illustrative rating"], ["1 Mar 2024", ""]]
    # The axis writes each date in the reader's language, not plotly's English month names.
    assert figure["layout"]["xaxis"]["ticktext"] == ["1 Mar 2023", "1 Mar 2024"]
    assert figure["layout"]["xaxis"]["tickvals"] == ["2023-03-01", "2024-03-01"]
    assert inherent["line"]["color"] == OKABE_ITO["blue"]
    assert residual["line"]["color"] == OKABE_ITO["orange"]
    assert residual["line"]["dash"] == "dash"
    assert figure["layout"]["yaxis"]["range"] == [0, 25.5]
    assert "Score" in figure["layout"]["yaxis"]["title"]["text"]


def test_figures_serialise_to_plain_json():
    figure = matrix()
    assert json.loads(json.dumps(figure)) == figure


def test_hover_escape_shortens_long_names():
    text = hover_escape("x" * 100, length=10)
    assert len(text) == 10 and text.endswith("…")

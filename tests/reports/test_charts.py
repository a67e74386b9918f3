"""Plotly figures built from plain data, checked without a database or a browser."""

import datetime
import json

from risks.charts import (
    MatrixCell,
    MatrixPanel,
    ScorePoint,
    risk_matrix_figure,
    risk_score_figure,
)
from strategy_monitor.charts import OKABE_ITO, SEQUENTIAL_BLUES, figure_data, hover_escape


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


def test_matrix_counts_each_cell_by_likelihood_row_and_impact_column():
    figure = matrix()
    inherent, residual = figure["data"]
    assert inherent["type"] == residual["type"] == "heatmap"
    # z[likelihood - 1][impact - 1]
    assert inherent["z"][3][2] == 2
    assert inherent["z"][0][4] == 1
    assert sum(map(sum, inherent["z"])) == 3
    assert residual["z"][1][1] == 1
    assert sum(map(sum, residual["z"])) == 1
    assert len(inherent["z"]) == 5 and all(len(row) == 5 for row in inherent["z"])


def test_matrix_prints_the_count_lists_names_on_hover_and_links_cells():
    inherent = matrix()["data"][0]
    assert inherent["texttemplate"] == "%{z}"
    hover = inherent["text"][3][2]
    assert "Likelihood 4 × impact 3 = score 12" in hover
    assert "2 risks" in hover
    assert "• Weak core structure" in hover and "• Few donors" in hover
    assert "Budget &lt;reform&gt;" in inherent["text"][0][4]
    assert inherent["customdata"][3][2] == "#inherent-4-3"
    assert inherent["customdata"][0][4] == "/strategies/s/risks/7/"
    assert inherent["customdata"][0][0] == ""


def test_matrix_panels_share_one_colour_blind_safe_scale_from_zero():
    figure = matrix()
    assert {trace["coloraxis"] for trace in figure["data"]} == {"coloraxis"}
    axis = figure["layout"]["coloraxis"]
    assert axis["cmin"] == 0 and axis["cmax"] == 2
    assert [list(step) for step in axis["colorscale"]] == SEQUENTIAL_BLUES
    assert figure["layout"]["title"]["text"] == "Open risks"
    assert "Impact" in figure["layout"]["xaxis"]["title"]["text"]
    assert "Likelihood" in figure["layout"]["yaxis2"]["title"]["text"]


def test_an_empty_matrix_still_has_a_scale():
    figure = figure_data(risk_matrix_figure(panels=[MatrixPanel("Inherent", ())], title="t"))
    assert figure["layout"]["coloraxis"]["cmax"] == 1
    assert sum(map(sum, figure["data"][0]["z"])) == 0


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

"""The dashboards' figure builders on hand-built values, without a database or a browser."""

from dataclasses import dataclass
from decimal import Decimal

from reports.charts import (
    MONEY_MEASURES,
    AchievementBar,
    DonorBar,
    RatingMark,
    RegionBar,
    allocation_figure,
    donor_rank_figure,
    indicator_figure,
    money_figure,
    rating_figure,
)
from risks.charts import BandBar, risk_band_figure
from strategy_monitor.charts import ILLUSTRATIVE_TEXT, figure_data, millions

M = Decimal(1_000_000)


@dataclass(frozen=True)
class Cell:
    planned: Decimal | None
    approved: Decimal | None
    committed: Decimal
    disbursed: Decimal


def annotations(figure: dict) -> list[str]:
    return [a["text"] for a in figure["layout"].get("annotations", [])]


def money(illustrative: bool = False) -> dict:
    cells = [Cell(48 * M, 48 * M, 48 * M, 24 * M), Cell(48 * M, None, Decimal(0), Decimal(0))]
    return figure_data(
        money_figure(
            categories=["2024", "2025"],
            cells=cells,
            title="Money (DKK million)",
            category_title="Year",
            illustrative=illustrative,
        )
    )


def test_millions_keep_three_decimals_and_none():
    assert millions(Decimal("4100000")) == 4.1
    assert millions(Decimal("1234567.89")) == 1.235
    assert millions(None) is None


def test_money_figure_draws_the_four_stages_in_millions_with_exact_hover():
    figure = money()
    assert [t["name"] for t in figure["data"]] == [name for _, name, _, _ in MONEY_MEASURES]
    planned, approved, committed, disbursed = figure["data"]
    assert planned["y"] == [48.0, 48.0]
    assert approved["y"] == [48.0, None]
    assert disbursed["y"] == [24.0, 0.0]
    assert approved["customdata"][1] == ["2025", "not recorded"]
    assert committed["customdata"][0] == ["2024", "DKK 48,000,000"]
    assert "DKK %{y:,.1f} million" in disbursed["hovertemplate"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "DKK million"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Year"


def test_money_stages_differ_in_colour_and_fill_pattern():
    planned, approved, committed, disbursed = money()["data"]
    colours = {t["marker"]["color"] for t in (planned, approved, committed, disbursed)}
    assert len(colours) == 4
    assert planned["marker"]["pattern"]["shape"] == "/"
    assert disbursed["marker"]["pattern"]["shape"] == "."


def test_illustrative_label_appears_only_on_figures_built_from_illustrative_records():
    assert ILLUSTRATIVE_TEXT not in " ".join(annotations(money()))
    label = next(a for a in money(illustrative=True)["layout"]["annotations"])
    assert ILLUSTRATIVE_TEXT in label["text"]
    assert (label["xref"], label["x"], label["xanchor"]) == ("paper", 1, "right")


def test_risk_band_figure_stacks_bands_most_severe_first():
    figure = figure_data(
        risk_band_figure(
            bars=[
                BandBar("A 2023-2026", (("high", 3), ("medium", 2), ("unrated", 1))),
                BandBar("B 2024-2027", (("critical", 1),)),
            ],
            band_labels={"critical": "Critical", "high": "High", "unrated": "Not yet rated"},
            title="Open risks",
        )
    )
    assert [t["name"] for t in figure["data"]] == [
        "Critical",
        "High",
        "medium",
        "low",
        "Not yet rated",
    ]
    assert figure["data"][0]["x"] == [0, 1]
    assert figure["data"][1]["x"] == [3, 0]
    assert figure["data"][1]["text"] == ["3", ""]
    assert figure["layout"]["barmode"] == "stack"
    assert figure["data"][4]["marker"]["pattern"]["shape"] == "x"


def test_indicator_figure_has_one_bar_per_year_and_a_target_line_at_100():
    figure = figure_data(
        indicator_figure(
            bars=[
                AchievementBar("PA 1 · Share", "Share", ((2023, 95.5, "t"), (2024, None, "u"))),
                AchievementBar("PA 2 · Count", "Count", ((2024, 130.0, "v"),)),
            ],
            years=[2023, 2024],
            title="Indicators",
        )
    )
    first, second = figure["data"]
    assert (first["name"], first["x"]) == ("2023", [95.5, None])
    assert (second["name"], second["x"]) == ("2024", [None, 130.0])
    assert second["customdata"][1] == ["Count", "v"]
    assert figure["layout"]["shapes"][0]["x0"] == 100
    assert figure["layout"]["xaxis"]["range"][1] > 130


def test_rating_figure_prints_symbol_and_rating_and_leaves_other_years_empty():
    figure = figure_data(
        rating_figure(
            rows=[
                (
                    "Priority area 1",
                    [
                        RatingMark("on_track", "On track", illustrative=True),
                        RatingMark("off_track", "Off track"),
                        RatingMark("", ""),
                    ],
                )
            ],
            years=[2023, 2024, 2025],
            title="Ratings",
        )
    )
    heatmap = figure["data"][0]
    assert heatmap["text"] == [["✓ On track *", "✕ Off track", ""]]
    assert heatmap["z"][0][2] is None
    assert heatmap["z"][0][0] > heatmap["z"][0][1]
    assert "Illustrative rating" in heatmap["customdata"][0][0]
    assert "outside the strategy period" in heatmap["customdata"][0][2]
    assert "* Illustrative rating" in annotations(figure)


def test_allocation_figure_stacks_decisions_per_region():
    figure = figure_data(
        allocation_figure(
            bars=[RegionBar("West Africa", 20 * M, Decimal(0), Decimal(0))],
            title="Allocations",
            illustrative=True,
        )
    )
    assert [t["name"] for t in figure["data"]] == ["Approved", "Awaiting decision", "Rejected"]
    assert figure["data"][0]["x"] == [20.0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "DKK million"
    assert any(ILLUSTRATIVE_TEXT in text for text in annotations(figure))


def test_donor_figure_marks_the_home_donor_in_colour_pattern_and_bold_label():
    figure = figure_data(
        donor_rank_figure(
            bars=[
                DonorBar("Sweden", 1, Decimal("12160000")),
                DonorBar("Denmark", 2, Decimal("4100000"), is_home=True, is_pledged=True),
            ],
            title="Donors (USD million)",
        )
    )
    bars = figure["data"][0]
    assert bars["y"] == ["1. Sweden", "2. Denmark"]
    assert bars["x"] == [12.16, 4.1]
    assert bars["text"] == ["12.16", "4.10"]
    assert bars["marker"]["color"][0] != bars["marker"]["color"][1]
    assert bars["marker"]["pattern"]["shape"] == ["", "/"]
    assert figure["layout"]["yaxis"]["ticktext"] == ["1. Sweden", "<b>2. Denmark</b>"]
    assert "pledged" in bars["customdata"][1][2]

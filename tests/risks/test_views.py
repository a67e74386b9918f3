"""The register's pages: forms and refusals, filters, export, query counts.

Which role may open which page is walked in tests/security/test_url_access.py.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from risks.choices import RiskCategory, RiskStatus
from risks.models import Risk, RiskRating
from strategy_monitor.concurrency import version_token
from tests.priorities.factories import PriorityAreaFactory
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)
NOW = datetime.datetime(2025, 6, 16, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))

NOT_EDITORS = ["client_finance", "client_mission", "client_manager", "client_admin"]
EDIT_VIEWS = ["risk_create", "risk_update", "risk_rate", "risk_close", "risk_reopen"]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name: str, strategy, risk=None) -> str:
    kwargs = {"slug": strategy.slug}
    if risk is not None:
        kwargs["pk"] = risk.pk
    return reverse(f"risks:{name}", kwargs=kwargs)


def edit_url(name: str, strategy, risk) -> str:
    return url(name, strategy, None if name == "risk_create" else risk)


@pytest.fixture
def risk(strategy):
    return RiskFactory(strategy=strategy, title="Weak core structure")


@pytest.fixture
def closed_risk(strategy):
    return RiskFactory(
        strategy=strategy, title="Old risk", status=RiskStatus.CLOSED, closed_reason="Ended."
    )


def rating_post(**overrides) -> dict:
    data = {
        "rated_on": TODAY.isoformat(),
        "likelihood": "4",
        "impact": "3",
        "residual_likelihood": "2",
        "residual_impact": "3",
        "residual_justification": "",
        "note": "After the consultations.",
        "next_review": "",
    }
    data.update(overrides)
    return data


def valid_post(name: str, risk) -> dict:
    if name == "risk_create":
        return {"title": "New risk", "category": "", "description": "", "response": ""}
    if name == "risk_update":
        return {
            "title": risk.title,
            "category": "",
            "response": "Changed.",
            "version": version_token(risk),
        }
    if name == "risk_rate":
        return rating_post()
    if name == "risk_close":
        return {"closed_reason": "No longer relevant.", "version": version_token(risk)}
    return {"note": "", "version": version_token(risk)}


# Access per role.


@pytest.mark.parametrize("client_name", NOT_EDITORS)
@pytest.mark.parametrize("name", EDIT_VIEWS)
def test_only_desk_officers_edit(request, client_name, name, strategy, risk, closed_risk):
    client = request.getfixturevalue(client_name)
    target = closed_risk if name == "risk_reopen" else risk
    path = edit_url(name, strategy, target)
    assert client.get(path).status_code == 403
    assert client.post(path, valid_post(name, target)).status_code == 403
    assert Risk.objects.filter(strategy=strategy).count() == 2
    assert not RiskRating.objects.exists()
    target.refresh_from_db()
    assert target.response == "" and target.status == (
        RiskStatus.CLOSED if name == "risk_reopen" else RiskStatus.OPEN
    )


@pytest.mark.parametrize("client_name", NOT_EDITORS)
def test_readers_see_no_edit_buttons(request, client_name, strategy, risk, closed_risk):
    client = request.getfixturevalue(client_name)
    listing = client.get(url("risk_list", strategy)).text
    assert "Add a risk" not in listing
    detail = client.get(url("risk_detail", strategy, risk)).text
    for label in ("Rate this risk", "Re-rate", "Edit details", ">Close<"):
        assert label not in detail
    assert url("risk_rate", strategy, risk) not in detail
    closed = client.get(url("risk_detail", strategy, closed_risk)).text
    assert url("risk_reopen", strategy, closed_risk) not in closed


def test_desk_officer_sees_the_edit_buttons(client_desk, strategy, risk, closed_risk):
    assert "Add a risk" in client_desk.get(url("risk_list", strategy)).text
    detail = client_desk.get(url("risk_detail", strategy, risk)).text
    assert "Rate this risk" in detail
    assert url("risk_update", strategy, risk) in detail
    assert url("risk_close", strategy, risk) in detail
    closed = client_desk.get(url("risk_detail", strategy, closed_risk)).text
    assert url("risk_reopen", strategy, closed_risk) in closed
    assert url("risk_rate", strategy, closed_risk) not in closed


def test_a_risk_of_another_strategy_is_not_found(client_desk, strategy, other_strategy):
    elsewhere = RiskFactory(strategy=other_strategy)
    assert client_desk.get(url("risk_detail", strategy, elsewhere)).status_code == 404
    assert client_desk.get(url("risk_rate", strategy, elsewhere)).status_code == 404


def test_strategy_header_has_a_risks_tab(client_desk, strategy):
    response = client_desk.get(
        reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})
    )
    assert f'href="{url("risk_list", strategy)}"' in response.text
    listing = client_desk.get(url("risk_list", strategy)).text
    assert f'href="{url("risk_list", strategy)}" aria-current="page">Risks' in listing


# The register.


def test_register_shows_unrated_risks_as_not_yet_rated_and_labels_illustrative_ratings(
    client_manager, strategy
):
    RiskFactory(strategy=strategy, title="Unrated one", category="")
    RiskFactory(
        strategy=strategy,
        title="Demo one",
        likelihood=4,
        impact=4,
        residual_likelihood=2,
        residual_impact=2,
        rating_is_illustrative=True,
    )
    text = client_manager.get(url("risk_list", strategy)).text
    assert "Not yet rated" in text
    assert "Not categorised" in text
    assert "Illustrative data" in text
    assert "illustrative-banner" in text
    assert "<strong>16</strong>" in text


def test_register_counts_unrated_risks_apart(client_desk, strategy):
    RiskFactory.create_batch(2, strategy=strategy)
    RiskFactory(strategy=strategy, likelihood=1, impact=1)
    response = client_desk.get(url("risk_list", strategy))
    counts = response.context["counts"]
    assert (counts.open, counts.unrated, dict(counts.by_band)["low"]) == (3, 2, 1)


def test_register_marks_overdue_risks(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Late", next_review=TODAY - datetime.timedelta(days=1))
    RiskFactory(strategy=strategy, title="On time", next_review=TODAY)
    response = client_desk.get(url("risk_list", strategy))
    assert response.text.count("tag-overdue") == 1


def titles(response) -> set[str]:
    return {row.record.title for row in response.context["table"].rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "institutional"}, {"Institutional high"}),
        ({"category": "none"}, {"Unrated", "Late"}),
        ({"status": "closed"}, {"Closed"}),
        ({"band": "unrated"}, {"Unrated", "Late"}),
        ({"band": "high"}, {"Institutional high"}),
        ({"band": "critical"}, {"Closed"}),
        ({"overdue": "yes"}, {"Late"}),
        ({"overdue": "no"}, {"Unrated", "Institutional high", "Closed"}),
        ({"q": "institutional"}, {"Institutional high"}),
    ],
)
def test_register_filters(client_desk, strategy, query, expected):
    RiskFactory(strategy=strategy, title="Unrated", category="")
    RiskFactory(
        strategy=strategy, title="Late", category="", next_review=TODAY - datetime.timedelta(days=3)
    )
    RiskFactory(
        strategy=strategy,
        title="Institutional high",
        category=RiskCategory.INSTITUTIONAL,
        likelihood=4,
        impact=3,
    )
    RiskFactory(
        strategy=strategy,
        title="Closed",
        likelihood=5,
        impact=5,
        status=RiskStatus.CLOSED,
        closed_reason="Gone.",
        next_review=TODAY - datetime.timedelta(days=3),
    )
    assert titles(client_desk.get(url("risk_list", strategy), query)) == expected


def test_register_sorts_unrated_risks_last_by_score(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Unrated")
    RiskFactory(strategy=strategy, title="Low", likelihood=1, impact=1)
    RiskFactory(strategy=strategy, title="High", likelihood=4, impact=4)
    for order in ("score", "-score"):
        response = client_desk.get(url("risk_list", strategy), {"sort": order})
        names = [row.record.title for row in response.context["table"].rows]
        assert names[-1] == "Unrated"


def test_register_exports_csv_with_not_yet_rated_and_neutralised_formulas(client_desk, strategy):
    RiskFactory(strategy=strategy, title="=HYPERLINK(1)")
    RiskFactory(
        strategy=strategy, title="Rated", likelihood=2, impact=3, rating_is_illustrative=True
    )
    response = client_desk.get(url("risk_list", strategy), {"_export": "csv"})
    assert response.status_code == 200
    assert f"risks-{strategy.slug}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Risk,Category,Likelihood,Impact,Score,Residual score")
    assert "'=HYPERLINK(1)" in text
    assert "Not yet rated" in text
    assert "Rated,Contextual,2,3,6," in text
    assert "<span" not in text


def test_register_exports_xlsx(client_desk, strategy):
    RiskFactory(strategy=strategy)
    response = client_desk.get(url("risk_list", strategy), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


# The risk page.


def test_risk_page_shows_the_rating_history_newest_first_with_a_score_chart(
    client_manager, strategy, desk
):
    area = PriorityAreaFactory(strategy=strategy, title="Enhanced effectiveness")
    risk = RiskFactory(
        strategy=strategy,
        description="IOM's core is weak.",
        response="Budget reform.",
        likelihood=3,
        impact=3,
    )
    risk.priority_areas.add(area)
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2023, 3, 1), note="First", rated_by=desk)
    RiskRatingFactory(
        risk=risk, rated_on=datetime.date(2024, 3, 1), note="Second", is_illustrative=True
    )
    response = client_manager.get(url("risk_detail", strategy, risk))
    text = response.text
    assert "IOM&#x27;s core is weak." in text and "Budget reform." in text
    assert "Enhanced effectiveness" in text
    assert text.index("Second") < text.index("First")
    assert 'data-figure="risk-score-chart"' in text
    assert 'id="risk-score-chart"' in text
    assert "vendor/plotly/plotly.min.js" in text and "js/charts.js" in text
    figure = response.context["score_figure"]
    assert figure["data"][0]["x"] == ["2023-03-01", "2024-03-01"]
    assert "Illustrative data" in text


def test_risk_page_of_an_unrated_risk_says_so_and_loads_no_chart(client_desk, strategy, risk):
    text = client_desk.get(url("risk_detail", strategy, risk)).text
    assert "Not yet rated" in text
    assert "not placed in the heat map" in text
    assert "plotly.min.js" not in text


# Editing through the pages.


def test_desk_officer_adds_a_risk(client_desk, strategy, desk):
    area = PriorityAreaFactory(strategy=strategy)
    response = client_desk.post(
        url("risk_create", strategy),
        {
            "title": "Donor fatigue",
            "category": "contextual",
            "description": "Few donors.",
            "response": "Broaden the base.",
            "priority_areas": [area.pk],
            "owner": desk.pk,
            "next_review": "2025-12-01",
        },
        follow=True,
    )
    risk = Risk.objects.get(strategy=strategy, title="Donor fatigue")
    assert response.redirect_chain[-1][0] == url("risk_detail", strategy, risk)
    assert "not yet rated" in response.text
    assert (risk.owner, risk.category, list(risk.priority_areas.all())) == (
        desk,
        "contextual",
        [area],
    )


def test_adding_a_risk_with_a_past_review_date_shows_the_error_by_the_field(client_desk, strategy):
    response = client_desk.post(
        url("risk_create", strategy), {"title": "Late", "next_review": "2025-06-15"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["next_review"] == [
        "The next review cannot be in the past: choose 16 June 2025 or a later date."
    ]
    assert not Risk.objects.filter(title="Late").exists()


def test_desk_officer_rates_an_unrated_risk(client_desk, strategy, risk, desk):
    response = client_desk.post(
        url("risk_rate", strategy, risk), rating_post(next_review="2025-12-01"), follow=True
    )
    assert response.redirect_chain[-1][0] == url("risk_detail", strategy, risk)
    assert "score 12. It is the current rating" in response.text
    risk.refresh_from_db()
    assert (risk.score, risk.residual_score, risk.next_review) == (
        12,
        6,
        datetime.date(2025, 12, 1),
    )
    rating = risk.ratings.get()
    assert (rating.rated_by, rating.note) == (desk, "After the consultations.")


@pytest.mark.parametrize("value", ["0", "6", "2.5", "x"])
@pytest.mark.parametrize("field", ["likelihood", "impact", "residual_likelihood"])
def test_rating_form_refuses_values_outside_one_to_five(client_desk, strategy, risk, field, value):
    response = client_desk.post(url("risk_rate", strategy, risk), rating_post(**{field: value}))
    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert "whole number from 1 to 5" in message
    assert not risk.ratings.exists()


def test_rating_form_refuses_residual_above_inherent_without_justification(
    client_desk, strategy, risk
):
    post = rating_post(likelihood="2", impact="2", residual_likelihood="3", residual_impact="3")
    response = client_desk.post(url("risk_rate", strategy, risk), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "explain why" in errors["residual_justification"][0]
    post["residual_justification"] = "The partner withdrew."
    response = client_desk.post(url("risk_rate", strategy, risk), post)
    assert response.status_code == 302
    assert risk.ratings.count() == 1


def test_rating_form_refuses_a_next_review_in_the_past(client_desk, strategy, risk):
    response = client_desk.post(
        url("risk_rate", strategy, risk), rating_post(next_review="2025-06-01")
    )
    assert "cannot be in the past" in response.context["form"].errors["next_review"][0]


def test_an_earlier_dated_rating_is_reported_as_history_only(client_desk, strategy, risk):
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2025, 5, 1))
    response = client_desk.post(
        url("risk_rate", strategy, risk), rating_post(rated_on="2025-01-01"), follow=True
    )
    assert "recorded in the history. A later rating exists" in response.text


def test_rating_a_closed_risk_is_refused_on_the_form(client_desk, strategy, closed_risk):
    response = client_desk.post(url("risk_rate", strategy, closed_risk), rating_post())
    assert response.status_code == 200
    assert "reopen it before re-rating it" in response.text
    assert not closed_risk.ratings.exists()


def test_desk_officer_changes_the_response(client_desk, strategy, risk):
    response = client_desk.post(
        url("risk_update", strategy, risk),
        {
            "title": risk.title,
            "category": "institutional",
            "response": "Raise it with the donor group.",
            "version": version_token(risk),
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.response, risk.category) == ("Raise it with the donor group.", "institutional")


def test_a_stale_edit_is_refused_with_what_changed(client_desk, strategy, risk):
    stale = version_token(risk)
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        client_desk.post(
            url("risk_update", strategy, risk),
            {"title": risk.title, "response": "First.", "version": stale},
        )
    response = client_desk.post(
        url("risk_update", strategy, risk),
        {"title": risk.title, "response": "Second.", "version": stale},
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    risk.refresh_from_db()
    assert risk.response == "First."
    # The user's text stays, and saving again starts from the version now stored.
    form = response.context["form"]
    assert form["response"].value() == "Second."
    assert form["version"].value() == version_token(risk) != stale


def test_closing_needs_a_reason_on_the_form(client_desk, strategy, risk):
    response = client_desk.post(
        url("risk_close", strategy, risk), {"closed_reason": "  ", "version": version_token(risk)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closed_reason"] == [
        "Give the reason for closing the risk."
    ]
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def test_desk_officer_closes_and_reopens_a_risk(client_desk, strategy, risk):
    response = client_desk.post(
        url("risk_close", strategy, risk),
        {"closed_reason": "The reform was approved.", "version": version_token(risk)},
        follow=True,
    )
    assert "closed." in response.text
    assert "The reform was approved." in response.text
    risk.refresh_from_db()
    assert risk.status == RiskStatus.CLOSED
    response = client_desk.post(
        url("risk_reopen", strategy, risk),
        {"note": "Reform postponed.", "next_review": "2025-09-01", "version": version_token(risk)},
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.next_review) == (RiskStatus.OPEN, datetime.date(2025, 9, 1))


# The heat map.


def test_heatmap_lists_unrated_risks_under_the_map_with_links(client_mission, strategy):
    unrated = RiskFactory(strategy=strategy, title="Unrated one")
    RiskFactory(
        strategy=strategy,
        title="Rated one",
        likelihood=4,
        impact=3,
        residual_likelihood=2,
        residual_impact=2,
    )
    response = client_mission.get(url("heatmap", strategy))
    text = response.text
    assert "1 of 2 open risks is not yet rated" in text
    assert f'href="{url("risk_detail", strategy, unrated)}">Unrated one' in text
    assert "1 risk" in heat_cell(text, "inherent-4-3")
    assert "1 risk" in heat_cell(text, "residual-2-2")


def heat_cell(text: str, cell_id: str) -> str:
    """Return the markup of one cell of the heat map, from its opening tag to its end."""
    cell = text[text.index(f'id="{cell_id}"') :]
    return cell[: cell.index("</td>")]


def test_heatmap_table_lists_each_cells_risks_with_links(client_desk, strategy):
    first = RiskFactory(strategy=strategy, title="First", likelihood=5, impact=5)
    second = RiskFactory(strategy=strategy, title="Second", likelihood=5, impact=5)
    cell = heat_cell(client_desk.get(url("heatmap", strategy)).text, "inherent-5-5")
    assert "2 risks" in cell
    assert url("risk_detail", strategy, first) in cell
    assert url("risk_detail", strategy, second) in cell
    assert "score 25" in cell


@pytest.mark.parametrize(
    ("likelihood", "impact", "band", "name"),
    [
        (1, 2, "low", "Low (1-4)"),
        (2, 3, "medium", "Medium (5-9)"),
        (3, 4, "high", "High (10-16)"),
        (5, 4, "critical", "Critical (20-25)"),
    ],
)
def test_heatmap_cells_take_the_colour_pattern_and_name_of_their_band(
    client_desk, strategy, likelihood, impact, band, name
):
    RiskFactory(strategy=strategy, title="Placed", likelihood=likelihood, impact=impact)
    text = client_desk.get(url("heatmap", strategy)).text
    cell = heat_cell(text, f"inherent-{likelihood}-{impact}")
    assert f'class="cell band-fill-{band} filled"' in cell
    # The band's name is written in the cell: colour is never the only signal.
    assert f"{name}, score {likelihood * impact}" in cell
    assert '<span class="cell-count">1 risk</span>' in cell
    # The key names every band beside its colour and pattern.
    assert f'<span class="band-swatch band-fill-{band}" aria-hidden="true"></span> {name}' in text


def test_heatmap_leaves_empty_cells_blank_but_in_their_band(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Placed", likelihood=5, impact=5)
    text = client_desk.get(url("heatmap", strategy)).text
    placed = {"inherent-5-5"}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            cell_id = f"inherent-{likelihood}-{impact}"
            if cell_id in placed:
                continue
            cell = heat_cell(text, cell_id)
            # Nothing between the tags: no "0", no score, no "0 risks".
            assert cell.endswith(">"), cell
            assert "empty" in cell and "band-fill-" in cell
            assert "0 risks" not in cell
    residual = [heat_cell(text, f"residual-{n}-{n}") for n in range(1, 6)]
    assert all(cell.endswith(">") for cell in residual)


def test_heatmap_leaves_closed_risks_out(client_desk, strategy, closed_risk):
    closed_risk.likelihood, closed_risk.impact = 5, 5
    closed_risk.save()
    response = client_desk.get(url("heatmap", strategy))
    assert response.context["heatmap"].inherent.placed == 0
    assert "filled" not in heat_cell(response.text, "inherent-5-5")
    assert "Old risk" not in response.text


def test_register_badges_carry_the_band_colours(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Severe one", likelihood=5, impact=5)
    RiskFactory(strategy=strategy, title="Mild one", likelihood=1, impact=1)
    text = client_desk.get(url("risk_list", strategy)).text
    assert '<span class="band band-critical">Critical</span>' in text
    assert '<span class="band band-low">Low</span>' in text
    # The summary's counts by band wear the same badges.
    assert '<dt><span class="band band-high">High (10-16)</span></dt>' in text


# Query counts do not grow with the data.


def populate(strategy, desk, rows: int) -> None:
    for number in range(rows):
        rated = number % 3 != 0
        RiskFactory(
            strategy=strategy,
            owner=desk if number % 2 else None,
            likelihood=(number % 5) + 1 if rated else None,
            impact=((number + 2) % 5) + 1 if rated else None,
            residual_likelihood=1 if rated else None,
            residual_impact=1 if rated else None,
            rating_is_illustrative=number % 4 == 0,
            next_review=TODAY - datetime.timedelta(days=number - 5),
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_register_query_count_does_not_grow(
    client_desk, desk, django_assert_num_queries, strategy, rows
):
    populate(strategy, desk, rows)
    # session, user, strategy with its partner, user's team roles, user's groups (manager
    # check), counts by band, paginator count, page of risks with their owners
    with django_assert_num_queries(8):
        response = client_desk.get(url("risk_list", strategy))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_heatmap_query_count_does_not_grow(
    client_desk, desk, django_assert_num_queries, strategy, rows
):
    populate(strategy, desk, rows)
    # session, user, strategy with its partner, user's team roles, user's groups, open risks
    with django_assert_num_queries(6):
        response = client_desk.get(url("heatmap", strategy))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_risk_page_query_count_does_not_grow(
    client_desk, desk, django_assert_num_queries, strategy, rows
):
    risk = RiskFactory(strategy=strategy, likelihood=3, impact=3)
    risk.priority_areas.set(PriorityAreaFactory.create_batch(min(rows, 4), strategy=strategy))
    for number in range(rows):
        RiskRatingFactory(
            risk=risk, rated_on=TODAY - datetime.timedelta(days=number), rated_by=desk
        )
    # session, user, strategy with its partner, user's team roles, user's groups, risk with its
    # owner, its priority areas, its ratings with who rated, its change log with who changed
    with django_assert_num_queries(9):
        response = client_desk.get(url("risk_detail", strategy, risk))
    assert response.status_code == 200

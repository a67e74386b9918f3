"""The portfolio at "/" and the strategy dashboard: who sees what, filters, and query counts."""

import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from priorities.choices import TeamRole
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
)
from tests.priorities.factories import (
    OrganisationFactory,
    StrategyFactory,
    TeamMembershipFactory,
)
from tests.reports.dashboard_data import TODAY, strategies_create, strategy_populate

PORTFOLIO = "/"


def dashboard_url(strategy) -> str:
    return reverse("reports:strategy_dashboard", kwargs={"slug": strategy.slug})


def chart_ids(response) -> list[str]:
    """Return the figure ids of the charts a page draws."""
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-figure="')[1:]]


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


# --- The route and who sees what ------------------------------------------------------------------


def test_home_is_the_portfolio_and_is_named_home():
    assert reverse("home") == PORTFOLIO


def test_desk_officer_sees_only_the_strategies_of_their_team(client_desk, strategy, other_strategy):
    response = client_desk.get(PORTFOLIO)
    assert response.status_code == 200
    content = response.content.decode()
    assert strategy.title in content
    assert other_strategy.title not in content
    assert [card.slug for card in response.context["portfolio"].cards] == [strategy.slug]


def test_desk_officer_sees_no_money_risks_or_follow_ups_of_other_strategies(
    client_desk, strategy, other_strategy
):
    strategy_populate(other_strategy)
    portfolio = client_desk.get(PORTFOLIO).context["portfolio"]
    assert portfolio.money_years == ()
    assert portfolio.risks.open == 0
    assert portfolio.overdue_action_count == 0
    assert portfolio.overdue_actions == () and portfolio.milestones == ()
    assert portfolio.ratings.rows == ()


@pytest.mark.parametrize("client_name", ["client_manager", "client_admin"])
def test_managers_and_administrators_see_every_strategy(
    request, client_name, strategy, other_strategy
):
    response = request.getfixturevalue(client_name).get(PORTFOLIO)
    slugs = {card.slug for card in response.context["portfolio"].cards}
    assert slugs == {strategy.slug, other_strategy.slug}


def test_unknown_strategy_dashboard_is_not_found(client_manager):
    response = client_manager.get(reverse("reports:strategy_dashboard", kwargs={"slug": "nope"}))
    assert response.status_code == 404


def test_main_navigation_and_strategy_tabs_link_the_dashboards(client_desk, strategy):
    content = client_desk.get(dashboard_url(strategy)).content.decode()
    assert f'<a href="{PORTFOLIO}">Dashboard</a>' in content
    assert f'<a href="{dashboard_url(strategy)}" aria-current="page">Dashboard</a>' in content


# --- Filters and pages --------------------------------------------------------------------------


def test_partner_filter_keeps_one_partners_strategies(client_manager):
    partner = OrganisationFactory(slug="unhcr", name="UNHCR")
    kept = StrategyFactory(organisation=partner)
    StrategyFactory()
    response = client_manager.get(PORTFOLIO, {"partner": "unhcr"})
    assert [card.slug for card in response.context["portfolio"].cards] == [kept.slug]


def test_year_filter_keeps_strategies_running_that_year_and_shows_its_figures(client_manager):
    running = StrategyFactory(start_year=2023, end_year=2026)
    StrategyFactory(start_year=2018, end_year=2021)
    portfolio = client_manager.get(PORTFOLIO, {"year": "2024"}).context["portfolio"]
    assert [card.slug for card in portfolio.cards] == [running.slug]
    assert portfolio.year == 2024
    assert portfolio.cards[0].year_state_label == "Draft"


def test_without_a_year_every_strategy_shows_with_this_years_figures(client_manager):
    StrategyFactory(start_year=2023, end_year=2026)
    StrategyFactory(start_year=2018, end_year=2021)
    portfolio = client_manager.get(PORTFOLIO).context["portfolio"]
    assert portfolio.year == TODAY.year
    assert len(portfolio.cards) == 2
    assert sorted(card.runs_in_year for card in portfolio.cards) == [False, True]


def test_a_year_outside_every_strategy_is_refused_next_to_the_field(client_manager, strategy):
    response = client_manager.get(PORTFOLIO, {"year": "1990"})
    assert response.status_code == 200
    assert "year" in response.context["filter_form"].errors
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["portfolio"].cards) == 1


def test_portfolio_pages_strategies_and_keeps_the_filters(client_manager):
    partner = OrganisationFactory(slug="wfp")
    StrategyFactory.create_batch(12, organisation=partner)
    first = client_manager.get(PORTFOLIO, {"partner": "wfp"})
    portfolio = first.context["portfolio"]
    assert (portfolio.strategy_count, portfolio.page_count, len(portfolio.cards)) == (12, 2, 10)
    assert "?partner=wfp&amp;page=2" in first.content.decode()
    second = client_manager.get(PORTFOLIO, {"partner": "wfp", "page": "2"}).context["portfolio"]
    assert len(second.cards) == 2


# --- What the pages draw -------------------------------------------------------------------------


def test_portfolio_draws_its_charts_with_plain_table_alternatives(client_manager, strategy):
    strategy_populate(strategy)
    response = client_manager.get(PORTFOLIO)
    assert chart_ids(response) == ["chart-money", "chart-risks"]
    content = response.content.decode()
    for figure_id in chart_ids(response):
        script = content.split(f'id="{figure_id}" type="application/json">', 1)[1]
        figure = json.loads(script.split("</script>", 1)[0])
        assert figure["layout"]["title"]["text"]
        assert figure["data"]
    assert "Show the data as a table" in content
    assert "Ratings of the priority areas by year" in content
    assert 'src="/static/vendor/plotly/plotly.min.js"' in content


def test_strategy_dashboard_draws_every_chart_it_has_data_for(client_desk, strategy):
    strategy_populate(strategy)
    response = client_desk.get(dashboard_url(strategy))
    assert chart_ids(response) == [
        "chart-budget",
        "chart-indicators",
        "chart-ratings",
        "chart-heatmap",
        "chart-allocations",
        "chart-donors",
    ]
    content = response.content.decode()
    assert 'id="home-rank"><strong>1</strong> of 2 donors' in content
    assert "not available" in content  # the partner has no key figure for its income shares


def test_empty_strategy_dashboard_says_what_is_missing(client_desk, strategy):
    response = client_desk.get(dashboard_url(strategy))
    assert response.status_code == 200
    assert chart_ids(response) == ["chart-heatmap"]
    content = response.content.decode()
    assert "no budget lines in DKK yet" in content
    assert "No indicators are defined yet." in content
    # Panels with nothing to show for the strategy are left out rather than saying "none".
    assert "donors-heading" not in content and "No table of unearmarked donors" not in content
    assert "allocations-heading" not in content and "Softly earmarked" not in content


def test_illustrative_records_bring_the_banner(client_desk, strategy):
    strategy_populate(strategy)
    assert "illustrative-banner" not in client_desk.get(dashboard_url(strategy)).content.decode()
    strategy.budget_lines.first().approvals.update(is_illustrative=True)
    assert "illustrative-banner" in client_desk.get(dashboard_url(strategy)).content.decode()
    assert "illustrative-banner" in client_desk.get(PORTFOLIO).content.decode()


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("strategies", [2, 12])
def test_portfolio_query_count_does_not_grow_with_strategies(
    client_manager, django_assert_num_queries, strategies
):
    strategies_create(strategies)
    # session, user, user's groups; the filters' partners and years; count and page of
    # strategies (with the year's state and next milestone as subqueries); planned, approved,
    # committed and disbursed per strategy and year; open risks per strategy and band; overdue
    # action points per strategy; the most overdue action points; the milestones to come of
    # kinds a record fulfils (and one query per source of those kinds: none here); the next
    # milestones; the priority areas and the assessments of the page's strategies.
    with django_assert_num_queries(18):
        response = client_manager.get(PORTFOLIO)
    assert response.status_code == 200
    assert len(response.context["portfolio"].cards) == min(strategies, 10)


@pytest.mark.parametrize("strategies", [2, 12])
def test_portfolio_query_count_is_the_same_for_a_team_member(
    db, django_assert_num_queries, client, strategies
):
    created = strategies_create(strategies)
    member = TeamMembershipFactory(strategy=created[0], role=TeamRole.DESK_OFFICER).user
    for other in created[1:]:
        TeamMembershipFactory(strategy=other, user=member, role=TeamRole.MISSION_STAFF)
    client.force_login(member)
    # As for a manager: the team decides the strategies inside the same queries.
    with django_assert_num_queries(18):
        response = client.get(PORTFOLIO)
    assert response.context["portfolio"].strategy_count == strategies


@pytest.mark.parametrize("records", [1, 12])
def test_strategy_dashboard_query_count_does_not_grow_with_records(
    client_desk, django_assert_num_queries, strategy, records
):
    strategy_populate(strategy, records=records)
    # session, user, strategy; user's groups and team roles (permissions); budget lines,
    # planned amounts, their revisions, approvals, commitments and disbursements per line and
    # year, allocation rounds with their totals; the year's state; priority areas and
    # assessments; open risks for the heat map; risks per band; open and overdue action
    # points; indicators and their figures; allocations per office and decision, and their
    # offices; unearmarked contributions; income-share key figures; the most overdue action
    # points; the milestones to come of kinds a record fulfils (and one query per source of
    # those kinds: none here); the next milestones.
    with django_assert_num_queries(27):
        response = client_desk.get(dashboard_url(strategy))
    assert response.status_code == 200
    assert len(response.context["dashboard"].indicators.rows) == records


def key_figure(content: str, label: str) -> str:
    """Return the value cell of the key figure whose term starts with `label`."""
    match = re.search(rf"<dt>{label}[^<]*</dt><dd>(.*?)</dd>", content, re.S)
    assert match, f"no key figure {label!r}"
    return match.group(1)


def test_each_key_figure_of_money_is_labelled_only_when_its_own_records_are_illustrative(
    client_desk, strategy
):
    strategy_populate(strategy)
    # The year shown: an illustrative approval beside a recorded commitment and payment.
    line = strategy.budget_lines.first()
    ParliamentaryApprovalFactory(line=line, year=TODAY.year, is_illustrative=True)
    CommitmentFactory(line=line, year=TODAY.year, amount=Decimal("8000000"))
    DisbursementFactory(line=line, year=TODAY.year, amount=Decimal("1000000"), paid_on=TODAY)
    for url in (dashboard_url(strategy), PORTFOLIO):
        content = client_desk.get(url).content.decode()
        assert 'class="illustrative"' in key_figure(content, "Approved")
        assert 'class="illustrative"' not in key_figure(content, "Committed")
        assert 'class="illustrative"' not in key_figure(content, "Disbursed")
        assert 'class="illustrative"' not in key_figure(content, "Planned")

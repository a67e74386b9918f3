"""What the apps above priorities register about themselves when they start."""

from engagement.selectors import action_points_due, milestones_due
from funding.selectors import allocation_rounds_due, budget_plan, year_funding_held
from priorities import registry
from priorities.selectors import years_due
from risks.selectors import risk_overview, risk_reviews_due


def test_every_app_registers_what_it_has_due_for_a_user():
    assert set(registry.due_sources) == {
        years_due,
        allocation_rounds_due,
        risk_reviews_due,
        action_points_due,
        milestones_due,
    }


def test_funding_registers_what_a_year_holds_in_money():
    assert list(registry.year_data_checks) == [year_funding_held]


def test_set_up_tabs_keep_the_budget_between_the_priority_areas_and_the_team():
    assert [(tab.label, tab.url_name) for tab in registry.setup_sections] == [
        ("Front page", "priorities:strategy_update"),
        ("Years", "priorities:strategyyear_setup"),
        ("Priority areas", "priorities:priorityarea_setup"),
        ("Budget", "funding:budget_setup"),
        ("Team", "priorities:team_setup"),
        ("Results framework", "priorities:framework_setup"),
        ("Rhythm", "engagement:rhythm_setup"),
    ]


def test_overview_shows_the_budget_then_the_risks():
    assert [section.build for section in registry.overview_sections] == [
        budget_plan,
        risk_overview,
    ]


def test_funding_sets_up_the_budget_of_a_strategy_read_from_its_one_pager():
    from funding.services import budget_from_onepager

    assert list(registry.strategy_created_from_onepager) == [budget_from_onepager]


def test_the_set_up_checklist_asks_funding_then_engagement():
    from engagement.selectors import milestone_setup_checks
    from funding.selectors.setup import budget_setup_checks

    assert list(registry.setup_checks) == [budget_setup_checks, milestone_setup_checks]

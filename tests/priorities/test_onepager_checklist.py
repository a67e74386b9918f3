"""The set-up checklist: what a strategy still misses to be monitored, with where to fix it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from engagement.selectors import milestone_setup_checks
from funding.selectors.setup import budget_setup_checks
from priorities import registry
from priorities.choices import TeamRole
from priorities.selectors import strategy_setup_checklist
from tests.engagement.factories import MilestoneFactory, RhythmFactory
from tests.funding.factories import BudgetLineFactory, PlannedAmountFactory
from tests.priorities.builders import area_with_nodes, year_of
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def states(strategy) -> dict[str, bool]:
    return {check.label: check.done for check in strategy_setup_checklist(strategy=strategy)}


def test_budget_and_milestones_come_from_their_apps():
    assert budget_setup_checks in list(registry.setup_checks)
    assert milestone_setup_checks in list(registry.setup_checks)


def test_a_new_strategy_misses_everything(strategy):
    checks = strategy_setup_checklist(strategy=strategy)
    assert [check.label for check in checks] == [
        "Years",
        "Budget",
        "Priority areas",
        "Results framework",
        "Team",
        "Rhythm",
        "Milestones",
    ]
    # The factory plans its years; everything else is still to do.
    assert [check.label for check in checks if check.done] in ([], ["Years"])
    team = next(check for check in checks if check.label == "Team")
    assert team.detail == "No desk officer, no financial officer, no manager yet."


def test_each_item_is_done_once_its_data_is_there(strategy):
    year = year_of(strategy, 2023)
    year.planned_commitment = Decimal("1")
    year.save()
    PlannedAmountFactory(line=BudgetLineFactory(strategy=strategy), year=2023)
    area_with_nodes(strategy, number=1)
    for role in (TeamRole.DESK_OFFICER, TeamRole.FINANCIAL_OFFICER, TeamRole.MANAGER):
        TeamMembershipFactory(strategy=strategy, user=UserFactory(), role=role)
    MilestoneFactory(strategy=strategy)
    RhythmFactory(strategy=strategy)
    assert all(states(strategy).values()), states(strategy)


def test_a_budget_line_without_planned_amounts_is_not_enough(strategy):
    BudgetLineFactory(strategy=strategy)
    check = budget_setup_checks(strategy)[0]
    assert not check.done
    assert check.detail == "The budget lines have no planned amounts yet."


def test_the_front_page_set_up_shows_the_checklist_with_links(client_admin, strategy):
    response = client_admin.get(
        reverse("priorities:strategy_update", kwargs={"slug": strategy.slug})
    )
    assert "Ready to be monitored?" in response.text
    for name in (
        "priorities:strategyyear_setup",
        "funding:budget_setup",
        "priorities:priorityarea_setup",
        "priorities:framework_setup",
        "priorities:team_setup",
        "engagement:rhythm_setup",
        "engagement:milestone_list",
    ):
        assert f'href="{reverse(name, kwargs={"slug": strategy.slug})}"' in response.text


@pytest.mark.parametrize("rows", [1, 6])
def test_the_checklist_takes_a_fixed_number_of_queries(strategy, django_assert_num_queries, rows):
    for number in range(1, rows + 1):
        area_with_nodes(strategy, number=number)
        TeamMembershipFactory(strategy=strategy, user=UserFactory(), role=TeamRole.DESK_OFFICER)
        MilestoneFactory(strategy=strategy)
        PlannedAmountFactory(line=BudgetLineFactory(strategy=strategy), year=2023)
    # years/areas/mapping flags, team roles, budget lines, rhythm, milestones
    with django_assert_num_queries(5):
        strategy_setup_checklist(strategy=strategy)

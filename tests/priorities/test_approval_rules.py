"""The approver of a year is never the person who submitted it, whatever their rights."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from priorities import services
from priorities.choices import TeamRole, YearState
from strategy_monitor.concurrency import version_token
from strategy_monitor.forms import error_codes
from tests.priorities.builders import year_of
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "the approver of a year is never the person who submitted it"


def review_url(strategy, year: int = 2024) -> str:
    return reverse("priorities:strategyyear_review", kwargs={"slug": strategy.slug, "year": year})


def overview(client, strategy) -> str:
    return client.get(reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})).text


def post_action(client, strategy, action: str, year: int = 2024):
    """POST a decision from the year's review page."""
    version = version_token(year_of(strategy, year))
    return client.post(
        review_url(strategy, year), {"decision": action, f"{action}-version": version}
    )


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def manager_on_team(strategy, manager):
    """Return the manager, also a desk officer of the strategy, so able to submit its years."""
    TeamMembershipFactory(strategy=strategy, user=manager, role=TeamRole.DESK_OFFICER)
    return manager


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_year_approve_refuses_the_manager_who_submitted_it(strategy, manager):
    year = services.year_submit(strategy_year=year_of(strategy), user=manager)
    with pytest.raises(ValidationError) as refused:
        services.year_approve(strategy_year=year, user=manager)
    assert error_codes(refused.value) == {services.OWN_SUBMISSION_CODE}
    assert REFUSAL in " ".join(refused.value.messages)
    assert year_of(strategy).state == YearState.SUBMITTED


def test_year_approve_refuses_the_superuser_who_submitted_it(strategy, superuser):
    year = services.year_submit(strategy_year=year_of(strategy), user=superuser)
    with pytest.raises(ValidationError) as refused:
        services.year_approve(strategy_year=year, user=superuser)
    assert error_codes(refused.value) == {"own_submission"}
    assert year_of(strategy).state == YearState.SUBMITTED


def test_another_manager_approves_a_year_a_manager_submitted(strategy, manager, superuser):
    year = services.year_submit(strategy_year=year_of(strategy), user=manager)
    year = services.year_approve(strategy_year=year, user=superuser)
    assert (year.state, year.state_changed_by) == (YearState.APPROVED, superuser)


def test_return_of_an_own_submission_stays_possible(strategy, manager):
    year = services.year_submit(strategy_year=year_of(strategy), user=manager)
    year = services.year_return(strategy_year=year, comment="Not ready yet", user=manager)
    assert year.state == YearState.DRAFT


def test_approval_page_tells_the_submitting_manager_up_front(strategy, manager_on_team):
    client = client_for(manager_on_team)
    assert post_action(client, strategy, "submit").status_code == 302
    assert "You submitted 2024: someone else approves it." in overview(client, strategy)
    assert "Approve 2024</button>" not in overview(client, strategy)
    page = client.get(review_url(strategy))
    assert page.status_code == 200
    assert REFUSAL in page.text
    assert "Approve 2024</button>" not in page.text


def test_approval_posted_by_the_submitting_manager_is_refused_with_the_reason(
    strategy, manager_on_team
):
    client = client_for(manager_on_team)
    post_action(client, strategy, "submit")
    response = post_action(client, strategy, "approve")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors().data[0].code == "own_submission"
    assert REFUSAL in response.text
    assert year_of(strategy).state == YearState.SUBMITTED


def test_approval_posted_by_the_submitting_superuser_is_refused(strategy, superuser):
    client = client_for(superuser)
    post_action(client, strategy, "submit")
    assert year_of(strategy).state_changed_by == superuser
    assert REFUSAL in client.get(review_url(strategy)).text
    response = post_action(client, strategy, "approve")
    assert response.context["form"].non_field_errors().data[0].code == "own_submission"
    assert year_of(strategy).state == YearState.SUBMITTED


def test_manager_who_did_not_submit_sees_and_uses_the_approve_button(
    strategy, client_desk, client_manager
):
    post_action(client_desk, strategy, "submit")
    assert "Approve or return 2024" in overview(client_manager, strategy)
    page = client_manager.get(review_url(strategy))
    assert REFUSAL not in page.text
    assert post_action(client_manager, strategy, "approve").status_code == 302
    assert year_of(strategy).state == YearState.APPROVED

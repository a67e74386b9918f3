"""A year's workflow in the pages: submit, approve, return, reopen; locked years refuse edits."""

import pytest
from django.test import Client
from django.urls import reverse

from priorities.choices import YearState
from priorities.models import IndicatorProgress
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import (
    approve,
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
    year_set_state,
)
from tests.priorities.factories import IndicatorProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def action_url(strategy, action: str, year: int = 2024) -> str:
    return reverse(
        "priorities:strategyyear_action",
        kwargs={"slug": strategy.slug, "year": year, "action": action},
    )


def overview(client, strategy) -> str:
    return client.get(reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})).text


def review_url(strategy, year: int = 2024) -> str:
    return reverse("priorities:strategyyear_review", kwargs={"slug": strategy.slug, "year": year})


def post_action(client, strategy, action, year=2024, **data):
    """Take a step: reopening on its own page, the others as a decision on the review page."""
    version = version_token(year_of(strategy, year))
    if action == "reopen":
        data.setdefault("version", version)
        return client.post(action_url(strategy, action, year), data, follow=True)
    fields = {"decision": action, f"{action}-version": data.pop("version", version)}
    fields.update({f"{action}-{name}": value for name, value in data.items()})
    return client.post(review_url(strategy, year), fields, follow=True)


def test_desk_officer_submits_a_year_from_the_overview(client_desk, strategy):
    assert "Review and submit 2024" in overview(client_desk, strategy)
    response = post_action(client_desk, strategy, "submit")
    assert "2024 submitted for approval" in response.text
    year = year_of(strategy)
    assert year.state == YearState.SUBMITTED
    assert response.redirect_chain[-1][0].endswith("#years")


def test_manager_approves_a_submitted_year_which_is_then_locked(
    client_desk, client_manager, strategy
):
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node)
    post_action(client_desk, strategy, "submit", gaps_reason="IOM reports in March")
    assert "Approve or return 2024" in overview(client_manager, strategy)
    response = post_action(client_manager, strategy, "approve")
    assert "2024 approved and locked." in response.text
    assert year_of(strategy).is_locked
    url = reverse(
        "priorities:progress_edit", kwargs={"slug": strategy.slug, "pk": indicator.pk, "year": 2024}
    )
    refused = client_desk.post(url, {"target": "1", "actual": "1", "version": ""})
    assert "2024 is approved and locked, so this change was not saved." in refused.text
    assert "A manager can reopen the year" in refused.text
    assert not IndicatorProgress.objects.exists()


def test_return_needs_a_comment_on_its_page(client_manager, strategy):
    year_set_state(strategy, 2024, YearState.SUBMITTED)
    page = client_manager.get(review_url(strategy))
    assert "What should change" in page.text
    response = post_action(client_manager, strategy, "return", comment="")
    assert response.context["form"].errors.as_data()["comment"][0].code == "required"
    response = post_action(client_manager, strategy, "return", comment="Add the 2024 sources")
    assert "2024 returned to the desk officers for changes." in response.text
    year = year_of(strategy)
    assert (year.state, year.state_comment) == (YearState.DRAFT, "Add the 2024 sources")
    assert "Add the 2024 sources" in overview(client_manager, strategy)


def test_reopen_is_recorded_with_its_reason(client_manager, manager, strategy):
    approve(strategy)
    assert "Reopen 2024" in overview(client_manager, strategy)
    response = post_action(client_manager, strategy, "reopen", comment="IOM corrected its report")
    assert "2024 reopened for changes." in response.text
    latest = year_of(strategy).history.first()
    assert latest.history_user == manager
    assert latest.history_change_reason == "Reopened 2024: IOM corrected its report"
    assert latest.state == YearState.DRAFT


def test_step_not_allowed_from_the_current_state_is_refused_with_a_message(
    client_manager, strategy
):
    response = post_action(client_manager, strategy, "approve")
    assert "2024 is draft; it must be submitted for this step." in response.text
    assert year_of(strategy).state == YearState.DRAFT


def test_step_from_a_stale_page_is_refused(client_desk, client_manager, strategy):
    stale = version_token(year_of(strategy))
    post_action(client_desk, strategy, "submit")
    post_action(client_manager, strategy, "return", comment="Not yet")
    response = post_action(client_desk, strategy, "submit", version=stale)
    assert "Someone else saved this record after you opened it" in response.text
    assert year_of(strategy).state == YearState.DRAFT


def test_unknown_step_is_not_found(client_manager, strategy):
    assert client_manager.get(action_url(strategy, "archive")).status_code == 404


@pytest.mark.parametrize(
    ("state", "client_name", "shown", "hidden"),
    [
        (
            YearState.DRAFT,
            "client_desk",
            ["Review and submit 2024"],
            ["Approve 2024", "Reopen 2024"],
        ),
        (YearState.DRAFT, "client_manager", [], ["Review and submit 2024", "Approve or return"]),
        (YearState.SUBMITTED, "client_desk", [], ["Review and submit 2024", "Approve or return"]),
        (YearState.SUBMITTED, "client_manager", ["Approve or return 2024"], ["Submit 2024"]),
        (YearState.APPROVED, "client_desk", [], ["Reopen 2024", "Submit 2024"]),
        (YearState.APPROVED, "client_manager", ["Reopen 2024"], ["Approve 2024"]),
        (YearState.SUBMITTED, "client_finance", [], ["Approve or return 2024", "Submit 2024"]),
        (YearState.SUBMITTED, "client_mission", [], ["Approve or return 2024", "Submit 2024"]),
        (YearState.SUBMITTED, "client_admin", [], ["Approve or return 2024", "Submit 2024"]),
    ],
)
def test_workflow_buttons_show_only_to_those_allowed(
    request, strategy, state, client_name, shown, hidden
):
    year_set_state(strategy, 2024, state)
    text = overview(request.getfixturevalue(client_name), strategy)
    assert f"state-{state}" in text
    for label in shown:
        assert label in text
    for label in hidden:
        assert label not in text


def test_overview_shows_who_changed_each_year(client_manager, desk, strategy):
    desk.first_name, desk.last_name = "Anna", "Holm"
    desk.save()
    client = Client()
    client.force_login(desk)
    post_action(client, strategy, "submit", comment="All figures in")
    text = overview(client_manager, strategy)
    assert "by Anna Holm" in text and "All figures in" in text


def test_admin_refuses_an_edit_of_a_locked_year(strategy):
    area, node = area_with_nodes(strategy)
    progress = IndicatorProgressFactory(indicator=indicator_in(area, node))
    approve(strategy)
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:priorities_indicatorprogress_change", args=[progress.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "actual": "99",
            "indicator": progress.indicator_id,
            "strategy_year": progress.strategy_year_id,
        },
    )
    # Figures change on the progress pages only, where a locked year refuses the change.
    assert response.status_code == 403
    progress.refresh_from_db()
    assert progress.actual == 18

"""A year's review page: the year at a glance, its gaps and money, then one decision per POST."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from priorities import services
from priorities.choices import Rating, TeamRole, YearState
from priorities.permissions import MANAGER_GROUP
from strategy_monitor.concurrency import version_token
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import (
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
    year_set_state,
)
from tests.priorities.factories import (
    AssessmentFactory,
    EvidenceFactory,
    IndicatorProgressFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def review_url(strategy, year: int = 2024) -> str:
    return reverse("priorities:strategyyear_review", kwargs={"slug": strategy.slug, "year": year})


def decide(client, strategy, decision: str, year: int = 2024, **fields):
    """POST one decision from the review page, as its form sends it."""
    data = {"decision": decision, f"{decision}-version": version_token(year_of(strategy, year))}
    data.update({f"{decision}-{name}": value for name, value in fields.items()})
    return client.post(review_url(strategy, year), data, follow=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_member(strategy, username: str, role: str):
    user = UserFactory(username=username)
    TeamMembershipFactory(strategy=strategy, user=user, role=role)
    return user


@pytest.fixture
def complete_year(strategy):
    """Give 2024 one rated area whose indicator has figures and evidence: no gaps."""
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node, title="Officials trained", baseline_year=2021)
    IndicatorProgressFactory(indicator=indicator, strategy_year=year_of(strategy, 2023), actual=140)
    progress = IndicatorProgressFactory(indicator=indicator, target=Decimal("180"), actual=175)
    EvidenceFactory(progress=progress)
    AssessmentFactory(
        priority_area=area, rating=Rating.ON_TRACK, narrative="Training ran as planned."
    )
    return area


@pytest.fixture
def gappy_year(strategy):
    """Give 2024 an unrated area, an indicator with no actual and an actual with no evidence."""
    area, node = area_with_nodes(strategy, 2)
    indicator_in(area, node, title="Countries with a migration policy")
    documented = indicator_in(area, node, title="Returns assisted")
    IndicatorProgressFactory(indicator=documented, target=Decimal("50"), actual=Decimal("48"))
    return area


# --- The page -----------------------------------------------------------------------------------


def test_desk_officer_sees_the_year_at_a_glance_and_the_submit_form(
    client_desk, strategy, complete_year
):
    lines = budget_create(strategy)
    ParliamentaryApprovalFactory(line=lines["a"], year=2024, amount=Decimal("48000000"))
    CommitmentFactory(line=lines["a"], year=2024, amount=Decimal("48000000"))
    DisbursementFactory(line=lines["a"], year=2024, amount=Decimal("24060000"))
    page = client_desk.get(review_url(strategy)).text
    assert "Review 2024" in page
    assert "Priority area 3: Area 3" in page and "On track" in page
    assert "Training ran as planned." in page
    # Baseline with its year, the year before's actual, the target and the actual.
    for figure in ("100", "(2021)", "140", "180", "175", "1 file"):
        assert figure in page
    assert "2023 actual" in page and "2024 target" in page
    # The money of the year per budget line, in DKK million with one decimal.
    assert "Money of 2024" in page
    assert "48.0" in page and "24.1" in page
    assert "Nothing is missing." in page
    assert "Submit 2024" in page and 'name="decision" value="submit"' in page
    assert "Why submit with these gaps" not in page
    assert "Approve 2024" not in page


def test_manager_sees_approve_and_return_on_a_submitted_year(
    client_desk, client_manager, strategy, gappy_year
):
    decide(
        client_desk,
        strategy,
        "submit",
        comment="Figures from the annual report",
        gaps_reason="IOM reports in March",
    )
    page = client_manager.get(review_url(strategy)).text
    assert 'name="decision" value="approve"' in page
    assert 'name="decision" value="return"' in page
    assert "What should change" in page
    assert "Figures from the annual report" in page
    assert "Why submitted with gaps" in page and "IOM reports in March" in page
    assert "Submit 2024" not in page


def test_manager_sees_no_decision_on_a_draft_year(client_manager, strategy):
    page = client_manager.get(review_url(strategy)).text
    assert "A desk officer of the strategy submits the year." in page
    assert 'name="decision"' not in page


@pytest.mark.parametrize(
    "role", [TeamRole.OBSERVER, TeamRole.FINANCIAL_OFFICER, TeamRole.MISSION_STAFF]
)
def test_team_members_who_do_not_decide_are_refused(strategy, role):
    client = client_for(team_member(strategy, "member", role))
    assert client.get(review_url(strategy)).status_code == 403
    assert client.post(review_url(strategy), {"decision": "submit"}).status_code == 403


def test_another_strategys_desk_officer_is_refused(client_outsider, strategy):
    assert client_outsider.get(review_url(strategy)).status_code == 403
    assert client_outsider.post(review_url(strategy), {"decision": "submit"}).status_code == 403
    assert year_of(strategy).state == YearState.DRAFT


def test_each_role_may_post_only_its_own_decision(client_desk, client_manager, strategy):
    assert decide(client_manager, strategy, "submit").status_code == 403
    year_set_state(strategy, 2024, YearState.SUBMITTED)
    assert decide(client_desk, strategy, "approve").status_code == 403
    assert decide(client_desk, strategy, "return", comment="No").status_code == 403
    assert year_of(strategy).state == YearState.SUBMITTED


def test_a_post_naming_no_decision_changes_nothing(client_desk, strategy):
    response = client_desk.post(review_url(strategy), {}, follow=True)
    assert "Choose a decision for the year: nothing was changed." in response.text
    assert year_of(strategy).state == YearState.DRAFT


def test_gaps_are_listed_as_warnings(client_desk, strategy, gappy_year):
    page = client_desk.get(review_url(strategy)).text
    assert "Priority area 2 has no rating for 2024." in page
    assert "“Countries with a migration policy” has no actual for 2024." in page
    assert "the 2024 actual of “Returns assisted” has no evidence." in page
    assert "3 gaps" in page
    # The desk officer is taken to where each gap is filled.
    assert reverse("priorities:assessment_edit", args=[strategy.slug, gappy_year.pk, 2024]) in page


def test_an_indicator_under_development_is_no_gap(strategy):
    area, node = area_with_nodes(strategy)
    AssessmentFactory(priority_area=area)
    indicator_in(area, node, title="", status="under_development")
    assert services.year_submit_check(strategy_year=year_of(strategy)) == ()


# --- Submitting -------------------------------------------------------------------------------


def test_submitting_with_gaps_needs_a_reason_which_is_kept_and_shown(
    client_desk, client_manager, desk, strategy, gappy_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = decide(client_desk, strategy, "submit", gaps_reason="  ")
    assert "Say why you submit the year with these gaps, or fill them first." in refused.text
    assert year_of(strategy).state == YearState.DRAFT
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        decide(client_desk, strategy, "submit", gaps_reason="IOM publishes its report in March")
    year = year_of(strategy)
    assert year.state == YearState.SUBMITTED
    assert year.gaps_reason == "IOM publishes its report in March"
    latest = year.history.first()
    assert latest.history_user == desk
    assert latest.history_change_reason == (
        "Submitted 2024 for approval (submitted with gaps: IOM publishes its report in March)"
    )
    assert "IOM publishes its report in March" in client_manager.get(review_url(strategy)).text
    history = client_manager.get(reverse("reports:strategy_history", args=[strategy.slug])).text
    assert "IOM publishes its report in March" in history


def test_the_service_refuses_gaps_without_a_reason(desk, strategy, gappy_year):
    with pytest.raises(ValidationError) as refused:
        services.year_submit(strategy_year=year_of(strategy), user=desk)
    assert refused.value.error_dict["gaps_reason"][0].code == services.GAPS_REASON_CODE


def test_submitting_a_complete_year_asks_no_reason_and_keeps_none(
    client_desk, strategy, complete_year
):
    response = decide(client_desk, strategy, "submit", comment="All in")
    assert "2024 submitted for approval." in response.text
    year = year_of(strategy)
    assert (year.state, year.state_comment, year.gaps_reason) == (YearState.SUBMITTED, "All in", "")


def test_submitting_mails_the_team_managers_once_with_a_link(
    client_desk, strategy, manager, complete_year, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://monitor.example.org/"
    team_manager = team_member(strategy, "lead", TeamRole.MANAGER)
    team_manager.groups.add(Group.objects.get(name=MANAGER_GROUP))
    started = version_token(year_of(strategy))
    data = {"decision": "submit", "submit-version": started, "submit-comment": "Ready"}
    with django_capture_on_commit_callbacks(execute=True):
        client_desk.post(review_url(strategy), data)
    with django_capture_on_commit_callbacks(execute=True):
        again = client_desk.post(review_url(strategy), data)
    assert "Someone else saved this record after you opened it" in again.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [team_manager.email]
    assert "2024 submitted for your approval" in message.subject
    assert "https://monitor.example.org" + review_url(strategy) in message.body
    assert "Ready" in message.body


def test_submitting_mails_the_manager_group_where_the_team_has_no_manager(
    client_desk, strategy, manager, complete_year, django_capture_on_commit_callbacks
):
    UserFactory(username="inactive", is_active=False).groups.add(
        Group.objects.get(name=MANAGER_GROUP)
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_desk, strategy, "submit")
    assert [message.to for message in mail.outbox] == [[manager.email]]


def test_a_resubmission_after_a_return_mails_again(
    client_desk,
    client_manager,
    desk,
    manager,
    strategy,
    complete_year,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_desk, strategy, "submit")
        decide(client_manager, strategy, "return", comment="Add the 2024 sources")
        decide(client_desk, strategy, "submit")
    assert [message.to for message in mail.outbox] == [
        [manager.email],
        [desk.email],
        [manager.email],
    ]


# --- Deciding ---------------------------------------------------------------------------------


def test_return_needs_a_reason_and_mails_the_desk_officers_with_it(
    client_desk, client_manager, desk, strategy, complete_year, django_capture_on_commit_callbacks
):
    second_desk = team_member(strategy, "desk2", TeamRole.DESK_OFFICER)
    team_member(strategy, "finance", TeamRole.FINANCIAL_OFFICER)
    decide(client_desk, strategy, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        refused = decide(client_manager, strategy, "return", comment="")
    assert refused.context["form"].errors.as_data()["comment"][0].code == "required"
    assert year_of(strategy).state == YearState.SUBMITTED
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_manager, strategy, "return", comment="Add the 2024 sources")
    assert "2024 returned to the desk officers for changes." in response.text
    year = year_of(strategy)
    assert (year.state, year.state_comment) == (YearState.DRAFT, "Add the 2024 sources")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [desk.email, second_desk.email]
    )
    body = mail.outbox[0].body
    assert "Add the 2024 sources" in body and review_url(strategy) in body
    assert "returned for changes" in mail.outbox[0].subject
    # The desk officer finds the reason on the review page too.
    assert "Add the 2024 sources" in client_desk.get(review_url(strategy)).text


def test_manager_approves_with_an_optional_comment(
    client_desk, client_manager, strategy, complete_year
):
    decide(client_desk, strategy, "submit")
    response = decide(client_manager, strategy, "approve")
    assert "2024 approved and locked." in response.text
    assert year_of(strategy).state == YearState.APPROVED


def test_the_submitter_cannot_approve_the_year(strategy, complete_year):
    user = team_member(strategy, "both", TeamRole.DESK_OFFICER)
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    client = client_for(user)
    decide(client, strategy, "submit")
    page = client.get(review_url(strategy)).text
    assert "someone else must approve it" in page
    assert 'value="approve"' not in page and 'value="return"' in page
    decide(client, strategy, "approve")
    assert year_of(strategy).state == YearState.SUBMITTED


def test_a_decision_from_a_stale_page_is_refused(
    client_desk, client_manager, strategy, complete_year
):
    decide(client_desk, strategy, "submit")
    stale = version_token(year_of(strategy))
    decide(client_manager, strategy, "return", comment="Not yet")
    decide(client_desk, strategy, "submit")
    response = client_manager.post(
        review_url(strategy),
        {"decision": "approve", "approve-version": stale},
        follow=True,
    )
    assert "Someone else saved this record after you opened it" in response.text
    assert year_of(strategy).state == YearState.SUBMITTED


# --- The overview and older links -----------------------------------------------------------


def test_the_overview_links_to_the_review_and_decides_nothing(
    client_desk, client_manager, strategy
):
    overview = reverse("priorities:strategy_detail", args=[strategy.slug])
    page = client_desk.get(overview).text
    assert f'href="{review_url(strategy)}"' in page
    assert "/submit/" not in page
    year_set_state(strategy, 2024, YearState.SUBMITTED)
    page = client_manager.get(overview).text
    assert f'href="{review_url(strategy)}"' in page
    assert "/approve/" not in page and "/return/" not in page


@pytest.mark.parametrize("step", ["submit", "approve", "return"])
def test_an_older_step_address_leads_to_the_review(client_desk, strategy, step):
    url = reverse(
        "priorities:strategyyear_action",
        kwargs={"slug": strategy.slug, "year": 2024, "action": step},
    )
    response = client_desk.post(url, {"version": version_token(year_of(strategy))})
    assert response.status_code == 302 and response.url == review_url(strategy)
    assert year_of(strategy).state == YearState.DRAFT


# --- Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("areas", [1, 4])
def test_review_page_query_count_does_not_grow(
    client_desk, strategy, other_strategy, django_assert_num_queries, areas
):
    lines = budget_create(strategy)
    for line in lines.values():
        ParliamentaryApprovalFactory(line=line, year=2024)
        CommitmentFactory(line=line, year=2024)
    for number in range(1, areas + 1):
        area, node = area_with_nodes(strategy, number)
        AssessmentFactory(priority_area=area)
        for _ in range(areas):
            progress = IndicatorProgressFactory(indicator=indicator_in(area, node))
            EvidenceFactory(progress=progress)
    budget_create(other_strategy)
    client_desk.get(review_url(strategy))
    # session, user, the user's groups and team roles, strategy, year; areas, indicators,
    # progress of the year and the one before with evidence counts, ratings; budget lines,
    # planned, approved, committed and disbursed amounts.
    with django_assert_num_queries(15):
        client_desk.get(review_url(strategy))

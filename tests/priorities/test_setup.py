"""Setting up a strategy in the browser: front page, years, areas, budget, team, framework."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding.models import BudgetLine, PlannedAmount
from funding.services import budgetline_save
from priorities import services
from priorities.choices import DefinitionStatus, PriorityKind, TeamRole
from priorities.models import (
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import (
    area_with_nodes,
    framework_for,
    indicator_in,
    node_list_data,
    year_of,
)
from tests.priorities.factories import (
    IndicatorProgressFactory,
    NodeLevel,
    OrganisationFactory,
    PriorityAreaFactory,
    ResultsFrameworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def front_page(**values) -> dict:
    data = {
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_acronym": "",
        "title": "Strategy for Denmark's engagement with UNHCR 2024-2027",
        "slug": "unhcr-2024-2027",
        "file_number": "2023-1234",
        "responsible_unit": "Geneva",
        "start_year": "2024",
        "end_year": "2027",
        "finance_act_code": "06.32.10.15",
        "desk_officer": "Lea Rasmussen",
        "financial_officer": "Michael Blichfeldt",
        "stated_commitment_total": "400",
        "stated_disbursement_total": "400",
        "overall_objective": "Protect refugees.",
        "mid_term_review_year": "2025",
        "mid_term_review_half": "2",
        "sdgs": ["10", "16"],
        "version": "",
    }
    data.update(values)
    return data


CREATE = reverse("priorities:strategy_create")


def test_administrator_sets_up_a_strategy_with_its_years(client_admin, admin_user):
    partner = OrganisationFactory(acronym="UNHCR")
    response = client_admin.post(CREATE, front_page(organisation=partner.pk), follow=True)
    strategy = Strategy.objects.get(slug="unhcr-2024-2027")
    assert "set up with the years 2024-2027" in response.text
    assert list(strategy.strategy_years.values_list("year", flat=True)) == [2024, 2025, 2026, 2027]
    assert set(RelevantSDG.objects.filter(strategy=strategy).values_list("goal", flat=True)) == {
        10,
        16,
    }
    assert strategy.history.first().history_user == admin_user
    assert response.redirect_chain[-1][0].endswith("/setup/priority-areas/")


def test_a_new_partner_is_created_with_the_strategy(client_admin):
    client_admin.post(
        CREATE,
        front_page(
            new_organisation_name="World Food Programme",
            new_organisation_acronym="WFP",
            new_organisation_iati_identifier="XM-DAC-41140",
        ),
    )
    strategy = Strategy.objects.get()
    assert strategy.organisation == Organisation.objects.get(acronym="WFP")
    assert strategy.organisation.iati_identifier == "XM-DAC-41140"


def test_a_new_partner_s_iati_identifier_is_checked_next_to_its_field(client_admin):
    response = client_admin.post(
        CREATE,
        front_page(
            new_organisation_name="World Food Programme",
            new_organisation_acronym="WFP",
            new_organisation_iati_identifier="XM DAC 41140",
        ),
    )
    errors = response.context["form"].errors
    assert "as the IATI registry lists it" in errors["new_organisation_iati_identifier"][0]
    assert not Strategy.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"end_year": "2031"}, "__all__", "A strategy runs for 3 to 5 years."),
        ({"start_year": "two thousand"}, "start_year", "Enter a whole number."),
        ({"mid_term_review_year": "2030"}, "mid_term_review_year", "must fall inside the period"),
        (
            {"stated_commitment_total": "-1"},
            "stated_commitment_total",
            "An amount cannot be negative.",
        ),
        (
            {"stated_commitment_total": "400000000"},
            "stated_commitment_total",
            "DKK million",
        ),
        ({"organisation": ""}, "__all__", "Choose the partner, or give the name and acronym"),
        ({"title": ""}, "title", "This field is required."),
        ({"slug": "new"}, "slug", "“new” is reserved"),
    ],
)
def test_front_page_refuses_bad_input(client_admin, values, field, text):
    partner = OrganisationFactory()
    data = front_page(organisation=partner.pk)
    data.update(values)
    response = client_admin.post(CREATE, data)
    assert response.status_code == 200
    messages = [str(m) for e in response.context["form"].errors.as_data()[field] for m in e]
    assert any(text in message for message in messages), messages
    assert not Strategy.objects.exists()


def test_the_slug_new_is_never_read_as_a_strategy(client_admin):
    assert client_admin.get(CREATE).status_code == 200


def update_url(strategy) -> str:
    return reverse("priorities:strategy_update", kwargs={"slug": strategy.slug})


def edit_front_page(client, strategy, **values):
    data = front_page(
        organisation=strategy.organisation_id,
        title=strategy.title,
        slug=strategy.slug,
        start_year=str(strategy.start_year),
        end_year=str(strategy.end_year),
        mid_term_review_year="",
        mid_term_review_half="",
        version=version_token(strategy),
    )
    data.update(values)
    return client.post(update_url(strategy), data, follow=True)


def test_longer_period_adds_its_years(client_admin, strategy):
    response = edit_front_page(client_admin, strategy, end_year="2027")
    assert "the period is 2023-2027" in response.text
    assert year_of(strategy, 2027).state == "draft"


def test_shorter_period_drops_an_empty_year(client_admin, strategy):
    StrategyYear.objects.filter(strategy=strategy).update(
        planned_commitment=None, planned_disbursement=None
    )
    edit_front_page(client_admin, strategy, start_year="2024", end_year="2026")
    assert list(strategy.strategy_years.values_list("year", flat=True)) == [2024, 2025, 2026]


def test_shorter_period_refuses_to_drop_a_year_with_data(client_admin, strategy):
    StrategyYear.objects.filter(strategy=strategy).update(
        planned_commitment=None, planned_disbursement=None
    )
    area, node = area_with_nodes(strategy)
    IndicatorProgressFactory(
        indicator=indicator_in(area, node), strategy_year=year_of(strategy, 2023)
    )
    response = edit_front_page(client_admin, strategy, start_year="2024", end_year="2026")
    errors = response.context["form"].errors.as_data()["start_year"]
    assert errors[0].code == "year_has_data"
    assert "2023 cannot leave the period: it holds indicator figures" in errors[0].messages[0]
    strategy.refresh_from_db()
    assert (strategy.start_year, strategy.strategy_years.count()) == (2023, 4)


def test_stale_front_page_edit_is_refused(client_admin, strategy):
    stale = version_token(strategy)
    services.strategy_update(
        strategy=Strategy.objects.get(pk=strategy.pk),
        version=stale,
        user=UserFactory(username="other", first_name="Karen", last_name="Dahl"),
        responsible_unit="Copenhagen",
    )
    response = edit_front_page(client_admin, strategy, responsible_unit="Nairobi", version=stale)
    assert "Someone else saved this record" in response.text
    assert "Responsible unit: Geneva → Copenhagen" in response.text
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Copenhagen"


def test_planned_commitments_per_year(client_admin, strategy):
    url = reverse("priorities:strategyyear_setup", kwargs={"slug": strategy.slug})
    data = {}
    for year in strategy.strategy_years.all():
        prefix = f"year-{year.year}"
        # In DKK million, as the front page prints them.
        data[f"{prefix}-planned_commitment"] = "90" if year.year == 2024 else "100"
        data[f"{prefix}-planned_disbursement"] = "100"
        data[f"{prefix}-version"] = version_token(year)
    response = client_admin.post(url, data, follow=True)
    assert "Planned commitments and disbursements saved." in response.text
    assert year_of(strategy, 2024).planned_commitment == Decimal("90000000")
    data["year-2025-planned_commitment"] = "-5"
    response = client_admin.post(url, data)
    assert "An amount cannot be negative." in response.text


# Priority areas


def areas_url(strategy) -> str:
    return reverse("priorities:priorityarea_setup", kwargs={"slug": strategy.slug})


def new_area(**values) -> dict:
    data = {
        "new-kind": PriorityKind.PRIORITY,
        "new-number": "1",
        "new-title": "Strengthened protection",
        "new-key_result": "Better protection",
        "new-order": "",
        "new-version": "",
    }
    data.update({f"new-{name}": value for name, value in values.items()})
    return data


def test_priority_areas_are_added(client_admin, strategy):
    response = client_admin.post(areas_url(strategy), new_area(), follow=True)
    assert "Priority areas saved." in response.text
    area = PriorityArea.objects.get(strategy=strategy)
    assert (area.number, area.slug, area.title) == (1, "1", "Strengthened protection")
    client_admin.post(
        areas_url(strategy),
        {
            **area_form(area),
            **new_area(kind=PriorityKind.CROSS_CUTTING, number="", title="Gender equality"),
        },
    )
    cross = PriorityArea.objects.get(kind=PriorityKind.CROSS_CUTTING)
    assert (cross.number, cross.slug) == (None, "gender-equality")


def area_form(area) -> dict:
    prefix = f"area-{area.pk}"
    return {
        f"{prefix}-kind": area.kind,
        f"{prefix}-number": area.number or "",
        f"{prefix}-title": area.title,
        f"{prefix}-order": area.order,
        f"{prefix}-version": version_token(area),
    }


def test_numbered_area_without_number_and_duplicate_number_are_refused(client_admin, strategy):
    area = PriorityAreaFactory(strategy=strategy, number=1)
    response = client_admin.post(areas_url(strategy), {**area_form(area), **new_area(number="")})
    assert "Priority areas are numbered; cross-cutting priorities are not." in response.text
    response = client_admin.post(areas_url(strategy), {**area_form(area), **new_area(number="1")})
    assert "The strategy has a priority area with that number." in response.text
    assert PriorityArea.objects.count() == 1


def test_area_with_indicators_cannot_be_removed(client_admin, strategy):
    area, node = area_with_nodes(strategy, number=1)
    indicator_in(area, node)
    response = client_admin.post(
        areas_url(strategy), {**area_form(area), f"area-{area.pk}-remove": "on"}
    )
    assert "has indicators or ratings, so it cannot be removed" in response.text
    assert PriorityArea.objects.filter(pk=area.pk).exists()


def test_empty_area_is_removed_with_its_mappings(client_admin, strategy):
    area, _ = area_with_nodes(strategy, number=1)
    client_admin.post(areas_url(strategy), {**area_form(area), f"area-{area.pk}-remove": "on"})
    assert not PriorityArea.objects.exists()
    assert not PriorityAreaNode.objects.exists()


# Budget


def budget_url(strategy) -> str:
    return reverse("funding:budget_setup", kwargs={"slug": strategy.slug})


def new_line(**values) -> dict:
    data = {
        "new-code": "a",
        "new-name": "Core funding",
        "new-kind": "core",
        "new-finance_act_code": "06.32.10.14",
        "new-currency": "DKK",
        "new-order": "",
        "new-amount_2023": "48",
        "new-amount_2024": "48",
        "new-amount_2025": "",
        "new-amount_2026": "48",
        "new-version": "",
    }
    data.update({f"new-{name}": value for name, value in values.items()})
    return data


def test_budget_line_is_added_with_its_planned_amounts(client_admin, strategy):
    response = client_admin.post(budget_url(strategy), new_line(), follow=True)
    assert "Budget lines and planned amounts saved." in response.text
    line = BudgetLine.objects.get(strategy=strategy)
    assert dict(line.planned_amounts.values_list("year", "amount")) == {
        2023: Decimal("48000000"),
        2024: Decimal("48000000"),
        2026: Decimal("48000000"),
    }


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"amount_2024": "-1"}, "A planned amount cannot be negative."),
        ({"amount_2024": "DKK 48"}, "Enter the amount in DKK million as printed"),
        ({"kind": ""}, "This field is required."),
    ],
)
def test_budget_line_refuses_bad_amounts(client_admin, strategy, values, text):
    response = client_admin.post(budget_url(strategy), new_line(**values))
    assert text in response.text
    assert not BudgetLine.objects.exists()


def test_budget_set_up_is_a_set_up_tab_between_the_priority_areas_and_the_team(
    client_admin, strategy
):
    response = client_admin.get(budget_url(strategy))
    tabs = response.text.split('aria-label="Set-up"')[1].split("</nav>")[0]
    assert tabs.index("Priority areas") < tabs.index("Budget") < tabs.index("Team")
    assert f'href="{budget_url(strategy)}" aria-current="page">Budget</a>' in tabs
    # The page is the strategy's set-up, not its funding records.
    funding = reverse("funding:budget", kwargs={"slug": strategy.slug})
    assert f'<a href="{funding}">Funding</a>' in response.text


def test_budget_line_amounts_change_and_clear(client_admin, strategy, admin_user):
    line = budgetline_save(
        strategy=strategy,
        amounts={2023: Decimal("1"), 2024: Decimal("2")},
        user=admin_user,
        code="a",
        name="Core",
        kind="core",
        currency="DKK",
        order=1,
    )
    budgetline_save(
        strategy=strategy,
        line=line,
        amounts={2023: Decimal("5"), 2024: None},
        version=version_token(line),
        user=admin_user,
    )
    assert dict(PlannedAmount.objects.values_list("year", "amount")) == {2023: Decimal("5")}
    with pytest.raises(ValidationError) as refused:
        budgetline_save(strategy=strategy, line=line, amounts={2030: Decimal("1")}, user=admin_user)
    assert "outside the strategy period" in refused.value.messages[0]


# Team


def team_url(strategy) -> str:
    return reverse("priorities:team_setup", kwargs={"slug": strategy.slug})


def test_team_members_are_added_and_removed(client_admin, strategy):
    user = UserFactory(username="anna", first_name="Anna", last_name="Holm")
    response = client_admin.post(
        team_url(strategy),
        {"blank_rows": "1", "new-user": user.pk, "new-role": TeamRole.DESK_OFFICER},
        follow=True,
    )
    assert "Team saved." in response.text
    membership = TeamMembership.objects.get(user=user)
    response = client_admin.post(
        team_url(strategy),
        {
            "blank_rows": "1",
            f"member-{membership.pk}-user": user.pk,
            f"member-{membership.pk}-role": TeamRole.DESK_OFFICER,
            f"member-{membership.pk}-version": version_token(membership),
            "new-user": user.pk,
            "new-role": TeamRole.DESK_OFFICER,
        },
    )
    assert "This user already has that role on the team." in response.text
    response = client_admin.post(
        team_url(strategy),
        {
            "blank_rows": "1",
            f"member-{membership.pk}-user": user.pk,
            f"member-{membership.pk}-role": TeamRole.DESK_OFFICER,
            f"member-{membership.pk}-version": version_token(membership),
            f"member-{membership.pk}-remove": "on",
        },
        follow=True,
    )
    assert "Team saved." in response.text
    assert not TeamMembership.objects.filter(user=user).exists()


def test_unknown_role_is_refused(client_admin, strategy):
    user = UserFactory()
    response = client_admin.post(
        team_url(strategy), {"blank_rows": "1", "new-user": user.pk, "new-role": "boss"}
    )
    assert response.context["forms"][-1].errors.as_data()["role"][0].code == "invalid_choice"


# Results framework


def test_node_code_is_normalised_and_missing_ancestors_are_implied(admin_user):
    framework = ResultsFrameworkFactory()
    node = services.node_create(
        framework=framework, code=" 3B.4.2. ", title="Border", user=admin_user
    )
    assert (node.code, node.level, node.parent.code) == ("3b.4.2", NodeLevel.OUTPUT, "3b.4")
    implied = ResultsNode.objects.filter(framework=framework, is_implied=True)
    assert sorted(implied.values_list("code", flat=True)) == ["3", "3b", "3b.4"]
    assert ResultsNode.objects.get(code="3b").parent.code == "3"


def test_listing_an_implied_node_makes_it_listed(admin_user):
    framework = ResultsFrameworkFactory()
    services.node_create(framework=framework, code="4a.2.1", title="Capacities", user=admin_user)
    node = services.node_create(
        framework=framework,
        code="4a.2",
        title="",
        status=DefinitionStatus.UNDER_DEVELOPMENT,
        user=admin_user,
    )
    assert node.is_implied is False
    assert node.status == DefinitionStatus.UNDER_DEVELOPMENT
    assert ResultsNode.objects.filter(framework=framework, code="4a.2").count() == 1


@pytest.mark.parametrize("code", ["3-b", "b3", "3bb", "3b.4.4.1", "3b..4", ""])
def test_malformed_code_is_refused_with_an_example(admin_user, code):
    with pytest.raises(ValidationError) as refused:
        services.node_create(
            framework=ResultsFrameworkFactory(), code=code, title="x", user=admin_user
        )
    error = refused.value.error_dict["code"][0]
    assert error.code == "malformed_code"
    assert 'Use a code like "3", "3b", "3b.4" or "3b.4.4".' in error.messages[0]
    assert not ResultsNode.objects.exists()


def test_duplicate_code_is_refused(admin_user):
    framework = ResultsFrameworkFactory()
    services.node_create(framework=framework, code="3", title="Objective", user=admin_user)
    with pytest.raises(ValidationError) as refused:
        services.node_create(framework=framework, code="3", title="Again", user=admin_user)
    assert refused.value.error_dict["code"][0].code == "duplicate_code"


def test_defined_node_needs_a_title(admin_user):
    with pytest.raises(ValidationError) as refused:
        services.node_create(
            framework=ResultsFrameworkFactory(), code="3", title="", user=admin_user
        )
    assert "title" in refused.value.error_dict


def framework_url(strategy) -> str:
    return reverse("priorities:framework_setup", kwargs={"slug": strategy.slug})


def test_framework_is_named_then_nodes_are_added_and_mapped(client_admin, strategy):
    area = PriorityAreaFactory(strategy=strategy, number=2)
    response = client_admin.post(
        framework_url(strategy),
        {
            "action": "framework",
            "name": "Strategic Results Framework",
            "levels": "Objective\nLong-term outcome\nShort-term outcome\nOutput",
            "uses_codes": "on",
            "code_scheme": "hierarchical",
        },
    )
    assert response.status_code == 302
    framework = strategy.organisation.frameworks.get()
    response = client_admin.post(
        framework_url(strategy),
        node_list_data(framework, [{"code": "2A.1.1", "title": "Climate adaptation plans"}]),
        follow=True,
    )
    assert "Nodes of “Strategic Results Framework” saved." in html.unescape(response.text)
    assert "Implied, not listed" in response.text
    node = ResultsNode.objects.get(code="2a.1.1")
    assert node.level == NodeLevel.OUTPUT
    client_admin.post(
        framework_url(strategy), {"action": "link", "node": node.pk, "priority_area": area.pk}
    )
    assert PriorityAreaNode.objects.filter(priority_area=area, node=node).exists()
    area_page = client_admin.get(
        reverse("priorities:priorityarea_detail", kwargs={"slug": strategy.slug, "number": 2})
    )
    assert "Climate adaptation plans" in area_page.text


def test_malformed_code_is_refused_on_the_page(client_admin, strategy):
    framework = framework_for(strategy)
    response = client_admin.post(
        framework_url(strategy), node_list_data(framework, [{"code": "3.b", "title": "x"}])
    )
    text = html.unescape(response.text)
    assert "“3.b” is not a results-framework code" in text
    assert 'Use a code like "3", "3b", "3b.4" or "3b.4.4".' in text


def test_node_with_indicators_cannot_be_unmapped(client_admin, strategy):
    area, node = area_with_nodes(strategy)
    indicator_in(area, node)
    link = PriorityAreaNode.objects.get(node=node)
    response = client_admin.post(
        framework_url(strategy), {"action": "unlink", "link": link.pk}, follow=True
    )
    assert "Indicators of this priority area measure the node" in response.text
    assert PriorityAreaNode.objects.filter(pk=link.pk).exists()


def test_node_published_by_the_partner_gets_its_title(client_admin, strategy):
    _, node = area_with_nodes(strategy, under_development=True)
    url = reverse("priorities:node_update", kwargs={"slug": strategy.slug, "pk": node.pk})
    response = client_admin.post(
        url,
        {
            "title": "Integrated border management",
            "status": "defined",
            "section": "",
            "version": version_token(node),
        },
        follow=True,
    )
    assert "saved" in response.text
    node.refresh_from_db()
    assert (node.title, node.status) == ("Integrated border management", "defined")
    response = client_admin.post(
        url, {"title": "", "status": "defined", "section": "", "version": version_token(node)}
    )
    assert "A defined node needs a title" in response.text

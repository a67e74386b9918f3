"""The rules the priorities models keep: in clean() for forms, and in the database as well."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from priorities.choices import DefinitionStatus, OfficeKind, PriorityKind, TeamRole
from priorities.models import (
    Assessment,
    Chapter,
    Evidence,
    Indicator,
    IndicatorProgress,
    KeyFigure,
    Office,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
    node_code_level,
    node_code_normalise,
    node_code_parent,
    node_code_validate,
)
from strategy_monitor.models import NaturalKeyModel
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorProgressFactory,
    NodeLevel,
    OrganisationFactory,
    PriorityAreaFactory,
    PriorityAreaNodeFactory,
    ResultsFrameworkFactory,
    ResultsNodeFactory,
    StrategyFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.validation import clean_errors, constraint_codes, constraint_messages

pytestmark = pytest.mark.django_db


def office(organisation, key: str, kind: str = OfficeKind.COUNTRY, **fields) -> Office:
    return Office.objects.create(
        organisation=organisation, key=key, kind=kind, name=key.title(), **fields
    )


def key_figure(organisation, key: str = "expenditure-2021", **fields) -> KeyFigure:
    fields = {"label": "Expenditure 2021", "value": Decimal("2500000000"), "unit": "USD", **fields}
    return KeyFigure.objects.create(organisation=organisation, key=key, **fields)


def strategy_unsaved(**fields) -> Strategy:
    fields = {
        "title": "New strategy",
        "slug": "new",
        "start_year": 2023,
        "end_year": 2026,
        **fields,
    }
    return Strategy(organisation=OrganisationFactory(), **fields)


def objective(framework, code: str = "3", **fields) -> ResultsNode:
    return ResultsNodeFactory(framework=framework, code=code, key=code, **fields)


def child(parent, code: str, **fields) -> ResultsNode:
    fields = {"title": f"Result {code}", **fields}
    return ResultsNode.objects.create(
        framework=parent.framework,
        code=code,
        key=code,
        level=node_code_level(code),
        parent=parent,
        **fields,
    )


# Rows that clean() refuses, each with the field and code of its error.


def liaison_office_reporting_to_region() -> Office:
    organisation = OrganisationFactory()
    region = office(organisation, "dakar", OfficeKind.REGIONAL)
    return Office(
        organisation=organisation,
        key="addis",
        kind=OfficeKind.SPECIAL_LIAISON,
        name="Addis Ababa",
        regional_office=region,
    )


def country_office_reporting_to_foreign_region() -> Office:
    region = office(OrganisationFactory(), "dakar", OfficeKind.REGIONAL)
    return Office(
        organisation=OrganisationFactory(),
        key="mali",
        kind=OfficeKind.COUNTRY,
        name="Mali",
        regional_office=region,
    )


def strategy_with_review_after_period() -> Strategy:
    return strategy_unsaved(mid_term_review_year=2027, mid_term_review_half=2)


def strategy_year_after_period() -> StrategyYear:
    return StrategyYear(strategy=StrategyFactory(with_years=False), year=2027)


def area_link_to_foreign_node() -> PriorityAreaNode:
    return PriorityAreaNodeFactory.build(
        priority_area=PriorityAreaFactory(), node=objective(ResultsFrameworkFactory())
    )


def indicator_on_foreign_node() -> Indicator:
    return IndicatorFactory.build(
        priority_area=PriorityAreaFactory(), node=objective(ResultsFrameworkFactory())
    )


def defined_indicator_without_title() -> Indicator:
    indicator = IndicatorFactory()
    indicator.title = ""
    return indicator


def progress_in_foreign_year() -> IndicatorProgress:
    progress = IndicatorProgressFactory()
    progress.strategy_year = StrategyFactory().strategy_years.get(year=2024)
    return progress


def assessment_in_foreign_year() -> Assessment:
    assessment = AssessmentFactory()
    assessment.strategy_year = StrategyFactory().strategy_years.get(year=2024)
    return assessment


# Results-framework codes.

CODES = [
    # code, level, parent
    ("3", NodeLevel.OBJECTIVE, None),
    ("3b", NodeLevel.LONG_TERM_OUTCOME, "3"),
    ("3b.4", NodeLevel.SHORT_TERM_OUTCOME, "3b"),
    ("3b.4.4", NodeLevel.OUTPUT, "3b.4"),
    ("4a.2.1", NodeLevel.OUTPUT, "4a.2"),
    ("1", NodeLevel.OBJECTIVE, None),
    ("1.2", NodeLevel.LONG_TERM_OUTCOME, "1"),
    ("1.2.3", NodeLevel.SHORT_TERM_OUTCOME, "1.2"),
    ("1.2.3.4", NodeLevel.OUTPUT, "1.2.3"),
    ("12c.10", NodeLevel.SHORT_TERM_OUTCOME, "12c"),
]


@pytest.mark.parametrize(("code", "level", "parent"), CODES)
def test_node_code_gives_level_and_parent(code, level, parent):
    node_code_validate(code)
    assert node_code_level(code) == level
    assert node_code_parent(code) == parent


@pytest.mark.parametrize(
    ("printed", "stored"),
    [
        ("3", "3"),
        ("4a.", "4a"),
        ("3B", "3b"),
        (" 3b.4.4 ", "3b.4.4"),
        ("2A.2.1.", "2a.2.1"),
    ],
)
def test_node_code_normalise_trims_lowercases_and_drops_trailing_dot(printed, stored):
    assert node_code_normalise(printed) == stored
    node_code_validate(node_code_normalise(printed))


@pytest.mark.parametrize(
    "code",
    [
        "3b.4.4.1",
        "1.2.3.4.5",
        "b3",
        "3..4",
        "",
        "3B",
        "4a.",
        "3.b",
        "3bb",
        "3b.4a",
        "Under development by IOM",
        "3\n",
    ],
)
def test_node_code_validate_refuses_malformed_code_with_an_example(code):
    with pytest.raises(ValidationError) as exc:
        node_code_validate(code)
    assert exc.value.code == "malformed_code"
    assert 'Use a code like "3", "3b", "3b.4" or "3b.4.4".' in exc.value.messages[0]


# Organisations, key figures and offices.


def test_organisation_refuses_denmark_joining_before_it_existed():
    organisation = Organisation(
        name="Partner", acronym="P", slug="p", established=1951, denmark_member_since=1950
    )
    assert constraint_messages(organisation) == [
        "Denmark cannot have joined before the organisation existed."
    ]
    assert constraint_codes(organisation) == ["member_before_established"]
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_key_figure_refuses_year_out_of_range():
    organisation = OrganisationFactory()
    figure = KeyFigure(
        organisation=organisation, key="k", label="K", value=1, unit="count", year=1900
    )
    assert constraint_messages(figure) == ["Enter a year between 1945 and 2100."]
    assert constraint_codes(figure) == ["outside_years"]
    with pytest.raises(IntegrityError), transaction.atomic():
        key_figure(organisation, year=1900)


def test_key_figure_key_is_unique_per_organisation():
    figure = key_figure(OrganisationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        key_figure(figure.organisation, key=figure.key)
    key_figure(OrganisationFactory(), key=figure.key)


def test_country_office_may_report_to_regional_office_of_its_organisation():
    organisation = OrganisationFactory()
    region = office(organisation, "dakar", OfficeKind.REGIONAL)
    country = Office(organisation=organisation, key="mali", kind=OfficeKind.COUNTRY, name="Mali")
    country.regional_office = region
    country.full_clean()


def test_office_refuses_reporting_unless_country_office():
    errors = clean_errors(liaison_office_reporting_to_region())
    assert errors["regional_office"][0].messages == [
        "Only a country office reports to a regional office."
    ]


def test_office_refuses_regional_office_of_another_organisation():
    errors = clean_errors(country_office_reporting_to_foreign_region())
    assert errors["regional_office"][0].messages == [
        "The regional office belongs to another organisation."
    ]


def test_office_refuses_reporting_to_an_office_that_is_not_regional():
    organisation = OrganisationFactory()
    senegal = office(organisation, "senegal")
    mali = Office(
        organisation=organisation,
        key="mali",
        kind=OfficeKind.COUNTRY,
        name="Mali",
        regional_office=senegal,
    )
    errors = clean_errors(mali)
    assert errors["regional_office"][0].code == "invalid"


def test_office_cannot_report_to_itself_in_the_database():
    region = office(OrganisationFactory(), "dakar", OfficeKind.REGIONAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=region.pk).update(regional_office=region)


def test_office_key_is_unique_per_organisation():
    senegal = office(OrganisationFactory(), "senegal")
    with pytest.raises(IntegrityError), transaction.atomic():
        office(senegal.organisation, "senegal")


# Strategies and their years.


@pytest.mark.parametrize("end_year", [2025, 2026, 2027])
def test_strategy_accepts_period_of_three_to_five_years(end_year):
    strategy_unsaved(end_year=end_year).full_clean()


@pytest.mark.parametrize("end_year", [2022, 2023, 2024, 2028])
def test_strategy_refuses_period_shorter_than_three_or_longer_than_five_years(end_year):
    strategy = strategy_unsaved(end_year=end_year)
    assert constraint_messages(strategy) == ["A strategy runs for 3 to 5 years."]
    assert constraint_codes(strategy) == ["period_length"]
    with pytest.raises(IntegrityError), transaction.atomic():
        strategy.save()


def test_strategy_refuses_years_the_application_cannot_hold():
    strategy = strategy_unsaved(start_year=1900, end_year=1903)
    assert constraint_messages(strategy) == ["Enter a year between 1945 and 2100."] * 2
    assert constraint_codes(strategy) == ["outside_years"] * 2
    with pytest.raises(IntegrityError), transaction.atomic():
        strategy.save()


def test_strategy_refuses_mid_term_review_outside_period():
    errors = clean_errors(strategy_with_review_after_period())
    assert errors["mid_term_review_year"][0].messages == [
        "The mid-term review must fall inside the period."
    ]


def test_strategy_accepts_mid_term_review_inside_period():
    strategy_unsaved(mid_term_review_year=2024, mid_term_review_half=2).full_clean()


def test_strategy_refuses_a_third_half_for_the_mid_term_review():
    strategy = strategy_unsaved(mid_term_review_year=2024, mid_term_review_half=3)
    errors = clean_errors(strategy)
    assert errors["mid_term_review_half"][0].code == "invalid_choice"
    with pytest.raises(IntegrityError), transaction.atomic():
        strategy.save()


@pytest.mark.parametrize("field", ["stated_commitment_total", "stated_disbursement_total"])
def test_strategy_refuses_negative_stated_total(field):
    strategy = strategy_unsaved(**{field: Decimal("-1")})
    assert constraint_messages(strategy) == ["A total cannot be negative."]
    assert constraint_codes(strategy) == ["negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        strategy.save()


def test_strategy_period_properties():
    strategy = StrategyFactory(start_year=2023, end_year=2026)
    assert list(strategy.years) == [2023, 2024, 2025, 2026]
    assert strategy.period == "2023-2026"
    assert strategy.duration_years == 4
    assert [year.year for year in strategy.strategy_years.all()] == [2023, 2024, 2025, 2026]


def test_strategy_year_check_refuses_year_outside_period():
    strategy = StrategyFactory(start_year=2023, end_year=2026)
    strategy.year_check(2026)
    with pytest.raises(ValidationError) as exc:
        strategy.year_check(2027, field="planned_year")
    assert exc.value.message_dict == {
        "planned_year": ["2027 is outside the strategy period 2023-2026."]
    }


def test_strategy_year_refuses_year_outside_strategy_period():
    errors = clean_errors(strategy_year_after_period())
    assert errors["year"][0].messages == ["2027 is outside the strategy period 2023-2026."]


def test_strategy_year_refuses_year_out_of_range_in_the_database():
    strategy = StrategyFactory(with_years=False)
    year = StrategyYear(strategy=strategy, year=1900)
    assert clean_errors(year)["year"][0].messages == [
        "1900 is outside the strategy period 2023-2026."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        year.save()


def test_strategy_year_is_unique_per_strategy():
    strategy = StrategyFactory()
    errors = clean_errors(StrategyYear(strategy=strategy, year=2024))
    assert errors["__all__"][0].code == "duplicate_year"
    assert errors["__all__"][0].messages == ["The strategy already has that year."]
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyYear.objects.create(strategy=strategy, year=2024)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("planned_commitment", "A planned commitment cannot be negative."),
        ("planned_disbursement", "A planned disbursement cannot be negative."),
    ],
)
def test_strategy_year_refuses_negative_planned_amount(field, message):
    strategy = StrategyFactory(with_years=False)
    year = StrategyYear(strategy=strategy, year=2024, **{field: Decimal("-1")})
    assert constraint_messages(year) == [message]
    assert constraint_codes(year) == ["negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        year.save()


def test_strategy_year_is_locked_once_approved():
    year = StrategyFactory().strategy_years.get(year=2024)
    assert not year.is_locked
    year.state = "approved"
    assert year.is_locked


@pytest.mark.parametrize("goal", [0, 18])
def test_relevant_sdg_refuses_goal_outside_one_to_seventeen(goal):
    strategy = StrategyFactory()
    errors = clean_errors(RelevantSDG(strategy=strategy, goal=goal))
    assert errors["goal"][0].code == "invalid_choice"
    with pytest.raises(IntegrityError), transaction.atomic():
        RelevantSDG.objects.create(strategy=strategy, goal=goal)


def test_relevant_sdg_is_named_once_per_strategy():
    strategy = StrategyFactory()
    RelevantSDG.objects.create(strategy=strategy, goal=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelevantSDG.objects.create(strategy=strategy, goal=10)


def test_team_membership_holds_a_role_once():
    membership = TeamMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            strategy=membership.strategy, user=membership.user, role=membership.role
        )
    TeamMembership.objects.create(
        strategy=membership.strategy, user=membership.user, role=TeamRole.MANAGER
    )


# Priority areas.


def test_priority_area_refuses_priority_without_number():
    area = PriorityArea(strategy=StrategyFactory(), kind=PriorityKind.PRIORITY, slug="x", title="X")
    assert constraint_messages(area) == [
        "Priority areas are numbered; cross-cutting priorities are not."
    ]
    assert constraint_codes(area) == ["number_by_kind"]
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()


def test_priority_area_refuses_numbered_cross_cutting_priority():
    area = PriorityArea(
        strategy=StrategyFactory(),
        kind=PriorityKind.CROSS_CUTTING,
        number=5,
        slug="gender",
        title="Gender responsiveness",
    )
    assert constraint_messages(area) == [
        "Priority areas are numbered; cross-cutting priorities are not."
    ]
    assert constraint_codes(area) == ["number_by_kind"]
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()


def test_priority_area_number_is_unique_per_strategy():
    first = PriorityAreaFactory(number=1)
    second = PriorityArea(strategy=first.strategy, kind=PriorityKind.PRIORITY, number=1, slug="b")
    second.title = "Second"
    assert constraint_messages(second) == ["The strategy has a priority area with that number."]
    assert constraint_codes(second) == ["duplicate_number"]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    PriorityAreaFactory(number=1)


def test_strategy_may_have_several_cross_cutting_priorities():
    strategy = StrategyFactory()
    for slug in ["gender", "climate"]:
        area = PriorityArea(
            strategy=strategy, kind=PriorityKind.CROSS_CUTTING, slug=slug, title=slug
        )
        area.full_clean()
        area.save()
    assert strategy.priority_areas.count() == 2


def test_priority_area_label_names_number_or_cross_cutting():
    area = PriorityAreaFactory(number=3, title="Migration governance")
    assert area.label == "Priority area 3: Migration governance"
    area.kind, area.number = PriorityKind.CROSS_CUTTING, None
    assert area.label == "Cross-cutting: Migration governance"


# Results frameworks.


def test_results_node_accepts_codes_that_agree_with_level_and_parent():
    framework = ResultsFrameworkFactory()
    three = objective(framework, "3")
    three_b = child(three, "3b")
    node = ResultsNode(
        framework=framework,
        key="3b.4",
        code="3b.4",
        level=NodeLevel.SHORT_TERM_OUTCOME,
        parent=three_b,
        title="Outcome",
    )
    node.full_clean()


def test_results_node_clean_normalises_printed_code():
    three = objective(ResultsFrameworkFactory(), "4")
    node = ResultsNode(
        framework=three.framework,
        key="4a",
        code=" 4A. ",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=three,
        title="Outcome",
    )
    node.full_clean()
    assert node.code == "4a"


def test_results_node_refuses_malformed_code_with_an_example():
    node = ResultsNode(
        framework=ResultsFrameworkFactory(), key="x", code="3b.4.4.1", level=1, title="X"
    )
    errors = clean_errors(node)
    assert 'Use a code like "3", "3b", "3b.4" or "3b.4.4".' in errors["code"][0].messages[0]


def test_results_node_malformed_code_error_keeps_its_code():
    node = ResultsNode(
        framework=ResultsFrameworkFactory(), key="x", code="3b.4.4.1", level=1, title="X"
    )
    errors = clean_errors(node)
    assert errors["code"][0].code == "malformed_code"


def test_results_node_code_is_unique_per_framework():
    three = objective(ResultsFrameworkFactory(), "3")
    duplicate = ResultsNode(
        framework=three.framework, key="other", code="3", level=NodeLevel.OBJECTIVE, title="X"
    )
    assert constraint_messages(duplicate) == ["This framework already has a node with that code."]
    assert constraint_codes(duplicate) == ["duplicate_code"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    objective(ResultsFrameworkFactory(organisation=three.framework.organisation), "3")


def test_results_nodes_without_codes_may_share_the_empty_code():
    framework = ResultsFrameworkFactory(uses_codes=False)
    for key in ["a", "b"]:
        node = ResultsNode(
            framework=framework, key=key, code="", level=NodeLevel.OBJECTIVE, title=key
        )
        node.full_clean()
        node.save()


def test_results_node_refuses_level_that_disagrees_with_code():
    three = objective(ResultsFrameworkFactory(), "3")
    node = ResultsNode(
        framework=three.framework,
        key="3b",
        code="3b",
        level=NodeLevel.SHORT_TERM_OUTCOME,
        parent=three,
        title="X",
    )
    errors = clean_errors(node)
    assert errors["level"][0].code == "level_mismatch"
    assert errors["level"][0].messages == ["Code 3b denotes a long-term outcome."]


def test_results_node_refuses_parent_that_disagrees_with_code():
    framework = ResultsFrameworkFactory()
    objective(framework, "3")
    four = objective(framework, "4")
    node = ResultsNode(
        framework=framework,
        key="3b",
        code="3b",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=four,
        title="X",
    )
    errors = clean_errors(node)
    assert errors["parent"][0].code == "parent_mismatch"
    assert errors["parent"][0].messages == ["The parent of 3b is 3."]


def test_results_node_refuses_parent_in_another_framework():
    organisation = OrganisationFactory()
    foreign = objective(ResultsFrameworkFactory(organisation=organisation), "3")
    node = ResultsNode(
        framework=ResultsFrameworkFactory(organisation=organisation),
        key="3b",
        code="3b",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=foreign,
        title="X",
    )
    errors = clean_errors(node)
    assert errors["parent"][0].code == "other_framework"


def test_results_node_refuses_parent_that_is_not_one_level_up():
    framework = ResultsFrameworkFactory(uses_codes=False)
    top = ResultsNode.objects.create(
        framework=framework, key="top", level=NodeLevel.OBJECTIVE, title="Top"
    )
    node = ResultsNode(
        framework=framework,
        key="deep",
        level=NodeLevel.SHORT_TERM_OUTCOME,
        parent=top,
        title="Deep",
    )
    errors = clean_errors(node)
    assert errors["parent"][0].code == "parent_level"


def test_results_node_refuses_objective_with_parent():
    three = objective(ResultsFrameworkFactory(), "3")
    node = ResultsNode(
        framework=three.framework, key="x", level=NodeLevel.OBJECTIVE, parent=three, title="X"
    )
    assert clean_errors(node)["parent"][0].code == "parent_level"
    with pytest.raises(IntegrityError), transaction.atomic():
        node.save()


def test_results_node_refuses_outcome_without_parent():
    node = ResultsNode(
        framework=ResultsFrameworkFactory(),
        key="3b",
        code="3b",
        level=NodeLevel.LONG_TERM_OUTCOME,
        title="X",
    )
    assert constraint_messages(node) == [
        "Top-level nodes have no parent; every other node has one."
    ]
    assert constraint_codes(node) == ["parent_by_level"]
    with pytest.raises(IntegrityError), transaction.atomic():
        node.save()


def test_results_node_cannot_be_its_own_parent_in_the_database():
    three_b = child(objective(ResultsFrameworkFactory(), "3"), "3b")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultsNode.objects.filter(pk=three_b.pk).update(parent=three_b)


def test_results_node_refuses_level_beyond_the_frameworks_levels():
    three = objective(ResultsFrameworkFactory(), "3")
    node = ResultsNode(framework=three.framework, key="x", level=5, parent=three, title="X")
    errors = clean_errors(node)
    assert errors["level"][0].code == "level_beyond_framework"
    assert "has 4 levels; there is no level 5" in errors["level"][0].message


def test_results_node_level_is_at_most_eight_in_the_database():
    three = objective(ResultsFrameworkFactory(), "3")
    node = ResultsNode(framework=three.framework, key="x", level=9, parent=three, title="X")
    with pytest.raises(IntegrityError), transaction.atomic():
        node.save()


def test_results_node_refuses_defined_node_without_title():
    three = objective(ResultsFrameworkFactory(), "3")
    node = ResultsNode(
        framework=three.framework,
        key="3b",
        code="3b",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=three,
    )
    errors = clean_errors(node)
    assert errors["title"][0].code == "title_required"
    with pytest.raises(IntegrityError), transaction.atomic():
        node.save()


@pytest.mark.parametrize(
    "fields",
    [{"is_implied": True}, {"status": DefinitionStatus.UNDER_DEVELOPMENT}],
    ids=["implied", "under-development"],
)
def test_results_node_without_title_is_implied_or_under_development(fields):
    three = objective(ResultsFrameworkFactory(), "4")
    node = ResultsNode(
        framework=three.framework,
        key="4a",
        code="4a",
        level=NodeLevel.LONG_TERM_OUTCOME,
        parent=three,
        **fields,
    )
    node.full_clean()
    node.save()
    assert str(node) == "4a"


def test_priority_area_node_refuses_node_of_another_organisation():
    errors = clean_errors(area_link_to_foreign_node())
    assert errors["node"][0].messages == ["The node belongs to another organisation's framework."]


def test_priority_area_node_accepts_node_of_the_strategy_partner():
    link = PriorityAreaNodeFactory()
    link.full_clean()


# Indicators and progress.


def test_indicator_refuses_node_of_another_organisation():
    errors = clean_errors(indicator_on_foreign_node())
    assert errors["node"][0].messages == ["The node belongs to another organisation's framework."]


def test_indicator_refuses_defined_indicator_without_title():
    indicator = defined_indicator_without_title()
    assert clean_errors(indicator)["title"][0].messages == [
        "A defined indicator needs a title, or mark it under development."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(title="")


def test_indicator_under_development_needs_no_title():
    indicator = IndicatorFactory(title="", status=DefinitionStatus.UNDER_DEVELOPMENT)
    indicator.full_clean()
    assert str(indicator) == "Indicator under development"


def test_indicator_refuses_baseline_year_out_of_range():
    indicator = IndicatorFactory()
    indicator.baseline_year = 3000
    assert constraint_messages(indicator) == ["Enter a year between 1945 and 2100."]
    assert constraint_codes(indicator) == ["outside_years"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(baseline_year=3000)


def test_indicator_progress_refuses_year_of_another_strategy():
    errors = clean_errors(progress_in_foreign_year())
    assert errors["strategy_year"][0].messages == ["The year belongs to another strategy."]


def test_indicator_progress_is_recorded_once_a_year():
    progress = IndicatorProgressFactory()
    duplicate = IndicatorProgress(
        indicator=progress.indicator, strategy_year=progress.strategy_year
    )
    assert constraint_messages(duplicate) == ["This indicator already has a record for that year."]
    assert constraint_codes(duplicate) == ["duplicate_year"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_assessment_refuses_year_of_another_strategy():
    errors = clean_errors(assessment_in_foreign_year())
    assert errors["strategy_year"][0].messages == ["The year belongs to another strategy."]


def test_assessment_is_made_once_a_year():
    assessment = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(
            priority_area=assessment.priority_area, strategy_year=assessment.strategy_year
        )


# Indicator figures.


@pytest.mark.parametrize("field", ["target", "actual"])
def test_indicator_progress_refuses_negative_figure(field):
    progress = IndicatorProgressFactory()
    setattr(progress, field, Decimal("-1"))
    assert clean_errors(progress)[field][0].code == "negative"


def test_indicator_refuses_negative_baseline():
    indicator = IndicatorFactory()
    indicator.baseline = Decimal("-3")
    assert clean_errors(indicator)["baseline"][0].code == "negative"


def test_indicator_that_measures_a_change_may_be_negative():
    indicator = IndicatorFactory(allows_negative=True, baseline=Decimal("-3"))
    indicator.full_clean()
    IndicatorProgressFactory.build(
        indicator=indicator,
        strategy_year=indicator.priority_area.strategy.strategy_years.get(year=2024),
        actual=Decimal("-1"),
    ).full_clean()


@pytest.mark.parametrize("unit", ["%", "% of country offices", "percent"])
def test_percentage_indicator_refuses_figure_above_100(unit):
    indicator = IndicatorFactory(unit=unit, baseline=Decimal("50"))
    assert indicator.is_percentage
    indicator.baseline = Decimal("100.5")
    assert clean_errors(indicator)["baseline"][0].code == "over_100"
    progress = IndicatorProgressFactory.build(
        indicator=indicator,
        strategy_year=indicator.priority_area.strategy.strategy_years.get(year=2024),
        target=Decimal("101"),
        actual=Decimal("100"),
    )
    errors = clean_errors(progress)
    assert errors["target"][0].code == "over_100"
    assert "actual" not in errors


def test_indicator_counting_things_may_exceed_100():
    indicator = IndicatorFactory(unit="number of countries", baseline=Decimal("150"))
    assert not indicator.is_percentage
    indicator.full_clean()


# Closed years.


@pytest.mark.parametrize(
    ("state", "code"), [("approved", "year_locked"), ("submitted", "year_submitted")]
)
def test_progress_of_a_closed_year_refuses_changes(state, code):
    progress = IndicatorProgressFactory()
    StrategyYear.objects.filter(pk=progress.strategy_year_id).update(state=state)
    progress.refresh_from_db()
    progress.full_clean()  # Unchanged, as an admin inline resubmits it: accepted.
    progress.actual = Decimal("19")
    assert clean_errors(progress)["__all__"][0].code == code


@pytest.mark.parametrize(
    ("state", "code"), [("approved", "year_locked"), ("submitted", "year_submitted")]
)
def test_closed_year_refuses_new_progress_and_assessments(state, code):
    area = PriorityAreaFactory()
    year = area.strategy.strategy_years.get(year=2025)
    year.state = state
    year.save()
    indicator = IndicatorFactory(priority_area=area)
    new_progress = IndicatorProgress(indicator=indicator, strategy_year=year, actual=Decimal("1"))
    assert clean_errors(new_progress)["__all__"][0].code == code
    new_assessment = AssessmentFactory.build(priority_area=area, strategy_year=year)
    assert clean_errors(new_assessment)["__all__"][0].code == code


def test_progress_cannot_move_out_of_a_closed_year():
    progress = IndicatorProgressFactory()
    StrategyYear.objects.filter(pk=progress.strategy_year_id).update(state="approved")
    progress.refresh_from_db()
    progress.strategy_year = progress.indicator.priority_area.strategy.strategy_years.get(year=2025)
    assert clean_errors(progress)["__all__"][0].code == "year_locked"


# Assessments and evidence.


def test_assessment_rating_needs_a_narrative():
    assessment = AssessmentFactory()
    assessment.narrative = "  "
    assert clean_errors(assessment)["narrative"][0].code == "narrative_required"


def test_assessment_not_yet_assessed_needs_no_narrative():
    assessment = AssessmentFactory(rating="not_assessed", narrative="")
    assessment.full_clean()


def evidence(**fields) -> Evidence:
    fields = {
        "file": "evidence/report.pdf",
        "original_name": "report.pdf",
        "content_type": "application/pdf",
        "size": 1024,
        **fields,
    }
    return Evidence(progress=IndicatorProgressFactory(), **fields)


def test_evidence_refuses_file_over_the_size_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    errors = clean_errors(evidence(size=1001))
    assert errors["file"][0].code == "file_too_large"
    evidence(size=1000).full_clean()


def test_evidence_refuses_file_type_not_accepted():
    errors = clean_errors(evidence(content_type="text/html"))
    assert errors["content_type"][0].code == "file_type"


def test_evidence_cannot_be_added_to_a_closed_year():
    row = evidence()
    StrategyYear.objects.filter(pk=row.progress.strategy_year_id).update(state="approved")
    row.progress.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert exc.value.error_dict["__all__"][0].code == "year_locked"


@pytest.mark.parametrize(
    ("build", "field", "code"),
    [
        (liaison_office_reporting_to_region, "regional_office", "not_country_office"),
        (country_office_reporting_to_foreign_region, "regional_office", "other_organisation"),
        (strategy_with_review_after_period, "mid_term_review_year", "outside_period"),
        (strategy_year_after_period, "year", "outside_period"),
        (area_link_to_foreign_node, "node", "other_organisation"),
        (indicator_on_foreign_node, "node", "other_organisation"),
        (defined_indicator_without_title, "title", "title_required"),
        (progress_in_foreign_year, "strategy_year", "other_strategy"),
        (assessment_in_foreign_year, "strategy_year", "other_strategy"),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_clean_error_carries_its_code(build, field, code):
    assert clean_errors(build())[field][0].code == code


# Change history.


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (StrategyFactory, "title", "Renamed"),
        (PriorityAreaFactory, "key_result", "Changed"),
        (IndicatorProgressFactory, "actual", Decimal("19")),
        (AssessmentFactory, "rating", "off_track"),
        (TeamMembershipFactory, "role", TeamRole.MANAGER),
    ],
    ids=["strategy", "priority-area", "indicator-progress", "assessment", "team-membership"],
)
def test_saving_records_a_change_in_history(make, field, value):
    obj = make()
    before = obj.history.count()
    setattr(obj, field, value)
    obj.save()
    assert obj.history.count() == before + 1
    assert getattr(obj.history.first(), field) == value


def test_strategy_year_history_records_who_changed_the_state():
    year = StrategyFactory().strategy_years.get(year=2024)
    user = UserFactory()
    year.state = "submitted"
    year._history_user = user
    year.save()
    latest = year.history.first()
    assert (latest.state, latest.history_user) == ("submitted", user)


# Natural keys.


NATURAL_KEY_BUILDERS = {
    Organisation: OrganisationFactory,
    KeyFigure: lambda: key_figure(OrganisationFactory()),
    Office: lambda: office(OrganisationFactory(), "senegal"),
    Strategy: StrategyFactory,
    StrategyYear: lambda: StrategyFactory().strategy_years.get(year=2025),
    RelevantSDG: lambda: RelevantSDG.objects.create(strategy=StrategyFactory(), goal=10),
    Chapter: lambda: Chapter.objects.create(
        strategy=StrategyFactory(), key="budget", number="5", title="Budget"
    ),
    PriorityArea: PriorityAreaFactory,
    ResultsFramework: ResultsFrameworkFactory,
    ResultsNode: lambda: child(objective(ResultsFrameworkFactory(), "3"), "3b"),
    PriorityAreaNode: PriorityAreaNodeFactory,
    Indicator: IndicatorFactory,
}


def test_every_priorities_model_with_a_natural_key_is_round_tripped():
    models = apps.get_app_config("priorities").get_models()
    assert {model for model in models if issubclass(model, NaturalKeyModel)} == set(
        NATURAL_KEY_BUILDERS
    )


@pytest.mark.parametrize(
    "build",
    NATURAL_KEY_BUILDERS.values(),
    ids=[model.__name__ for model in NATURAL_KEY_BUILDERS],
)
def test_natural_key_finds_the_row_again(build):
    obj = build()
    build()  # A second row of the same kind, so the lookup has to choose.
    model = type(obj)
    assert model.NATURAL_KEY
    assert model.objects.get_by_natural_key(*obj.natural_key()) == obj

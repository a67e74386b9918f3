"""Frameworks of any shape: named levels, optional codes, several per partner, nodes as a list."""

import html
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from priorities import services
from priorities.choices import CodeScheme, DefinitionStatus
from priorities.models import PriorityAreaNode, ResultsFramework, ResultsNode
from priorities.selectors import framework_tree
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import node_list_data
from tests.priorities.factories import (
    IndicatorFactory,
    PriorityAreaFactory,
    ResultsFrameworkFactory,
    StrategyFactory,
)

THREE_LEVELS = ["Transformational priority", "Outcome", "Output"]


@pytest.fixture
def strategy(db):
    return StrategyFactory(slug="ocha-2024-2028", title="Organisation strategy 2024-2028")


def framework_url(strategy) -> str:
    return reverse("priorities:framework_setup", kwargs={"slug": strategy.slug})


def codeless(strategy, name="Strategic plan", levels=THREE_LEVELS) -> ResultsFramework:
    return ResultsFrameworkFactory(
        organisation=strategy.organisation,
        name=name,
        level_names=list(levels),
        uses_codes=False,
    )


def outline(framework) -> list[tuple[int, str, str]]:
    """Return the framework's nodes as (level, title, parent title), in list order."""
    nodes = framework.nodes.select_related("parent").order_by("order", "pk")
    return [(node.level, node.title, node.parent.title if node.parent else "") for node in nodes]


# --- The framework's own levels and codes -----------------------------------------------------


def test_framework_without_codes_is_set_up_and_filled_through_the_page(client_admin, strategy):
    area = PriorityAreaFactory(strategy=strategy, number=1, title="Humanitarian coordination")
    response = client_admin.post(
        framework_url(strategy),
        {
            "action": "framework",
            "name": "Strategic plan 2023-2026",
            "levels": "Transformational priority\n\n Outcome \nOutput\n",
        },
    )
    assert response.status_code == 302
    framework = strategy.organisation.frameworks.get()
    assert framework.level_names == THREE_LEVELS
    assert (framework.uses_codes, framework.code_scheme) == (False, "")

    response = client_admin.post(
        framework_url(strategy),
        node_list_data(
            framework,
            [
                {"level": 1, "title": "Localisation"},
                {"level": 2, "title": "Local actors lead"},
                {"level": 3, "title": "Pooled funds reach local actors"},
                {"level": 3, "title": "Local actors sit in clusters"},
                {"level": 1, "title": "Accountability to affected people"},
            ],
        ),
        follow=True,
    )
    assert "Nodes of “Strategic plan 2023-2026” saved." in html.unescape(response.text)
    assert "is not a results-framework code" not in response.text
    assert outline(framework) == [
        (1, "Localisation", ""),
        (2, "Local actors lead", "Localisation"),
        (3, "Pooled funds reach local actors", "Local actors lead"),
        (3, "Local actors sit in clusters", "Local actors lead"),
        (1, "Accountability to affected people", ""),
    ]
    assert set(framework.nodes.values_list("code", flat=True)) == {""}

    output = framework.nodes.get(title="Local actors sit in clusters")
    client_admin.post(
        framework_url(strategy), {"action": "link", "node": output.pk, "priority_area": area.pk}
    )
    assert PriorityAreaNode.objects.filter(priority_area=area, node=output).exists()
    page = client_admin.get(
        reverse("priorities:priorityarea_detail", kwargs={"slug": strategy.slug, "number": 1})
    ).text
    for name in THREE_LEVELS:
        assert name in page
    assert "Long-term outcome" not in page
    assert "Objective" not in page


def test_framework_levels_are_checked(client_admin, strategy):
    response = client_admin.post(
        framework_url(strategy),
        {"action": "framework", "name": "Plan", "levels": "Outcome\noutcome"},
    )
    assert "Each level needs a name of its own." in response.text
    response = client_admin.post(
        framework_url(strategy),
        {"action": "framework", "name": "Plan", "levels": "\n".join(f"L{n}" for n in range(9))},
    )
    assert "A framework has at most 8 levels; 9 are named." in response.text
    assert not ResultsFramework.objects.exists()


def test_pattern_framework_needs_a_valid_pattern(client_admin, strategy):
    response = client_admin.post(
        framework_url(strategy),
        {
            "action": "framework",
            "name": "Plan",
            "levels": "Outcome\nOutput",
            "uses_codes": "on",
            "code_scheme": "pattern",
            "code_pattern": "OC(",
        },
    )
    assert "This is not a regular expression" in response.text
    assert not ResultsFramework.objects.exists()


def test_hierarchical_framework_still_refuses_a_code_outside_its_scheme(db):
    framework = ResultsFrameworkFactory()
    node = ResultsNode(framework=framework, key="tp1", code="tp1", level=1, title="Localisation")
    with pytest.raises(ValidationError) as refused:
        node.full_clean()
    assert refused.value.error_dict["code"][0].code == "malformed_code"
    assert "is not a results-framework code" in refused.value.messages[0]


def test_framework_without_codes_takes_nodes_without_a_code_and_refuses_one(db):
    framework = ResultsFrameworkFactory(level_names=THREE_LEVELS, uses_codes=False)
    ResultsNode(framework=framework, key="a", level=1, title="Localisation").full_clean()
    node = ResultsNode(framework=framework, key="b", code="tp1", level=1, title="Localisation")
    with pytest.raises(ValidationError) as refused:
        node.full_clean()
    assert refused.value.error_dict["code"][0].code == "codes_not_used"


def test_framework_with_a_pattern_checks_codes_against_it(db):
    framework = ResultsFrameworkFactory(
        level_names=["Impact area", "Outcome area"],
        code_scheme=CodeScheme.PATTERN,
        code_pattern=r"(IA|OA)\d+",
    )
    ResultsNode(framework=framework, key="ia1", code="IA1", level=1, title="Protect").full_clean()
    node = ResultsNode(framework=framework, key="x", code="3b", level=1, title="Protect")
    with pytest.raises(ValidationError) as refused:
        node.full_clean()
    error = refused.value.error_dict["code"][0]
    assert error.code == "pattern_mismatch"
    assert "(IA|OA)\\d+" in error.message


def test_a_level_beyond_the_framework_is_refused_by_name(db):
    framework = ResultsFrameworkFactory(level_names=["Impact area"], uses_codes=False)
    node = ResultsNode(framework=framework, key="x", level=2, title="X")
    with pytest.raises(ValidationError) as refused:
        node.full_clean()
    assert "has 1 level; there is no level 2" in refused.value.error_dict["level"][0].message


def test_framework_without_levels_is_refused(db):
    framework = ResultsFrameworkFactory.build(level_names=[], uses_codes=False)
    with pytest.raises(ValidationError) as refused:
        framework.full_clean(exclude=["organisation"])
    assert refused.value.error_dict["level_names"][0].code == "no_levels"


# --- Nodes as a list -------------------------------------------------------------------------


def test_a_row_without_a_node_one_level_up_above_it_is_refused(client_admin, strategy):
    framework = codeless(strategy)
    response = client_admin.post(
        framework_url(strategy),
        node_list_data(framework, [{"level": 1, "title": "A"}, {"level": 3, "title": "Deep"}]),
    )
    assert "A output needs a outcome above it in the list." in html.unescape(response.text)
    assert not framework.nodes.exists()


def test_nodes_are_reordered_changed_and_removed_in_one_save(client_admin, strategy, admin_user):
    framework = codeless(strategy)
    services.framework_nodes_save(
        framework=framework,
        rows=[
            services.NodeRow(node=None, level=1, title="First"),
            services.NodeRow(node=None, level=2, title="Under first"),
            services.NodeRow(node=None, level=1, title="Second"),
            services.NodeRow(node=None, level=2, title="Under second"),
        ],
        user=admin_user,
    )
    first, under_first, second, under_second = framework.nodes.order_by("order")
    response = client_admin.post(
        framework_url(strategy),
        node_list_data(
            framework,
            [{"level": 2, "title": "New under second", "order": 5}],
            changes={
                first: {"order": 3},
                under_first: {"order": 4, "title": "Moved under first"},
                second: {"order": 1},
                under_second: {"remove": "on"},
            },
        ),
    )
    assert response.status_code == 302
    assert outline(framework) == [
        (1, "Second", ""),
        (1, "First", ""),
        (2, "Moved under first", "First"),
        (2, "New under second", "First"),
    ]
    assert not ResultsNode.objects.filter(title="Under second").exists()


def test_removing_a_node_whose_children_stay_is_refused(client_admin, strategy):
    framework = ResultsFrameworkFactory(organisation=strategy.organisation)
    node = services.node_create(framework=framework, code="3b.1", title="Child", user=None)
    parent = node.parent
    response = client_admin.post(
        framework_url(strategy), node_list_data(framework, changes={parent: {"remove": "on"}})
    )
    assert "Nodes below this one stay" in response.text
    assert ResultsNode.objects.filter(pk=parent.pk).exists()


def test_removing_a_parent_without_its_children_is_refused_rather_than_moving_them(
    client_admin, strategy, admin_user
):
    framework = codeless(strategy)
    services.framework_nodes_save(
        framework=framework,
        rows=[
            services.NodeRow(node=None, level=1, title="First"),
            services.NodeRow(node=None, level=1, title="Second"),
            services.NodeRow(node=None, level=2, title="Under second"),
        ],
        user=admin_user,
    )
    second = framework.nodes.get(title="Second")
    response = client_admin.post(
        framework_url(strategy), node_list_data(framework, changes={second: {"remove": "on"}})
    )
    assert "The transformational priority above this node is removed" in response.text
    assert framework.nodes.get(title="Under second").parent == second

    under = framework.nodes.get(title="Under second")
    response = client_admin.post(
        framework_url(strategy),
        node_list_data(framework, changes={second: {"remove": "on"}, under: {"remove": "on"}}),
    )
    assert response.status_code == 302
    assert list(framework.nodes.values_list("title", flat=True)) == ["First"]


def test_removing_a_node_that_indicators_measure_is_refused(client_admin, strategy):
    framework = codeless(strategy)
    node = ResultsNode.objects.create(framework=framework, key="a", level=1, title="A")
    area = PriorityAreaFactory(strategy=strategy)
    IndicatorFactory(priority_area=area, node=node)
    response = client_admin.post(
        framework_url(strategy), node_list_data(framework, changes={node: {"remove": "on"}})
    )
    assert "Indicators measure this node" in response.text
    assert ResultsNode.objects.filter(pk=node.pk).exists()


def test_a_stale_row_refuses_the_whole_list(client_admin, strategy, admin_user):
    framework = codeless(strategy)
    node = ResultsNode.objects.create(framework=framework, key="a", level=1, title="A")
    data = node_list_data(framework, [{"level": 1, "title": "B"}])
    node.title = "Changed meanwhile"
    node.save()
    data[f"f{framework.pk}-n{node.pk}-title"] = "Mine"
    response = client_admin.post(framework_url(strategy), data)
    assert response.status_code == 200
    node.refresh_from_db()
    assert node.title == "Changed meanwhile"
    assert not framework.nodes.filter(title="B").exists()
    form = next(f for f in response.context["panels"][0].forms if f.instance == node)
    assert form["version"].value() == version_token(node)


def test_hierarchical_list_adds_codes_with_their_implied_ancestors(client_admin, strategy):
    framework = ResultsFrameworkFactory(organisation=strategy.organisation)
    response = client_admin.post(
        framework_url(strategy),
        node_list_data(
            framework,
            [
                {"code": "4a.2.1", "title": "Capacities"},
                {"code": "tp1", "title": "Localisation"},
            ],
        ),
    )
    assert "“tp1” is not a results-framework code" in html.unescape(response.text)
    assert not framework.nodes.exists()


def test_hierarchical_siblings_follow_their_codes_unless_given_an_order(admin_user, db):
    framework = ResultsFrameworkFactory()
    services.framework_nodes_save(
        framework=framework,
        rows=[services.NodeRow(node=None, code="3", title="Three")],
        user=admin_user,
    )
    three = framework.nodes.get()
    services.framework_nodes_save(
        framework=framework,
        rows=[
            services.NodeRow(node=three, version=version_token(three), title="Three"),
            services.NodeRow(node=None, code="2", title="Two"),
            services.NodeRow(node=None, code="1", title="One", order=9),
        ],
        user=admin_user,
    )
    nodes = {node.pk: node for node in framework.nodes.select_related("framework")}
    tree = framework_tree(nodes, set(nodes))
    assert [branch.node.code for branch in tree] == ["2", "3", "1"]


def test_code_less_node_keys_are_unique_and_stable(admin_user, db):
    framework = ResultsFrameworkFactory(level_names=["Outcome"], uses_codes=False)
    rows = [services.NodeRow(node=None, level=1, title="Same title") for _ in range(2)]
    services.framework_nodes_save(framework=framework, rows=rows, user=admin_user)
    assert sorted(framework.nodes.values_list("key", flat=True)) == [
        "same-title",
        "same-title-2",
    ]


def test_under_development_node_without_title_is_named_by_its_level(admin_user, db):
    framework = ResultsFrameworkFactory(level_names=["Impact area", "Outcome"], uses_codes=False)
    services.framework_nodes_save(
        framework=framework,
        rows=[
            services.NodeRow(node=None, level=1, title="Protection"),
            services.NodeRow(
                node=None, level=2, section="x", status=DefinitionStatus.UNDER_DEVELOPMENT
            ),
        ],
        user=admin_user,
    )
    node = framework.nodes.get(level=2)
    assert str(node) == "Outcome (under development)"


# --- Several frameworks per partner ----------------------------------------------------------


def test_every_framework_of_the_partner_is_shown_and_mapped_without_duplicates(
    client_admin, strategy
):
    old = ResultsFrameworkFactory(organisation=strategy.organisation, name="Strategic plan 2018")
    new = codeless(strategy, name="Strategic plan 2022")
    services.node_create(framework=old, code="1", title="Old objective", user=None)
    ResultsNode.objects.create(framework=new, key="a", level=1, title="New priority")
    response = client_admin.get(framework_url(strategy))
    text = html.unescape(response.text)
    assert "Save the nodes of Strategic plan 2018" in text
    assert "Save the nodes of Strategic plan 2022" in text
    choices = response.context["link_form"].fields["node"].choices
    groups = {label: [pk for pk, _ in options] for label, options in choices[1:]}
    assert list(groups) == ["Strategic plan 2018", "Strategic plan 2022"]
    assert len(groups["Strategic plan 2018"]) == 1
    assert len(groups["Strategic plan 2022"]) == 1
    assert "Transformational priority: New priority" in text

    area = PriorityAreaFactory(strategy=strategy, number=1)
    for node in ResultsNode.objects.all():
        client_admin.post(
            framework_url(strategy), {"action": "link", "node": node.pk, "priority_area": area.pk}
        )
    assert area.node_links.count() == 2


def test_a_second_framework_gets_a_slug_and_place_of_its_own(client_admin, strategy):
    codeless(strategy, name="Strategic plan")
    response = client_admin.post(
        framework_url(strategy),
        {"action": "framework", "name": "Strategic plan", "levels": "Outcome"},
    )
    assert response.status_code == 302
    slugs = list(strategy.organisation.frameworks.values_list("slug", "order"))
    assert len({slug for slug, _ in slugs}) == 2


def test_node_of_another_framework_cannot_be_posted_as_this_ones(client_admin, strategy):
    elsewhere = ResultsFrameworkFactory(level_names=["Outcome"], uses_codes=False)
    data = node_list_data(elsewhere, [{"level": 1, "title": "Sneaked in"}])
    response = client_admin.post(framework_url(strategy), data)
    assert response.status_code == 404
    assert not ResultsNode.objects.exists()


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_framework_setup_query_count_does_not_grow(
    client_admin, django_assert_num_queries, strategy, admin_user, rows
):
    for name in ("Plan A", "Plan B"):
        framework = codeless(strategy, name=name)
        services.framework_nodes_save(
            framework=framework,
            rows=[
                services.NodeRow(node=None, level=1 + number % 3, title=f"Node {number}")
                for number in range(rows)
            ],
            user=admin_user,
        )
    area = PriorityAreaFactory(strategy=strategy, number=1)
    for node in ResultsNode.objects.all()[:rows]:
        PriorityAreaNode.objects.create(priority_area=area, node=node)
    # session, user, user's groups, strategy; the partner's frameworks, all their nodes (the
    # lists and the map-node choices), user's team roles (header), priority areas (map form),
    # the mappings with their areas, nodes and frameworks
    with django_assert_num_queries(9):
        response = client_admin.get(framework_url(strategy))
    assert response.status_code == 200


# --- Migration ------------------------------------------------------------------------------


def test_migration_gives_existing_frameworks_their_four_levels_and_code_scheme(db):
    with_codes = ResultsFrameworkFactory(level_names=[], code_scheme="")
    without = ResultsFrameworkFactory(level_names=[], uses_codes=False)
    migration = importlib.import_module("priorities.migrations.0012_framework_levels")
    migration.levels_fill(apps, None)
    with_codes.refresh_from_db()
    without.refresh_from_db()
    assert with_codes.level_names == [
        "Objective",
        "Long-term outcome",
        "Short-term outcome",
        "Output",
    ]
    assert (with_codes.code_scheme, without.code_scheme) == ("hierarchical", "")

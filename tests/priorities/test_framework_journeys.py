"""Browser journey: an administrator sets up a partner framework without codes on one page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from priorities.models import PriorityAreaNode, ResultsNode
from tests.priorities.factories import PriorityAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_sets_up_a_code_less_framework_and_maps_a_node(
    page, live_server, browser_login, admin_user, strategy
):
    PriorityAreaFactory(strategy=strategy, number=1, title="Localisation")
    browser_login(page, "administrator")
    page.goto(
        live_server.url + reverse("priorities:framework_setup", kwargs={"slug": strategy.slug})
    )
    page.get_by_label("Name of the framework").fill("Strategic plan 2023-2026")
    page.get_by_label("Levels").fill("Transformational priority\nOutcome\nOutput")
    page.get_by_role("button", name="Add framework").click()
    expect(page.locator(".messages")).to_contain_text("Transformational priority, Outcome, Output")

    rows = page.locator("table.node-list tbody tr")
    for number, (level, title) in enumerate(
        [
            ("Transformational priority", "Localisation"),
            ("Outcome", "Local actors lead"),
            ("Output", "Pooled funds reach local actors"),
        ]
    ):
        row = rows.nth(number)
        row.get_by_label("Level").select_option(label=level)
        row.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save the nodes of Strategic plan 2023-2026").click()
    expect(page.locator("table.node-list")).to_contain_text("Transformational priority")
    output = ResultsNode.objects.get(title="Pooled funds reach local actors")
    assert (output.level, output.parent.title, output.code) == (3, "Local actors lead", "")

    page.locator("#id_node").select_option(label="Output: Pooled funds reach local actors")
    page.locator("#id_priority_area").select_option(index=1)
    page.get_by_role("button", name="Map node").click()
    expect(page.get_by_role("table").last).to_contain_text("Pooled funds reach local actors")
    assert PriorityAreaNode.objects.filter(node=output).exists()

"""The year's round trip as its users make it, on a desktop and on a phone.

A desk officer logs the year in progress for one priority area through its grid and submits it
with one gap overridden; the manager finds it on My tasks, reviews it and returns it with a
reason; the desk officer reads the reason on My tasks, fills the gap and submits again; the
manager approves it, and the year's milestone turns done. Every step starts from the page the
user lands on after logging in.
"""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from engagement.services import milestones_generate
from priorities.choices import TeamRole, YearState
from priorities.models import StrategyYear
from priorities.permissions import MANAGER_GROUP
from tests.priorities.factories import (
    IndicatorFactory,
    PriorityAreaFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETURN_REASON = "Add the 2nd indicator's actual: the annual report gives it."


def fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def log_in_fresh(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username)
    assert page.url.endswith("/my/")
    assert fits(page)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_year_goes_round_from_grid_to_approval(page, live_server, browser_login, strategy, width):
    page.set_viewport_size({"width": width, "height": 900})
    desk = UserFactory(username="round-desk")
    TeamMembershipFactory(strategy=strategy, user=desk, role=TeamRole.DESK_OFFICER)
    manager = UserFactory(username="round-manager")
    manager.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    year = min(max(timezone.localdate().year, strategy.start_year), strategy.end_year)
    area = PriorityAreaFactory(strategy=strategy, title="Safe migration")
    first = IndicatorFactory(priority_area=area, title="Officials trained", unit="")
    second = IndicatorFactory(priority_area=area, title="Returns assisted", unit="")
    review_url = f"{live_server.url}/strategies/{strategy.slug}/years/{year}/review/"
    milestones_generate(strategy=strategy, user=desk)

    # The desk officer: My tasks, the area's grid (two clicks from logging in), one actual.
    log_in_fresh(page, browser_login, "round-desk")
    page.get_by_role("link", name=f"2 of 2 indicators have no {year} actual").click()
    page.get_by_label(f"{year} actual for {first.code} {first.title}", exact=False).fill("120")
    page.get_by_role("button", name=f"Save {year} figures").click()
    page.wait_for_url(lambda url: "/figures/" not in url)
    assert fits(page)

    # Submitting: the review page lists the gap, and the year goes only with a reason.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/")
    page.get_by_role("link", name=f"Review and submit {year}").click()
    assert page.url == review_url
    expect(page.get_by_role("heading", name="What is missing")).to_be_visible()
    page.get_by_role("button", name=f"Submit {year}").click()
    expect(page.locator("#error-summary")).to_be_focused()
    page.get_by_label("Why submit with these gaps").fill("The second figure comes in March.")
    page.get_by_role("button", name=f"Submit {year}").click()
    assert StrategyYear.objects.get(strategy=strategy, year=year).state == YearState.SUBMITTED

    # The manager: one click from logging in to the review, then a return with a reason.
    log_in_fresh(page, browser_login, "round-manager")
    page.get_by_role("link", name=f"Review {year} of").click()
    assert page.url == review_url
    expect(page.get_by_text("The second figure comes in March.")).to_be_visible()
    assert fits(page)
    return_form = page.locator("form:has(input[name=decision][value=return])")
    return_form.locator("textarea").fill(RETURN_REASON)
    page.get_by_role("button", name=f"Return {year} for changes").click()
    assert StrategyYear.objects.get(strategy=strategy, year=year).state == YearState.DRAFT

    # The desk officer reads the reason in full on My tasks, fills the gap and submits again.
    log_in_fresh(page, browser_login, "round-desk")
    expect(page.locator(".queue-reason")).to_contain_text(RETURN_REASON)
    page.get_by_role("link", name=f"1 of 2 indicators has no {year} actual").click()
    page.get_by_label(f"{year} actual for {second.code} {second.title}", exact=False).fill("45")
    page.get_by_role("button", name=f"Save {year} figures").click()
    page.wait_for_url(lambda url: "/figures/" not in url)
    page.goto(review_url)
    reason = page.get_by_label("Why submit with these gaps")
    if reason.count():  # an area unrated, or actuals without evidence, are gaps still
        reason.fill("Ratings follow the consultation; evidence is on file.")
    page.get_by_role("button", name=f"Submit {year}").click()
    assert StrategyYear.objects.get(strategy=strategy, year=year).state == YearState.SUBMITTED

    # The manager approves it from My tasks.
    log_in_fresh(page, browser_login, "round-manager")
    page.get_by_role("link", name=f"Review {year} of").click()
    page.get_by_role("button", name=f"Approve {year}").click()
    assert StrategyYear.objects.get(strategy=strategy, year=year).state == YearState.APPROVED
    expect(page.get_by_text("approved", exact=False).first).to_be_visible()
    assert fits(page)

    # The matching milestone turns done, and links to the year it waited for.
    page.goto(f"{live_server.url}/strategies/{strategy.slug}/milestones/?state=done")
    row = page.locator("tr", has_text=f"Progress of {year} approved")
    expect(row).to_have_count(1)
    expect(row.locator(".state")).to_have_text("Done")
    row.get_by_role("link", name="Year approved").click()
    assert page.url == review_url
    assert fits(page)

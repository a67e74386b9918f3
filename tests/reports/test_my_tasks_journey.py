"""From login to the work in as few clicks as the issue asks, on a desktop and on a phone.

A desk officer reaches the year's figures grid in two clicks (log in, then the area's line on
My tasks); a manager reaches a submitted year's review in one (the line on My tasks, where the
login lands).
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from priorities.choices import TeamRole, YearState
from priorities.models import StrategyYear
from priorities.permissions import MANAGER_GROUP
from tests.priorities.factories import (
    IndicatorFactory,
    IndicatorProgressFactory,
    PriorityAreaFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1440, 390])
def test_desk_officer_and_manager_reach_their_work_from_my_tasks(
    page, live_server, browser_login, strategy, width
):
    page.set_viewport_size({"width": width, "height": 900})
    desk = UserFactory(username="journey-desk")
    TeamMembershipFactory(strategy=strategy, user=desk, role=TeamRole.DESK_OFFICER)
    manager = UserFactory(username="journey-manager")
    manager.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    # The year in progress: this year inside the period, or the period's last year after it.
    year = min(max(timezone.localdate().year, strategy.start_year), strategy.end_year)
    area = PriorityAreaFactory(strategy=strategy, title="Safe migration")
    for _ in range(2):
        IndicatorProgressFactory(
            indicator=IndicatorFactory(priority_area=area),
            strategy_year=strategy.strategy_years.get(year=year),
            actual=None,
            target=Decimal("10"),
        )
    StrategyYear.objects.filter(strategy=strategy, year=strategy.start_year).update(
        state=YearState.SUBMITTED,
        state_changed_by=desk,
        state_changed_at=timezone.now() - datetime.timedelta(days=1),
    )

    browser_login(page, "journey-desk")
    assert page.url == f"{live_server.url}/my/"
    assert fits(page)
    page.get_by_role("link", name=f"2 of 2 indicators have no {year} actual").click()
    assert page.url == (
        f"{live_server.url}/strategies/{strategy.slug}/priority-areas/{area.pk}/figures/{year}/"
    )

    page.context.clear_cookies()
    browser_login(page, "journey-manager")
    assert page.url == f"{live_server.url}/my/"
    assert fits(page)
    page.get_by_role("link", name=f"Review {strategy.start_year} of").click()
    assert page.url == (
        f"{live_server.url}/strategies/{strategy.slug}/years/{strategy.start_year}/review/"
    )

"""Hostile query strings on list pages: the nearest valid page, bad filters ignored, never 500.

A page number or page size out of range answers the nearest valid page; a filter value that
does not parse is left out with a message. No such address answers 404 or 500, or writes an
ERROR to the log.
"""

import logging

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.engagement.factories import MeetingFactory, MilestoneFactory
from tests.priorities.builders import media_root  # noqa: F401
from tests.security.test_url_access import PAGES
from tests.security.world import World

pytestmark = pytest.mark.django_db

HUGE = "9" * 20
# Every page a reader of the strategy opens with GET, the lists of every app and the change log
# among them (dashboards and the home page page through lists too); not the file download.
LIST_PAGES = sorted(
    key
    for key, page in PAGES.items()
    if page.writers is None
    and page.get == 200
    and not page.slow
    and "desk" in page.readers
    and key != "priorities:evidence_download"
)
PAGING = ("page", "per_page", "sort")
# Filter names used by the list pages; a page ignores those it does not know.
FILTERS = (
    "q",
    "year",
    "kind",
    "state",
    "status",
    "owner",
    "organisation",
    "node",
    "category",
    "area",
    "priority_area",
    "line",
    "half",
    "decision",
    "user",
    "date_from",
    "date_to",
)
HOSTILE = {
    "negative": "-1",
    "zero": "0",
    "huge": HUGE,
    "non-numeric": "abc",
    "unknown": "no-such-value",
}


class Records(logging.Handler):
    """Keep every record at WARNING or above that reaches the loggers it is attached to."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    @property
    def errors(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.ERROR]


@pytest.fixture
def log_records():
    """Collect records from the root logger and Django's own (which does not propagate)."""
    handler = Records()
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def page_url(key: str, world: World) -> str:
    return reverse(key, kwargs=PAGES[key].kwargs(world))


def test_the_walk_covers_the_list_pages_of_every_app():
    apps = {key.split(":")[0] for key in LIST_PAGES}
    assert {"priorities", "risks", "engagement", "funding"} <= apps
    assert "reports:strategy_history" in LIST_PAGES


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("key", LIST_PAGES)
def test_every_list_page_survives_hostile_paging_and_filters(
    key, value, world, client_desk, log_records
):
    url = page_url(key, world)
    query = {name: value for name in (*PAGING, *FILTERS)}
    response = client_desk.get(url, query)
    assert response.status_code == 200, f"{key}?…={value} answered {response.status_code}"
    assert not log_records.errors


@pytest.mark.parametrize("name", PAGING)
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_paging_alone_answers_the_list(name, value, world, client_desk, log_records):
    for key in ("engagement:meeting_list", "risks:risk_list", "reports:strategy_history"):
        response = client_desk.get(page_url(key, world), {name: value})
        assert response.status_code == 200, f"{key}?{name}={value}"
    assert not log_records.errors


# --- The query strings that were found to fail ------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "priorities:strategy_list",
        "risks:risk_list",
        "engagement:meeting_list",
        "engagement:actionpoint_list",
        "engagement:milestone_list",
        "funding:commitment_list",
        "funding:disbursement_list",
        "funding:parliamentaryapproval_list",
        "funding:allocationround_list",
    ],
)
def test_a_negative_page_size_shows_the_first_page(key, world, client_desk, log_records):
    response = client_desk.get(page_url(key, world), {"per_page": "-1"})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.page.number == 1
    assert table.paginator.per_page >= 1
    assert not log_records.errors


def test_a_huge_page_size_is_capped(world, client_desk):
    MeetingFactory.create_batch(3, strategy=world.strategy)
    response = client_desk.get(page_url("engagement:meeting_list", world), {"per_page": HUGE})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 100


@pytest.mark.parametrize("key", ["engagement:meeting_list", "engagement:milestone_list"])
@pytest.mark.parametrize("year", ["0", "-1", HUGE, "10000", "2024.5", "abc"])
def test_a_year_out_of_range_is_ignored_with_a_message(key, year, world, client_desk, log_records):
    MilestoneFactory(strategy=world.strategy)
    response = client_desk.get(page_url(key, world), {"year": year})
    assert response.status_code == 200
    # The list is shown unfiltered rather than empty.
    assert len(response.context["table"].rows) >= 1
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Year" in message and "ignored" in message
    assert not log_records.errors


def test_a_bad_filter_is_ignored_while_the_good_ones_apply(world, client_desk):
    MeetingFactory(strategy=world.strategy, title="Donor group in Nairobi", kind="donor_group")
    response = client_desk.get(
        page_url("engagement:meeting_list", world), {"year": "-1", "q": "Nairobi"}
    )
    assert response.status_code == 200
    titles = [row.record.title for row in response.context["table"].rows]
    assert titles == ["Donor group in Nairobi"]


def test_a_valid_year_still_filters(world, client_desk):
    MeetingFactory(strategy=world.strategy, title="Old one", held_on="2023-05-01")
    response = client_desk.get(page_url("engagement:meeting_list", world), {"year": "2023"})
    titles = [row.record.title for row in response.context["table"].rows]
    assert titles == ["Old one"]
    assert not list(get_messages(response.wsgi_request))


@pytest.mark.parametrize("number", [HUGE, "99999999999", "-1", "0", "abc", "1.5"])
def test_the_change_log_answers_the_nearest_page(number, world, client_desk, log_records):
    response = client_desk.get(page_url("reports:strategy_history", world), {"page": number})
    assert response.status_code == 200
    page = response.context["history"].page
    expected = 1 if number in ("-1", "0", "abc", "1.5") else page.paginator.num_pages
    assert page.number == expected
    assert not log_records.errors


def test_the_change_log_ignores_a_bad_date_filter_with_a_message(world, client_desk):
    response = client_desk.get(
        page_url("reports:strategy_history", world), {"date_from": "yesterday"}
    )
    assert response.status_code == 200
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "ignored" in message

"""Every page has one title, and every refused form says what is wrong at the top.

With the test client, over the table of pages the URL walk uses (tests/security/pages.py): one
reader's GET of each page holds exactly one `h1`, and on a strategy's sub-pages it is the page's
own title, not the strategy's, which the compact header above it names; an empty POST by one
who may write through a page that then answers with its form shows the error summary, and each
of the summary's links leads to an element of the page.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.priorities.builders import media_root  # noqa: F401
from tests.security.pages import PAGES, ROLES

pytestmark = pytest.mark.django_db

# The strategy's own page: its title is the page's title.
OVERVIEW = "priorities:strategy_detail"


class PageOutline(HTMLParser):
    """Collect a page's ids, the text of its h1s and the targets of its error summary's links."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.h1s: list[str] = []
        self.summary_links: list[str] = []
        self.summary_items = 0
        self.has_summary = False
        self._in_h1 = False
        self._in_summary = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "h1":
            self._in_h1 = True
            self.h1s.append("")
        if "data-error-summary" in attributes:
            self.has_summary = True
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "li":
            self.summary_items += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attributes.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if self._in_summary and tag == "div":
            self._in_summary -= 1

    def handle_data(self, data):
        if self._in_h1:
            self.h1s[-1] += data


def outline(response) -> PageOutline:
    parser = PageOutline()
    parser.feed(response.content.decode())
    return parser


def _url(key: str, world) -> str:
    return reverse(key, kwargs=PAGES[key].kwargs(world))


def _is_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_every_page_has_one_h1_and_a_strategys_sub_page_its_own(site):
    world = site.world
    problems = []
    for key, page in PAGES.items():
        if page.get != 200 or page.slow or not page.readers:
            continue
        reader = min(page.readers, key=ROLES.index)
        response = site.clients[reader].get(_url(key, world))
        if not _is_page(response):
            continue
        h1s = [" ".join(text.split()) for text in outline(response).h1s]
        if len(h1s) != 1:
            problems.append(f"{key}: {len(h1s)} h1 {h1s}")
        elif page.scoped and key != OVERVIEW and world.strategy.title in h1s[0]:
            problems.append(f"{key}: the h1 is the strategy's title, not the page's")
        elif key == OVERVIEW and world.strategy.title not in h1s[0]:
            problems.append(f"{key}: the overview's h1 is not the strategy's title")
    assert not problems, "\n".join(problems)


def test_every_refused_form_shows_a_summary_whose_links_lead_into_the_page(site):
    world = site.world
    problems = []
    summaries = 0
    for key, page in PAGES.items():
        if not page.writers or page.get != 200:
            continue
        writer = min(page.writers, key=ROLES.index)
        response = site.clients[writer].post(_url(key, world), {})
        if not _is_page(response):
            continue  # the step was done, or refused as a whole with a message
        parsed = outline(response)
        if not parsed.has_summary:
            problems.append(f"{key}: a refused form without an error summary")
            continue
        summaries += 1
        if not parsed.summary_items:
            problems.append(f"{key}: an error summary without a problem")
        if not response.content.decode().count("<title>Error: "):
            problems.append(f"{key}: the title does not start with 'Error:'")
        for href in parsed.summary_links:
            if not href.startswith("#") or href[1:] not in parsed.ids:
                problems.append(f"{key}: the summary links to {href}, which is not on the page")
    assert not problems, "\n".join(problems)
    assert summaries >= 10, "too few forms were refused for the check to mean anything"

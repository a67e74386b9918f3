"""The strategy's header on every page: tabs in the order of the work, the export menu, the
document's status apart from a year's state, and, where a role lacks a button, why."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from priorities.choices import TeamRole
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

WORK_ORDER = [
    "Overview",
    "Priority areas",
    "Funding",
    "Risks",
    "Meetings",
    "Milestones",
    "Dashboard",
    "History",
    "Set-up",
]
TABS = re.compile(r'<nav class="tabs" aria-label="Strategy">(.*?)</nav>', re.S)
EXPORT_MENU = re.compile(r'<details class="export-menu">(.*?)</details>', re.S)


def _tabs(html: str) -> list[str]:
    return re.findall(r">([^<]+)</a>", TABS.search(html).group(1))


def _pages(strategy) -> dict[str, str]:
    slug = strategy.slug
    return {
        "overview": reverse("priorities:strategy_detail", args=[slug]),
        "risks": reverse("risks:risk_list", args=[slug]),
        "funding": reverse("funding:budget", args=[slug]),
        "meetings": reverse("engagement:meeting_list", args=[slug]),
        "milestones": reverse("engagement:milestone_list", args=[slug]),
    }


def test_the_tabs_follow_the_order_of_the_work(client_admin, client_desk, strategy):
    url = reverse("risks:risk_list", args=[strategy.slug])
    assert _tabs(client_admin.get(url).text) == WORK_ORDER
    # Set-up is for administrators; the others keep the same order without it.
    assert _tabs(client_desk.get(url).text) == WORK_ORDER[:-1]


@pytest.mark.parametrize("role", ["desk", "finance", "mission", "manager", "admin"])
def test_every_reader_reaches_the_exports_from_the_header_of_every_page(role, request, strategy):
    client = request.getfixturevalue(f"client_{role}")
    expected = [
        *(reverse("reports:brief_download", args=[strategy.slug, year]) for year in strategy.years),
        reverse("reports:workbook_download", args=[strategy.slug]),
        reverse("reports:iati_download", args=[strategy.slug]),
    ]
    for name, url in _pages(strategy).items():
        menu = EXPORT_MENU.search(client.get(url).text)
        assert menu, f"{role} sees no export menu on {name}"
        for link in expected:
            assert f'href="{link}"' in menu.group(1), f"{role} misses {link} on {name}"


def test_a_sub_page_names_the_strategy_in_a_band_and_titles_itself(client_desk, strategy):
    html = client_desk.get(reverse("risks:risk_list", args=[strategy.slug])).text
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == ["Risk register"]
    band = re.search(r'<p class="strategy-band-name">(.*?)</p>', html, re.S).group(1)
    assert strategy.title in band
    overview = client_desk.get(reverse("priorities:strategy_detail", args=[strategy.slug])).text
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", overview, re.S) == [strategy.title]


def test_a_draft_document_is_not_shown_as_a_years_state(client_desk, strategy):
    strategy.is_draft = True
    strategy.save(update_fields=["is_draft"])
    for url in _pages(strategy).values():
        html = client_desk.get(url).text
        assert '<p class="document-status"' in html
        assert "Strategy document: draft, not final" in html
        header = html[html.index('class="page-header strategy-header') : html.index("</header>")]
        assert 'class="state' not in header
        assert 'class="badge' not in header


def _observer_client(strategy) -> Client:
    user = UserFactory(username="observer")
    TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.OBSERVER)
    client = Client()
    client.force_login(user)
    return client


# For each page, the note shown to a role that lacks the page's button.
NOTES = {
    "overview": [
        "Only the strategy's desk officers log progress and submit years.",
        "Only managers approve, return and reopen years.",
    ],
    "risks": ["Only the strategy's desk officers add and rate risks."],
    "funding": [
        "Only the strategy's financial officers record approvals, commitments and disbursements."
    ],
    "meetings": ["Only the strategy's team, not observers, log meetings and action points."],
    "milestones": ["Only the strategy's team, not observers, add and close milestones."],
}
# Which notes each role sees: the note of every button it lacks, and none of the others.
SEES = {
    "desk": {NOTES["overview"][1], *NOTES["funding"]},
    "finance": {NOTES["overview"][0], NOTES["overview"][1], *NOTES["risks"]},
    "mission": {NOTES["overview"][0], NOTES["overview"][1], *NOTES["risks"], *NOTES["funding"]},
    "manager": {
        NOTES["overview"][0],
        *NOTES["risks"],
        *NOTES["funding"],
        *NOTES["meetings"],
        *NOTES["milestones"],
    },
    "observer": {note for notes in NOTES.values() for note in notes},
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_a_role_without_a_button_is_told_why(role, request, strategy):
    if role == "observer":
        client = _observer_client(strategy)
    else:
        client = request.getfixturevalue(f"client_{role}")
    for name, url in _pages(strategy).items():
        html = client.get(url).text
        for note in NOTES[name]:
            if note in SEES[role]:
                assert note in html, f"{role} is not told on {name}: {note}"
            else:
                assert note not in html, f"{role} is told on {name}, yet may: {note}"

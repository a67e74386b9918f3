"""The search page: the user's words found in the records of the strategies they may see.

The same tests run on SQLite and on PostgreSQL (CI runs both): the words they look for are
whole words, which both the full-text search and the plain match find.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from engagement.choices import ActionStatus
from priorities.choices import PriorityKind
from reports.search import RESULTS_PER_KIND, excerpt, search
from tests.engagement.factories import (
    ActionPointFactory,
    KeyMessageFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.priorities.factories import IndicatorFactory, PriorityAreaFactory, UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:search")
WORD = "Zanzibar"


def records_with(strategy, word: str = WORD) -> dict:
    """Create one record of each kind on `strategy` whose text holds `word`; return them."""
    area = PriorityAreaFactory(strategy=strategy, text=f"Reception of migrants in {word} port.")
    cross = PriorityAreaFactory(
        strategy=strategy,
        kind=PriorityKind.CROSS_CUTTING,
        number=None,
        slug=f"gender-{strategy.priority_areas.count()}",
        title=f"Gender in {word}",
        order=9,
    )
    meeting = MeetingFactory(strategy=strategy, summary=f"The board discussed {word} at length.")
    return {
        "strategy": strategy,
        "area": area,
        "cross": cross,
        "indicator": IndicatorFactory(priority_area=area, title=f"Arrivals counted in {word}"),
        "risk": RiskFactory(strategy=strategy, response=f"Move the office out of {word}."),
        "meeting": meeting,
        "action_point": ActionPointFactory(
            strategy=strategy, meeting=meeting, text=f"Ask for the {word} figures."
        ),
        "milestone": MilestoneFactory(strategy=strategy, title=f"Field visit to {word}"),
    }


def group(response, key: str):
    return next(group for group in response.context["results"].groups if group.key == key)


def test_the_header_of_every_page_has_the_search_box(client_desk):
    html = client_desk.get(reverse("priorities:strategy_list")).content.decode()
    assert f'action="{URL}"' in html
    assert 'name="q"' in html


def test_search_needs_a_login(client):
    response = client.get(URL, {"q": WORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_kind_is_found_and_links_to_its_page(client_desk, strategy):
    strategy.overall_objective = f"Safe migration through {WORD}."
    strategy.save()
    made = records_with(strategy)
    slug = strategy.slug

    response = client_desk.get(URL, {"q": WORD.lower()})

    assert response.status_code == 200
    urls = {
        key: [hit.url for hit in group(response, key).hits]
        for key in (
            "strategies",
            "priority_areas",
            "indicators",
            "risks",
            "meetings",
            "action_points",
            "milestones",
        )
    }
    assert urls["strategies"] == [reverse("priorities:strategy_detail", args=[slug])]
    assert sorted(urls["priority_areas"]) == sorted(
        [
            reverse("priorities:priorityarea_detail", args=[slug, made["area"].number]),
            reverse("priorities:priorityarea_detail_by_slug", args=[slug, made["cross"].slug]),
        ]
    )
    area_url = reverse("priorities:priorityarea_detail", args=[slug, made["area"].number])
    assert urls["indicators"] == [area_url + "#indicators-heading"]
    assert urls["risks"] == [reverse("risks:risk_detail", args=[slug, made["risk"].pk])]
    meeting_url = reverse("engagement:meeting_detail", args=[slug, made["meeting"].pk])
    assert urls["meetings"] == [meeting_url]
    assert urls["action_points"] == [f"{meeting_url}#action-{made['action_point'].pk}"]
    assert urls["milestones"] == [reverse("engagement:milestone_list", args=[slug])]
    html = response.content.decode()
    for links in urls.values():
        for url in links:
            assert f'href="{url}"' in html
    assert response.context["results"].total == 8
    # Each hit names its strategy and marks the word where it was found.
    assert f"Move the office out of <mark>{WORD}</mark>." in html
    assert f"{strategy.organisation.acronym} 2023-2026" in html


def test_every_word_must_match(client_desk, strategy):
    RiskFactory(strategy=strategy, title="Harbour closure", description=f"In {WORD} only.")
    RiskFactory(strategy=strategy, title="Harbour strike", description="Elsewhere.")

    response = client_desk.get(URL, {"q": f"harbour {WORD}"})

    assert [hit.title for hit in group(response, "risks").hits] == ["Harbour closure"]


def test_strategies_the_user_may_not_see_are_never_searched(
    client_desk, client_outsider, client_manager, strategy, other_strategy
):
    records_with(strategy)
    records_with(other_strategy)

    mine = client_desk.get(URL, {"q": WORD}).context["results"]
    theirs = client_outsider.get(URL, {"q": WORD}).context["results"]
    everything = client_manager.get(URL, {"q": WORD}).context["results"]

    assert mine.total == theirs.total == 7
    assert everything.total == 14
    for results, foreign in ((mine, other_strategy.slug), (theirs, strategy.slug)):
        for found in results.groups:
            for hit in found.hits:
                assert f"/{foreign}/" not in hit.url, hit.url


def test_a_user_on_no_team_finds_nothing(strategy):
    records_with(strategy)
    nobody = UserFactory(username="nobody")
    assert search(user=nobody, query=WORD).total == 0


def test_key_messages_are_not_searched(client_desk, strategy):
    KeyMessageFactory(meeting=MeetingFactory(strategy=strategy), text=f"Press on {WORD}.")

    results = client_desk.get(URL, {"q": WORD}).context["results"]

    assert results.total == 0
    assert "Key messages are not searched" in client_desk.get(URL).content.decode()


def test_each_kind_shows_at_most_a_few_and_counts_all(client_desk, strategy):
    RiskFactory.create_batch(RESULTS_PER_KIND + 2, strategy=strategy, description=f"{WORD} risk")

    response = client_desk.get(URL, {"q": WORD})

    risks = group(response, "risks")
    assert (len(risks.hits), risks.total) == (RESULTS_PER_KIND, RESULTS_PER_KIND + 2)
    html = response.content.decode()
    assert f'Risks <span class="count muted">({RESULTS_PER_KIND + 2})</span>' in html
    assert "2 more not shown" in html


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_searches_nothing(client_desk, strategy, query):
    records_with(strategy)

    response = client_desk.get(URL, {"q": query})

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "Enter one or more words to search for." in response.content.decode()


def test_a_search_that_finds_nothing_says_so(client_desk, strategy):
    records_with(strategy)
    response = client_desk.get(URL, {"q": "Atlantis"})
    assert response.context["results"].total == 0
    assert "Nothing matches “Atlantis”." in response.content.decode()


HOSTILE_QUERIES = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE priorities_strategy; --",
    "{{ request.user.password }} {% debug %}",
    "%_% ' OR '1'='1",
    "a & b | !c <-> d:*",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_query_text_is_shown_inert(client_desk, strategy, query):
    records_with(strategy)

    response = client_desk.get(URL, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert escape(query) in html
    assert "md5$" not in html


def test_hostile_stored_text_is_escaped_in_the_excerpt(client_desk, strategy):
    RiskFactory(strategy=strategy, description=f'<img src=x onerror=alert(1)> {WORD} "&"')

    html = client_desk.get(URL, {"q": WORD}).content.decode()

    assert "<img src=x" not in html
    assert f"&lt;img src=x onerror=alert(1)&gt; <mark>{WORD}</mark> &quot;&amp;&quot;" in html


def test_excerpt_cuts_long_text_around_the_first_word_and_marks_every_match():
    text = "Lorem ipsum " * 40 + "the Zanzibar harbour and zanzibar again " + "dolor " * 40
    shown = excerpt([text], ("zanzibar",), length=80)
    assert shown.startswith("…") and shown.endswith("…")
    assert "<mark>Zanzibar</mark> harbour and <mark>zanzibar</mark>" in shown
    assert len(shown) < 130


@pytest.mark.parametrize("rows", [1, 6])
def test_search_query_count_does_not_grow_with_the_results(
    client_desk, strategy, django_assert_num_queries, rows
):
    for _ in range(rows):
        records_with(strategy)
    # session, user, the user's groups (who sees every strategy), then one query per kind:
    # strategies, priority areas, indicators, risks, meetings, action points, milestones.
    with django_assert_num_queries(10):
        response = client_desk.get(URL, {"q": WORD})
    assert response.context["results"].total >= 7 * rows


def test_done_and_open_action_points_are_both_found(client_desk, strategy):
    ActionPointFactory(
        strategy=strategy, text=f"{WORD} done", status=ActionStatus.DONE, closing_note="Sent."
    )
    ActionPointFactory(strategy=strategy, text=f"{WORD} open")
    assert group(client_desk.get(URL, {"q": WORD}), "action_points").total == 2

"""The document's own structure: chapter headings come from the strategy's data, not code."""

import pytest
from django.urls import reverse

from priorities.models import Chapter, chapter_headings
from reports import layout
from tests.funding.factories import budget_create

pytestmark = pytest.mark.django_db


def overview(client, strategy) -> str:
    url = reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})
    return client.get(url).content.decode()


def test_a_strategy_without_chapters_shows_plain_headings(client_desk, strategy):
    budget_create(strategy)
    html = overview(client_desk, strategy)
    assert '<h2 id="budget">Budget <span' in html
    assert '<h2 id="risks">Risks</h2>' in html
    assert "5. Budget" not in html and "6. Risks" not in html


def test_chapters_of_the_strategy_number_and_name_the_headings(client_desk, strategy):
    budget_create(strategy)
    Chapter.objects.create(strategy=strategy, key="budget", number="3", title="Finances")
    Chapter.objects.create(
        strategy=strategy, key="risks", number="4", title="Risk management", order=2
    )
    Chapter.objects.create(strategy=strategy, key="priority_areas", title="Key results")
    html = overview(client_desk, strategy)
    assert '<h2 id="budget">3. Finances <span' in html
    assert '<h2 id="risks">4. Risk management</h2>' in html
    assert '<h2 id="priorities">Key results</h2>' in html


def test_chapter_headings_fall_back_to_plain_titles():
    headings = chapter_headings([Chapter(key="budget", number="5", title="Budget")])
    assert headings["budget"] == "5. Budget"
    assert headings["risks"] == "Risks"


def test_workbook_labels_carry_no_chapter_numbers_and_old_labels_still_import():
    labels = [field.label for field in layout.STRATEGY_FIELDS]
    assert not [label for label in labels if label[:1].isdigit()]
    assert layout.FIELD_BY_LABEL["5. budget"].key == "budget_text"
    assert layout.FIELD_BY_LABEL["budget (chapter text)"].key == "budget_text"
    assert layout.FIELD_BY_LABEL["7. engagement"].key == "engagement_text"

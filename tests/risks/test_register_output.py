"""The risk register shows its labels as markup and downloads as plain values."""

import pytest
from django.urls import reverse

from tests.risks.factories import RiskFactory
from tests.security.markup import download_cells, escaped_markup, marked_cells

pytestmark = pytest.mark.django_db


def register_url(strategy) -> str:
    return reverse("risks:risk_list", kwargs={"slug": strategy.slug})


def test_register_shows_the_illustrative_label_as_a_label(client_desk, strategy):
    RiskFactory(
        strategy=strategy, title="Rated", likelihood=3, impact=4, rating_is_illustrative=True
    )

    html = client_desk.get(register_url(strategy)).content.decode()

    assert "&lt;span" not in html
    assert escaped_markup(html) == []
    register = html[html.index('class="table register"') :]
    assert register.count('<span class="illustrative"') == 1


def test_register_downloads_say_which_rating_is_illustrative(client_desk, strategy):
    RiskFactory(
        strategy=strategy,
        title='Donors\' "soft" earmarking & delays',
        likelihood=3,
        impact=4,
        rating_is_illustrative=True,
        order=1,
    )
    RiskFactory(strategy=strategy, title="Unrated", order=2)

    for export_format in ("csv", "xlsx"):
        rows = download_cells(client_desk.get(register_url(strategy), {"_export": export_format}))
        assert marked_cells(rows) == [], export_format
        header = rows[0]
        title, score, flag = (header.index(n) for n in ("Risk", "Score", "Rating illustrative"))
        values = [(row[title], row[score], row[flag]) for row in rows[1:]]
        assert values == [
            ('Donors\' "soft" earmarking & delays', "12", "Yes"),
            ("Unrated", "Not yet rated", "No"),
        ], export_format

"""The IOM strategy's risks load as the document names them: unrated, never given a score."""

import pytest

from priorities.models import Strategy
from risks.choices import ScoreBand
from risks.models import Risk
from risks.selectors import risk_counts, risk_heatmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def iom(iom_loaded, db):
    return Strategy.objects.get(slug="iom-2023-2026")


def test_document_risks_load_unrated_and_uncategorised(iom):
    risks = Risk.objects.filter(strategy=iom)
    assert risks.count() == 5
    assert not risks.rated().exists()
    assert not risks.filter(rating_is_illustrative=True).exists()
    assert set(risks.values_list("category", flat=True)) == {""}
    assert {risk.score_band for risk in risks} == {ScoreBand.UNRATED}


def test_document_risks_count_as_not_yet_rated_and_stay_out_of_the_heat_map(iom):
    counts = risk_counts(strategy=iom)
    assert (counts.open, counts.unrated, counts.rated) == (5, 5, 0)
    heatmap = risk_heatmap(strategy=iom)
    assert heatmap.inherent.placed == heatmap.residual.placed == 0
    assert len(heatmap.unrated) == 5

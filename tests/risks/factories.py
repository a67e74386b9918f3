"""Factories for the risk register."""

import datetime

import factory

from risks.choices import RiskCategory
from risks.models import Risk, RiskRating
from tests.priorities.factories import StrategyFactory


class RiskFactory(factory.django.DjangoModelFactory):
    """An unrated risk, as the strategy documents name them; use `rated=True` for a rating."""

    class Meta:
        model = Risk

    class Params:
        rated = factory.Trait(likelihood=3, impact=4, residual_likelihood=2, residual_impact=3)

    strategy = factory.SubFactory(StrategyFactory)
    key = factory.Sequence(lambda n: f"risk-{n}")
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = RiskCategory.CONTEXTUAL
    order = factory.Sequence(lambda n: n)


class RiskRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskRating

    risk = factory.SubFactory(RiskFactory)
    rated_on = datetime.date(2024, 6, 1)
    likelihood = 3
    impact = 3

"""Factories for engagement channels, meetings, action points and milestones."""

import datetime
from decimal import Decimal

import factory

from engagement.choices import MeetingKind, MilestoneKind
from engagement.models import (
    ActionPoint,
    EngagementChannel,
    GoverningBody,
    KeyMessage,
    Meeting,
    Milestone,
    Rhythm,
)
from tests.priorities.factories import OrganisationFactory, StrategyFactory


class GoverningBodyFactory(factory.django.DjangoModelFactory):
    """A governing body of a partner that meets once a year."""

    class Meta:
        model = GoverningBody

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"body-{n}")
    name = factory.Sequence(lambda n: f"Governing board {n}")
    sessions_per_year = 1
    order = factory.Sequence(lambda n: n + 1)


class RhythmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rhythm

    strategy = factory.SubFactory(StrategyFactory)


class EngagementChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementChannel

    strategy = factory.SubFactory(StrategyFactory)
    key = factory.Sequence(lambda n: f"channel-{n}")
    kind = MeetingKind.ANNUAL_CONSULTATION
    name = factory.Sequence(lambda n: f"Annual consultation {n}")
    frequency = "Yearly"
    per_year = Decimal("1")
    order = factory.Sequence(lambda n: n)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    strategy = factory.SubFactory(StrategyFactory)
    kind = MeetingKind.ANNUAL_CONSULTATION
    title = factory.Sequence(lambda n: f"Annual consultation {n}")
    held_on = datetime.date(2024, 5, 14)
    location = "Geneva"


class ActionPointFactory(factory.django.DjangoModelFactory):
    """An open action point from a meeting of the same strategy."""

    class Meta:
        model = ActionPoint

    strategy = factory.SubFactory(StrategyFactory)
    meeting = factory.SubFactory(MeetingFactory, strategy=factory.SelfAttribute("..strategy"))
    text = factory.Sequence(lambda n: f"Follow up on point {n}")
    due_on = datetime.date(2024, 9, 1)


class KeyMessageFactory(factory.django.DjangoModelFactory):
    """A point Denmark will raise at a meeting, on the strategy as a whole."""

    class Meta:
        model = KeyMessage

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Denmark asks about point {n}")
    order = factory.Sequence(lambda n: n + 1)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    strategy = factory.SubFactory(StrategyFactory)
    # A kind that no record fulfils, so that it stays open until marked done, whatever
    # meetings or approvals a test records beside it.
    kind = MilestoneKind.OTHER
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2024, 5, 14)

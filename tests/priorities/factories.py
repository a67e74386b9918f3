"""Factories for organisations, strategies, priority areas and the results framework."""

import enum
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from priorities.choices import CodeScheme, PriorityKind, TeamRole
from priorities.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorProgress,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pw")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    acronym = factory.Sequence(lambda n: f"PO{n}")
    slug = factory.Sequence(lambda n: f"po{n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    """A strategy 2023-2026 with its four strategy years."""

    class Meta:
        model = Strategy
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Strategy {n}")
    slug = factory.Sequence(lambda n: f"strategy-{n}")
    file_number = factory.Sequence(lambda n: f"2022-{10000 + n}")
    responsible_unit = "Geneva"
    start_year = 2023
    end_year = 2026

    @factory.post_generation
    def with_years(self, create, extracted, **kwargs):
        if create and extracted is not False:
            StrategyYear.objects.bulk_create(
                StrategyYear(
                    strategy=self,
                    year=year,
                    planned_commitment=Decimal("100000000"),
                    planned_disbursement=Decimal("100000000"),
                )
                for year in self.years
            )


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    strategy = factory.SubFactory(StrategyFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.DESK_OFFICER


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    strategy = factory.SubFactory(StrategyFactory)
    kind = PriorityKind.PRIORITY
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.LazyAttribute(lambda area: str(area.number))
    title = factory.Sequence(lambda n: f"Priority {n}")
    key_result = factory.LazyAttribute(lambda area: f"Result of {area.title}")
    order = factory.LazyAttribute(lambda area: area.number)


class NodeLevel(enum.IntEnum):
    """The levels of the four-level hierarchical framework most tests build."""

    OBJECTIVE = 1
    LONG_TERM_OUTCOME = 2
    SHORT_TERM_OUTCOME = 3
    OUTPUT = 4


FOUR_LEVELS = ["Objective", "Long-term outcome", "Short-term outcome", "Output"]


class ResultsFrameworkFactory(factory.django.DjangoModelFactory):
    """A four-level framework with hierarchical codes, as most partners' frameworks are shaped."""

    class Meta:
        model = ResultsFramework

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Strategic Results Framework"
    slug = factory.Sequence(lambda n: f"srf{n}")
    level_names = factory.LazyFunction(lambda: list(FOUR_LEVELS))
    uses_codes = True
    code_scheme = factory.LazyAttribute(
        lambda framework: CodeScheme.HIERARCHICAL if framework.uses_codes else CodeScheme.ANY
    )


class ResultsNodeFactory(factory.django.DjangoModelFactory):
    """An objective by default; pass `parent` and `code` for lower levels."""

    class Meta:
        model = ResultsNode

    framework = factory.SubFactory(ResultsFrameworkFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    key = factory.LazyAttribute(lambda node: node.code)
    level = NodeLevel.OBJECTIVE
    title = factory.Sequence(lambda n: f"Result {n}")


class PriorityAreaNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityAreaNode

    priority_area = factory.SubFactory(PriorityAreaFactory)
    node = factory.SubFactory(
        ResultsNodeFactory,
        framework__organisation=factory.SelfAttribute("...priority_area.strategy.organisation"),
    )


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    priority_area = factory.SubFactory(PriorityAreaFactory)
    node = factory.SubFactory(
        ResultsNodeFactory,
        framework__organisation=factory.SelfAttribute("...priority_area.strategy.organisation"),
    )
    key = factory.Sequence(lambda n: f"ind-{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "number"
    baseline = Decimal("10")
    baseline_year = 2022


class IndicatorProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorProgress

    indicator = factory.SubFactory(IndicatorFactory)
    strategy_year = factory.LazyAttribute(
        lambda progress: progress.indicator.priority_area.strategy.strategy_years.get(year=2024)
    )
    target = Decimal("20")
    actual = Decimal("18")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    priority_area = factory.SubFactory(PriorityAreaFactory)
    strategy_year = factory.LazyAttribute(
        lambda assessment: assessment.priority_area.strategy.strategy_years.get(year=2024)
    )
    rating = "on_track"
    narrative = "Progress as planned."


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A small PDF documenting an indicator's figures for 2024."""

    class Meta:
        model = Evidence

    progress = factory.SubFactory(IndicatorProgressFactory)
    original_name = "report.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    file = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)

"""Illustrative demo data for a loaded strategy: users, progress, funding, risks and a meeting.

Nothing here is a fact of any strategy document. Every row it writes carries the flag that
labels it as illustrative (`is_illustrative`, or `rating_is_illustrative` on a risk), and every
row is validated with `full_clean()` before it is saved. Rows are found again by their natural
fields, so loading twice adds nothing, and a row that exists is left as it is: loading again
never overwrites what users have changed since. The figures come from fixed tables and are the
same on every run.
"""

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction

from engagement.choices import ActionStatus, MeetingKind
from engagement.models import ActionPoint, Meeting
from funding.choices import BudgetLineKind, Decision, Half
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.choices import (
    DefinitionStatus,
    Direction,
    OfficeKind,
    PriorityKind,
    Rating,
    TeamRole,
)
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    Office,
    PriorityArea,
    PriorityAreaNode,
    Strategy,
    StrategyYear,
    TeamMembership,
)
from priorities.permissions import ADMINISTRATOR_GROUP, ALL_GROUPS, ROLE_GROUPS
from risks.choices import RiskCategory
from risks.models import Risk, RiskRating

CHANGE_REASON = "Illustrative demo data"
DEMO_EMAIL_DOMAIN = "example.org"


class DemoError(Exception):
    """The strategy lacks something the demo data builds on."""


# --- Users ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role_label: str
    group: str
    team_role: str | None
    is_admin: bool = False


DEMO_USERS = (
    DemoUser(
        "desk",
        "Anna",
        "Holm",
        "Desk officer",
        ROLE_GROUPS[TeamRole.DESK_OFFICER],
        TeamRole.DESK_OFFICER,
    ),
    DemoUser(
        "finance",
        "Jonas",
        "Friis",
        "Financial officer",
        ROLE_GROUPS[TeamRole.FINANCIAL_OFFICER],
        TeamRole.FINANCIAL_OFFICER,
    ),
    DemoUser(
        "mission",
        "Sofie",
        "Lund",
        "Mission staff",
        ROLE_GROUPS[TeamRole.MISSION_STAFF],
        TeamRole.MISSION_STAFF,
    ),
    DemoUser(
        "manager", "Peter", "Krogh", "Manager", ROLE_GROUPS[TeamRole.MANAGER], TeamRole.MANAGER
    ),
    DemoUser("admin", "Karen", "Dahl", "Administrator", ADMINISTRATOR_GROUP, None, is_admin=True),
)


# --- Indicators and assessments ---------------------------------------------------------------

YEARS_WITH_ACTUALS = (2023, 2024, 2025)
ASSESSED_YEARS = (2023, 2024, 2025)


@dataclass(frozen=True)
class DemoIndicator:
    key: str
    title: str
    unit: str
    baseline: Decimal
    targets: tuple[int | str, ...]  # one per strategy year, from the first
    actuals: tuple[int | str, ...]  # one per year in YEARS_WITH_ACTUALS
    node_codes: tuple[str, ...] = ()  # preferred framework nodes, first match wins
    direction: str = Direction.INCREASE


INDICATORS: dict[int, tuple[DemoIndicator, ...]] = {
    1: (
        DemoIndicator(
            "demo-1",
            "Share of the organisation's income received as unearmarked funding",
            "%",
            Decimal("2.0"),
            ("2.2", "2.5", "2.8", "3.0"),
            ("2.1", "2.4", "2.8"),
        ),
        DemoIndicator(
            "demo-2",
            "Country offices with an up-to-date risk register",
            "% of country offices",
            Decimal("62"),
            (70, 78, 85, 90),
            (68, 79, 83),
        ),
        DemoIndicator(
            "demo-3",
            "Average time to conclude an investigation of misconduct",
            "days",
            Decimal("240"),
            (220, 200, 180, 160),
            (228, 204, 176),
            direction=Direction.DECREASE,
        ),
    ),
    2: (
        DemoIndicator(
            "demo-1",
            "UN Sustainable Development Cooperation Frameworks that address migration",
            "number of countries",
            Decimal("38"),
            (45, 52, 60, 68),
            (46, 51, 61),
            ("4b.2.1", "4b.2.2", "4b.2"),
        ),
        DemoIndicator(
            "demo-2",
            "Countries with a national coordination mechanism on migration data",
            "number of countries",
            Decimal("21"),
            (25, 30, 35, 40),
            (24, 30, 36),
            ("4a.1.2", "4a.1.1", "4a.1"),
        ),
    ),
    3: (
        DemoIndicator(
            "demo-1",
            "Border officials trained in rights-based integrated border management",
            "number of officials",
            Decimal("3200"),
            (3600, 4000, 4400, 4800),
            (3650, 3820, 4450),
            ("3b.4.2", "3b.4.3", "3b.4"),
        ),
        DemoIndicator(
            "demo-2",
            "Victims of trafficking identified and assisted",
            "number of people",
            Decimal("9500"),
            (10000, 10500, 11000, 11500),
            (10120, 10380, 11050),
            ("2b.2.1", "3b.1.1", "2b.2"),
        ),
        DemoIndicator(
            "demo-3",
            "Border crossing points equipped with a border management information system",
            "number of border crossing points",
            Decimal("410"),
            (440, 470, 500, 530),
            (445, 462, 503),
            ("3b.3.1", "3b.3.2", "3b.3"),
        ),
    ),
    4: (
        DemoIndicator(
            "demo-1",
            "Countries supported to integrate human mobility into climate adaptation plans",
            "number of countries",
            Decimal("14"),
            (18, 22, 26, 30),
            (17, 22, 27),
            ("2a.1.2", "2a.1.1", "2a.1"),
        ),
        DemoIndicator(
            "demo-2",
            "People in climate-affected communities reached by resilience activities",
            "number of people",
            Decimal("180000"),
            (200000, 230000, 260000, 290000),
            (195000, 236000, 258000),
            ("2a.1.1", "2a.2.1", "2a.1"),
        ),
    ),
}

# Ratings and narratives per priority area number (None: the cross-cutting priority), 2023-2025.
ASSESSMENTS: dict[int | None, tuple[tuple[str, str], ...]] = {
    1: (
        (
            Rating.SOME_DELAYS,
            "The Organizational Effectiveness part of the results framework is still under "
            "development, so progress is followed through the internal governance reform. "
            "Unearmarked funding grew slightly but stayed below the year's target.",
        ),
        (
            Rating.SOME_DELAYS,
            "Risk registers now cover most country offices. Member states have not yet "
            "agreed the budget reform, which keeps the core structure under pressure.",
        ),
        (
            Rating.ON_TRACK,
            "Investigations are concluded faster than targeted and the share of unearmarked "
            "funding reached the target for the year.",
        ),
    ),
    2: (
        (
            Rating.ON_TRACK,
            "Migration is addressed in more cooperation frameworks than planned. The seconded "
            "expert supports the network secretariat.",
        ),
        (
            Rating.ON_TRACK,
            "Coordination mechanisms on migration data were set up in the planned number of "
            "countries; joint work with UNHCR on mixed movements continued.",
        ),
        (
            Rating.ON_TRACK,
            "Both indicators are at or above target. The mid-term review confirmed the "
            "relevance of the priority area.",
        ),
    ),
    3: (
        (
            Rating.ON_TRACK,
            "Training of border officials and assistance to victims of trafficking are "
            "slightly above target.",
        ),
        (
            Rating.SOME_DELAYS,
            "Procurement delays held back the roll-out of border management information "
            "systems, and fewer officials were trained than planned.",
        ),
        (
            Rating.ON_TRACK,
            "The roll-out caught up in the first half of the year and all three indicators "
            "are at or above target.",
        ),
    ),
    4: (
        (
            Rating.SOME_DELAYS,
            "Fewer countries than planned received support for climate adaptation planning; "
            "the first softly earmarked allocations to climate resilience were agreed late.",
        ),
        (
            Rating.ON_TRACK,
            "Support to adaptation planning is on target and resilience activities reached "
            "more people than planned.",
        ),
        (
            Rating.ON_TRACK,
            "More countries than planned include human mobility in their adaptation plans.",
        ),
    ),
    None: (
        (
            Rating.SOME_DELAYS,
            "Gender and diversity responsive approaches are part of new project designs, but "
            "staff training has only started.",
        ),
        (
            Rating.SOME_DELAYS,
            "The follow-up to the recommendations on gender and diversity is behind plan in "
            "two regions.",
        ),
        (
            Rating.ON_TRACK,
            "Staff training on gender responsive programming is complete in all regions.",
        ),
    ),
}


# --- Funding ----------------------------------------------------------------------------------

FUNDED_YEARS = (2023, 2024)
APPROVED_ON = {2023: datetime.date(2022, 12, 15), 2024: datetime.date(2023, 12, 14)}
COMMITTED_ON = {2023: datetime.date(2023, 1, 16), 2024: datetime.date(2024, 1, 15)}
# Payments per year: (date, share of the year's commitment). 2023 is paid in full, 2024 in part.
PAYMENTS = {
    BudgetLineKind.CORE: {
        2023: ((datetime.date(2023, 2, 15), Decimal("1")),),
        2024: ((datetime.date(2024, 2, 15), Decimal("0.5")),),
    },
    BudgetLineKind.SOFT_EARMARKED: {
        2023: (
            (datetime.date(2023, 3, 15), Decimal("0.5")),
            (datetime.date(2023, 9, 15), Decimal("0.5")),
        ),
        2024: ((datetime.date(2024, 6, 14), Decimal("0.5")),),
    },
}
DEFAULT_PAYMENTS = {
    2023: ((datetime.date(2023, 2, 15), Decimal("1")),),
    2024: ((datetime.date(2024, 2, 15), Decimal("0.5")),),
}

ALLOCATION_YEAR = 2024
ALLOCATION_HALF = Half.FIRST
ALLOCATION_DIALOGUE_ON = datetime.date(2024, 5, 15)
ALLOCATION_DECIDED_AT = datetime.datetime(2024, 5, 31, 11, 0)


@dataclass(frozen=True)
class DemoAllocation:
    office: str  # name of a country office in the strategy partner's office list
    theme: str
    amount: Decimal
    description: str
    decision: str
    decision_reason: str = ""


ALLOCATIONS = (
    DemoAllocation(
        "Niger",
        "Border management and countering migrant smuggling",
        Decimal("20000000"),
        "Rights-based border management at northern border posts and support to the "
        "national authorities against migrant smuggling along the Central Mediterranean route.",
        Decision.APPROVED,
        "In line with priority area 3 and the focus on countries along the migratory routes.",
    ),
    DemoAllocation(
        "Ethiopia",
        "Migration data and coordination",
        Decimal("12000000"),
        "A national coordination mechanism on migration data and training of the statistics "
        "office.",
        Decision.APPROVED,
        "Supports priority areas 2 and 3; builds on the data project funded in 2021.",
    ),
    DemoAllocation(
        "Somalia",
        "Immigration and border management capacity",
        Decimal("15000000"),
        "Document examination and passport enrolment capacity at regional offices.",
        Decision.PENDING,
    ),
)


# --- Risks ------------------------------------------------------------------------------------

RATED_ON = (datetime.date(2023, 3, 1), datetime.date(2024, 3, 1))
NEXT_REVIEW = datetime.date(2025, 3, 1)


@dataclass(frozen=True)
class DemoRiskProfile:
    category: str
    # (likelihood, impact, residual likelihood, residual impact) at each date in RATED_ON
    ratings: tuple[tuple[int, int, int, int], ...]
    notes: tuple[str, str]


FIRST_RATING = "First rating under the strategy."

# Profiles for the risks the IOM strategy names, by key; any other risk takes the fallback
# profiles in turn, in the order of the register.
RISK_PROFILES = {
    "weak-core-structure": DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((4, 4, 3, 4), (4, 4, 3, 3)),
        (FIRST_RATING, "Residual impact lowered as the internal governance reform advances."),
    ),
    "budget-reform": DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((3, 4, 3, 3), (3, 4, 3, 3)),
        (FIRST_RATING, "Unchanged at the annual review."),
    ),
    "few-unearmarked-donors": DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((4, 3, 3, 3), (3, 3, 3, 2)),
        (FIRST_RATING, "Likelihood lowered: the donor base for unearmarked funding widened."),
    ),
    "risk-prone-environment": DemoRiskProfile(
        RiskCategory.CONTEXTUAL,
        ((5, 3, 4, 3), (5, 3, 4, 3)),
        (FIRST_RATING, "Unchanged at the annual review."),
    ),
    "risk-management-maturity": DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((3, 3, 2, 3), (3, 3, 2, 2)),
        (FIRST_RATING, "Residual impact lowered: risk registers now cover most country offices."),
    ),
}
FALLBACK_RISK_PROFILES = (
    DemoRiskProfile(
        RiskCategory.CONTEXTUAL,
        ((4, 3, 3, 3), (4, 3, 3, 3)),
        (FIRST_RATING, "Unchanged at the annual review."),
    ),
    DemoRiskProfile(
        RiskCategory.PROGRAMMATIC,
        ((3, 3, 2, 3), (3, 3, 2, 2)),
        (FIRST_RATING, "Residual impact lowered after the response was put in place."),
    ),
    DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((3, 4, 2, 4), (3, 4, 2, 3)),
        (FIRST_RATING, "Residual impact lowered after the response was put in place."),
    ),
)


# --- Engagement -------------------------------------------------------------------------------

MEETING = {
    "kind": MeetingKind.ANNUAL_CONSULTATION,
    "title": "Annual consultations 2024",
    "held_on": datetime.date(2024, 6, 12),
    "location": "Geneva",
    "participants": (
        "Denmark: the Permanent Mission in Geneva and the Department for Migration, "
        "Stabilisation and Fragility. Partner: senior management and the donor relations team."
    ),
    "summary": (
        "The parties reviewed progress in 2023 under the four priority areas and the "
        "cross-cutting priority, the use of the softly earmarked funds in the first half of "
        "2024, and the preparation of the mid-term review. Denmark asked for a timeline for "
        "the indicators still under development and for closer reporting on allocations."
    ),
}


@dataclass(frozen=True)
class DemoActionPoint:
    text: str
    owner: str  # username of a demo user
    due_on: datetime.date
    area_number: int | None = None
    status: str = ActionStatus.OPEN
    closing_note: str = ""


ACTION_POINTS = (
    DemoActionPoint(
        "Ask the partner for a timeline for the indicators of the Organizational "
        "Effectiveness part of its results framework.",
        "desk",
        datetime.date(2024, 9, 30),
        area_number=1,
        status=ActionStatus.DONE,
        closing_note="Timeline received and shared with the department.",
    ),
    DemoActionPoint(
        "Draft the terms of reference for the mid-term review, including the allocation "
        "of softly earmarked funds.",
        "mission",
        datetime.date(2024, 10, 31),
    ),
    DemoActionPoint(
        "Agree with the partner on a reporting format for the softly earmarked allocations.",
        "finance",
        datetime.date(2025, 1, 31),
        area_number=3,
    ),
)


# --- Loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str


@dataclass
class DemoReport:
    """What a load created, changed and found already present, and the logins to use."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)
    labels: list[str] = field(default_factory=list)  # kinds of record, in the order first met
    logins: list[DemoLogin] = field(default_factory=list)

    def count(self, label: str, outcome: str) -> None:
        """Count one record of kind `label` as "created", "updated" or "present"."""
        if label not in self.labels:
            self.labels.append(label)
        getattr(self, outcome)[label] += 1


class _Loader:
    def __init__(self, strategy: Strategy, report: DemoReport):
        self.strategy = strategy
        self.report = report

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Create the row matching `lookup` with `values`; leave a row that exists as it is."""
        label = str(model._meta.verbose_name_plural)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self.save(obj)
            self.report.count(label, "created")
        else:
            self.report.count(label, "present")
        return obj

    def update(self, obj: models.Model, values: dict) -> None:
        """Set `values` on an existing row (a fixture row the demo completes); save only changes."""
        label = str(obj._meta.verbose_name_plural)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            self.save(obj)
        self.report.count(label, "updated" if changed else "present")

    @staticmethod
    def save(obj: models.Model) -> None:
        obj.full_clean()
        obj._change_reason = CHANGE_REASON
        obj.save()

    def year(self, year: int) -> StrategyYear:
        try:
            return self.strategy.strategy_years.get(year=year)
        except StrategyYear.DoesNotExist:
            raise DemoError(f"The strategy has no year {year}.") from None

    # Users

    def users(self, password: str) -> dict[str, models.Model]:
        groups = {name: self.upsert(Group, {"name": name}, {}) for name in ALL_GROUPS}
        users = {}
        for spec in DEMO_USERS:
            users[spec.username] = self.user(spec, password, groups[spec.group])
            self.report.logins.append(DemoLogin(spec.username, spec.role_label, password))
        return users

    def user(self, spec: DemoUser, password: str, group: Group) -> models.Model:
        User = get_user_model()
        values = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            "is_active": True,
            "is_staff": spec.is_admin,
            "is_superuser": spec.is_admin,
        }
        label = str(User._meta.verbose_name_plural)
        user = User._default_manager.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, **values)
            self.report.count(label, "created")
        elif any(getattr(user, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(user, name, value)
            self.report.count(label, "updated")
        else:
            self.report.count(label, "present")
        # Set on every load, so the password just printed is always the one that works.
        user.set_password(password)
        user.full_clean()
        user.save()
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        if spec.team_role:
            lookup = {"strategy": self.strategy, "user": user, "role": spec.team_role}
            self.upsert(TeamMembership, lookup, {})
        return user

    # Indicators, progress and assessments

    def areas(self) -> dict[int | None, PriorityArea]:
        areas: dict[int | None, PriorityArea] = {}
        for area in self.strategy.priority_areas.order_by("order", "number", "pk"):
            key = area.number if area.kind == PriorityKind.PRIORITY else None
            areas.setdefault(key, area)
        return areas

    def node_for(self, area: PriorityArea, codes: tuple[str, ...]):
        links = list(
            PriorityAreaNode.objects.filter(priority_area=area)
            .select_related("node")
            .order_by("-node__level", "order", "pk")
        )
        if not links:
            raise DemoError(f"{area.label} is mapped to no results-framework node.")
        by_code = {link.node.code: link.node for link in links if link.node.code}
        for code in codes:
            if code in by_code:
                return by_code[code]
        return links[0].node

    def indicators(self, areas: dict[int | None, PriorityArea]) -> None:
        years = [self.year(year) for year in self.strategy.years]
        actual_years = dict(zip(YEARS_WITH_ACTUALS, range(len(YEARS_WITH_ACTUALS)), strict=True))
        for number, specs in INDICATORS.items():
            area = areas.get(number)
            if area is None:
                raise DemoError(f"The strategy has no priority area {number}.")
            for order, spec in enumerate(specs, start=1):
                indicator = self.upsert(
                    Indicator,
                    {"priority_area": area, "key": spec.key},
                    {
                        "node": self.node_for(area, spec.node_codes),
                        "title": spec.title,
                        "unit": spec.unit,
                        "baseline": spec.baseline,
                        "baseline_year": 2022,
                        "direction": spec.direction,
                        "status": DefinitionStatus.DEFINED,
                        "order": 100 + order,
                        "is_illustrative": True,
                    },
                )
                for strategy_year, target in zip(years, spec.targets, strict=False):
                    index = actual_years.get(strategy_year.year)
                    actual = Decimal(spec.actuals[index]) if index is not None else None
                    self.upsert(
                        IndicatorProgress,
                        {"indicator": indicator, "strategy_year": strategy_year},
                        {
                            "target": Decimal(target),
                            "actual": actual,
                            "comment": progress_comment(Decimal(target), actual, spec.direction),
                            "is_illustrative": True,
                        },
                    )

    def assessments(self, areas: dict[int | None, PriorityArea]) -> None:
        for number, rows in ASSESSMENTS.items():
            area = areas.get(number)
            if area is None:
                continue
            for year, (rating, narrative) in zip(ASSESSED_YEARS, rows, strict=True):
                self.upsert(
                    Assessment,
                    {"priority_area": area, "strategy_year": self.year(year)},
                    {"rating": rating, "narrative": narrative, "is_illustrative": True},
                )

    # Funding

    def funding(self, users: dict) -> None:
        lines = list(BudgetLine.objects.filter(strategy=self.strategy).order_by("order", "code"))
        if not lines:
            raise DemoError("The strategy has no budget lines.")
        for line in lines:
            for year in FUNDED_YEARS:
                planned = PlannedAmount.objects.filter(line=line, year=year).first()
                if planned is None or not planned.amount:
                    continue
                reference = f"Finance Act {year}"
                if line.finance_act_code:
                    reference += f", § {line.finance_act_code}"
                self.upsert(
                    ParliamentaryApproval,
                    {"line": line, "year": year},
                    {
                        "amount": planned.amount,
                        "approved_on": APPROVED_ON[year],
                        "reference": reference,
                        "is_illustrative": True,
                    },
                )
                self.upsert(
                    Commitment,
                    {"line": line, "year": year, "committed_on": COMMITTED_ON[year]},
                    {
                        "amount": planned.amount,
                        "reference": f"{self.strategy.file_number or 'Commitment'} {line.code}",
                        "is_illustrative": True,
                    },
                )
                payments = PAYMENTS.get(line.kind, DEFAULT_PAYMENTS)[year]
                for number, (paid_on, share) in enumerate(payments, start=1):
                    self.upsert(
                        Disbursement,
                        {"line": line, "year": year, "paid_on": paid_on},
                        {
                            "amount": (planned.amount * share).quantize(Decimal("0.01")),
                            "reference": f"Payment {number} of {year}",
                            "is_illustrative": True,
                        },
                    )
        soft = [line for line in lines if line.kind == BudgetLineKind.SOFT_EARMARKED]
        if soft:
            self.allocations(soft[0], users["manager"])

    def allocations(self, line: BudgetLine, manager) -> None:
        allocation_round = self.upsert(
            AllocationRound,
            {"line": line, "year": ALLOCATION_YEAR, "half": ALLOCATION_HALF},
            {
                "dialogue_on": ALLOCATION_DIALOGUE_ON,
                "note": "Proposals discussed in the six-monthly dialogue on softly earmarked "
                "funds.",
                "is_illustrative": True,
            },
        )
        decided_at = ALLOCATION_DECIDED_AT.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        for spec in ALLOCATIONS:
            office = Office.objects.filter(
                organisation=self.strategy.organisation,
                kind=OfficeKind.COUNTRY,
                name__iexact=spec.office,
            ).first()
            decided = spec.decision != Decision.PENDING
            self.upsert(
                Allocation,
                {"round": allocation_round, "theme": spec.theme},
                {
                    "office": office,
                    "amount": spec.amount,
                    "description": spec.description,
                    "decision": spec.decision,
                    "decision_reason": spec.decision_reason,
                    "decided_by": manager if decided else None,
                    "decided_at": decided_at if decided else None,
                    "is_illustrative": True,
                },
            )

    # Risks

    def risks(self, desk) -> None:
        risks = Risk.objects.filter(strategy=self.strategy).order_by("order", "key")
        for index, risk in enumerate(risks):
            if risk.is_rated:
                # Rated before, by this command or by a user: that rating and its history stand.
                self.report.count(str(Risk._meta.verbose_name_plural), "present")
                continue
            profile = (
                RISK_PROFILES.get(risk.key)
                or FALLBACK_RISK_PROFILES[index % len(FALLBACK_RISK_PROFILES)]
            )
            for rated_on, rating, note in zip(
                RATED_ON, profile.ratings, profile.notes, strict=True
            ):
                self.upsert(
                    RiskRating,
                    {"risk": risk, "rated_on": rated_on},
                    {
                        **rating_values(rating),
                        "rated_by": desk,
                        "note": note,
                        "is_illustrative": True,
                    },
                )
            self.update(
                risk,
                {
                    "category": profile.category,
                    **rating_values(profile.ratings[-1]),
                    "rating_is_illustrative": True,
                    "next_review": NEXT_REVIEW,
                    "owner": desk,
                },
            )

    # Engagement

    def engagement(self, areas: dict[int | None, PriorityArea], users: dict) -> None:
        meeting = self.upsert(
            Meeting,
            {"strategy": self.strategy, "kind": MEETING["kind"], "held_on": MEETING["held_on"]},
            {
                "title": MEETING["title"],
                "location": MEETING["location"],
                "participants": MEETING["participants"],
                "summary": MEETING["summary"],
                "is_illustrative": True,
            },
        )
        wanted = {area.pk for area in areas.values()}
        if set(meeting.priority_areas.values_list("pk", flat=True)) != wanted:
            meeting.priority_areas.set(wanted)
        for spec in ACTION_POINTS:
            self.upsert(
                ActionPoint,
                {"strategy": self.strategy, "meeting": meeting, "text": spec.text},
                {
                    "owner": users[spec.owner],
                    "due_on": spec.due_on,
                    "status": spec.status,
                    "closing_note": spec.closing_note,
                    "priority_area": areas.get(spec.area_number) if spec.area_number else None,
                    "is_illustrative": True,
                },
            )


def rating_values(rating: tuple[int, int, int, int]) -> dict[str, int]:
    """Return the rating fields of a risk or re-rating for one row of a profile."""
    likelihood, impact, residual_likelihood, residual_impact = rating
    return {
        "likelihood": likelihood,
        "impact": impact,
        "residual_likelihood": residual_likelihood,
        "residual_impact": residual_impact,
    }


def progress_comment(target: Decimal, actual: Decimal | None, direction: str) -> str:
    """Describe an illustrative actual against its target in a few words."""
    if actual is None:
        return "Illustrative target."
    if actual == target:
        return "Illustrative figure: on target."
    better = actual > target if direction != Direction.DECREASE else actual < target
    return f"Illustrative figure: {'better' if better else 'short of'} the target."


def demo_password_generate() -> str:
    """Return a new random password for the demo users."""
    return secrets.token_urlsafe(12)


def demo_load(*, strategy: Strategy, password: str) -> DemoReport:
    """Add illustrative users, progress, funding, risk ratings and a meeting to `strategy`."""
    report = DemoReport()
    loader = _Loader(strategy, report)
    try:
        with transaction.atomic():
            users = loader.users(password)
            areas = loader.areas()
            loader.indicators(areas)
            loader.assessments(areas)
            loader.funding(users)
            loader.risks(users["desk"])
            loader.engagement(areas, users)
    except ValidationError as error:
        raise DemoError(f"A demo record failed validation: {error}") from error
    return report

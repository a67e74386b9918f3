"""Illustrative demo data for a loaded strategy: an illustrative history up to a date.

Nothing here is a fact of any strategy document. Every row it writes carries the flag that
labels it as illustrative (`is_illustrative`, or `rating_is_illustrative` on a risk), and every
row is validated with `full_clean()` before it is saved. The history runs up to an as-of date
inside the strategy period: the years that ended are reported and approved, the year of the date
is in progress, the funds of each year are approved, committed and paid on a fixed schedule,
risks are reviewed every year, each year's consultation leaves action points, the mid-term
review is recorded once due, and the rhythm's milestones before the date are held: closed by
hand, or by the record that fulfils them. A few recent items are left late, as happens; which
ones is drawn from a seed made of the strategy and the date, so the same date gives the same data.
Rows are found again by their natural fields, so loading twice adds nothing, and a row that
exists is left as it is: loading again never overwrites what users have changed since.
"""

import datetime
import random
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
from django.utils import timezone

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from engagement.models import ActionPoint, KeyMessage, Meeting, MidTermReview, Milestone
from engagement.selectors import rhythm_get
from engagement.services import milestones_generate
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
    YearState,
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
from priorities.registry import fulfilled_kinds
from priorities.templatetags.monitor import finance_act
from risks.choices import RiskCategory
from risks.models import Risk, RiskRating
from strategy_monitor.history import DEMO_CHANGE_REASON as CHANGE_REASON
from strategy_monitor.history import recorded_save

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

# The tables below run by strategy year from the first. A year's actuals are written once the
# year has ended; its assessment too, or from 1 July as a mid-year view of the year in progress.
MID_YEAR = (7, 1)


@dataclass(frozen=True)
class DemoIndicator:
    key: str
    title: str
    unit: str
    baseline: Decimal
    targets: tuple[int | str, ...]  # one per strategy year, from the first
    actuals: tuple[int | str, ...]  # one per strategy year from the first, for ended years
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

# Ratings and narratives per priority area number (None: the cross-cutting priority), one per
# strategy year from the first. The period's last year is never over inside the period, so its
# row reads as a mid-year view.
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
        (
            Rating.ON_TRACK,
            "Mid-year view: member states agreed the budget reform, and unearmarked funding is "
            "on course for the year's target.",
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
        (
            Rating.ON_TRACK,
            "Mid-year view: the network secretariat's workplan is on schedule and coordination "
            "mechanisms on migration data are being set up in five more countries.",
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
        (
            Rating.SOME_DELAYS,
            "Mid-year view: training of border officials is behind plan after a change of "
            "implementing partner in two countries.",
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
        (
            Rating.ON_TRACK,
            "Mid-year view: support to adaptation planning continues in the planned countries "
            "and resilience activities are on schedule.",
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
        (
            Rating.ON_TRACK,
            "Mid-year view: the follow-up on gender and diversity has caught up in the two "
            "regions that were behind.",
        ),
    ),
}


# --- Funding ----------------------------------------------------------------------------------

# Parliament passes each year's Finance Act in December of the year before; the funds are
# committed in January and paid as below: (month, day, share of the year's commitment).
APPROVED_ON = (12, 15)
COMMITTED_ON = (1, 16)
PAYMENTS = {
    BudgetLineKind.CORE: ((2, 15, Decimal("1")),),
    BudgetLineKind.SOFT_EARMARKED: ((3, 15, Decimal("0.5")), (9, 15, Decimal("0.5"))),
}
DEFAULT_PAYMENTS = ((2, 15, Decimal("1")),)

# The six-monthly dialogue on the softly earmarked funds, on the rhythm's default dates; the
# manager decides on the proposals two weeks after it.
DIALOGUE_ON = {Half.FIRST: (3, 15), Half.SECOND: (9, 15)}
DECISION_AFTER = datetime.timedelta(days=14)
DECISION_TIME = datetime.time(11, 0)


@dataclass(frozen=True)
class DemoAllocation:
    office: str  # name of a country office in the strategy partner's office list
    theme: str
    amount: Decimal
    description: str
    decision: str
    decision_reason: str = ""


# The proposals of each year's rounds; approved allocations stay within the softly earmarked
# line of DKK 50m a year.
ALLOCATIONS = {
    Half.FIRST: (
        DemoAllocation(
            "Niger",
            "Border management and countering migrant smuggling",
            Decimal("20000000"),
            "Rights-based border management at northern border posts and support to the "
            "national authorities against migrant smuggling along the Central Mediterranean "
            "route.",
            Decision.APPROVED,
            "In line with priority area 3 and the focus on countries along the migratory routes.",
        ),
        DemoAllocation(
            "Ethiopia",
            "Migration data and coordination",
            Decimal("12000000"),
            "A national coordination mechanism on migration data and training of the "
            "statistics office.",
            Decision.APPROVED,
            "Supports priority areas 2 and 3; builds on the data project funded in 2021.",
        ),
    ),
    Half.SECOND: (
        DemoAllocation(
            "Somalia",
            "Immigration and border management capacity",
            Decimal("15000000"),
            "Document examination and passport enrolment capacity at regional offices.",
            Decision.APPROVED,
            "Strengthens border management in the Horn of Africa under priority area 3.",
        ),
    ),
}


# --- Risks ------------------------------------------------------------------------------------

# Risks are re-rated at an annual review on 1 March; the next review is the following one.
REVIEW_ON = (3, 1)


@dataclass(frozen=True)
class DemoRiskProfile:
    category: str
    # (likelihood, impact, residual likelihood, residual impact) at each annual review from the
    # first; later reviews keep the last rating.
    ratings: tuple[tuple[int, int, int, int], ...]
    notes: tuple[str, str]


FIRST_RATING = "First rating under the strategy."
UNCHANGED = "Unchanged at the annual review."

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
        (FIRST_RATING, UNCHANGED),
    ),
    "few-unearmarked-donors": DemoRiskProfile(
        RiskCategory.INSTITUTIONAL,
        ((4, 3, 3, 3), (3, 3, 3, 2)),
        (FIRST_RATING, "Likelihood lowered: the donor base for unearmarked funding widened."),
    ),
    "risk-prone-environment": DemoRiskProfile(
        RiskCategory.CONTEXTUAL,
        ((5, 3, 4, 3), (5, 3, 4, 3)),
        (FIRST_RATING, UNCHANGED),
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
        (FIRST_RATING, UNCHANGED),
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
# One review a little late, as happens: days past its date at the as-of date (chosen by seed).
LATE_REVIEW_DAYS = (9, 23)


# --- Engagement -------------------------------------------------------------------------------

# Consultations are held a few days before the rhythm's default date (15 June).
CONSULTATION_ON = (6, 12)
CONSULTATION_LOCATION = "Geneva"
CONSULTATION_PARTICIPANTS = (
    "Denmark: the Permanent Mission in Geneva and the Department for Migration, "
    "Stabilisation and Fragility. Partner: senior management and the donor relations team."
)
# One summary per strategy year from the first; a longer period repeats the last.
CONSULTATION_SUMMARIES = (
    "The parties agreed the priorities of the new strategy, the reporting on the Danish "
    "priority areas and the first use of the softly earmarked funds. Denmark asked for an "
    "update on the internal governance reform.",
    "The parties reviewed progress in 2023 under the four priority areas and the "
    "cross-cutting priority, the use of the softly earmarked funds in the first half of "
    "2024, and the preparation of the mid-term review. Denmark asked for a timeline for "
    "the indicators still under development and for closer reporting on allocations.",
    "The parties discussed the findings of the mid-term review, the budget reform and the "
    "partner's work on climate and mobility. Denmark welcomed the faster handling of "
    "misconduct cases.",
    "The parties reviewed progress in 2025 and discussed the preparation of the next "
    "strategy, including lessons from the softly earmarked funds.",
)


@dataclass(frozen=True)
class DemoActionPoint:
    text: str
    owner: str  # username of a demo user
    due_after: int  # days after the consultation
    area_number: int | None = None
    closing_note: str = "Done as agreed."


@dataclass(frozen=True)
class DemoKeyMessage:
    text: str
    area_number: int | None = None
    answer: str = ""


# Denmark's key messages for each year's consultation, by strategy year from the first. A
# consultation already held has them recorded as raised, with the partner's answer.
KEY_MESSAGES = (
    (
        DemoKeyMessage(
            "Denmark asks for a timeline for the indicators still under development.",
            answer="IOM will share the timeline with the next annual report.",
        ),
        DemoKeyMessage(
            "Denmark encourages IOM to keep increasing its share of unearmarked funding.",
            area_number=1,
            answer="IOM welcomed the flexible funding and will report on its use.",
        ),
    ),
    (
        DemoKeyMessage(
            "Denmark asks how the budget reform will strengthen IOM's core structure.",
            area_number=1,
            answer="IOM expects the reform to be decided at the next Council session.",
        ),
        DemoKeyMessage(
            "Denmark asks for closer reporting on the use of the softly earmarked funds.",
            answer="IOM will report on each allocation round in the six-monthly dialogue.",
        ),
        DemoKeyMessage(
            "Denmark underlines the link between climate change and displacement.",
            area_number=4,
            answer="IOM presented its plans for the coming year.",
        ),
    ),
    (
        DemoKeyMessage(
            "Denmark welcomes the findings of the mid-term review and asks how IOM will "
            "follow up on them.",
            answer="IOM will present a management response at the next consultation.",
        ),
        DemoKeyMessage(
            "Denmark asks IOM to keep up the faster handling of misconduct cases.",
            area_number=1,
            answer="IOM confirmed the target for the time to conclude an investigation.",
        ),
    ),
    (
        DemoKeyMessage(
            "Denmark asks for IOM's lessons from the softly earmarked funds for the next strategy.",
            answer="IOM will share a note before the autumn.",
        ),
        DemoKeyMessage(
            "Denmark asks how IOM reports on human mobility in national adaptation plans.",
            area_number=4,
            answer="IOM will add the figure to its annual report.",
        ),
        DemoKeyMessage(
            "Denmark encourages IOM to keep its place in the UN coordination mechanisms on "
            "migration.",
            area_number=2,
            answer="IOM agreed and described its work in the UN Network on Migration.",
        ),
    ),
)


# Action points of each year's consultation, by strategy year from the first.
ACTION_POINTS = (
    (
        DemoActionPoint(
            "Agree with the partner on the reporting calendar for the Danish priority areas.",
            "desk",
            80,
            closing_note="Reporting calendar agreed and shared with the department.",
        ),
        DemoActionPoint(
            "Ask for a briefing on the internal governance reform before the Council.",
            "mission",
            140,
            area_number=1,
            closing_note="Briefing held in Geneva in October.",
        ),
    ),
    (
        DemoActionPoint(
            "Ask the partner for a timeline for the indicators of the Organizational "
            "Effectiveness part of its results framework.",
            "desk",
            110,
            area_number=1,
            closing_note="Timeline received and shared with the department.",
        ),
        DemoActionPoint(
            "Draft the terms of reference for the mid-term review, including the allocation "
            "of softly earmarked funds.",
            "mission",
            141,
            closing_note="Terms of reference agreed with the partner.",
        ),
        DemoActionPoint(
            "Agree with the partner on a reporting format for the softly earmarked allocations.",
            "finance",
            233,
            area_number=3,
            closing_note="Reporting format agreed and used from the next round.",
        ),
    ),
    (
        DemoActionPoint(
            "Follow up on the recommendations of the mid-term review with the partner.",
            "desk",
            120,
            closing_note="Management response received; follow-up in the annual report.",
        ),
        DemoActionPoint(
            "Share Denmark's position on the budget reform with like-minded donors.",
            "mission",
            60,
            area_number=1,
            closing_note="Position shared in the donor group in August.",
        ),
    ),
    (
        DemoActionPoint(
            "Ask the partner for its lessons from the softly earmarked funds for the next "
            "strategy.",
            "desk",
            110,
        ),
        DemoActionPoint(
            "Prepare the consultation on the next organisation strategy.",
            "mission",
            170,
        ),
        DemoActionPoint(
            "Reconcile the disbursements of the period with the partner's financial reports.",
            "finance",
            200,
            area_number=3,
        ),
    ),
)
# At most this many action points due before the as-of date are left open (chosen by seed),
# and only among those due within the last RECENT_DAYS.
OPEN_LATE_ACTIONS = 1
RECENT_DAYS = 60


# --- Milestones -------------------------------------------------------------------------------

# Milestones of the rhythm due before the as-of date are marked done on their date, except at
# most this many among those due within the last RECENT_DAYS (chosen by seed) that no other
# demo record shows as held. Kinds a record fulfils are never marked: the demo's meetings,
# approvals and mid-term review show them held.
OPEN_LATE_MILESTONES = 2
# The mid-term review's report is finalised a little before its milestone's date.
MID_TERM_REVIEW_EARLY_DAYS = 17
MID_TERM_REVIEW_FINDINGS = (
    "The strategy is broadly on track. Results reporting has improved, but the targets for "
    "border management need revising after the procurement delays. The review recommends "
    "closer follow-up of the gender results at the next consultations."
)
# Kinds whose holding no other demo record shows (no meeting, round or approval is loaded).
UNRECORDED_MILESTONE_KINDS = (
    MilestoneKind.GOVERNING_BODY,
    MilestoneKind.ANNUAL_REPORT,
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

    as_of: datetime.date | None = None
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


def month_day(year: int, month_and_day: tuple[int, int]) -> datetime.date:
    """Return the date of (month, day) in `year`."""
    month, day = month_and_day
    return datetime.date(year, month, day)


def demo_as_of(
    *, strategy: Strategy, requested: datetime.date | None = None, today: datetime.date
) -> datetime.date:
    """Return the date the illustrative history runs to: inside the period, never after today.

    The history is of what has happened, so a date after today is brought back to today; a
    date outside the strategy period is moved to the period's first or last day.
    """
    first = datetime.date(strategy.start_year, 1, 1)
    last = datetime.date(strategy.end_year, 12, 31)
    as_of = min(requested or today, today)
    return max(first, min(as_of, last))


class _Loader:
    def __init__(self, strategy: Strategy, report: DemoReport, as_of: datetime.date):
        self.strategy = strategy
        self.report = report
        self.as_of = as_of
        # The same strategy and date always draw the same choices.
        self.random = random.Random(f"{strategy.slug}:{as_of.isoformat()}")  # nosec B311 # no secret
        self.decided_tz = ZoneInfo(settings.TIME_ZONE)

    def upsert(
        self, model: type[models.Model], lookup: dict, values: dict, *, allowed: bool = True
    ) -> models.Model | None:
        """Create the row matching `lookup` with `values`; leave a row that exists as it is.

        A missing row is created only where `allowed` (e.g. its year still takes changes).
        """
        label = str(model._meta.verbose_name_plural)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            if not allowed:
                return None
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
        recorded_save(obj, user=None, reason=CHANGE_REASON)

    def year(self, year: int) -> StrategyYear:
        try:
            return self.strategy.strategy_years.get(year=year)
        except StrategyYear.DoesNotExist:
            raise DemoError(f"The strategy has no year {year}.") from None

    def reached(self, day: datetime.date) -> bool:
        """Return whether `day` lies on or before the as-of date."""
        return day <= self.as_of

    def ended_years(self) -> list[int]:
        """Return the strategy years that ended before the as-of date."""
        return [year for year in self.strategy.years if year < self.as_of.year]

    def started_years(self) -> list[int]:
        """Return the strategy years that have begun by the as-of date."""
        return [year for year in self.strategy.years if year <= self.as_of.year]

    def at(self, day: datetime.date) -> datetime.datetime:
        """Return `day` at the demo's decision time in the site's time zone."""
        return datetime.datetime.combine(day, DECISION_TIME, tzinfo=self.decided_tz)

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
            self.upsert(TeamMembership, lookup, {"is_illustrative": True})
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
        ended = set(self.ended_years())
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
                        "baseline_year": self.strategy.start_year - 1,
                        "direction": spec.direction,
                        "status": DefinitionStatus.DEFINED,
                        "order": 100 + order,
                        "is_illustrative": True,
                    },
                )
                for index, (strategy_year, target) in enumerate(
                    zip(years, spec.targets, strict=False)
                ):
                    actual = None
                    if strategy_year.year in ended and index < len(spec.actuals):
                        actual = Decimal(spec.actuals[index])
                    self.upsert(
                        IndicatorProgress,
                        {"indicator": indicator, "strategy_year": strategy_year},
                        {
                            "target": Decimal(target),
                            "actual": actual,
                            "comment": progress_comment(Decimal(target), actual, spec.direction),
                            "is_illustrative": True,
                        },
                        allowed=strategy_year.is_open,
                    )

    def assessments(self, areas: dict[int | None, PriorityArea]) -> None:
        years = list(self.ended_years())
        if self.reached(month_day(self.as_of.year, MID_YEAR)):
            years.append(self.as_of.year)
        for number, rows in ASSESSMENTS.items():
            area = areas.get(number)
            if area is None:
                continue
            for year in years:
                index = year - self.strategy.start_year
                if index >= len(rows):
                    continue
                rating, narrative = rows[index]
                strategy_year = self.year(year)
                self.upsert(
                    Assessment,
                    {"priority_area": area, "strategy_year": strategy_year},
                    {"rating": rating, "narrative": narrative, "is_illustrative": True},
                    allowed=strategy_year.is_open,
                )

    def years_reported(self, users: dict) -> None:
        """Move each ended year through submission and approval, as far as the date allows.

        A year's report is submitted by the end of January and approved by the end of
        February of the year after. Only a draft year nobody has moved yet is touched.
        """
        for year in self.ended_years():
            strategy_year = self.year(year)
            if strategy_year.state != YearState.DRAFT or strategy_year.state_changed_at:
                self.report.count(str(StrategyYear._meta.verbose_name_plural), "present")
                continue
            submitted_on = datetime.date(year + 1, 1, 31)
            approved_on = datetime.date(year + 1, 2, 28)
            if self.reached(approved_on):
                state, day, user = YearState.APPROVED, approved_on, users["manager"]
            elif self.reached(submitted_on):
                state, day, user = YearState.SUBMITTED, submitted_on, users["desk"]
            else:
                self.report.count(str(StrategyYear._meta.verbose_name_plural), "present")
                continue
            self.update(
                strategy_year,
                {
                    "state": state,
                    "state_changed_at": self.at(day),
                    "state_changed_by": user,
                    "state_comment": "Illustrative demo data: not a real decision.",
                },
            )

    # Funding

    def funding(self, users: dict) -> None:
        lines = list(BudgetLine.objects.filter(strategy=self.strategy).order_by("order", "code"))
        if not lines:
            raise DemoError("The strategy has no budget lines.")
        for line in lines:
            for year in self.started_years():
                planned = PlannedAmount.objects.filter(line=line, year=year).first()
                if planned is None or not planned.amount:
                    continue
                reference = f"Finance Act {year}"
                if line.finance_act_code:
                    reference += f", {finance_act(line.finance_act_code)}"
                self.upsert(
                    ParliamentaryApproval,
                    {"line": line, "year": year},
                    {
                        "amount": planned.amount,
                        "approved_on": month_day(year - 1, APPROVED_ON),
                        "reference": reference,
                        "is_illustrative": True,
                    },
                )
                committed_on = month_day(year, COMMITTED_ON)
                if not self.reached(committed_on):
                    continue
                # One commitment a year, whatever its date: a second would double the money.
                commitment = self.upsert(
                    Commitment,
                    {"line": line, "year": year},
                    {
                        "committed_on": committed_on,
                        "amount": planned.amount,
                        "reference": f"{self.strategy.file_number or 'Commitment'} {line.code}",
                        "is_illustrative": True,
                    },
                )
                self.payments(line, year, commitment.amount)
        soft = [line for line in lines if line.kind == BudgetLineKind.SOFT_EARMARKED]
        if soft:
            self.allocations(soft[0], users["manager"])

    def payments(self, line: BudgetLine, year: int, committed: Decimal) -> None:
        paid = Disbursement.objects.filter(line=line, year=year).aggregate(
            total=models.Sum("amount")
        )["total"] or Decimal(0)
        schedule = PAYMENTS.get(line.kind, DEFAULT_PAYMENTS)
        for number, (month, day, share) in enumerate(schedule, start=1):
            paid_on = datetime.date(year, month, day)
            if not self.reached(paid_on):
                break
            amount = (committed * share).quantize(Decimal("0.01"))
            lookup = {"line": line, "year": year, "paid_on": paid_on}
            exists = Disbursement.objects.filter(**lookup).exists()
            # Never pay beyond the commitment, whatever was paid before on other dates.
            if not exists and paid + amount > committed:
                continue
            self.upsert(
                Disbursement,
                lookup,
                {
                    "amount": amount,
                    "reference": f"Payment {number} of {year}",
                    "is_illustrative": True,
                },
            )
            if not exists:
                paid += amount

    def allocations(self, line: BudgetLine, manager) -> None:
        for year in self.started_years():
            for half, specs in ALLOCATIONS.items():
                dialogue_on = month_day(year, DIALOGUE_ON[half])
                if not self.reached(dialogue_on):
                    continue
                allocation_round = self.upsert(
                    AllocationRound,
                    {"line": line, "year": year, "half": half},
                    {
                        "dialogue_on": dialogue_on,
                        "note": "Proposals discussed in the six-monthly dialogue on softly "
                        "earmarked funds.",
                        "is_illustrative": True,
                    },
                )
                decided_on = dialogue_on + DECISION_AFTER
                decided = self.reached(decided_on)
                for spec in specs:
                    office = Office.objects.filter(
                        organisation=self.strategy.organisation,
                        kind=OfficeKind.COUNTRY,
                        name__iexact=spec.office,
                    ).first()
                    self.upsert(
                        Allocation,
                        {"round": allocation_round, "theme": spec.theme},
                        {
                            "office": office,
                            "amount": spec.amount,
                            "description": spec.description,
                            "decision": spec.decision if decided else Decision.PENDING,
                            "decision_reason": spec.decision_reason if decided else "",
                            "decided_by": manager if decided else None,
                            "decided_at": self.at(decided_on) if decided else None,
                            "is_illustrative": True,
                        },
                    )

    # Risks

    def risks(self, desk) -> None:
        reviews = [
            day
            for day in (month_day(year, REVIEW_ON) for year in self.strategy.years)
            if self.reached(day)
        ]
        if not reviews:
            return
        next_review = month_day(reviews[-1].year + 1, REVIEW_ON)
        risks = list(Risk.objects.filter(strategy=self.strategy).order_by("order", "key"))
        unrated = [risk for risk in risks if not risk.is_rated]
        late = self.random.choice(unrated) if unrated else None
        for index, risk in enumerate(risks):
            if risk.is_rated:
                # Rated before, by this command or by a user: that rating and its history stand.
                self.report.count(str(Risk._meta.verbose_name_plural), "present")
                continue
            profile = (
                RISK_PROFILES.get(risk.key)
                or FALLBACK_RISK_PROFILES[index % len(FALLBACK_RISK_PROFILES)]
            )
            for number, rated_on in enumerate(reviews):
                rating = profile.ratings[min(number, len(profile.ratings) - 1)]
                note = profile.notes[number] if number < len(profile.notes) else UNCHANGED
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
            review = next_review
            if risk is late:
                late_review = self.as_of - datetime.timedelta(
                    days=self.random.randint(*LATE_REVIEW_DAYS)
                )
                if late_review > reviews[-1]:
                    review = late_review
            last = profile.ratings[min(len(reviews), len(profile.ratings)) - 1]
            self.update(
                risk,
                {
                    "category": profile.category,
                    **rating_values(last),
                    "rating_is_illustrative": True,
                    "next_review": review,
                    "owner": desk,
                },
            )

    # Engagement

    def engagement(self, areas: dict[int | None, PriorityArea], users: dict) -> None:
        high_level = rhythm_get(strategy=self.strategy).high_level_year_set()
        open_candidates = []
        planned = []
        for year in self.started_years():
            held_on = month_day(year, CONSULTATION_ON)
            if not self.reached(held_on):
                continue
            index = year - self.strategy.start_year
            if year in high_level:
                kind, title = (
                    MeetingKind.HIGH_LEVEL_CONSULTATION,
                    f"High-level consultations {year}",
                )
            else:
                kind, title = MeetingKind.ANNUAL_CONSULTATION, f"Annual consultations {year}"
            meeting = self.upsert(
                Meeting,
                {"strategy": self.strategy, "kind": kind, "held_on": held_on},
                {
                    "title": title,
                    "location": CONSULTATION_LOCATION,
                    "participants": CONSULTATION_PARTICIPANTS,
                    "summary": CONSULTATION_SUMMARIES[min(index, len(CONSULTATION_SUMMARIES) - 1)],
                    "is_illustrative": True,
                },
            )
            wanted = {area.pk for area in areas.values()}
            if set(meeting.priority_areas.values_list("pk", flat=True)) != wanted:
                meeting.priority_areas.set(wanted)
            if index < len(KEY_MESSAGES):
                for order, message in enumerate(KEY_MESSAGES[index], start=1):
                    self.upsert(
                        KeyMessage,
                        {"meeting": meeting, "text": message.text},
                        {
                            "order": order,
                            "priority_area": (
                                areas.get(message.area_number) if message.area_number else None
                            ),
                            "raised": True,
                            "answer": message.answer,
                            "drafted_by": users["mission"],
                            "is_illustrative": True,
                        },
                    )
            if index >= len(ACTION_POINTS):
                continue
            for spec in ACTION_POINTS[index]:
                due_on = held_on + datetime.timedelta(days=spec.due_after)
                lookup = {"strategy": self.strategy, "meeting": meeting, "text": spec.text}
                done = due_on < self.as_of
                if done and due_on >= self.as_of - datetime.timedelta(days=RECENT_DAYS):
                    open_candidates.append(spec.text)
                planned.append((lookup, spec, due_on, done))
        count = min(OPEN_LATE_ACTIONS, len(open_candidates))
        late = set(self.random.sample(open_candidates, count))
        for lookup, spec, due_on, done in planned:
            done = done and spec.text not in late
            self.upsert(
                ActionPoint,
                lookup,
                {
                    "owner": users[spec.owner],
                    "due_on": due_on,
                    "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                    "closing_note": spec.closing_note if done else "",
                    "priority_area": areas.get(spec.area_number) if spec.area_number else None,
                    "is_illustrative": True,
                },
            )

    # Milestones

    def milestones(self) -> None:
        """Plan the rhythm's milestones and mark those before the as-of date as held.

        Only milestones this load generates are marked: one planned before stays as it is.
        Those of kinds a record fulfils are never marked: their state follows the records.
        A few recent ones that no other demo record shows as held are left open, as
        happens when nobody has ticked them off yet.
        """
        result = milestones_generate(strategy=self.strategy)
        label = str(Milestone._meta.verbose_name_plural)
        for _ in range(result.existing):
            self.report.count(label, "present")
        past = sorted(
            (milestone for milestone in result.created if milestone.due_on < self.as_of),
            key=lambda milestone: (milestone.due_on, milestone.key),
        )
        recent = [
            milestone
            for milestone in past
            if milestone.kind in UNRECORDED_MILESTONE_KINDS
            and milestone.due_on >= self.as_of - datetime.timedelta(days=RECENT_DAYS)
        ]
        left_open = {
            milestone.pk
            for milestone in self.random.sample(recent, min(OPEN_LATE_MILESTONES, len(recent)))
        }
        # A record decides whether these are done (a consultation logged, an approval, a
        # review); closing them by hand would claim what no record shows.
        by_record = fulfilled_kinds()
        for milestone in result.created:
            if (
                milestone.pk in left_open
                or milestone.due_on >= self.as_of
                or milestone.kind in by_record
            ):
                self.report.count(label, "created")
                continue
            milestone.done_on = min(milestone.due_on, self.as_of)
            milestone.is_illustrative = True
            self.save(milestone)
            self.report.count(label, "created")

    def mid_term_review(self) -> None:
        """Record the mid-term review where its milestone fell due before the as-of date.

        The record is what marks the milestone done, as it is for a review recorded in use.
        """
        due = (
            Milestone.objects.filter(
                strategy=self.strategy, kind=MilestoneKind.MID_TERM_REVIEW, due_on__lt=self.as_of
            )
            .order_by("due_on")
            .values_list("due_on", flat=True)
            .first()
        )
        if due is None:
            return
        self.upsert(
            MidTermReview,
            {"strategy": self.strategy},
            {
                "completed_on": due - datetime.timedelta(days=MID_TERM_REVIEW_EARLY_DAYS),
                "findings": MID_TERM_REVIEW_FINDINGS,
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


def demo_load(
    *, strategy: Strategy, password: str, as_of: datetime.date | None = None
) -> DemoReport:
    """Add an illustrative history of `strategy` up to `as_of` (default: today), and demo users.

    The date is kept inside the strategy period and never after today (`demo_as_of`). Years
    that ended are reported and approved, the year of the date is in progress, and a few
    recent items are left late. The same strategy and date give the same data.
    """
    as_of = demo_as_of(strategy=strategy, requested=as_of, today=timezone.localdate())
    report = DemoReport(as_of=as_of)
    loader = _Loader(strategy, report, as_of)
    try:
        with transaction.atomic():
            users = loader.users(password)
            areas = loader.areas()
            loader.indicators(areas)
            loader.assessments(areas)
            loader.funding(users)
            loader.risks(users["desk"])
            loader.engagement(areas, users)
            loader.milestones()
            loader.mid_term_review()
            # Last: a reported year takes no more records.
            loader.years_reported(users)
    except ValidationError as error:
        raise DemoError(f"A demo record failed validation: {error}") from error
    return report

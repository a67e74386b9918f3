"""An illustrative portfolio of strategies at scale, to measure how pages hold up as data grows.

`portfolio_generate()` adds strategies until the database holds the number asked for. Each one
has its own partner (with offices and a results framework), four to ten priority areas, about a
hundred indicators with targets and actuals for every year, assessments, three budget lines with
approvals, commitments and some two hundred disbursements, allocation rounds, thirty risks with
their re-ratings, meetings with action points, milestones and a team of four users.

Nothing here is a fact. Every row that can carry the flag is marked illustrative
(`is_illustrative`, `rating_is_illustrative` on risks); partners and strategies say so in their
names, and every row that names its source says "Generated illustrative data". The generated
users have no usable password.

The data is planned first, as plain rows (`strategy_plan()`), from a random generator seeded by
the seed and the strategy's number: the same seed, sizes and date always give the same
portfolio, and the n-th generated strategy is the same however many are generated. The plan
keeps the rules that the services enforce one record at a time: approvals fall in the window of
their year, commitments follow their approval and stay within it, disbursements stay within what
is committed for their line and year, the approved allocations of a year stay within line b's
plan for that year, residual risk never exceeds the inherent risk, closed action points and
risks say why. The rows are then written with `bulk_create` (with their change history), one
transaction per strategy.
"""

import datetime
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from engagement.choices import ActionStatus, MeetingKind, MilestoneKind
from funding.choices import BudgetLineKind, Decision, Half
from priorities.choices import (
    CodeScheme,
    DefinitionStatus,
    Direction,
    OfficeKind,
    PriorityKind,
    Rating,
    TeamRole,
    YearState,
)
from priorities.models import Strategy
from priorities.permissions import ALL_GROUPS, ROLE_GROUPS
from risks.choices import RiskCategory, RiskStatus
from strategy_monitor.history import change_reason

SOURCE = "Generated illustrative data"
CHANGE_REASON = "Illustrative portfolio generated"
DEFAULT_PREFIX = "generated"
DEFAULT_SEED = 2023
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class PortfolioSizes:
    """How much each generated strategy holds."""

    areas_min: int = 4
    areas_max: int = 10
    indicators: int = 100
    risks: int = 30
    disbursements: int = 200
    meetings: int = 12

    def __post_init__(self):
        if not 1 <= self.areas_min <= self.areas_max:
            raise ValueError(
                "Priority areas: the minimum must be at least 1 and at most the maximum."
            )
        for name in ("indicators", "risks", "disbursements", "meetings"):
            if getattr(self, name) < 0:
                raise ValueError(f"The number of {name} cannot be negative.")


@dataclass(frozen=True)
class Row:
    """One record to write: its model, a key unique within its strategy, values and references.

    `refs` maps a foreign-key field to the key of a row planned before it, or to
    ("group", name) for one of the permission groups.
    """

    model: str
    key: tuple
    fields: dict
    refs: dict = field(default_factory=dict)


# --- Word lists ----------------------------------------------------------------------------------

THEMES = (
    ("Global Health", "GH"),
    ("Food Security", "FS"),
    ("Refugee Protection", "RP"),
    ("Climate Resilience", "CR"),
    ("Education", "ED"),
    ("Gender Equality", "GE"),
    ("Water and Sanitation", "WS"),
    ("Decent Work", "DW"),
    ("Children's Rights", "CH"),
    ("Humanitarian Coordination", "HC"),
    ("Sexual and Reproductive Health", "SR"),
    ("Disaster Risk Reduction", "DR"),
)
REGIONS = {
    "West and Central Africa": ("Dakar", ("Niger", "Mali", "Chad", "Nigeria", "Senegal")),
    "East and the Horn of Africa": ("Nairobi", ("Ethiopia", "Somalia", "Kenya", "Uganda")),
    "Middle East and North Africa": ("Cairo", ("Egypt", "Jordan", "Lebanon", "Libya")),
    "Asia and the Pacific": ("Bangkok", ("Bangladesh", "Afghanistan", "Myanmar", "Nepal")),
    "South America": ("Buenos Aires", ("Colombia", "Peru", "Ecuador", "Venezuela")),
}
AREA_TOPICS = (
    "Effective and accountable organisation",
    "Partnerships and system-wide coordination",
    "Protection of people on the move",
    "Resilience to climate change and disasters",
    "Access to basic services",
    "Data, evidence and innovation",
    "Humanitarian response and recovery",
    "Rights-based national systems",
    "Livelihoods and inclusion",
    "Prevention of sexual exploitation and abuse",
)
INDICATOR_SUBJECTS = (
    ("Country offices with a results-based annual plan", "% of country offices"),
    ("Share of funding received as unearmarked contributions", "%"),
    ("Countries supported to adopt national policies", "number of countries"),
    ("People reached with direct assistance", "number of people"),
    ("Staff trained in safeguarding", "number of staff"),
    ("Joint programmes with other UN entities", "number of programmes"),
    ("Average days to approve an emergency allocation", "days"),
    ("Evaluations with a published management response", "%"),
)
RISK_SUBJECTS = (
    "Funding shortfall against the partner's core budget",
    "Insecurity limits access to people in need",
    "Weak national ownership of supported reforms",
    "Fraud or misuse of funds in field operations",
    "Slow reform of the partner's internal governance",
    "Political tensions among member states",
    "Reputational damage from sexual exploitation and abuse",
    "Staff turnover in key country offices",
    "Delays in procurement and supply chains",
    "Climate-related disasters divert resources",
)
FIRST_NAMES = ("Mette", "Lars", "Ida", "Søren", "Freja", "Mads", "Laura", "Emil", "Clara", "Niels")
LAST_NAMES = (
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
)
NARRATIVES = {
    Rating.ON_TRACK: "Illustrative assessment: results are at or above the year's targets.",
    Rating.SOME_DELAYS: "Illustrative assessment: most results are on track; some are delayed.",
    Rating.OFF_TRACK: "Illustrative assessment: results fall short and need a corrective plan.",
}
TEAM_ROLES = (
    ("desk", TeamRole.DESK_OFFICER),
    ("finance", TeamRole.FINANCIAL_OFFICER),
    ("mission", TeamRole.MISSION_STAFF),
    ("manager", TeamRole.MANAGER),
    ("observer", TeamRole.OBSERVER),
)
# Each generated partner's own governing bodies: key, name, sessions a year.
GOVERNING_BODIES = (
    ("assembly", "Assembly of Member States", 1),
    ("executive-board", "Executive Board", 2),
)
# A governing body session names the body in turn: the first of them, then the second.
MEETING_KINDS = (
    MeetingKind.ANNUAL_CONSULTATION,
    MeetingKind.GOVERNING_BODY,
    MeetingKind.GOVERNING_BODY,
    MeetingKind.DONOR_GROUP,
    MeetingKind.WORKING_GROUP,
    MeetingKind.INTEGRITY_BRIEFING,
)


def strategy_slug(prefix: str, index: int) -> str:
    """Return the slug of the `index`-th generated strategy."""
    return f"{prefix}-{index:02d}"


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Split `total` into `parts` amounts, rounded down to the cent, that never sum above it."""
    weights = [rng.randint(50, 150) for _ in range(parts)]
    whole = sum(weights)
    return [_money(total * weight / whole) for weight in weights]


def _date_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- The plan of one strategy --------------------------------------------------------------------


def strategy_plan(
    *,
    index: int,
    as_of: datetime.date,
    seed: int = DEFAULT_SEED,
    sizes: PortfolioSizes | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> tuple[Row, ...]:
    """Plan the rows of the `index`-th generated strategy, the same for the same arguments."""
    # Seeded per strategy, so the n-th strategy is the same however many are generated.
    rng = random.Random(f"{seed}:{index}")  # nosec B311 # illustrative data, not a secret
    plan = _Planner(
        rng=rng, index=index, sizes=sizes or PortfolioSizes(), as_of=as_of, prefix=prefix
    )
    return plan.rows()


class _Planner:
    def __init__(self, *, rng, index, sizes, as_of, prefix):
        self.rng = rng
        self.index = index
        self.sizes = sizes
        self.as_of = as_of
        self.prefix = prefix
        self.out: list[Row] = []
        self.start = as_of.year - rng.choice((3, 3, 3, 2, 4))
        self.end = self.start + 3
        self.years = tuple(range(self.start, self.end + 1))
        # Money is recorded for the years that have begun.
        self.funded_years = tuple(year for year in self.years if year <= as_of.year)

    def add(self, model: str, key: tuple, fields: dict, refs: dict | None = None) -> None:
        self.out.append(Row(model, key, fields, refs or {}))

    def rows(self) -> tuple[Row, ...]:
        self.partner()
        self.team()
        self.strategy()
        self.areas_and_framework()
        self.indicators()
        self.assessments()
        self.budget()
        self.allocations()
        self.risks()
        self.engagement()
        return tuple(self.out)

    # Partner, offices and team

    def partner(self) -> None:
        theme, abbreviation = THEMES[(self.index - 1) % len(THEMES)]
        number = f"{self.index:02d}"
        # Partner names are unique: a second portfolio under another prefix names its own.
        label = number if self.prefix == DEFAULT_PREFIX else f"{self.prefix}-{number}"
        self.partner_name = f"{theme} Organisation {label} (illustrative)"
        self.add(
            "priorities.Organisation",
            ("organisation",),
            {
                "name": self.partner_name,
                "acronym": f"{abbreviation}{number}",
                "slug": f"{self.prefix}-partner-{number}",
                "mandate": f"An illustrative multilateral partner working on {theme.lower()}.",
                "headquarters": "Geneva",
                "source": SOURCE,
            },
        )
        for order, (key, name, sessions) in enumerate(GOVERNING_BODIES, start=1):
            self.add(
                "engagement.GoverningBody",
                ("body", key),
                {
                    "key": key,
                    "name": name,
                    "sessions_per_year": sessions,
                    "order": order,
                    "source": SOURCE,
                },
                {"organisation": ("organisation",)},
            )
        self.country_offices: list[tuple] = []
        regions = self.rng.sample(sorted(REGIONS), k=3)
        for order, region in enumerate(regions, start=1):
            city, countries = REGIONS[region]
            regional_key = ("office", city)
            self.add(
                "priorities.Office",
                regional_key,
                {
                    "key": f"ro-{city.lower().replace(' ', '-')}",
                    "kind": OfficeKind.REGIONAL,
                    "name": city,
                    "region": region,
                    "order": order,
                    "source": SOURCE,
                },
                {"organisation": ("organisation",)},
            )
            for country in self.rng.sample(countries, k=3):
                key = ("office", country)
                self.country_offices.append(key)
                self.add(
                    "priorities.Office",
                    key,
                    {
                        "key": f"co-{country.lower()}",
                        "kind": OfficeKind.COUNTRY,
                        "name": country,
                        "order": 100 + len(self.country_offices),
                        "source": SOURCE,
                    },
                    {"organisation": ("organisation",), "regional_office": regional_key},
                )

    def team(self) -> None:
        self.people: dict[str, str] = {}
        for short, role in TEAM_ROLES:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            username = f"{strategy_slug(self.prefix, self.index)}-{short}"
            self.people[short] = f"{first} {last}"
            self.add(
                settings.AUTH_USER_MODEL,
                ("user", short),
                {
                    "username": username,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_active": True,
                },
            )
        for short, role in TEAM_ROLES:
            self.add(
                "auth.User_groups",
                ("user-group", short),
                {},
                {"user": ("user", short), "group": ("group", ROLE_GROUPS[role])},
            )

    def strategy(self) -> None:
        years = self.years
        core = Decimal(self.rng.choice((20, 30, 40, 48, 60))) * MILLION
        soft = Decimal(self.rng.choice((15, 25, 35, 50))) * MILLION
        personnel = Decimal(self.rng.choice((1, 2, 3))) * MILLION
        self.line_amounts = {"a": core, "b": soft, "c": personnel}
        per_year = core + soft + personnel
        self.add(
            "priorities.Strategy",
            ("strategy",),
            {
                "title": f"Organisation strategy for {self.partner_name} {self.start}-{self.end}",
                "slug": strategy_slug(self.prefix, self.index),
                "file_number": f"{self.start - 1}-{90000 + self.index}",
                "responsible_unit": self.rng.choice(("Geneva", "New York", "Copenhagen")),
                "start_year": self.start,
                "end_year": self.end,
                "desk_officer": self.people["desk"],
                "financial_officer": self.people["finance"],
                "stated_commitment_total": per_year * len(years),
                "stated_disbursement_total": per_year * len(years),
                "overall_objective": "Illustrative objective: results for the people the "
                "partner serves, through a strong and accountable organisation.",
                "mid_term_review_year": self.start + 1,
                "mid_term_review_half": 2,
                "source": SOURCE,
            },
            {"organisation": ("organisation",)},
        )
        for short, role in TEAM_ROLES:
            self.add(
                "priorities.TeamMembership",
                ("member", short),
                {"role": role, "is_illustrative": True},
                {"strategy": ("strategy",), "user": ("user", short)},
            )
        for goal in sorted(self.rng.sample(range(1, 18), k=3)):
            self.add(
                "priorities.RelevantSDG",
                ("sdg", goal),
                {"goal": goal, "source": SOURCE},
                {"strategy": ("strategy",)},
            )
        for year in years:
            state, changed = YearState.DRAFT, None
            if year < self.as_of.year - 1:
                state = YearState.APPROVED
            elif year == self.as_of.year - 1:
                state = self.rng.choice((YearState.APPROVED, YearState.SUBMITTED))
            if state != YearState.DRAFT:
                changed = _aware(datetime.date(year + 1, 3, self.rng.randint(1, 28)))
            self.add(
                "priorities.StrategyYear",
                ("year", year),
                {
                    "year": year,
                    "planned_commitment": per_year,
                    "planned_disbursement": per_year,
                    "state": state,
                    "state_changed_at": changed,
                    "source": SOURCE,
                },
                # A desk officer submits a year and a manager approves it, never the same person.
                {
                    "strategy": ("strategy",),
                    "state_changed_by": (
                        "user",
                        "desk" if state == YearState.SUBMITTED else "manager",
                    ),
                }
                if changed
                else {"strategy": ("strategy",)},
            )

    # Priority areas and the partner's results framework

    def areas_and_framework(self) -> None:
        count = self.rng.randint(self.sizes.areas_min, self.sizes.areas_max)
        topics = self.rng.sample(AREA_TOPICS, k=min(count, len(AREA_TOPICS)))
        self.add(
            "priorities.ResultsFramework",
            ("framework",),
            {
                "name": "Strategic Results Framework (illustrative)",
                "slug": "srf",
                "level_names": ["Objective", "Outcome", "Result", "Output"],
                "uses_codes": True,
                "code_scheme": CodeScheme.HIERARCHICAL,
                "approved": str(self.start - 1),
                "source": SOURCE,
            },
            {"organisation": ("organisation",)},
        )
        self.areas: list[tuple] = []
        self.area_outputs: dict[tuple, list[tuple]] = {}
        for number in range(1, count + 1):
            # The last area of a strategy with five or more is the cross-cutting priority.
            cross_cutting = count >= 5 and number == count
            topic = topics[(number - 1) % len(topics)]
            key = ("area", number)
            self.areas.append(key)
            self.add(
                "priorities.PriorityArea",
                key,
                {
                    "kind": PriorityKind.CROSS_CUTTING if cross_cutting else PriorityKind.PRIORITY,
                    "number": None if cross_cutting else number,
                    "slug": "cross-cutting" if cross_cutting else str(number),
                    "title": topic,
                    "key_result": f"Illustrative key result: {topic.lower()}.",
                    "text": f"Illustrative text of the priority area on {topic.lower()}.",
                    "order": number,
                    "source": SOURCE,
                },
                {"strategy": ("strategy",)},
            )
            self.area_outputs[key] = self.nodes(number, key, topic)

    def nodes(self, number: int, area_key: tuple, topic: str) -> list[tuple]:
        """Plan an objective, two outcomes, four short-term outcomes and eight outputs."""
        outputs = []
        objective = str(number)
        self.node(objective, 1, None, f"{topic} (objective)")
        for letter in "ab":
            long_term = f"{number}{letter}"
            self.node(long_term, 2, objective, f"Outcome {long_term}")
            self.link(area_key, long_term)
            for short in (1, 2):
                short_term = f"{long_term}.{short}"
                self.node(short_term, 3, long_term, f"Outcome {short_term}")
                for output in (1, 2):
                    code = f"{short_term}.{output}"
                    self.node(code, 4, short_term, f"Output {code}")
                    self.link(area_key, code)
                    outputs.append(("node", code))
        return outputs

    def node(self, code: str, level: int, parent: str | None, title: str) -> None:
        refs = {"framework": ("framework",)}
        if parent:
            refs["parent"] = ("node", parent)
        self.add(
            "priorities.ResultsNode",
            ("node", code),
            {"key": code, "code": code, "level": level, "title": title, "source": SOURCE},
            refs,
        )

    def link(self, area_key: tuple, code: str) -> None:
        self.add(
            "priorities.PriorityAreaNode",
            ("link", area_key[1], code),
            {"source": SOURCE},
            {"priority_area": area_key, "node": ("node", code)},
        )

    # Indicators, progress and assessments

    def indicators(self) -> None:
        for number in range(1, self.sizes.indicators + 1):
            area_key = self.areas[(number - 1) % len(self.areas)]
            outputs = self.area_outputs[area_key]
            node_key = outputs[((number - 1) // len(self.areas)) % len(outputs)]
            subject, unit = self.rng.choice(INDICATOR_SUBJECTS)
            percentage = "%" in unit
            decrease = unit == "days"
            if percentage:
                baseline = Decimal(self.rng.randint(10, 60))
                step = Decimal(self.rng.randint(2, 8))
            elif decrease:
                baseline = Decimal(self.rng.randint(60, 200))
                step = -Decimal(self.rng.randint(3, 10))
            else:
                baseline = Decimal(self.rng.randint(20, 5000))
                step = (baseline * Decimal(self.rng.randint(5, 15)) / 100).quantize(Decimal(1))
            key = ("indicator", number)
            self.add(
                "priorities.Indicator",
                key,
                {
                    "key": f"ind-{number:03d}",
                    "code": f"{area_key[1]}.{number}",
                    "title": f"{subject} ({number})",
                    "unit": unit,
                    "baseline": baseline,
                    "baseline_year": self.start - 1,
                    "direction": Direction.DECREASE if decrease else Direction.INCREASE,
                    "status": DefinitionStatus.DEFINED,
                    "order": number,
                    "is_illustrative": True,
                    "source": SOURCE,
                },
                {"priority_area": area_key, "node": node_key},
            )
            for step_number, year in enumerate(self.years, start=1):
                target = baseline + step * step_number
                if percentage:
                    target = min(target, Decimal(100))
                target = max(target, Decimal(0))
                actual = None
                if year <= self.as_of.year:
                    noise = Decimal(self.rng.randint(-15, 10)) / 100
                    actual = (target * (1 + noise)).quantize(Decimal("0.1"))
                    if percentage:
                        actual = min(actual, Decimal(100))
                    actual = max(actual, Decimal(0))
                self.add(
                    "priorities.IndicatorProgress",
                    ("progress", number, year),
                    {
                        "target": target,
                        "actual": actual,
                        "comment": "Illustrative figure.",
                        "is_illustrative": True,
                        "source": SOURCE,
                    },
                    {"indicator": key, "strategy_year": ("year", year)},
                )

    def assessments(self) -> None:
        ratings = (Rating.ON_TRACK, Rating.SOME_DELAYS, Rating.OFF_TRACK)
        for area_key in self.areas:
            for year in self.funded_years:
                rating = self.rng.choices(ratings, weights=(5, 4, 1))[0]
                self.add(
                    "priorities.Assessment",
                    ("assessment", area_key[1], year),
                    {"rating": rating, "narrative": NARRATIVES[rating], "is_illustrative": True},
                    {"priority_area": area_key, "strategy_year": ("year", year)},
                )

    # Money

    def budget(self) -> None:
        lines = (
            ("a", "Core contribution (unearmarked)", BudgetLineKind.CORE),
            ("b", "Softly earmarked contribution", BudgetLineKind.SOFT_EARMARKED),
            ("c", "Secondment of personnel", BudgetLineKind.PERSONNEL),
        )
        for order, (code, name, kind) in enumerate(lines, start=1):
            self.add(
                "funding.BudgetLine",
                ("line", code),
                {"code": code, "name": name, "kind": kind, "order": order, "source": SOURCE},
                {"strategy": ("strategy",)},
            )
            for year in self.years:
                self.add(
                    "funding.PlannedAmount",
                    ("planned", code, year),
                    {"year": year, "amount": self.line_amounts[code], "source": SOURCE},
                    {"line": ("line", code)},
                )
        committed: dict[tuple[str, int], Decimal] = {}
        for year in self.funded_years:
            for code, _, _ in lines:
                line = ("line", code)
                approved_on = datetime.date(year - 1, 12, self.rng.randint(10, 20))
                amount = self.line_amounts[code]
                self.add(
                    "funding.ParliamentaryApproval",
                    ("approval", code, year),
                    {
                        "year": year,
                        "amount": amount,
                        "approved_on": approved_on,
                        "reference": f"Finance Act {year}",
                        "is_illustrative": True,
                    },
                    {"line": line},
                )
                # Commitments follow the approval, fall inside the year and stay within it.
                parts = _split(amount, self.rng.choice((1, 2)), self.rng)
                for number, part in enumerate(parts, start=1):
                    self.add(
                        "funding.Commitment",
                        ("commitment", code, year, number),
                        {
                            "year": year,
                            "amount": part,
                            "committed_on": datetime.date(year, number, self.rng.randint(10, 28)),
                            "reference": f"Commitment {code} {year}/{number}",
                            "is_illustrative": True,
                        },
                        {"line": line},
                    )
                committed[code, year] = sum(parts, Decimal(0))
        self.disbursements(committed)

    def disbursements(self, committed: dict[tuple[str, int], Decimal]) -> None:
        pairs = sorted(committed)
        if not pairs or not self.sizes.disbursements:
            return
        counts = Counter(self.rng.choice(pairs) for _ in range(self.sizes.disbursements))
        number = 0
        for code, year in pairs:
            count = counts[code, year]
            if not count:
                continue
            # Past years are paid in full or nearly; the current year in part.
            share = Decimal(self.rng.randint(90, 100) if year < self.as_of.year else 60) / 100
            last_day = min(datetime.date(year, 12, 20), self.as_of)
            first_day = min(datetime.date(year, 2, 1), last_day)
            for amount in _split(_money(committed[code, year] * share), count, self.rng):
                number += 1
                self.add(
                    "funding.Disbursement",
                    ("disbursement", number),
                    {
                        "year": year,
                        "amount": amount,
                        "paid_on": _date_in(self.rng, first_day, last_day),
                        "reference": f"Payment {number}",
                        "is_illustrative": True,
                    },
                    {"line": ("line", code)},
                )

    def allocations(self) -> None:
        planned = self.line_amounts["b"]
        for year in self.funded_years:
            approved = Decimal(0)
            for half in (Half.FIRST, Half.SECOND):
                dialogue_on = datetime.date(year, 5 if half == Half.FIRST else 11, 15)
                if dialogue_on > self.as_of:
                    continue
                round_key = ("round", year, half)
                self.add(
                    "funding.AllocationRound",
                    round_key,
                    {
                        "year": year,
                        "half": half,
                        "dialogue_on": dialogue_on,
                        "note": "Illustrative proposals.",
                        "is_illustrative": True,
                    },
                    {"line": ("line", "b")},
                )
                count = self.rng.randint(3, 5)
                proposed = _split(planned * Decimal("0.55"), count, self.rng)
                decided = dialogue_on + datetime.timedelta(days=14) <= self.as_of
                for number, amount in enumerate(proposed, start=1):
                    decision, reason = Decision.PENDING, ""
                    if decided:
                        # Approve what line b's plan for the year still has room for.
                        if approved + amount <= planned and self.rng.random() < 0.85:
                            decision, reason = Decision.APPROVED, "In line with the priorities."
                            approved += amount
                        else:
                            decision = Decision.REJECTED
                            reason = "Outside the year's room or the strategy's focus."
                    refs = {
                        "round": round_key,
                        "office": self.rng.choice(self.country_offices),
                    }
                    values = {
                        "theme": f"Illustrative proposal {number} ({year}, {half})",
                        "amount": amount,
                        "description": "An illustrative use of softly earmarked funds.",
                        "decision": decision,
                        "decision_reason": reason,
                        "is_illustrative": True,
                    }
                    if decision != Decision.PENDING:
                        values["decided_at"] = _aware(dialogue_on + datetime.timedelta(days=14))
                        refs["decided_by"] = ("user", "manager")
                    self.add("funding.Allocation", ("allocation", year, half, number), values, refs)

    # Risks

    def risks(self) -> None:
        categories = (
            RiskCategory.CONTEXTUAL,
            RiskCategory.PROGRAMMATIC,
            RiskCategory.INSTITUTIONAL,
        )
        first = datetime.date(self.start, 3, 1)
        for number in range(1, self.sizes.risks + 1):
            key = ("risk", number)
            dates = sorted(
                {_date_in(self.rng, first, self.as_of) for _ in range(self.rng.randint(1, 4))}
            )
            ratings = []
            for _ in dates:
                likelihood, impact = self.rng.randint(1, 5), self.rng.randint(1, 5)
                ratings.append(
                    {
                        "likelihood": likelihood,
                        "impact": impact,
                        # Never above the inherent risk, so no justification is needed.
                        "residual_likelihood": self.rng.randint(1, likelihood),
                        "residual_impact": self.rng.randint(1, impact),
                    }
                )
            closed = self.rng.random() < 0.1
            self.add(
                "risks.Risk",
                key,
                {
                    "key": f"risk-{number:02d}",
                    "title": f"{self.rng.choice(RISK_SUBJECTS)} ({number})",
                    "category": categories[number % len(categories)],
                    "description": "Illustrative risk.",
                    "response": "Illustrative response: follow up in the annual consultations.",
                    "status": RiskStatus.CLOSED if closed else RiskStatus.OPEN,
                    "closed_reason": "The risk no longer applies (illustrative)." if closed else "",
                    "next_review": dates[-1] + datetime.timedelta(days=365),
                    "rating_is_illustrative": True,
                    "order": number,
                    "source": SOURCE,
                    **ratings[-1],
                },
                {"strategy": ("strategy",), "owner": ("user", "desk")},
            )
            for area_key in self.rng.sample(self.areas, k=min(2, len(self.areas))):
                self.add(
                    "risks.Risk_priority_areas",
                    ("risk-area", number, area_key[1]),
                    {},
                    {"risk": key, "priorityarea": area_key},
                )
            for rated_on, rating in zip(dates, ratings, strict=True):
                self.add(
                    "risks.RiskRating",
                    ("rating", number, rated_on),
                    {
                        "rated_on": rated_on,
                        "note": "Illustrative re-rating.",
                        "is_illustrative": True,
                        **rating,
                    },
                    {"risk": key, "rated_by": ("user", "desk")},
                )

    # Meetings, action points and milestones

    def engagement(self) -> None:
        first = datetime.date(self.start, 1, 15)
        last = min(datetime.date(self.end, 12, 15), self.as_of)
        # An observer reads and changes nothing, so owns no action point.
        owners = [short for short, role in TEAM_ROLES if role != TeamRole.OBSERVER]
        kinds = dict(MeetingKind.choices)
        body_names = {key: name for key, name, _ in GOVERNING_BODIES}
        governing = 0
        for number in range(1, self.sizes.meetings + 1):
            kind = MEETING_KINDS[(number - 1) % len(MEETING_KINDS)]
            held_on = _date_in(self.rng, first, last)
            key = ("meeting", number)
            refs: dict[str, tuple] = {"strategy": ("strategy",)}
            label = kinds[kind]
            if kind == MeetingKind.GOVERNING_BODY:
                body_key = GOVERNING_BODIES[governing % len(GOVERNING_BODIES)][0]
                governing += 1
                refs["body"] = ("body", body_key)
                label = body_names[body_key]
            self.add(
                "engagement.Meeting",
                key,
                {
                    "kind": kind,
                    "title": f"{label} {held_on.year} ({number})",
                    "held_on": held_on,
                    "location": self.rng.choice(("Geneva", "Copenhagen", "New York", "Online")),
                    "summary": "Illustrative summary of the meeting.",
                    "is_illustrative": True,
                },
                refs,
            )
            for area_key in self.rng.sample(self.areas, k=min(2, len(self.areas))):
                self.add(
                    "engagement.Meeting_priority_areas",
                    ("meeting-area", number, area_key[1]),
                    {},
                    {"meeting": key, "priorityarea": area_key},
                )
            for point in range(1, self.rng.randint(2, 4) + 1):
                due_on = held_on + datetime.timedelta(days=self.rng.randint(30, 150))
                done = due_on < self.as_of and self.rng.random() < 0.7
                self.add(
                    "engagement.ActionPoint",
                    ("action", number, point),
                    {
                        "text": f"Illustrative action point {point} of meeting {number}.",
                        "due_on": due_on,
                        "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                        "closing_note": "Done (illustrative)." if done else "",
                        "is_illustrative": True,
                    },
                    {
                        "strategy": ("strategy",),
                        "meeting": key,
                        "owner": ("user", self.rng.choice(owners)),
                        "priority_area": self.rng.choice(self.areas),
                    },
                )
        for year in self.years:
            for kind, due_on, owner in (
                (MilestoneKind.PARLIAMENTARY_APPROVAL, datetime.date(year - 1, 12, 15), "finance"),
                (MilestoneKind.ANNUAL_CONSULTATION, datetime.date(year, 6, 15), "mission"),
            ):
                self.add(
                    "engagement.Milestone",
                    ("milestone", kind, year),
                    {
                        "kind": kind,
                        "title": f"{MilestoneKind(kind).label} {year}",
                        "due_on": due_on,
                        "done_on": due_on if due_on < self.as_of else None,
                        "is_illustrative": True,
                        "source": SOURCE,
                    },
                    {"strategy": ("strategy",), "owner": ("user", owner)},
                )


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class PortfolioReport:
    """What `portfolio_generate()` added, and what was there already."""

    created: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)


def _history_tracked(model: type[models.Model]) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def _waves(rows: Iterable[Row]) -> list[list[Row]]:
    """Group rows into bulk inserts: by model, in the order models first appear, and within a
    model in levels, so that a row referring to a row of its own model (a node's parent, an
    office's regional office) is written after it."""
    by_model: dict[str, list[Row]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    waves = []
    for model_rows in by_model.values():
        level: dict[tuple, int] = {}
        for row in model_rows:
            level[row.key] = 1 + max(
                (level[ref] for ref in row.refs.values() if ref in level), default=-1
            )
        for depth in range(max(level.values()) + 1):
            waves.append([row for row in model_rows if level[row.key] == depth])
    return waves


def plan_write(rows: Iterable[Row], *, groups: dict[str, Group]) -> Counter:
    """Write planned rows, each model's rows in one bulk insert with their change history.

    Returns the number of rows written per model label.
    """
    written: Counter = Counter()
    objects: dict[tuple, models.Model] = {("group", name): group for name, group in groups.items()}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    unusable_password = make_password(None)
    for wave in _waves(rows):
        model = apps.get_model(wave[0].model)
        instances = []
        for row in wave:
            values = {**row.fields, **{name: objects[ref] for name, ref in row.refs.items()}}
            if model is user_model:
                values["password"] = unusable_password
            instances.append(model(**values))
        if _history_tracked(model):
            created = bulk_create_with_history(
                instances, model, default_change_reason=change_reason(CHANGE_REASON)
            )
        else:
            created = model._default_manager.bulk_create(instances)
        for row, instance in zip(wave, created, strict=True):
            objects[row.key] = instance
        written[wave[0].model] += len(wave)
    return written


def portfolio_generate(
    *,
    strategies: int,
    as_of: datetime.date,
    seed: int = DEFAULT_SEED,
    sizes: PortfolioSizes | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> PortfolioReport:
    """Add generated strategies until the database holds `strategies` strategies in all.

    Strategies generated before (found by slug) are left as they are; each new one is written
    in its own transaction.
    """
    report = PortfolioReport()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_GROUPS}
    missing = strategies - Strategy.objects.count()
    index = 0
    while missing > 0:
        index += 1
        slug = strategy_slug(prefix, index)
        if Strategy.objects.filter(slug=slug).exists():
            report.present.append(slug)
            continue
        rows = strategy_plan(index=index, seed=seed, sizes=sizes, as_of=as_of, prefix=prefix)
        with transaction.atomic():
            report.rows.update(plan_write(rows, groups=groups))
        report.created.append(slug)
        missing -= 1
    return report

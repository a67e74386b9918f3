"""The parts of the annual consultation brief, as frozen dataclasses of plain values."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from funding.selectors import percent
from strategy_monitor.formats import amount_in_millions_fixed

# How a risk changed in the year, in the order the brief counts them.
RISK_NEW = "new"
RISK_RERATED = "rerated"
RISK_CLOSED = "closed"
RISK_CHANGES = {
    RISK_NEW: pgettext_lazy("risk change", "new"),
    RISK_RERATED: pgettext_lazy("risk change", "re-rated"),
    RISK_CLOSED: pgettext_lazy("risk change", "closed"),
}


def _risk_change_count(change: str, count: int) -> str:
    """Return how many risks changed in one way: "2 re-rated"."""
    if change == RISK_NEW:
        text = ngettext("%(count)s new", "%(count)s new", count)
    elif change == RISK_RERATED:
        text = ngettext("%(count)s re-rated", "%(count)s re-rated", count)
    else:
        text = ngettext("%(count)s closed", "%(count)s closed", count)
    return text % {"count": count}


def _day(value: datetime.date) -> str:
    """Return a date as the brief writes it in running text: "7 December 2026"."""
    return date_format(value, "DATE_FORMAT")


def million_text(amount) -> str:
    """Return an amount in DKK million with one decimal, as the brief prints every figure."""
    return amount_in_millions_fixed(amount, 1)


@dataclass(frozen=True)
class Fact:
    """A labelled fact of the front page, as text."""

    label: str
    value: str


@dataclass(frozen=True)
class YearPlan:
    """The front page's commitment and projected disbursement for one year, in DKK."""

    year: int
    commitment: Decimal | None
    disbursement: Decimal | None


@dataclass(frozen=True)
class NodeRow:
    """A results-framework node as the brief lists it, indented by `depth`."""

    depth: int
    code: str
    level: str
    title: str
    is_mapped: bool
    under_development: bool
    is_implied: bool


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator with its baseline and the year's target and actual."""

    code: str
    title: str
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    actual: Decimal | None
    direction: str
    under_development: bool
    is_illustrative: bool
    # The actual of the year before, for the reader to see the trend.
    previous_actual: Decimal | None = None
    is_key: bool = False

    @property
    def has_figures(self) -> bool:
        """Return whether the year has both a target and an actual."""
        return self.target is not None and self.actual is not None


# How an area's key indicators were chosen.
KEY_MARKED = "marked"
KEY_WITH_FIGURES = "figures"


@dataclass(frozen=True)
class AreaSection:
    """A priority area: the Danish priority, the year's rating, indicators and framework."""

    slug: str
    number: int | None
    is_cross_cutting: bool
    label: str
    title: str
    key_result: str
    text: str
    rating: str
    rating_label: str
    narrative: str
    rating_is_illustrative: bool
    indicators: tuple[IndicatorRow, ...]
    nodes: tuple[NodeRow, ...]
    framework_under_development: bool
    indicators_under_development: bool
    # The few indicators the brief shows (the annex shows them all), and how they were chosen:
    # those the desk officer marked as key, else those with a target and an actual for the year.
    key_indicators: tuple[IndicatorRow, ...] = ()
    key_rule: str = KEY_WITH_FIGURES

    @property
    def is_illustrative(self) -> bool:
        """Return whether the section shows any illustrative value."""
        return self.rating_is_illustrative or any(
            row.is_illustrative for row in self.key_indicators
        )

    @property
    def more_indicators(self) -> int:
        """Return how many of the area's indicators only the annex shows."""
        return len(self.indicators) - len(self.key_indicators)

    @property
    def anchor(self) -> str:
        return f"area-{self.slug}"


@dataclass(frozen=True)
class MoneyRow:
    """Planned, approved, committed and disbursed money of a budget line (or of all lines)."""

    code: str
    name: str
    planned: Decimal | None
    approved: Decimal | None
    committed: Decimal
    disbursed: Decimal
    is_illustrative: bool = False
    approved_is_illustrative: bool = False
    committed_is_illustrative: bool = False
    disbursed_is_illustrative: bool = False

    @property
    def remaining(self) -> Decimal:
        """Return what is committed but not yet disbursed."""
        return self.committed - self.disbursed

    @property
    def execution_rate(self) -> Decimal | None:
        """Return the disbursed share of what parliament approved, in per cent."""
        return percent(self.disbursed, self.approved)

    @property
    def remaining_is_illustrative(self) -> bool:
        return self.committed_is_illustrative or self.disbursed_is_illustrative

    @property
    def execution_rate_is_illustrative(self) -> bool:
        return self.execution_rate is not None and (
            self.approved_is_illustrative or self.disbursed_is_illustrative
        )


@dataclass(frozen=True)
class BudgetSection:
    """The budget of the year and of the whole period, per line and in total."""

    year: int
    year_rows: tuple[MoneyRow, ...]
    year_total: MoneyRow
    period: str
    period_rows: tuple[MoneyRow, ...]
    period_total: MoneyRow
    # Revised planned amounts, each "a 2023: Originally 100 (...); revised to 75 from ...".
    revisions: tuple[str, ...] = ()

    @property
    def is_illustrative(self) -> bool:
        return self.year_total.is_illustrative or self.period_total.is_illustrative


@dataclass(frozen=True)
class RoundRow:
    """An allocation round of the year with its totals and the year's room on its line."""

    label: str
    line_code: str
    dialogue_on: datetime.date | None
    proposed: Decimal
    approved: Decimal
    rejected: Decimal
    pending: Decimal
    is_illustrative: bool


@dataclass(frozen=True)
class AllocationRow:
    """A proposed use of softly earmarked funds and Denmark's decision on it."""

    round_label: str
    office: str
    region: str
    theme: str
    amount: Decimal
    decision: str
    decision_label: str
    reason: str
    decided_on: datetime.date | None
    is_illustrative: bool


@dataclass(frozen=True)
class RiskRow:
    """An open risk with its rating, residual rating and response.

    `is_illustrative` says the rating is illustrative; the title and response are the register's.
    """

    title: str
    category: str
    likelihood: int | None
    impact: int | None
    score: int | None
    band: str
    band_label: str
    residual_score: int | None
    residual_band_label: str
    response: str
    is_illustrative: bool
    category_is_illustrative: bool = False

    @property
    def shows_illustrative(self) -> bool:
        """Return whether the row shows any illustrative value: the rating or the category."""
        return self.is_illustrative or self.category_is_illustrative


@dataclass(frozen=True)
class HeatGrid:
    """Counts of open risks by likelihood (rows, 5 down to 1) and impact (columns, 1 to 5)."""

    title: str
    counts: tuple[tuple[int, ...], ...]
    not_placed: int
    is_illustrative: bool

    @property
    def placed(self) -> int:
        return sum(sum(row) for row in self.counts)


@dataclass(frozen=True)
class RiskSection:
    """The register's top risks, the heat maps and what they leave out."""

    open_count: int
    unrated_count: int
    top: tuple[RiskRow, ...]
    inherent: HeatGrid
    residual: HeatGrid

    @property
    def is_illustrative(self) -> bool:
        return any(row.shows_illustrative for row in self.top) or self.inherent.is_illustrative


@dataclass(frozen=True)
class ActionRow:
    """An action point with its owner, due date and status."""

    text: str
    owner: str
    due_on: datetime.date | None
    status: str
    status_label: str
    closing_note: str
    area: str
    meeting: str
    is_overdue: bool
    is_illustrative: bool


@dataclass(frozen=True)
class Consultation:
    """The last consultation held by the brief's date."""

    title: str
    kind: str
    held_on: datetime.date
    location: str
    is_illustrative: bool


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone not yet reached.

    `date_is_planning_default` marks a date the rhythm proposed and nobody has confirmed;
    `kind_is_assumed` a consultation whose kind follows the assumed consultation rhythm.
    """

    title: str
    kind: str
    due_on: datetime.date
    owner: str
    note: str
    is_illustrative: bool
    owner_is_illustrative: bool = False
    date_is_planning_default: bool = False
    kind_is_assumed: bool = False

    @property
    def shows_illustrative(self) -> bool:
        return self.is_illustrative or self.owner_is_illustrative


@dataclass(frozen=True)
class RiskChange:
    """A risk added, re-rated or closed in the year, with its rating before and after."""

    title: str
    change: str
    change_label: str
    changed_on: datetime.date | None
    score_before: int | None
    score_after: int | None
    band_after_label: str
    note: str
    is_illustrative: bool


@dataclass(frozen=True)
class KeyMessageRow:
    """One of Denmark's key messages for the meeting, under its priority area if it has one."""

    area: str
    text: str
    is_illustrative: bool


@dataclass(frozen=True)
class ReviewMeeting:
    """The consultation that reviews the brief's year: held by the brief's date, or planned."""

    title: str
    kind: str
    held_on: datetime.date
    location: str
    is_held: bool
    is_illustrative: bool


@dataclass(frozen=True)
class ChapterText:
    """A chapter of the strategy's own document, for the annex, as heading and paragraphs."""

    heading: str
    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BriefIssue:
    """The mark of an issued brief: its own reference, and when and by whom it was issued.

    A brief without one is a draft, and says so on every page.
    """

    reference: str
    issued_on: datetime.date
    issued_by: str


@dataclass(frozen=True)
class Brief:
    """Everything the annual consultation brief for one strategy and year shows."""

    strategy_slug: str
    strategy_title: str
    organisation: str
    acronym: str
    file_number: str
    period: str
    year: int
    as_of: datetime.date
    is_draft: bool
    overall_objective: str
    facts: tuple[Fact, ...]
    plan: tuple[YearPlan, ...]
    stated_commitment_total: Decimal | None
    stated_disbursement_total: Decimal | None
    areas: tuple[AreaSection, ...]
    budget: BudgetSection
    rounds: tuple[RoundRow, ...]
    allocations: tuple[AllocationRow, ...]
    risks: RiskSection
    consultation: Consultation | None
    consultation_actions: tuple[ActionRow, ...]
    open_actions: tuple[ActionRow, ...]
    milestones: tuple[MilestoneRow, ...]
    illustrative_sections: frozenset[str] = field(default_factory=frozenset)
    # The first year of high-level consultations that the listed consultations assume.
    rhythm_first_high_level_year: int | None = None
    # Whether the strategy has a softly earmarked line, whose allocation decisions the brief
    # reports; a strategy without one has no such chapter.
    has_allocations: bool = True
    # Printed totals of the front-page plan that differ from the sum of its years.
    total_warnings: tuple[str, ...] = ()
    # Whether the annex (the strategy's chapters, full framework trees, all indicators) follows.
    annex: bool = False
    # The meeting the brief is prepared for, if any.
    meeting_id: int | None = None
    meeting_title: str = ""
    # Set on an issued brief; None on a draft.
    issue: BriefIssue | None = None
    # Risks added, re-rated or closed in the year.
    risk_changes: tuple[RiskChange, ...] = ()
    # The consultation the brief serves, and Denmark's key messages for it.
    review_meeting: ReviewMeeting | None = None
    key_messages: tuple[KeyMessageRow, ...] = ()
    # The strategy's own chapters, for the annex only.
    annex_chapters: tuple[ChapterText, ...] = ()

    @property
    def chapters(self) -> tuple[tuple[str, str], ...]:
        """Return the brief's sections as (anchor, title), leaving out those with nothing."""
        chapters = [
            ("summary", _("%(year)s at a glance") % {"year": self.year}),
            ("areas", _("Priority areas")),
            ("budget", _("Money")),
        ]
        if self.risk_changes:
            chapters.append(("risks", _("Risks that changed")))
        if self.open_actions:
            chapters.append(("actions", _("Open action points")))
        if self.milestones:
            chapters.append(("milestones", _("Coming milestones")))
        if self.key_messages:
            chapters.append(("messages", _("Denmark's key messages")))
        return tuple(chapters)

    @property
    def number(self) -> dict[str, int]:
        """Return each shown section's number in the brief, by anchor."""
        return {anchor: index for index, (anchor, _) in enumerate(self.chapters, start=1)}

    @property
    def title(self) -> str:
        return _("Annual consultation brief %(year)s") % {"year": self.year}

    @property
    def running_title(self) -> str:
        """Return the running header: file number and title."""
        if not self.file_number:
            return self.title
        return _("File no. %(number)s · %(title)s") % {
            "number": self.file_number,
            "title": self.title,
        }

    # Marks on every page

    @property
    def status_mark(self) -> str:
        """Return what every page says of the brief's standing: a draft, or its issue."""
        if self.issue is None:
            return _("Draft — not issued")
        parts = [_("Ref. %(reference)s") % {"reference": self.issue.reference}]
        if self.file_number:
            parts.append(_("File no. %(number)s") % {"number": self.file_number})
        parts.append(_("Issued %(date)s") % {"date": _day(self.issue.issued_on)})
        return " · ".join(parts)

    @property
    def is_internal(self) -> bool:
        """Return whether the brief holds Denmark's key messages, and so is for internal use."""
        return bool(self.key_messages)

    # Headings that say the point, derived from the figures

    @property
    def rated_areas(self) -> tuple[AreaSection, ...]:
        return tuple(area for area in self.areas if area.rating != "not_assessed")

    @property
    def ratings_headline(self) -> str:
        """Return the year's ratings in a line: "3 of 5 priority areas on track"."""
        if not self.areas:
            return _("No priority areas")
        if not self.rated_areas:
            return _("No priority area rated for %(year)s yet") % {"year": self.year}
        on_track = sum(1 for area in self.areas if area.rating == "on_track")
        count = len(self.areas)
        return ngettext(
            "%(on_track)s of %(count)s priority area on track",
            "%(on_track)s of %(count)s priority areas on track",
            count,
        ) % {"on_track": on_track, "count": count}

    @property
    def money_headline(self) -> str:
        """Return the year's money in a line: "DKK 48.0 million disbursed of 50.0 approved"."""
        total = self.budget.year_total
        disbursed = million_text(total.disbursed)
        if not total.approved:
            return _("DKK %(disbursed)s million disbursed; no approval recorded for %(year)s") % {
                "disbursed": disbursed,
                "year": self.year,
            }
        return _("DKK %(disbursed)s million disbursed of %(approved)s approved (%(rate)s %%)") % {
            "disbursed": disbursed,
            "approved": million_text(total.approved),
            "rate": number_format(round(total.execution_rate), 0),
        }

    @property
    def risks_headline(self) -> str:
        """Return the year's risk changes in a line: "5 risks changed in 2025: 4 re-rated"."""
        counts = {change: 0 for change in RISK_CHANGES}
        for row in self.risk_changes:
            counts[row.change] += 1
        parts = [
            _risk_change_count(change, counts[change]) for change in RISK_CHANGES if counts[change]
        ]
        if not parts:
            return _("No risk changed in %(year)s") % {"year": self.year}
        total = len(self.risk_changes)
        return ngettext(
            "%(count)s risk changed in %(year)s: %(changes)s",
            "%(count)s risks changed in %(year)s: %(changes)s",
            total,
        ) % {"count": total, "year": self.year, "changes": ", ".join(parts)}

    @property
    def actions_headline(self) -> str:
        count = len(self.open_actions)
        text = ngettext("%(count)s open action point", "%(count)s open action points", count) % {
            "count": count
        }
        if not self.overdue_count:
            return text
        return _("%(open)s, %(overdue)s overdue") % {"open": text, "overdue": self.overdue_count}

    @property
    def milestones_headline(self) -> str:
        if not self.milestones:
            return ""
        return _("Next: %(milestone)s") % {"milestone": self.milestones_next}

    @property
    def milestones_next(self) -> str:
        """Return the next milestone and its date: "Annual consultation 2025, 3 June 2025"."""
        if not self.milestones:
            return ""
        first = self.milestones[0]
        return _("%(title)s, %(date)s") % {"title": first.title, "date": _day(first.due_on)}

    @property
    def messages_headline(self) -> str:
        count = len(self.key_messages)
        meeting = self.review_meeting.title if self.review_meeting else self.meeting_title
        if meeting:
            return ngettext(
                "%(count)s key message for %(meeting)s",
                "%(count)s key messages for %(meeting)s",
                count,
            ) % {"count": count, "meeting": meeting}
        return ngettext("%(count)s key message", "%(count)s key messages", count) % {"count": count}

    @property
    def top_risks_headline(self) -> str:
        """Return the register's state in a line: "Highest risk: X, rated 16 (high)"."""
        if not self.risks.top:
            if self.risks.open_count:
                return _("%(count)s open risks, none rated yet") % {"count": self.risks.open_count}
            return _("No open risks")
        top = self.risks.top[0]
        band = top.band_label.split(" (")[0].lower()
        return _("Highest risk: %(title)s, rated %(score)s (%(band)s)") % {
            "title": top.title,
            "score": top.score,
            "band": band,
        }

    @property
    def consultation_headline(self) -> str:
        """Return where the consultation stands: held, planned, or not yet recorded."""
        meeting = self.review_meeting
        if meeting is None:
            return _("No consultation reviewing %(year)s is recorded yet") % {"year": self.year}
        values = {"title": meeting.title, "date": _day(meeting.held_on)}
        if meeting.is_held:
            return _("%(title)s held on %(date)s") % values
        return _("%(title)s on %(date)s") % values

    @property
    def previous_year(self) -> int | None:
        """Return the year before the brief's, if the strategy had it."""
        years = {row.year for row in self.plan}
        return self.year - 1 if self.year - 1 in years else None

    @property
    def indicator_count(self) -> int:
        return sum(len(area.indicators) for area in self.areas)

    @property
    def key_messages_by_area(self) -> tuple[tuple[str, tuple[KeyMessageRow, ...]], ...]:
        """Return the key messages grouped by priority area, the strategy-wide ones first."""
        groups: dict[str, list[KeyMessageRow]] = {}
        for row in self.key_messages:
            groups.setdefault(row.area, []).append(row)
        return tuple((area, tuple(rows)) for area, rows in groups.items())

    @property
    def has_illustrative(self) -> bool:
        return bool(self.illustrative_sections)

    def section_is_illustrative(self, section: str) -> bool:
        return section in self.illustrative_sections

    @property
    def rhythm_is_assumed(self) -> bool:
        """Return whether a listed consultation follows the assumed consultation rhythm."""
        return any(row.kind_is_assumed for row in self.milestones)

    @property
    def has_planning_defaults(self) -> bool:
        return any(row.date_is_planning_default for row in self.milestones)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.open_actions if row.is_overdue)

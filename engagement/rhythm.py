"""The yearly rhythm through which a strategy is followed, as planned milestones.

Organisation strategies are followed through the same rhythm (the IOM strategy states it in
sections 2, 5 and 7): annual consultations, replaced every second year by high-level
consultations; a six-monthly dialogue on the softly earmarked funds; the partner's governing
body (yearly) and its preparatory committee (twice a year); the parliamentary approval of each
year's funds; the partner's annual report; and the mid-term review.

The documents give no dates, so every date below is a planning default, said so in the
milestone's note and meant to be moved when the real date is known:

=============================  ==========================================================
Annual or high-level consult.  15 June of each year
Allocation dialogues           15 March and 15 September of each year
Governing body session         30 November of each year
Preparatory committee          30 June and 31 October of each year
Parliamentary approval         15 December of the year before (the Finance Act is passed
                               before the year starts)
Partner's annual report        30 June of the following year, for each year of the period
Mid-term review                the end of the half-year the strategy names
=============================  ==========================================================

High-level consultations: the strategy says "every second year, or as deemed necessary". By
default, an assumption until a user sets it, they fall in the first year of the period and
every second year after it (2023 and
2025 for 2023-2026, leaving annual consultations in 2024 and 2026, as the IOM strategy's
2024 consultation was held); the first year is a parameter. Both kinds of consultation share
one key per year, so changing that parameter later never plans two consultations in one year.

Where the strategy records its engagement channels, a channel of the governing body, the
preparatory committee or the allocation dialogue lends its name to the titles and, when it
states a whole number of meetings a year, the number of sessions planned.

This module only plans; `engagement.services.milestones_generate` writes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from engagement.choices import MeetingKind, MilestoneKind
from priorities.choices import TeamRole

PLANNING_NOTE = "Planning default date: move it when the date is set."
# Both kinds of consultation share this key per year (see above).
CONSULTATION_KEY_PREFIX = "consultation-"
HALF_NAMES = {1: "first half", 2: "second half"}

# Whose job each kind of milestone is by default.
OWNER_ROLES = {
    MilestoneKind.ANNUAL_CONSULTATION: TeamRole.MISSION_STAFF,
    MilestoneKind.HIGH_LEVEL_CONSULTATION: TeamRole.MISSION_STAFF,
    MilestoneKind.COUNCIL: TeamRole.MISSION_STAFF,
    MilestoneKind.STANDING_COMMITTEE: TeamRole.MISSION_STAFF,
    MilestoneKind.PARLIAMENTARY_APPROVAL: TeamRole.FINANCIAL_OFFICER,
    MilestoneKind.ALLOCATION_DIALOGUE: TeamRole.FINANCIAL_OFFICER,
    MilestoneKind.ANNUAL_REPORT: TeamRole.DESK_OFFICER,
    MilestoneKind.MID_TERM_REVIEW: TeamRole.DESK_OFFICER,
}

# Sessions a year and their default (month, day), for the forums that meet several times.
SESSIONS = {
    MilestoneKind.ALLOCATION_DIALOGUE: ((3, 15), (9, 15)),
    MilestoneKind.COUNCIL: ((11, 30),),
    MilestoneKind.STANDING_COMMITTEE: ((6, 30), (10, 31)),
}
SESSION_LABELS = {
    MilestoneKind.ALLOCATION_DIALOGUE: "Allocation dialogue on the softly earmarked funds",
    MilestoneKind.COUNCIL: "Council",
    MilestoneKind.STANDING_COMMITTEE: "Standing Committee",
}
SESSION_NOTES = {
    MilestoneKind.ALLOCATION_DIALOGUE: (
        "Six-monthly dialogue in which the partner proposes, and Denmark approves, the use "
        "of the softly earmarked funds."
    ),
    MilestoneKind.COUNCIL: "The governing body's regular session.",
    MilestoneKind.STANDING_COMMITTEE: "The preparatory body to the governing body.",
}
# Engagement channels are recorded with meeting kinds; these are the ones that set a rhythm.
CHANNEL_KINDS = {
    MeetingKind.ALLOCATION_DIALOGUE: MilestoneKind.ALLOCATION_DIALOGUE,
    MeetingKind.COUNCIL: MilestoneKind.COUNCIL,
    MeetingKind.STANDING_COMMITTEE: MilestoneKind.STANDING_COMMITTEE,
}
MAX_SESSIONS = 4


@dataclass(frozen=True)
class Channel:
    """What the planner needs of an engagement channel: its kind, name and rhythm."""

    kind: str
    name: str
    per_year: Decimal | None


@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone the rhythm calls for, before it is saved."""

    key: str
    kind: str
    title: str
    due_on: datetime.date
    note: str

    @property
    def owner_role(self) -> str | None:
        """Return the team role that owns this kind of milestone by default."""
        return OWNER_ROLES.get(self.kind)


def last_day_of_month(year: int, month: int) -> datetime.date:
    """Return the last day of `month` in `year`."""
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def session_dates(kind: str, count: int, year: int) -> list[datetime.date]:
    """Return the default dates of `count` sessions of `kind` in `year`."""
    defaults = SESSIONS[kind]
    if count == len(defaults):
        return [datetime.date(year, month, day) for month, day in defaults]
    # A rhythm other than the default: spread the sessions evenly over the year.
    return [last_day_of_month(year, 12 * (index + 1) // count) for index in range(count)]


def high_level_years(years: range, first: int) -> set[int]:
    """Return the years of `years` with high-level consultations: `first`, then every second."""
    return {year for year in years if year >= first and (year - first) % 2 == 0}


def _sessions(kind: str, channel: Channel | None) -> tuple[int, str]:
    count = len(SESSIONS[kind])
    label = SESSION_LABELS[kind]
    if channel is not None:
        label = channel.name
        per_year = channel.per_year
        if per_year is not None and per_year == per_year.to_integral_value():
            count = max(1, min(int(per_year), MAX_SESSIONS))
    return count, label


def rhythm_plan(
    *,
    start_year: int,
    end_year: int,
    first_high_level_year: int,
    partner: str = "",
    mid_term_review_year: int | None = None,
    mid_term_review_half: int | None = None,
    channels: tuple[Channel, ...] = (),
) -> list[PlannedMilestone]:
    """Return the milestones the rhythm calls for over the period, ordered by date."""
    years = range(start_year, end_year + 1)
    by_kind = {}
    for channel in channels:
        kind = CHANNEL_KINDS.get(channel.kind)
        if kind is not None and kind not in by_kind:
            by_kind[kind] = channel
    high_level = high_level_years(years, first_high_level_year)
    report_title = f"{partner} annual report" if partner else "Partner's annual report"
    plan: list[PlannedMilestone] = []
    for year in years:
        if year in high_level:
            plan.append(
                PlannedMilestone(
                    key=f"{CONSULTATION_KEY_PREFIX}{year}",
                    kind=MilestoneKind.HIGH_LEVEL_CONSULTATION,
                    title=f"High-level consultation {year}",
                    due_on=datetime.date(year, 6, 15),
                    note=(
                        "Every second year, or as deemed necessary, high-level consultations "
                        f"on policy and issues of mutual interest replace the annual "
                        f"consultation. {PLANNING_NOTE}"
                    ),
                )
            )
        else:
            plan.append(
                PlannedMilestone(
                    key=f"{CONSULTATION_KEY_PREFIX}{year}",
                    kind=MilestoneKind.ANNUAL_CONSULTATION,
                    title=f"Annual consultation {year}",
                    due_on=datetime.date(year, 6, 15),
                    note=(
                        "Follow-up on the cooperation over the past year and the way ahead. "
                        f"{PLANNING_NOTE}"
                    ),
                )
            )
        plan.append(
            PlannedMilestone(
                key=f"parliamentary-approval-{year}",
                kind=MilestoneKind.PARLIAMENTARY_APPROVAL,
                title=f"Parliamentary approval of the {year} funds",
                due_on=datetime.date(year - 1, 12, 15),
                note=(
                    f"Each year's contribution is subject to annual parliamentary approval, due "
                    f"before {year} starts. {PLANNING_NOTE}"
                ),
            )
        )
        for kind in (
            MilestoneKind.ALLOCATION_DIALOGUE,
            MilestoneKind.COUNCIL,
            MilestoneKind.STANDING_COMMITTEE,
        ):
            count, label = _sessions(kind, by_kind.get(kind))
            for index, due_on in enumerate(session_dates(kind, count, year), start=1):
                if kind == MilestoneKind.ALLOCATION_DIALOGUE and count == 2:
                    title = f"{label}: {HALF_NAMES[index]} of {year}"
                elif count == 1:
                    title = f"{label}: {year} session"
                else:
                    title = f"{label}: session {index} of {year}"
                plan.append(
                    PlannedMilestone(
                        key=f"{kind.replace('_', '-')}-{year}-{index}",
                        kind=kind,
                        title=title,
                        due_on=due_on,
                        note=f"{SESSION_NOTES[kind]} {PLANNING_NOTE}",
                    )
                )
        plan.append(
            PlannedMilestone(
                key=f"annual-report-{year}",
                kind=MilestoneKind.ANNUAL_REPORT,
                title=f"{report_title} {year}",
                due_on=datetime.date(year + 1, 6, 30),
                note=(
                    f"The partner's narrative and financial report on {year}, a basis for "
                    f"monitoring the Danish priorities. {PLANNING_NOTE}"
                ),
            )
        )
    if mid_term_review_year:
        year = mid_term_review_year
        if mid_term_review_half == 1:
            when, due_on = f"the first half of {year}", datetime.date(year, 6, 30)
        elif mid_term_review_half == 2:
            when, due_on = f"the second half of {year}", datetime.date(year, 12, 31)
        else:
            when, due_on = str(year), datetime.date(year, 12, 31)
        plan.append(
            PlannedMilestone(
                key="mid-term-review",
                kind=MilestoneKind.MID_TERM_REVIEW,
                title=f"Mid-term review ({when.removeprefix('the ')})",
                due_on=due_on,
                note=(
                    f"The strategy expects a mid-term review in {when}: due by the end of "
                    f"that period. {PLANNING_NOTE}"
                ),
            )
        )
    plan.sort(key=lambda item: (item.due_on, item.key))
    return plan

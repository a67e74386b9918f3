"""The yearly rhythm through which a strategy is followed, as planned milestones.

A strategy is followed through a rhythm that its document states and that is set on its
set-up pages (`engagement.models.Rhythm`): annual consultations, replaced in some years by
high-level consultations; the sessions of the partner's governing bodies that Denmark
follows (data of the partner, `GoverningBody`); dialogues on the allocation of funds whose use
is agreed with the partner, only where the budget has such a line; the parliamentary approval
of each year that has a budget; the partner's annual report; the approval of each year's
progress; and the mid-term review.

Nothing here names a partner: every label comes from the partner's data or the strategy's.
The documents give no dates, so every date below is a planning default, said so in the
milestone's note and meant to be moved when the real date is known:

=============================  ==========================================================
Annual or high-level consult.  15 June of each year
Allocation dialogues           15 March and 15 September of each year (two a year)
Governing body sessions        the body's usual dates where it has them; else 30 November
                               for one session a year, 30 June and 31 October for two
Any other number of sessions   spread evenly: the last day of each equal part of the year
Parliamentary approval         15 December of the year before (the Finance Act is passed
                               before the year starts)
Partner's annual report        30 June of the following year, for each year of the period
Year's progress approved       31 March of the following year, for each year of the period
                               (ready for the brief of the next consultation)
Mid-term review                the end of the half-year the strategy names
=============================  ==========================================================

Both kinds of consultation share one key per year, so changing the high-level years later
never plans two consultations in one year. A body's sessions are keyed by the body's key,
the year and the session's number, so renaming a body plans nothing twice.

This module only plans, from plain values; `engagement.services.milestones_generate` reads
the data and writes.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from engagement.choices import MilestoneKind
from priorities.choices import TeamRole

# Marked for translation here, translated where a note is written (`_planned`).
PLANNING_NOTE = gettext_noop("Planning default date: move it when the date is set.")
# Both kinds of consultation share this key per year (see above).
CONSULTATION_KEY_PREFIX = "consultation-"
ALLOCATION_KEY = "allocation-dialogue"
MAX_SESSIONS = 4

# Whose job each kind of milestone is by default.
OWNER_ROLES = {
    MilestoneKind.ANNUAL_CONSULTATION: TeamRole.MISSION_STAFF,
    MilestoneKind.HIGH_LEVEL_CONSULTATION: TeamRole.MISSION_STAFF,
    MilestoneKind.GOVERNING_BODY: TeamRole.MISSION_STAFF,
    MilestoneKind.PARLIAMENTARY_APPROVAL: TeamRole.FINANCIAL_OFFICER,
    MilestoneKind.ALLOCATION_DIALOGUE: TeamRole.FINANCIAL_OFFICER,
    MilestoneKind.ANNUAL_REPORT: TeamRole.DESK_OFFICER,
    MilestoneKind.MID_TERM_REVIEW: TeamRole.DESK_OFFICER,
    MilestoneKind.YEAR_APPROVED: TeamRole.DESK_OFFICER,
}

# Default (month, day) of the sessions by their number a year.
BODY_SESSION_DEFAULTS = {1: ((11, 30),), 2: ((6, 30), (10, 31))}
DIALOGUE_DEFAULTS = {2: ((3, 15), (9, 15))}
ALLOCATION_LABEL = gettext_noop("Allocation dialogue")
ALLOCATION_NOTE = gettext_noop(
    "Dialogue in which the partner proposes, and Denmark approves, how the funds of the "
    "budget line set aside for it are used."
)


@dataclass(frozen=True)
class Body:
    """What the planner needs of a governing body Denmark follows."""

    key: str
    name: str
    sessions: int = 1
    dates: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone the rhythm calls for, before it is saved."""

    key: str
    kind: str
    title: str
    due_on: datetime.date
    note: str
    body_key: str = ""
    # The year the milestone is for, where its due date falls in another (an approval).
    year: int | None = None

    @property
    def owner_role(self) -> str | None:
        """Return the team role that owns this kind of milestone by default."""
        return OWNER_ROLES.get(self.kind)


def last_day_of_month(year: int, month: int) -> datetime.date:
    """Return the last day of `month` in `year`."""
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def session_dates(
    count: int, year: int, usual: tuple[tuple[int, int], ...] = ()
) -> list[datetime.date]:
    """Return the dates of `count` sessions in `year`: the usual ones, defaults, or spread."""
    if len(usual) == count:
        return [_date(year, month, day) for month, day in usual]
    # A rhythm without dates: spread the sessions evenly over the year.
    return [last_day_of_month(year, 12 * (index + 1) // count) for index in range(count)]


def _date(year: int, month: int, day: int) -> datetime.date:
    if month == 2 and day == 29:
        # A usual date of 29 February falls on the 28th outside leap years.
        return last_day_of_month(year, 2)
    return datetime.date(year, month, day)


def high_level_years(years: range, first: int) -> set[int]:
    """Return the years of `years` with high-level consultations: `first`, then every second."""
    return {year for year in years if year >= first and (year - first) % 2 == 0}


def _planned(note: str) -> str:
    """Return `note` followed by the planning note, in the active language."""
    return f"{note} {_(PLANNING_NOTE)}"


def _session_title(label: str, count: int, index: int, year: int, halves: bool) -> str:
    if halves and count == 2:
        if index == 1:
            return _("%(label)s: first half of %(year)s") % {"label": label, "year": year}
        return _("%(label)s: second half of %(year)s") % {"label": label, "year": year}
    if count == 1:
        return _("%(label)s: %(year)s session") % {"label": label, "year": year}
    return _("%(label)s: session %(index)s of %(year)s") % {
        "label": label,
        "index": index,
        "year": year,
    }


def rhythm_plan(
    *,
    start_year: int,
    end_year: int,
    high_level: set[int] | frozenset[int],
    partner: str = "",
    bodies: tuple[Body, ...] = (),
    allocation_dialogues: int = 0,
    allocation_label: str = "",
    approval_years: set[int] | frozenset[int] | None = None,
    annual_reports: bool = True,
    year_approvals: bool = True,
    mid_term_review_year: int | None = None,
    mid_term_review_half: int | None = None,
) -> list[PlannedMilestone]:
    """Return the milestones the rhythm calls for over the period, ordered by date.

    `high_level` holds the years whose consultation is high-level; `approval_years` the years
    that need a parliamentary approval (None: none at all); `allocation_dialogues` the number
    of dialogues a year (0 where the strategy has no line for them); `year_approvals` whether
    the approval of each year's progress is planned.
    """
    years = range(start_year, end_year + 1)
    report_title = (
        _("%(partner)s annual report") % {"partner": partner}
        if partner
        else _("Partner's annual report")
    )
    dialogues = min(max(allocation_dialogues, 0), MAX_SESSIONS)
    plan: list[PlannedMilestone] = []
    for year in years:
        if year in high_level:
            plan.append(
                PlannedMilestone(
                    key=f"{CONSULTATION_KEY_PREFIX}{year}",
                    kind=MilestoneKind.HIGH_LEVEL_CONSULTATION,
                    title=_("High-level consultation %(year)s") % {"year": year},
                    due_on=datetime.date(year, 6, 15),
                    note=_planned(
                        _(
                            "High-level consultations on policy and issues of mutual interest "
                            "replace the annual consultation this year."
                        )
                    ),
                )
            )
        else:
            plan.append(
                PlannedMilestone(
                    key=f"{CONSULTATION_KEY_PREFIX}{year}",
                    kind=MilestoneKind.ANNUAL_CONSULTATION,
                    title=_("Annual consultation %(year)s") % {"year": year},
                    due_on=datetime.date(year, 6, 15),
                    note=_planned(
                        _("Follow-up on the cooperation over the past year and the way ahead.")
                    ),
                )
            )
        if approval_years is not None and year in approval_years:
            plan.append(
                PlannedMilestone(
                    key=f"parliamentary-approval-{year}",
                    kind=MilestoneKind.PARLIAMENTARY_APPROVAL,
                    title=_("Parliamentary approval of the %(year)s funds") % {"year": year},
                    due_on=datetime.date(year - 1, 12, 15),
                    year=year,
                    note=_planned(
                        _(
                            "Each year's contribution is subject to annual parliamentary "
                            "approval, due before %(year)s starts."
                        )
                        % {"year": year}
                    ),
                )
            )
        if dialogues:
            label = allocation_label or _(ALLOCATION_LABEL)
            usual = DIALOGUE_DEFAULTS.get(dialogues, ())
            for index, due_on in enumerate(session_dates(dialogues, year, usual), start=1):
                plan.append(
                    PlannedMilestone(
                        key=f"{ALLOCATION_KEY}-{year}-{index}",
                        kind=MilestoneKind.ALLOCATION_DIALOGUE,
                        title=_session_title(label, dialogues, index, year, halves=True),
                        due_on=due_on,
                        note=_planned(_(ALLOCATION_NOTE)),
                    )
                )
        for body in bodies:
            count = min(max(body.sessions, 1), MAX_SESSIONS)
            usual = body.dates if len(body.dates) == count else BODY_SESSION_DEFAULTS.get(count, ())
            for index, due_on in enumerate(session_dates(count, year, usual), start=1):
                plan.append(
                    PlannedMilestone(
                        key=f"{body.key}-{year}-{index}",
                        kind=MilestoneKind.GOVERNING_BODY,
                        title=_session_title(body.name, count, index, year, halves=False),
                        due_on=due_on,
                        note=_planned(
                            _("A regular session of the %(name)s.") % {"name": body.name}
                        ),
                        body_key=body.key,
                    )
                )
        if annual_reports:
            plan.append(
                PlannedMilestone(
                    key=f"annual-report-{year}",
                    kind=MilestoneKind.ANNUAL_REPORT,
                    title=f"{report_title} {year}",
                    due_on=datetime.date(year + 1, 6, 30),
                    note=_planned(
                        _(
                            "The partner's narrative and financial report on %(year)s, a basis "
                            "for monitoring the Danish priorities."
                        )
                        % {"year": year}
                    ),
                )
            )
        if year_approvals:
            plan.append(
                PlannedMilestone(
                    key=f"year-approved-{year}",
                    kind=MilestoneKind.YEAR_APPROVED,
                    title=f"Progress of {year} approved",
                    due_on=datetime.date(year + 1, 3, 31),
                    year=year,
                    note=(
                        f"The figures, ratings and narratives of {year} are logged by the desk "
                        "officer and approved by a manager, ready for the brief of the next "
                        f"consultation. {PLANNING_NOTE}"
                    ),
                )
            )
    if mid_term_review_year:
        year = mid_term_review_year
        if mid_term_review_half == 1:
            due_on = datetime.date(year, 6, 30)
            title = _("Mid-term review (first half of %(year)s)")
            note = _(
                "The strategy expects a mid-term review in the first half of %(year)s: due by "
                "the end of that period."
            )
        elif mid_term_review_half == 2:
            due_on = datetime.date(year, 12, 31)
            title = _("Mid-term review (second half of %(year)s)")
            note = _(
                "The strategy expects a mid-term review in the second half of %(year)s: due by "
                "the end of that period."
            )
        else:
            due_on = datetime.date(year, 12, 31)
            title = _("Mid-term review (%(year)s)")
            note = _(
                "The strategy expects a mid-term review in %(year)s: due by the end of that period."
            )
        plan.append(
            PlannedMilestone(
                key="mid-term-review",
                kind=MilestoneKind.MID_TERM_REVIEW,
                title=title % {"year": year},
                due_on=due_on,
                note=_planned(note % {"year": year}),
            )
        )
    plan.sort(key=lambda item: (item.due_on, item.key))
    return plan

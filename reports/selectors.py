"""Reads that join the apps for one user: the queues of each role on "My tasks".

Each app reads the work waiting for a role into plain rows (`priorities`, `funding`, `risks`,
`engagement` selectors); this module only chooses which lists a user's roles call for, adds
what reports itself holds (the briefs issued for a consultation) and keeps the dated list of
what falls due. The number of queries depends on the user's roles, never on how many
strategies they follow.
"""

import datetime
from dataclasses import dataclass

from engagement.selectors import (
    ActionPointRow,
    DueReport,
    NextConsultation,
    action_points_queue,
    consultations_queue,
    my_tasks,
)
from funding.selectors.queue import (
    AllocationRoundRow,
    FundingQueue,
    allocations_queue,
    funding_queue,
)
from priorities.choices import TeamRole
from priorities.selectors import (
    AreaYearRow,
    ReturnedYearRow,
    SubmittedYearRow,
    link,
    queue_roles,
    year_in_progress_queue,
    years_returned_queue,
    years_submitted_queue,
)
from reports.models import IssuedBrief
from risks.selectors import RiskReviewRow, risk_reviews_queue


@dataclass(frozen=True)
class ManagerQueue:
    """What waits for a manager: years to approve, allocations to decide, overdue reviews."""

    submitted_years: tuple[SubmittedYearRow, ...]
    allocation_rounds: tuple[AllocationRoundRow, ...]
    overdue_reviews: tuple[RiskReviewRow, ...]


@dataclass(frozen=True)
class DeskQueue:
    """What waits for a desk officer: returned years, the year in progress, risks, own points."""

    returned_years: tuple[ReturnedYearRow, ...]
    areas_missing_actuals: tuple[AreaYearRow, ...]
    areas_unrated: tuple[AreaYearRow, ...]
    risk_reviews: tuple[RiskReviewRow, ...]
    action_points: tuple[ActionPointRow, ...]


@dataclass(frozen=True)
class ConsultationRow:
    """A strategy's next consultation, with whether its brief is issued."""

    consultation: NextConsultation
    brief_reference: str
    brief_url: str
    issue_url: str


@dataclass(frozen=True)
class MissionQueue:
    """What waits for mission staff: the next consultation of each of their strategies."""

    consultations: tuple[ConsultationRow, ...]


@dataclass(frozen=True)
class MyQueue:
    """Everything on a user's "My tasks" page: one queue per role held, and the dated list."""

    today: datetime.date
    roles: tuple[str, ...]
    manager: ManagerQueue | None
    desk: DeskQueue | None
    finance: FundingQueue | None
    mission: MissionQueue | None
    due: DueReport

    @property
    def role_labels(self) -> tuple[str, ...]:
        return tuple(TeamRole(role).label for role in self.roles)

    @property
    def has_illustrative(self) -> bool:
        return self.due.has_illustrative


def _mission_queue(*, user, today: datetime.date) -> MissionQueue:
    consultations = consultations_queue(user=user, today=today)
    meeting_ids = [row.meeting_id for row in consultations if row.meeting_id]
    briefs: dict[int, IssuedBrief] = {}
    if meeting_ids:
        for brief in IssuedBrief.objects.filter(
            meeting_id__in=meeting_ids, withdrawn_at__isnull=True
        ).order_by("-issued_at", "-id"):
            briefs.setdefault(brief.meeting_id, brief)
    rows = []
    for consultation in consultations:
        brief = briefs.get(consultation.meeting_id) if consultation.meeting_id else None
        slug = consultation.strategy_slug
        rows.append(
            ConsultationRow(
                consultation=consultation,
                brief_reference=brief.reference if brief else "",
                brief_url=link("reports:issuedbrief_download", slug, brief.pk) if brief else "",
                issue_url=link("reports:issuedbrief_issue", slug)
                + (f"?meeting={consultation.meeting_id}" if consultation.meeting_id else ""),
            )
        )
    return MissionQueue(consultations=tuple(rows))


def my_queue(*, user, today: datetime.date) -> MyQueue:
    """Return the queues of every role `user` holds, and what falls due for them."""
    roles = queue_roles(user=user)
    manager = desk = finance = mission = None
    if TeamRole.MANAGER in roles:
        manager = ManagerQueue(
            submitted_years=tuple(years_submitted_queue(user=user)),
            allocation_rounds=tuple(allocations_queue(user=user)),
            overdue_reviews=tuple(
                risk_reviews_queue(user=user, today=today, role=TeamRole.MANAGER)
            ),
        )
    if TeamRole.DESK_OFFICER in roles:
        areas = year_in_progress_queue(user=user, today=today)
        desk = DeskQueue(
            returned_years=tuple(years_returned_queue(user=user)),
            areas_missing_actuals=tuple(area for area in areas if area.missing_actual),
            areas_unrated=tuple(area for area in areas if not area.is_rated),
            risk_reviews=tuple(
                risk_reviews_queue(user=user, today=today, role=TeamRole.DESK_OFFICER)
            ),
            action_points=tuple(action_points_queue(user=user)),
        )
    if TeamRole.FINANCIAL_OFFICER in roles:
        finance = funding_queue(user=user, today=today)
    if TeamRole.MISSION_STAFF in roles:
        mission = _mission_queue(user=user, today=today)
    return MyQueue(
        today=today,
        roles=roles,
        manager=manager,
        desk=desk,
        finance=finance,
        mission=mission,
        due=my_tasks(user=user, today=today),
    )

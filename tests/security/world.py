"""One strategy with a record of every kind, for tests that walk every page of the site.

The records' texts hold quotes and ampersands and most records are illustrative, so a page
that escapes its own markup, or a download that carries a page's markup or entities, shows.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from engagement.models import (
    ActionPoint,
    CalendarToken,
    KeyMessage,
    Meeting,
    MidTermReview,
    Milestone,
)
from engagement.services import calendar_token_get
from funding.choices import Half
from funding.models import (
    Allocation,
    AllocationRound,
    BudgetLine,
    Commitment,
    Disbursement,
    FinanceActCode,
    ParliamentaryApproval,
    PlannedAmount,
)
from priorities.choices import PriorityKind
from priorities.models import Evidence, Indicator, PriorityArea, ResultsNode, Strategy
from reports.models import IssuedBrief
from risks.choices import RiskStatus
from risks.models import Risk
from tests.engagement.factories import (
    ActionPointFactory,
    KeyMessageFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import (
    PDF_BYTES,
    EvidenceFactory,
    IndicatorProgressFactory,
    PriorityAreaFactory,
)
from tests.reports.issued_factories import issued_brief_store
from tests.risks.factories import RiskFactory


@dataclass(frozen=True)
class World:
    """A strategy with one record of each kind, and a second strategy for the outsider."""

    strategy: Strategy
    other: Strategy
    area: PriorityArea
    cross_cutting: PriorityArea
    node: ResultsNode
    indicator: Indicator
    evidence: Evidence
    risk: Risk
    closed_risk: Risk
    meeting: Meeting
    key_message: KeyMessage
    action_point: ActionPoint
    milestone: Milestone
    line: BudgetLine
    planned: PlannedAmount
    approval: ParliamentaryApproval
    commitment: Commitment
    disbursement: Disbursement
    round: AllocationRound
    allocation: Allocation
    calendar: CalendarToken
    other_calendar: CalendarToken
    issued_brief: IssuedBrief
    review: MidTermReview


def world_build(*, strategy: Strategy, other: Strategy, desk, outsider) -> World:
    """Give `strategy` a record of every kind; `desk` and `outsider` get calendar tokens."""
    area, node = area_with_nodes(strategy)
    cross_cutting = PriorityAreaFactory(
        strategy=strategy,
        kind=PriorityKind.CROSS_CUTTING,
        number=None,
        slug="gender",
        title="Gender responsiveness",
        order=9,
    )
    indicator = indicator_in(
        area,
        node,
        title='Officials trained in "safe & orderly" migration',
        unit="officials & staff",
        is_illustrative=True,
    )
    progress = IndicatorProgressFactory(indicator=indicator, is_illustrative=True)
    lines = budget_create(strategy)
    line = lines["a"]
    # Typed with its section sign, as the strategy's front page prints it.
    line.finance_act_code = FinanceActCode.objects.create(strategy=strategy, code="§06.32.10.14")
    line.save()
    illustrative = {"is_illustrative": True}
    reference = 'Finance Act 2024, "core" & earmarked'
    approval = ParliamentaryApprovalFactory(
        line=line, year=2024, amount=Decimal("48000000"), reference=reference, **illustrative
    )
    commitment = CommitmentFactory(
        line=line, year=2024, amount=Decimal("48000000"), reference=reference, **illustrative
    )
    disbursement = DisbursementFactory(
        line=line,
        year=2024,
        amount=Decimal("24000000"),
        reference=reference,
        note='First tranche: "core" & secondment',
        **illustrative,
    )
    allocation_round = AllocationRoundFactory(
        line=lines["b"], year=2024, half=Half.FIRST, **illustrative
    )
    meeting = MeetingFactory(
        strategy=strategy,
        title='Council & "SCPF" consultation',
        location="Geneva & online",
        minutes='Agreed: "core" funding & reporting',
        minutes_file_name='Minutes "SCPF" & Council.pdf',
        **illustrative,
    )
    meeting.minutes_file.save("minutes.pdf", ContentFile(PDF_BYTES))
    review = MidTermReview.objects.create(
        strategy=strategy,
        completed_on=datetime.date(2024, 11, 29),
        findings='Keep "core" funding & report on results',
        report_file_name='Review "MTR" & annexes.pdf',
        **illustrative,
    )
    review.report_file.save("review.pdf", ContentFile(PDF_BYTES))
    return World(
        strategy=strategy,
        other=other,
        area=area,
        cross_cutting=cross_cutting,
        node=node,
        indicator=indicator,
        evidence=EvidenceFactory(progress=progress),
        risk=RiskFactory(
            strategy=strategy,
            rated=True,
            title='Donors\' "soft" earmarking & delays',
            rating_is_illustrative=True,
        ),
        closed_risk=RiskFactory(
            strategy=strategy, status=RiskStatus.CLOSED, closed_reason="No longer relevant."
        ),
        meeting=meeting,
        key_message=KeyMessageFactory(
            meeting=meeting,
            priority_area=area,
            text='Ask for "core" funding & reporting',
            **illustrative,
        ),
        action_point=ActionPointFactory(
            strategy=strategy,
            meeting=meeting,
            text='Follow up on "core" funding & reporting',
            **illustrative,
        ),
        milestone=MilestoneFactory(
            strategy=strategy,
            title='Consultation & "brief"',
            note="Agenda & minutes",
            **illustrative,
        ),
        line=line,
        planned=line.planned_amounts.get(year=2024),
        approval=approval,
        commitment=commitment,
        disbursement=disbursement,
        round=allocation_round,
        allocation=AllocationFactory(
            round=allocation_round, theme='Migration & "innovation"', **illustrative
        ),
        calendar=calendar_token_get(user=desk),
        other_calendar=calendar_token_get(user=outsider),
        issued_brief=issued_brief_store(strategy=strategy, user=desk, meeting=meeting),
        review=review,
    )

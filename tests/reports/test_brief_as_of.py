"""The brief's date: it counts only what is dated on or before it, and never reads ahead."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from engagement.choices import MeetingKind
from funding.choices import Decision
from reports.builders import brief_build
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)
AS_OF = datetime.date(2025, 12, 31)
LATER = datetime.date(2026, 6, 10)
ZERO_M = Decimal("0.00")


def record_before_and_after(strategy) -> None:
    """Give `strategy` records dated before AS_OF and after it, in every part of the brief."""
    earlier = MeetingFactory(
        strategy=strategy, title="Consultation of 2025", held_on=datetime.date(2025, 6, 12)
    )
    ActionPointFactory(strategy=strategy, meeting=earlier, text="Point of 2025")
    later = MeetingFactory(strategy=strategy, title="Consultation of 2026", held_on=LATER)
    ActionPointFactory(
        strategy=strategy, meeting=later, text="Point of 2026", due_on=datetime.date(2026, 9, 1)
    )
    risk = RiskFactory(strategy=strategy, title="Funding gap", likelihood=5, impact=5)
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2025, 3, 1), likelihood=2, impact=2)
    RiskRatingFactory(risk=risk, rated_on=datetime.date(2026, 11, 1), likelihood=5, impact=5)
    later_only = RiskFactory(strategy=strategy, title="Rated only later", likelihood=4, impact=4)
    RiskRatingFactory(risk=later_only, rated_on=datetime.date(2026, 11, 1), likelihood=4, impact=4)
    MilestoneFactory(
        strategy=strategy,
        title="Council 2026",
        due_on=datetime.date(2026, 3, 1),
        done_on=datetime.date(2026, 2, 20),
    )
    lines = budget_create(strategy)
    ParliamentaryApprovalFactory(line=lines["a"], year=2024, amount=Decimal(48_000_000))
    CommitmentFactory(
        line=lines["a"],
        year=2024,
        amount=Decimal(40_000_000),
        committed_on=datetime.date(2024, 2, 1),
    )
    CommitmentFactory(line=lines["a"], year=2024, amount=Decimal(8_000_000), committed_on=LATER)
    DisbursementFactory(
        line=lines["a"], year=2024, amount=Decimal(20_000_000), paid_on=datetime.date(2024, 3, 1)
    )
    DisbursementFactory(line=lines["a"], year=2024, amount=Decimal(20_000_000), paid_on=LATER)
    allocation_round = AllocationRoundFactory(
        line=lines["b"], year=2024, dialogue_on=datetime.date(2024, 3, 15)
    )
    AllocationFactory(
        round=allocation_round,
        theme="Decided later",
        amount=Decimal(5_000_000),
        decision=Decision.APPROVED,
        decided_at=datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC),
    )
    AllocationRoundFactory(line=lines["b"], year=2024, half=2, dialogue_on=LATER)


def test_brief_counts_only_what_is_dated_on_or_before_its_date(strategy):
    record_before_and_after(strategy)
    brief = brief_build(strategy=strategy, year=2024, today=TODAY, as_of=AS_OF)
    assert brief.as_of == AS_OF
    assert brief.consultation.title == "Consultation of 2025"
    assert [row.text for row in brief.consultation_actions] == ["Point of 2025"]
    assert [row.text for row in brief.open_actions] == ["Point of 2025"]
    top = {row.title: row for row in brief.risks.top}
    assert (top["Funding gap"].likelihood, top["Funding gap"].score) == (2, 4)
    assert "Rated only later" not in top
    assert brief.risks.unrated_count == 1
    assert brief.risks.inherent.counts[3][1] == 1  # likelihood 2, impact 2
    # Reached only after the brief's date, so still to come on it.
    assert [row.title for row in brief.milestones] == ["Council 2026"]
    total = brief.budget.year_total
    assert (total.approved, total.committed, total.disbursed) == (
        Decimal("48000000.00"),
        Decimal("40000000.00"),
        Decimal("20000000.00"),
    )
    assert brief.budget.period_total.committed == Decimal("40000000.00")
    assert [row.label for row in brief.rounds] == ["First half 2024"]
    assert (brief.rounds[0].approved, brief.rounds[0].pending) == (ZERO_M, Decimal(5_000_000))
    assert [(row.theme, row.decision, row.decided_on) for row in brief.allocations] == [
        ("Decided later", Decision.PENDING, None)
    ]


def test_brief_read_today_counts_the_later_records(strategy):
    record_before_and_after(strategy)
    brief = brief_build(strategy=strategy, year=2025, today=TODAY)
    assert brief.as_of == TODAY
    assert brief.consultation.title == "Consultation of 2026"
    assert {row.text for row in brief.open_actions} == {"Point of 2025", "Point of 2026"}
    assert {row.title: row.score for row in brief.risks.top} == {
        "Funding gap": 25,
        "Rated only later": 16,
    }


def test_brief_default_date_is_today(strategy):
    assert brief_build(strategy=strategy, year=2024, today=TODAY).as_of == TODAY
    assert brief_build(strategy=strategy, year=2026, today=TODAY).as_of == TODAY


def test_brief_refuses_a_date_after_today(strategy):
    with pytest.raises(ValidationError) as error:
        brief_build(
            strategy=strategy, year=2026, today=TODAY, as_of=TODAY + datetime.timedelta(days=1)
        )
    assert error.value.code == "future"


def test_brief_refuses_a_date_before_the_year_it_reports(strategy):
    with pytest.raises(ValidationError) as error:
        brief_build(strategy=strategy, year=2025, today=TODAY, as_of=datetime.date(2024, 12, 31))
    assert error.value.code == "before_year"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@time_machine.travel(datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC), tick=False)
def test_brief_download_reads_the_brief_as_of_the_date_asked(strategy, client_desk):
    record_before_and_after(strategy)
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])
    response = client_desk.get(url, {"as_of": "2025-12-31"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "As of 31 December 2025" in text
    assert "Point of 2025" in text
    assert "Point of 2026" not in text and "Consultation of 2026" not in text


@time_machine.travel(datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-12-08", "has not come yet"),
        ("2023-06-01", "before that year began"),
        ("31.12.2025", "YYYY-MM-DD"),
    ],
)
def test_brief_download_refuses_a_date_it_cannot_read_as_of(strategy, client_desk, value, message):
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])
    response = client_desk.get(url, {"as_of": value}, follow=True)
    assert response.redirect_chain[0][0] == strategy.get_absolute_url()
    assert response["Content-Type"].startswith("text/html")
    assert any(message in str(item) for item in response.context["messages"])


@time_machine.travel(datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC), tick=False)
def test_export_brief_command_takes_an_as_of_date(strategy, tmp_path):
    record_before_and_after(strategy)
    target = tmp_path / "brief.pdf"
    call_command(
        "export_brief",
        strategy.slug,
        "--year",
        "2024",
        "--as-of",
        "2025-12-31",
        "--output",
        str(target),
    )
    text = pdf_text(target.read_bytes())
    assert "As of 31 December 2025" in text and "Point of 2026" not in text
    with pytest.raises(CommandError, match="has not come yet"):
        call_command(
            "export_brief",
            strategy.slug,
            "--year",
            "2024",
            "--as-of",
            "2026-12-08",
            "--output",
            str(tmp_path / "later.pdf"),
        )


@time_machine.travel(datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC), tick=False)
def test_meeting_page_offers_the_brief_for_the_meeting_as_of_its_date(strategy, client_desk):
    meeting = MeetingFactory(strategy=strategy, kind=MeetingKind.ANNUAL_CONSULTATION, held_on=LATER)
    response = client_desk.get(
        reverse("engagement:meeting_detail", args=[strategy.slug, meeting.pk])
    )
    url = reverse("reports:brief_download", args=[strategy.slug, 2025])
    page = response.content.decode()
    assert f'href="{url}?meeting={meeting.pk}&amp;as_of=2026-06-10"' in page
    assert f'href="{url}?meeting={meeting.pk}&amp;as_of=2026-06-10&amp;annex=1"' in page

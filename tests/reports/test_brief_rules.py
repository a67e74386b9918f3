"""The brief's rules: which indicators, risks and key messages it shows, and no empty section."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from engagement.choices import MeetingKind
from engagement.models import KeyMessage
from priorities.models import KEY_INDICATORS_PER_AREA
from reports.builders import brief_build
from reports.models import Job
from reports.render.pdf import brief_html, brief_pdf
from risks.choices import RiskStatus
from tests.engagement.factories import ActionPointFactory, MeetingFactory, MilestoneFactory
from tests.priorities.builders import area_with_nodes, indicator_in, year_of
from tests.priorities.factories import IndicatorProgressFactory, StrategyFactory
from tests.reports.test_builders import populate
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)
INTERNAL = "For internal use — contains Denmark's key messages"


def figures(indicator, year: int, target, actual):
    return IndicatorProgressFactory(
        indicator=indicator,
        strategy_year=year_of(indicator.priority_area.strategy, year),
        target=target,
        actual=actual,
    )


def sections(html: str) -> dict[str, str]:
    """Return each section of the brief by its id, with its markup."""
    return {
        match.group(1): match.group(2)
        for match in re.finditer(r'<section id="([a-z]+)"[^>]*>(.*?)</section>', html, re.S)
    }


# Key indicators


def test_brief_shows_the_marked_key_indicators_and_counts_the_rest_for_the_annex(strategy):
    area, node = area_with_nodes(strategy)
    marked = [
        indicator_in(area, node, title=f"Marked {n}", is_key=True, order=n)
        for n in range(KEY_INDICATORS_PER_AREA)
    ]
    with_figures = indicator_in(area, node, title="Has figures, not marked")
    figures(with_figures, 2024, Decimal(5), Decimal(6))
    figures(marked[0], 2023, Decimal(1), Decimal(2))
    figures(marked[0], 2024, Decimal(3), Decimal(4))

    brief = brief_build(strategy=strategy, year=2024)
    [section] = brief.areas
    assert [row.title for row in section.key_indicators] == [row.title for row in marked]
    assert section.key_rule == "marked" and section.more_indicators == 1
    first = section.key_indicators[0]
    assert (first.previous_actual, first.target, first.actual) == (2, 3, 4)
    html = sections(brief_html(brief))["areas"]
    assert "Key indicators" in html and "Has figures, not marked" not in html
    assert "1 more indicator is listed in the brief's annex" in html


def test_without_key_indicators_the_brief_shows_those_with_a_target_and_an_actual(strategy):
    area, node = area_with_nodes(strategy)
    complete = []
    for number in range(KEY_INDICATORS_PER_AREA + 2):
        indicator = indicator_in(area, node, title=f"Complete {number}", order=number)
        figures(indicator, 2024, Decimal(10), Decimal(number))
        complete.append(indicator)
    target_only = indicator_in(area, node, title="Target only", order=0)
    figures(target_only, 2024, Decimal(10), None)

    [section] = brief_build(strategy=strategy, year=2024).areas
    assert section.key_rule == "figures"
    assert [row.title for row in section.key_indicators] == [
        indicator.title for indicator in complete[:KEY_INDICATORS_PER_AREA]
    ]
    assert section.more_indicators == 3


def test_an_area_without_figures_says_so_in_one_line_not_with_an_empty_table(strategy):
    area, node = area_with_nodes(strategy)
    indicator_in(area, node, title="Nothing recorded yet")
    html = sections(brief_html(brief_build(strategy=strategy, year=2024)))["areas"]
    assert "<table" not in html
    assert "None of the area's 1 indicator has both a target and an actual for 2024" in html


# Risks that changed


@time_machine.travel(NOW, tick=False)
def test_risks_that_changed_are_those_new_re_rated_or_closed_in_the_year(strategy, desk):
    new = RiskFactory(strategy=strategy, title="Added this year", rated=True)
    with time_machine.travel(datetime.datetime(2025, 1, 10, tzinfo=datetime.UTC)):
        rerated = RiskFactory(strategy=strategy, title="Re-rated this year")
        closed = RiskFactory(strategy=strategy, title="Closed this year")
        quiet = RiskFactory(strategy=strategy, title="Unchanged since 2025")
        RiskRatingFactory(risk=quiet, rated_on=datetime.date(2025, 3, 1))
    RiskRatingFactory(risk=rerated, rated_on=datetime.date(2025, 3, 1), likelihood=2, impact=2)
    RiskRatingFactory(risk=rerated, rated_on=datetime.date(2026, 3, 1), likelihood=4, impact=4)
    closed.status, closed.closed_reason = RiskStatus.CLOSED, "The reform is done."
    closed.save()

    brief = brief_build(strategy=strategy, year=2026)
    rows = {row.title: row for row in brief.risk_changes}
    assert set(rows) == {new.title, rerated.title, closed.title}
    assert rows[new.title].change == "new" and rows[new.title].score_before is None
    assert rows[rerated.title].change == "rerated"
    assert (rows[rerated.title].score_before, rows[rerated.title].score_after) == (4, 16)
    assert rows[closed.title].change == "closed"
    assert rows[closed.title].changed_on == datetime.date(2026, 12, 7)
    assert rows[closed.title].note == "The reform is done."
    assert brief.risks_headline == "3 risks changed in 2026: 1 new, 1 re-rated, 1 closed"
    # The brief for 2025 sees the risks added or re-rated in that year.
    earlier = brief_build(strategy=strategy, year=2025)
    assert {row.title for row in earlier.risk_changes} == {quiet.title, rerated.title, closed.title}


# No empty sections, and the key messages


def test_a_brief_with_nothing_to_report_leaves_out_the_sections_and_the_internal_mark(strategy):
    brief = brief_build(strategy=strategy, year=2024)
    assert [anchor for anchor, _ in brief.chapters] == ["summary", "areas", "budget"]
    html = brief_html(brief)
    assert set(sections(html)) == {"summary", "areas", "budget"}
    for anchor, body in sections(html).items():
        # Something under each heading: a table or at least a sentence.
        text = re.sub(r"<[^>]+>", " ", body[body.index("</h2>") :])
        assert len(text.split()) > 5, anchor
        assert all("<tr" in rows for rows in re.findall(r"<tbody>(.*?)</tbody>", body, re.S))
    assert "No risk changed in 2024" in sections(html)["summary"]
    assert "No consultation reviewing 2024 is recorded yet" in sections(html)["summary"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(brief_pdf(brief))).pages)
    assert INTERNAL not in text and "Draft — not issued" in text


def test_key_messages_are_those_of_the_consultation_that_reviews_the_year(strategy):
    area, _ = area_with_nodes(strategy)
    earlier = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 6, 1))
    review = MeetingFactory(
        strategy=strategy,
        kind=MeetingKind.HIGH_LEVEL_CONSULTATION,
        title="High-level consultations 2025",
        held_on=datetime.date(2025, 6, 12),
    )
    KeyMessage.objects.create(meeting=earlier, text="Said in 2024.")
    KeyMessage.objects.create(meeting=review, priority_area=area, text="On the area.", order=2)
    KeyMessage.objects.create(meeting=review, text="On the strategy as a whole.", order=1)

    brief = brief_build(strategy=strategy, year=2024, today=datetime.date(2025, 5, 1))
    assert brief.review_meeting.title == review.title and not brief.review_meeting.is_held
    assert [row.text for row in brief.key_messages] == [
        "On the strategy as a whole.",
        "On the area.",
    ]
    assert brief.messages_headline == "2 key messages for High-level consultations 2025"
    assert brief.consultation_headline == "High-level consultations 2025 on 12 June 2025"

    for_earlier = brief_build(strategy=strategy, year=2024, meeting=earlier)
    assert [row.text for row in for_earlier.key_messages] == ["Said in 2024."]
    assert for_earlier.meeting_title == earlier.title


# Query counts


@pytest.mark.parametrize("rows", [2, 12])
def test_brief_and_its_annex_take_a_fixed_number_of_queries(
    strategy, django_assert_num_queries, rows
):
    populate(strategy, rows)
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 6, 1))
    KeyMessage.objects.create(meeting=meeting, text="A point.")
    today = datetime.date(2025, 7, 1)
    # years; areas, node links, nodes, assessments, progress of the year and the one before,
    # indicators; budget (lines, planned, revisions, approvals, commitments, disbursements,
    # rounds); rounds of the year; allocations; risks and their re-ratings; the risks' change
    # log twice (who set each category, when each was closed); last consultation and its action
    # points; open action points; the milestones ahead of kinds a record fulfils (and one query
    # per source of those kinds: none here); milestones; the reviewing consultation; its key
    # messages
    with django_assert_num_queries(27):
        brief_build(strategy=strategy, year=2024, today=today)
    # ... and the strategy's chapters for the annex
    with django_assert_num_queries(28):
        brief_build(strategy=strategy, year=2024, today=today, annex=True)


# The download and the command


@time_machine.travel(NOW, tick=False)
def test_brief_download_takes_the_annex_and_a_meeting_of_the_strategy(
    strategy, client_desk, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 6, 1))
    KeyMessage.objects.create(meeting=meeting, text="Ask about the reform.")
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])

    # The annex is prepared in the background: the address offers to start it, with the same
    # meeting and date, and a GET starts nothing.
    page = client_desk.get(url, {"meeting": meeting.pk, "annex": "1", "as_of": "2025-06-01"})
    assert page.status_code == 200
    assert Job.objects.count() == 0
    assert b"Prepare the brief with its annex" in page.content
    start = reverse("reports:brief_annex_start", args=[strategy.slug, 2024])
    assert f'action="{start}"'.encode() in page.content
    assert f'name="meeting" value="{meeting.pk}"'.encode() in page.content

    with django_capture_on_commit_callbacks(execute=True):
        started = client_desk.post(start, {"meeting": meeting.pk, "as_of": "2025-06-01"})
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    assert job.parameters == {
        "year": 2024,
        "meeting": meeting.pk,
        "as_of": "2025-06-01",
        "language": "en-gb",
    }
    response = client_desk.get(reverse("reports:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-consultation-brief-2024-with-annex.pdf"')
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert "Ask about the reform." in text and INTERNAL in text and "Annex" in text

    other = MeetingFactory(strategy=StrategyFactory(), held_on=datetime.date(2025, 6, 1))
    assert client_desk.get(url, {"meeting": other.pk}).status_code == 404
    assert client_desk.get(url, {"meeting": "first"}).status_code == 404
    assert client_desk.post(start, {"meeting": other.pk}).status_code == 404
    assert client_desk.post(start, {"as_of": "2030-01-01"}).status_code == 400


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("client_desk", 200),
        ("client_finance", 200),
        ("client_mission", 200),
        ("client_manager", 200),
        ("client_outsider", 403),
    ],
)
def test_brief_with_its_annex_needs_a_place_on_the_team(request, strategy, client_name, status):
    url = reverse("reports:brief_download", args=[strategy.slug, 2024])
    response = request.getfixturevalue(client_name).get(url, {"annex": "1"})
    assert response.status_code == status


@time_machine.travel(NOW, tick=False)
def test_export_brief_command_takes_the_annex_and_a_meeting(strategy, tmp_path):
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2025, 6, 1))
    KeyMessage.objects.create(meeting=meeting, text="Ask about the reform.")
    ActionPointFactory(strategy=strategy, meeting=meeting, text="Send the figures.")
    MilestoneFactory(strategy=strategy, due_on=datetime.date(2027, 1, 5), title="Board")
    target = tmp_path / "brief.pdf"
    call_command(
        "export_brief",
        strategy.slug,
        "--year",
        "2024",
        "--annex",
        "--meeting",
        str(meeting.pk),
        "--output",
        str(target),
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(target)).pages)
    assert "Ask about the reform." in text and "Annex" in text and "Send the figures." in text
    other = MeetingFactory(strategy=StrategyFactory(), held_on=datetime.date(2025, 6, 1))
    with pytest.raises(CommandError, match="has no meeting"):
        call_command(
            "export_brief",
            strategy.slug,
            "--year",
            "2024",
            "--meeting",
            str(other.pk),
            "--output",
            str(tmp_path / "x.pdf"),
        )

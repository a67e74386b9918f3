"""The six-page brief of IOM 2025 with the demo data, read back from the PDF, with its marks."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from pypdf import PdfReader

from engagement.models import ActionPoint, KeyMessage, Meeting, Milestone
from funding.models import Disbursement, ParliamentaryApproval
from priorities.choices import Rating
from priorities.models import Assessment, IndicatorProgress
from reports.builders import BriefIssue, brief_build
from reports.render.pdf import brief_pdf
from tests.reports.test_exports_iom import iom

pytestmark = pytest.mark.django_db

INTERNAL = "For internal use — contains Denmark's key messages"
DRAFT = "Draft — not issued"
# The demo's risks are re-rated on 1 March each year; the brief for 2025 is read after it.
TODAY = datetime.date(2026, 12, 7)
MESSAGES = (
    "Ask for a timeline for the remaining steps of the budget reform.",
    "Ask how IOM will align its network role with the UN reform proposals.",
    "Welcome the border-management training results; ask for gender-disaggregated figures.",
)


def pages(pdf: bytes) -> list[str]:
    """Return each page's text with its whitespace folded, as a reader would see it."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def million(amount: Decimal) -> str:
    return f"{amount / Decimal(1_000_000):,.1f}"


def figure(value: Decimal) -> str:
    # As the brief prints a figure: thousands grouped, no trailing zeros (4,450; 2.5).
    text = format(value, ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_key_messages(strategy) -> Meeting:
    """Draft Denmark's key messages for the consultation reviewing 2025, not the demo's."""
    meeting = Meeting.objects.filter(strategy=strategy, held_on__year=2026).get()
    meeting.key_messages.all().delete()
    areas = list(strategy.priority_areas.order_by("order"))
    for order, (area, text) in enumerate(zip((None, areas[1], areas[2]), MESSAGES, strict=True)):
        KeyMessage.objects.create(meeting=meeting, priority_area=area, text=text, order=order)
    return meeting


def section_text(text: str, heading: str, following: str | None) -> str:
    """Return the text between a section's heading and the next section's."""
    start = text.index(heading)
    end = text.index(following, start) if following else len(text)
    return text[start + len(heading) : end]


def test_iom_2025_brief_fits_six_pages_and_every_section_holds_the_years_figures():
    strategy = iom()
    meeting = with_key_messages(strategy)
    brief = brief_build(strategy=strategy, year=2025, today=TODAY)
    texts = pages(brief_pdf(brief))
    text = " ".join(texts)

    assert len(texts) <= 6
    # Every section is there, in order, under a heading that says its point.
    headings = [
        f"{number}. {title}"
        for number, title in enumerate(
            (
                "2025 at a glance",
                f"Priority areas: {brief.ratings_headline}",
                f"Money: {brief.money_headline}",
                f"Risks: {brief.risks_headline}",
                brief.actions_headline,
                "Coming milestones",
                f"Denmark's key messages: 3 key messages for {meeting.title}",
            ),
            start=1,
        )
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    sections = {
        heading: section_text(text, heading, following)
        for heading, following in zip(headings, [*headings[1:], None], strict=True)
    }
    for heading, body in sections.items():
        assert len(body.split()) > 10, f"{heading} is empty"

    # The ratings, counted from the year's assessments.
    on_track = Assessment.objects.filter(
        priority_area__strategy=strategy, strategy_year__year=2025, rating=Rating.ON_TRACK
    ).count()
    areas = strategy.priority_areas.count()
    assert f"{on_track} of {areas} priority areas on track" in sections[headings[0]]

    # The money, summed from the year's disbursements and approvals, in DKK million.
    disbursed = Disbursement.objects.filter(
        line__strategy=strategy, year=2025, paid_on__lte=TODAY
    ).aggregate(total=Sum("amount"))["total"]
    approved = ParliamentaryApproval.objects.filter(line__strategy=strategy, year=2025).aggregate(
        total=Sum("amount")
    )["total"]
    money = f"DKK {million(disbursed)} million disbursed of {million(approved)} approved"
    assert money in sections[headings[0]] and money in headings[2]
    assert million(disbursed) in sections[headings[2]]

    # Each area's indicators with figures for 2025: the actual as recorded.
    for progress in IndicatorProgress.objects.filter(
        indicator__priority_area__strategy=strategy,
        strategy_year__year=2025,
        target__isnull=False,
        actual__isnull=False,
    ).select_related("indicator"):
        assert progress.indicator.title[:30] in sections[headings[1]]
        assert figure(progress.actual) in sections[headings[1]]

    # The risks re-rated in 2025, each by its register title.
    rerated = {
        risk.title
        for risk in strategy.risks.filter(
            ratings__rated_on__year=2025, ratings__rated_on__lte=TODAY
        )
    }
    assert rerated and all(title in sections[headings[3]] for title in rerated)
    assert f"{len(rerated)} risks changed in 2025" in headings[3]

    # Open action points with their owners; coming milestones; the key messages.
    for action in ActionPoint.objects.filter(strategy=strategy, status="open").select_related(
        "owner"
    ):
        assert action.text[:40] in sections[headings[4]]
        assert action.owner.get_full_name() in sections[headings[4]]
    first = (
        Milestone.objects.filter(strategy=strategy, due_on__gte=TODAY).order_by("due_on").first()
    )
    assert first.title in sections[headings[5]]
    for message in MESSAGES:
        assert message in sections[headings[6]]

    # Figures in DKK million with one decimal; no annex in the brief itself.
    assert re.search(r"\b48\.0\b", sections[headings[2]])
    assert "Annex" not in text and "Lessons learnt" not in text

    # The marks: every page is a draft and for internal use.
    assert all(DRAFT in page for page in texts)
    assert all(INTERNAL in page for page in texts)


def test_issued_brief_carries_its_reference_file_number_and_date_on_every_page():
    strategy = iom()
    KeyMessage.objects.filter(meeting__strategy=strategy).delete()
    issue = BriefIssue(
        reference="UM-2026-BR-0042", issued_on=datetime.date(2026, 6, 5), issued_by="Lea Rasmussen"
    )
    texts = pages(brief_pdf(brief_build(strategy=strategy, year=2025, today=TODAY, issue=issue)))

    for page in texts:
        assert "Ref. UM-2026-BR-0042" in page
        assert "File no. 2022-18394" in page
        assert "Issued 5 June 2026" in page
        assert DRAFT not in page
        # No key messages are drafted for the meeting: nothing internal to mark.
        assert INTERNAL not in page


def test_annex_adds_the_chapters_the_frameworks_and_every_indicator():
    strategy = iom()
    brief = brief_build(strategy=strategy, year=2025, today=TODAY)
    with_annex = brief_build(strategy=strategy, year=2025, today=TODAY, annex=True)
    plain = " ".join(pages(brief_pdf(brief)))
    texts = pages(brief_pdf(with_annex))
    annexed = " ".join(texts)

    assert len(texts) > 6
    annex = annexed[annexed.index("Annex What the brief leaves out") :]
    for chapter in strategy.chapters.all():
        assert chapter.heading in annex
        assert chapter.heading not in plain
    assert "B. Results frameworks followed" in annex and "C. All indicators, 2025" in annex
    for indicator in strategy.priority_areas.values_list("indicators__title", flat=True):
        if indicator:
            assert indicator[:30] in annex
    # The framework's nodes, by their printed codes, only in the annex.
    assert "3b.4" in annex and "3b.4" not in plain
    assert all(DRAFT in page for page in texts)

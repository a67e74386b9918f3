"""The partner's governing bodies and the strategy's rhythm: data, not code, plan the year."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.choices import HighLevelPattern, MeetingKind, MilestoneKind
from engagement.models import EngagementChannel, GoverningBody, Meeting, Milestone, Rhythm
from engagement.selectors import ConsultationRhythm
from engagement.services import (
    calendar_token_get,
    governingbody_save,
    meeting_create,
    milestones_generate,
    rhythm_save,
)
from funding.choices import BudgetLineKind
from priorities.choices import TeamRole
from priorities.models import Strategy, StrategyYear
from reports.builders import brief_build
from strategy_monitor.concurrency import version_token
from tests.engagement.factories import (
    EngagementChannelFactory,
    GoverningBodyFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.funding.factories import BudgetLineFactory
from tests.priorities.factories import (
    OrganisationFactory,
    StrategyFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORDS_OF_ANOTHER_PARTNER = ("IOM", "SRF", "Standing Committee", "Council", "softly earmarked")


def another_partners_words(text: str) -> list[str]:
    """Return the words of the first partner loaded found in `text`, as whole words."""
    return [
        word
        for word in WORDS_OF_ANOTHER_PARTNER
        if re.search(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE)
    ]


def who_strategy(**kwargs) -> Strategy:
    """Return a 2024-2028 strategy with a budget over 2024-2027 and no line for dialogues."""
    organisation = OrganisationFactory(name="World Health Organization", acronym="WHO", slug="who")
    strategy = StrategyFactory(
        organisation=organisation,
        slug="who-2024-2028",
        start_year=2024,
        end_year=2028,
        mid_term_review_year=2026,
        mid_term_review_half=1,
        **kwargs,
    )
    StrategyYear.objects.filter(strategy=strategy, year=2028).update(
        planned_commitment=None, planned_disbursement=None
    )
    BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.CORE)
    GoverningBodyFactory(
        organisation=organisation,
        key="wha",
        name="World Health Assembly",
        sessions_per_year=1,
        session_dates="05-25",
        order=1,
    )
    GoverningBodyFactory(
        organisation=organisation,
        key="eb",
        name="Executive Board",
        sessions_per_year=2,
        session_dates="02-01, 05-31",
        order=2,
    )
    return strategy


# --- Planning from the data alone ----------------------------------------------------------------


def test_generate_plans_a_partners_own_bodies_and_only_what_the_strategy_has():
    strategy = who_strategy()
    rhythm_save(
        strategy=strategy,
        bodies=GoverningBody.objects.filter(organisation=strategy.organisation),
        high_level_pattern=HighLevelPattern.LISTED,
        high_level_years="2025, 2027",
        high_level_assumed=False,
        allocation_dialogues_per_year=2,
        parliamentary_approvals=True,
        annual_reports=True,
        user=None,
    )
    milestones_generate(strategy=strategy)
    planned = {m.key: m for m in Milestone.objects.filter(strategy=strategy).select_related("body")}

    # No line allocated in dialogue: no allocation dialogue, whatever the rhythm says.
    assert not any(m.kind == MilestoneKind.ALLOCATION_DIALOGUE for m in planned.values())
    # Approvals for the years with a budget only.
    approvals = sorted(
        m.key for m in planned.values() if m.kind == MilestoneKind.PARLIAMENTARY_APPROVAL
    )
    assert approvals == [f"parliamentary-approval-{year}" for year in (2024, 2025, 2026, 2027)]
    # The bodies' sessions, by name and on their usual dates.
    assert planned["wha-2026-1"].title == "World Health Assembly: 2026 session"
    assert planned["wha-2026-1"].due_on == datetime.date(2026, 5, 25)
    assert planned["eb-2027-2"].title == "Executive Board: session 2 of 2027"
    assert planned["eb-2027-1"].due_on == datetime.date(2027, 2, 1)
    assert planned["eb-2027-2"].body.key == "eb"
    assert planned["eb-2027-2"].kind == MilestoneKind.GOVERNING_BODY
    assert planned["eb-2027-2"].kind_label == "Executive Board"
    assert sum(m.body_id is not None for m in planned.values()) == 5 * 3
    # Consultations as the rhythm sets them.
    high_level = sorted(
        m.due_on.year for m in planned.values() if m.kind == MilestoneKind.HIGH_LEVEL_CONSULTATION
    )
    assert high_level == [2025, 2027]
    assert planned["consultation-2028"].kind == MilestoneKind.ANNUAL_CONSULTATION
    assert planned["mid-term-review"].due_on == datetime.date(2026, 6, 30)
    assert planned["annual-report-2028"].title == "WHO annual report 2028"
    text = " ".join(f"{m.title} {m.note} {m.kind_label}" for m in planned.values())
    assert not another_partners_words(text)


def test_generate_plans_only_the_bodies_denmark_follows_and_what_the_rhythm_asks():
    strategy = who_strategy()
    rhythm_save(
        strategy=strategy,
        bodies=GoverningBody.objects.filter(key="wha"),
        high_level_pattern=HighLevelPattern.NONE,
        parliamentary_approvals=False,
        annual_reports=False,
        year_approvals=False,
        user=None,
    )
    milestones_generate(strategy=strategy)
    kinds = set(Milestone.objects.filter(strategy=strategy).values_list("kind", flat=True))
    assert kinds == {
        MilestoneKind.ANNUAL_CONSULTATION,
        MilestoneKind.GOVERNING_BODY,
        MilestoneKind.MID_TERM_REVIEW,
    }
    assert not Milestone.objects.filter(body__key="eb").exists()


def test_generate_plans_allocation_dialogues_where_a_line_is_allocated_in_dialogue():
    strategy = who_strategy()
    BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
    milestones_generate(strategy=strategy)
    dialogues = Milestone.objects.filter(strategy=strategy, kind=MilestoneKind.ALLOCATION_DIALOGUE)
    assert dialogues.count() == 5 * 2
    assert dialogues.filter(key="allocation-dialogue-2025-1").get().due_on == datetime.date(
        2025, 3, 15
    )


def test_a_strategy_without_a_rhythm_follows_all_its_partners_bodies():
    strategy = who_strategy()
    milestones_generate(strategy=strategy)
    assert set(
        Milestone.objects.filter(strategy=strategy, body__isnull=False).values_list(
            "body__key", flat=True
        )
    ) == {"wha", "eb"}


def test_a_partner_without_bodies_gets_no_governing_body_sessions():
    strategy = StrategyFactory()
    milestones_generate(strategy=strategy)
    assert not Milestone.objects.filter(kind=MilestoneKind.GOVERNING_BODY).exists()


# --- The rules of the models --------------------------------------------------------------------


def test_a_governing_body_session_names_a_body_of_the_strategys_partner(strategy, mission):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.GOVERNING_BODY,
            held_on=datetime.date(2024, 6, 1),
            user=mission,
        )
    assert error.value.error_dict["body"][0].code == "body_required"
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.GOVERNING_BODY,
            body=GoverningBodyFactory(),
            held_on=datetime.date(2024, 6, 1),
            user=mission,
        )
    assert error.value.error_dict["body"][0].code == "other_partner"
    own = GoverningBodyFactory(organisation=strategy.organisation, name="Executive Board")
    with pytest.raises(ValidationError) as error:
        meeting_create(
            strategy=strategy,
            kind=MeetingKind.DONOR_GROUP,
            body=own,
            held_on=datetime.date(2024, 6, 1),
            user=mission,
        )
    assert error.value.error_dict["body"][0].code == "body_not_allowed"
    meeting = meeting_create(
        strategy=strategy,
        kind=MeetingKind.GOVERNING_BODY,
        body=own,
        held_on=datetime.date(2024, 6, 1),
        user=mission,
    )
    assert meeting.title == "Executive Board 2024"
    assert meeting.kind_label == "Executive Board"


@pytest.mark.parametrize(
    ("sessions", "dates", "code"),
    [(2, "06-30", "date_count"), (1, "13-01", "bad_date"), (1, "June", "bad_date")],
)
def test_a_governing_body_refuses_session_dates_it_cannot_keep(sessions, dates, code):
    body = GoverningBodyFactory.build(
        organisation=OrganisationFactory(), sessions_per_year=sessions, session_dates=dates
    )
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert error.value.error_dict["session_dates"][0].code == code


def test_a_rhythm_keeps_its_high_level_years_in_the_period():
    strategy = who_strategy()
    rhythm = Rhythm(
        strategy=strategy, high_level_pattern=HighLevelPattern.LISTED, high_level_years="2023"
    )
    with pytest.raises(ValidationError) as error:
        rhythm.full_clean()
    assert error.value.error_dict["high_level_years"][0].code == "outside_period"
    rhythm = Rhythm(strategy=strategy, first_high_level_year=2030)
    with pytest.raises(ValidationError) as error:
        rhythm.full_clean()
    assert error.value.error_dict["first_high_level_year"][0].code == "outside_period"


def test_rhythm_save_refuses_a_body_of_another_partner():
    strategy = who_strategy()
    with pytest.raises(ValidationError) as error:
        rhythm_save(strategy=strategy, bodies=[GoverningBodyFactory()], user=None)
    assert error.value.error_dict["bodies"][0].code == "other_partner"


# --- The data migration ------------------------------------------------------------------------


def test_migration_moves_records_of_the_old_kinds_onto_the_partners_bodies(strategy):
    meeting = MeetingFactory(strategy=strategy)
    milestone = MilestoneFactory(strategy=strategy, key="council-2024-1")
    channel = EngagementChannelFactory(strategy=strategy, name="Standing Committee")
    Meeting.objects.filter(pk=meeting.pk).update(kind="council")
    Milestone.objects.filter(pk=milestone.pk).update(kind="council")
    EngagementChannel.objects.filter(pk=channel.pk).update(kind="standing_committee")
    Meeting.history.filter(id=meeting.pk).update(kind="council")

    migration = importlib.import_module("engagement.migrations.0011_fill_governing_bodies")
    migration.to_bodies(apps, None)

    council = GoverningBody.objects.get(organisation=strategy.organisation, key="council")
    committee = GoverningBody.objects.get(
        organisation=strategy.organisation, key="standing-committee"
    )
    assert committee.sessions_per_year == 2
    for record, body in ((meeting, council), (milestone, council), (channel, committee)):
        record.refresh_from_db()
        assert (record.kind, record.body) == ("governing_body", body)
    assert set(Meeting.history.filter(id=meeting.pk).values_list("kind", "body_id")) == {
        ("governing_body", council.pk)
    }

    migration.to_old_kinds(apps, None)
    meeting.refresh_from_db()
    channel.refresh_from_db()
    assert (meeting.kind, meeting.body) == ("council", None)
    assert channel.kind == "standing_committee"


# --- The set-up page -----------------------------------------------------------------------------


def setup_url(strategy) -> str:
    return reverse("engagement:rhythm_setup", args=[strategy.slug])


def test_rhythm_setup_is_for_administrators_only(strategy, client_desk, client_mission):
    assert client_desk.get(setup_url(strategy)).status_code == 403
    assert client_mission.post(setup_url(strategy), {}).status_code == 403


def rhythm_post(strategy, **overrides) -> dict:
    data = {
        "rhythm-high_level_pattern": "listed",
        "rhythm-first_high_level_year": "",
        "rhythm-high_level_years": "2024, 2026",
        "rhythm-allocation_dialogues_per_year": "2",
        "rhythm-parliamentary_approvals": "on",
        "rhythm-source": "Section 7",
        "new-body-name": "Executive Board",
        "new-body-short_name": "",
        "new-body-sessions_per_year": "2",
        "new-body-session_dates": "",
        "new-body-order": "",
        "new-body-follow": "on",
    }
    data.update(overrides)
    return data


def test_rhythm_setup_adds_a_body_and_sets_the_rhythm_in_one_save(strategy, client_admin):
    response = client_admin.post(setup_url(strategy), rhythm_post(strategy), follow=True)
    assert response.status_code == 200
    assert "Governing bodies and rhythm saved" in response.content.decode()
    body = GoverningBody.objects.get(organisation=strategy.organisation)
    assert (body.key, body.name) == ("executive-board", "Executive Board")
    assert body.sessions_per_year == 2
    rhythm = Rhythm.objects.get(strategy=strategy)
    assert rhythm.high_level_pattern == HighLevelPattern.LISTED
    assert rhythm.high_level_year_set() == {2024, 2026}
    assert not rhythm.annual_reports
    assert rhythm.source == "Section 7"
    assert list(rhythm.bodies.all()) == [body]
    assert rhythm.history.first().history_change_reason == "Set the engagement rhythm"

    # Unfollowing the body keeps it for the partner but plans none of its sessions.
    data = {
        f"body-{body.pk}-name": body.name,
        f"body-{body.pk}-short_name": "",
        f"body-{body.pk}-sessions_per_year": "2",
        f"body-{body.pk}-session_dates": "",
        f"body-{body.pk}-order": str(body.order),
        f"body-{body.pk}-version": version_token(body),
        "rhythm-version": version_token(rhythm),
        **rhythm_post(strategy, **{"new-body-name": "", "new-body-sessions_per_year": ""}),
    }
    response = client_admin.post(setup_url(strategy), data)
    assert response.status_code == 302, [form.errors for form in response.context["forms"]]
    assert not rhythm.bodies.exists()
    milestones_generate(strategy=strategy)
    assert not Milestone.objects.filter(kind=MilestoneKind.GOVERNING_BODY).exists()


def test_rhythm_setup_shows_errors_and_saves_nothing(strategy, client_admin):
    response = client_admin.post(
        setup_url(strategy),
        rhythm_post(
            strategy,
            **{"rhythm-high_level_years": "2031", "new-body-session_dates": "06-30"},
        ),
    )
    assert response.status_code == 200
    assert response.context["rhythm_form"].errors["high_level_years"]
    assert not GoverningBody.objects.exists()
    assert not Rhythm.objects.exists()


def test_rhythm_setup_says_when_no_dialogue_is_planned(strategy, client_admin):
    page = client_admin.get(setup_url(strategy)).content.decode()
    assert "no allocation dialogue is planned" in page
    BudgetLineFactory(strategy=strategy, kind=BudgetLineKind.SOFT_EARMARKED)
    page = client_admin.get(setup_url(strategy)).content.decode()
    assert "these dialogues are planned" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_rhythm_setup_query_count_does_not_grow_with_the_bodies(strategy, client_admin):
    GoverningBodyFactory(organisation=strategy.organisation)
    few = _queries(client_admin, setup_url(strategy))
    GoverningBodyFactory.create_batch(5, organisation=strategy.organisation)
    rhythm_save(
        strategy=strategy,
        bodies=GoverningBody.objects.filter(organisation=strategy.organisation),
        user=None,
    )
    assert _queries(client_admin, setup_url(strategy)) <= few + 1


# --- Meeting and milestone forms ------------------------------------------------------------------


def test_meeting_form_offers_the_partners_bodies_only(strategy, client_mission):
    own = GoverningBodyFactory(organisation=strategy.organisation, name="Executive Board")
    GoverningBodyFactory(name="Board of another partner")
    response = client_mission.get(reverse("engagement:meeting_create", args=[strategy.slug]))
    assert list(response.context["form"].fields["body"].queryset) == [own]
    page = response.content.decode()
    assert "Executive Board" in page
    assert "Board of another partner" not in page


def test_meeting_form_leaves_out_the_governing_body_kind_without_bodies(strategy, client_mission):
    response = client_mission.get(reverse("engagement:meeting_create", args=[strategy.slug]))
    form = response.context["form"]
    assert "body" not in form.fields
    assert MeetingKind.GOVERNING_BODY not in dict(form.fields["kind"].choices)


def test_meeting_list_names_the_body_with_flat_queries(strategy, client_mission):
    url = reverse("engagement:meeting_list", args=[strategy.slug])
    body = GoverningBodyFactory(organisation=strategy.organisation, name="Executive Board")
    MeetingFactory(strategy=strategy, kind=MeetingKind.GOVERNING_BODY, body=body)
    few = _queries(client_mission, url)
    for _ in range(5):
        MeetingFactory(strategy=strategy, kind=MeetingKind.GOVERNING_BODY, body=body)
    assert _queries(client_mission, url) == few
    assert "Executive Board" in client_mission.get(url).content.decode()


# --- IOM: the fixture's bodies and rhythm plan what was planned before ---------------------------

# Keys, kinds, titles and dates of IOM's plan as the code planned it when bodies were kinds.
IOM_PLAN_BEFORE = (  # fmt: skip
    (
        "parliamentary-approval-2023",
        "parliamentary_approval",
        "Parliamentary approval of the 2023 funds",
        "2022-12-15",
    ),
    (
        "allocation-dialogue-2023-1",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: first half of 2023",
        "2023-03-15",
    ),
    ("consultation-2023", "high_level_consultation", "High-level consultation 2023", "2023-06-15"),
    (
        "standing-committee-2023-1",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 1 of 2023",
        "2023-06-30",
    ),
    (
        "allocation-dialogue-2023-2",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: second half of 2023",
        "2023-09-15",
    ),
    (
        "standing-committee-2023-2",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 2 of 2023",
        "2023-10-31",
    ),
    ("council-2023-1", "council", "IOM Council: 2023 session", "2023-11-30"),
    (
        "parliamentary-approval-2024",
        "parliamentary_approval",
        "Parliamentary approval of the 2024 funds",
        "2023-12-15",
    ),
    (
        "allocation-dialogue-2024-1",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: first half of 2024",
        "2024-03-15",
    ),
    ("consultation-2024", "annual_consultation", "Annual consultation 2024", "2024-06-15"),
    ("annual-report-2023", "annual_report", "IOM annual report 2023", "2024-06-30"),
    (
        "standing-committee-2024-1",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 1 of 2024",
        "2024-06-30",
    ),
    (
        "allocation-dialogue-2024-2",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: second half of 2024",
        "2024-09-15",
    ),
    (
        "standing-committee-2024-2",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 2 of 2024",
        "2024-10-31",
    ),
    ("council-2024-1", "council", "IOM Council: 2024 session", "2024-11-30"),
    (
        "parliamentary-approval-2025",
        "parliamentary_approval",
        "Parliamentary approval of the 2025 funds",
        "2024-12-15",
    ),
    ("mid-term-review", "mid_term_review", "Mid-term review (second half of 2024)", "2024-12-31"),
    (
        "allocation-dialogue-2025-1",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: first half of 2025",
        "2025-03-15",
    ),
    ("consultation-2025", "high_level_consultation", "High-level consultation 2025", "2025-06-15"),
    ("annual-report-2024", "annual_report", "IOM annual report 2024", "2025-06-30"),
    (
        "standing-committee-2025-1",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 1 of 2025",
        "2025-06-30",
    ),
    (
        "allocation-dialogue-2025-2",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: second half of 2025",
        "2025-09-15",
    ),
    (
        "standing-committee-2025-2",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 2 of 2025",
        "2025-10-31",
    ),
    ("council-2025-1", "council", "IOM Council: 2025 session", "2025-11-30"),
    (
        "parliamentary-approval-2026",
        "parliamentary_approval",
        "Parliamentary approval of the 2026 funds",
        "2025-12-15",
    ),
    (
        "allocation-dialogue-2026-1",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: first half of 2026",
        "2026-03-15",
    ),
    ("consultation-2026", "annual_consultation", "Annual consultation 2026", "2026-06-15"),
    ("annual-report-2025", "annual_report", "IOM annual report 2025", "2026-06-30"),
    (
        "standing-committee-2026-1",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 1 of 2026",
        "2026-06-30",
    ),
    (
        "allocation-dialogue-2026-2",
        "allocation_dialogue",
        "Six-monthly dialogue on the use of softly earmarked funds: second half of 2026",
        "2026-09-15",
    ),
    (
        "standing-committee-2026-2",
        "standing_committee",
        "Standing Committee on Programmes and Finance: session 2 of 2026",
        "2026-10-31",
    ),
    ("council-2026-1", "council", "IOM Council: 2026 session", "2026-11-30"),
    ("annual-report-2026", "annual_report", "IOM annual report 2026", "2027-06-30"),
)
OLD_BODY_KINDS = ("council", "standing_committee")


@pytest.fixture
def iom():
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    return Strategy.objects.select_related("organisation").get(slug="iom-2023-2026")


def test_iom_fixture_holds_its_bodies_and_rhythm(iom):
    bodies = {body.key: body for body in iom.organisation.governing_bodies.all()}
    assert bodies["council"].name == "Council"
    assert bodies["council"].sessions_per_year == 1
    assert bodies["standing-committee"].name == "Standing Committee on Programmes and Finance"
    assert bodies["standing-committee"].sessions_per_year == 2
    assert set(iom.rhythm.bodies.all()) == set(bodies.values())
    assert iom.rhythm.high_level_assumed
    assert iom.channels.get(key="iom-council").body == bodies["council"]


def test_iom_plan_is_what_it_was_before_bodies_became_data(iom):
    milestones_generate(strategy=iom)
    planned = {
        key: (kind, title, due_on.isoformat())
        for key, kind, title, due_on in Milestone.objects.filter(strategy=iom).values_list(
            "key", "kind", "title", "due_on"
        )
    }
    expected = {
        key: ("governing_body" if kind in OLD_BODY_KINDS else kind, title, due_on)
        for key, kind, title, due_on in IOM_PLAN_BEFORE
    }
    # The approval of each year's progress came later, and is the only addition.
    expected.update(
        {
            f"year-approved-{year}": (
                MilestoneKind.YEAR_APPROVED,
                f"Progress of {year} approved",
                f"{year + 1}-03-31",
            )
            for year in range(2023, 2027)
        }
    )
    assert planned == expected


def test_regenerating_iom_changes_nothing(iom):
    milestones_generate(strategy=iom)
    before = list(Milestone.objects.filter(strategy=iom).values())
    result = milestones_generate(strategy=iom)
    assert result.created == ()
    assert list(Milestone.objects.filter(strategy=iom).values()) == before


# --- Nothing of another partner on a new partner's engagement pages -----------------------------


def test_a_new_partners_engagement_pages_and_feed_name_none_of_another_partners_words(
    client_admin,
):
    strategy = who_strategy()
    mission = UserFactory(username="who-mission")
    TeamMembershipFactory(strategy=strategy, user=mission, role=TeamRole.MISSION_STAFF)
    rhythm_save(
        strategy=strategy,
        bodies=GoverningBody.objects.filter(organisation=strategy.organisation),
        high_level_pattern=HighLevelPattern.LISTED,
        high_level_years="2025, 2027",
        high_level_assumed=False,
        user=None,
    )
    milestones_generate(strategy=strategy)
    meeting_create(
        strategy=strategy,
        kind=MeetingKind.GOVERNING_BODY,
        body=GoverningBody.objects.get(key="eb"),
        held_on=datetime.date(2025, 2, 1),
        user=mission,
    )
    client = Client()
    client.force_login(mission)
    slug = strategy.slug
    pages = {
        name: client.get(reverse(f"engagement:{name}", args=[slug]))
        for name in ("milestone_list", "meeting_list", "meeting_create", "milestone_create")
    }
    pages["rhythm_setup"] = client_admin.get(setup_url(strategy))
    token = calendar_token_get(user=mission).token
    pages["feed"] = client.get(reverse("engagement:strategy_calendar", args=[slug, token]))
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not another_partners_words(response.content.decode()), name
    milestones = pages["milestone_list"].content.decode()
    assert "alternate years from 2025 (2025, 2027)" in milestones
    assert "This rhythm is an assumption" not in milestones
    assert "Executive Board" in pages["meeting_list"].content.decode()
    assert "World Health Assembly: 2026 session" in pages["feed"].content.decode()


def test_consultation_rhythm_tells_alternate_years_from_listed_ones():
    years = (2024, 2025, 2026, 2027, 2028)
    assert ConsultationRhythm(years, (2025, 2027), is_assumed=False).is_alternate
    assert not ConsultationRhythm(years, (2024, 2028), is_assumed=False).is_alternate
    assert not ConsultationRhythm(years, (), is_assumed=False).is_alternate


def test_the_brief_calls_consultations_assumed_only_while_the_rhythm_says_so(strategy):
    milestones_generate(strategy=strategy)
    today = datetime.date(2024, 1, 10)
    assert brief_build(strategy=strategy, year=2023, today=today).rhythm_is_assumed
    rhythm_save(strategy=strategy, bodies=[], high_level_assumed=False, user=None)
    assert not brief_build(strategy=strategy, year=2023, today=today).rhythm_is_assumed


def test_a_new_body_takes_a_key_of_its_own_next_to_a_namesake():
    organisation = OrganisationFactory()
    GoverningBodyFactory(organisation=organisation, key="executive-board")
    body = governingbody_save(organisation=organisation, name="Executive Board", user=None)
    assert body.key == "executive-board-2"
    assert body.order == 2

"""The priorities pages in Danish: a user whose browser asks for Danish reads them in Danish.

The translations live in locale/da; these tests need the compiled catalogue (`make install`).
Strategy content (titles, codes, names) stays as written.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from priorities.choices import Rating, TeamRole, YearState
from priorities.models import IndicatorProgress
from priorities.permissions import MANAGER_GROUP
from priorities.services.workflow import year_returned_notify, year_submitted_notify
from strategy_monitor.concurrency import version_token
from strategy_monitor.models import UserPreference
from tests.priorities.builders import area_with_nodes, indicator_in, year_of, year_set_state
from tests.priorities.factories import (
    AssessmentFactory,
    PriorityAreaFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DANISH = {"HTTP_ACCEPT_LANGUAGE": "da"}


@pytest.fixture
def area(strategy):
    return PriorityAreaFactory(strategy=strategy, number=1, title="Safe migration")


def test_the_overview_reads_in_danish(client_desk, strategy, area):
    response = client_desk.get(
        reverse("priorities:strategy_detail", args=[strategy.slug]), **DANISH
    )
    page = response.content.decode()
    assert response.status_code == 200
    for danish in ("Rapporteringsår", "Prioritetsområder", "Sagsbehandler", "Forside", "Tilsagn"):
        assert danish in page
    for english in ("Reporting years", "Desk officer", "Front page", ">Commitment<"):
        assert english not in page
    assert "Safe migration" in page, "the strategy's own text stays as written"


def test_the_priority_area_pages_read_in_danish(client_desk, strategy, area):
    listing = client_desk.get(
        reverse("priorities:priorityarea_list", args=[strategy.slug]), **DANISH
    ).content.decode()
    assert "Prioritetsområder og vurderinger pr. år" in listing
    assert "Priority areas and ratings by year" not in listing
    assert "Endnu ikke vurderet" in listing and "Not yet rated" not in listing

    detail = client_desk.get(
        reverse("priorities:priorityarea_detail", args=[strategy.slug, 1]), **DANISH
    ).content.decode()
    assert "Resultatramme, der følges" in detail and "Results framework followed" not in detail
    assert "Definér en indikator" in detail and "Define an indicator" not in detail


def test_the_review_page_reads_in_danish_with_danish_dates(client_desk, desk, strategy, area):
    first = min(strategy.years)
    strategy_year = strategy.strategy_years.get(year=first)
    strategy_year.state_changed_at = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 5))
    strategy_year.state_changed_by = desk
    strategy_year.save()
    AssessmentFactory(priority_area=area, strategy_year=strategy_year)

    page = client_desk.get(
        reverse("priorities:strategyyear_review", args=[strategy.slug, first]), **DANISH
    ).content.decode()
    assert f"Gennemgå {first}" in page and f"Review {first}" not in page
    assert "Hvad der mangler" in page and "What is missing" not in page
    assert "senest ændret 7. december 2026" in page
    assert "last changed" not in page

    english = client_desk.get(
        reverse("priorities:strategyyear_review", args=[strategy.slug, first])
    ).content.decode()
    assert "last changed 7 December 2026" in english


def test_the_strategy_list_names_its_columns_in_danish(client_desk, strategy):
    page = client_desk.get(reverse("priorities:strategy_list"), **DANISH).content.decode()
    assert "Organisationsstrategier" in page and "Organisation strategies" not in page
    assert "Partnerorganisation" in page and ">Partner<" not in page
    assert "Test strategy 2023-2026" in page


def test_a_figure_form_speaks_danish_from_label_to_error_and_message(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    indicator = indicator_in(area, node, title="Border officials trained", code="3b.4.a")
    url = reverse(
        "priorities:progress_edit", kwargs={"slug": strategy.slug, "pk": indicator.pk, "year": 2024}
    )
    page = client_desk.get(url, **DANISH).content.decode()
    assert "Kilde til tallene" in page and "Source of the figures" not in page
    assert "Border officials trained" in page, "the indicator's own title stays as written"

    data = {"target": "20", "actual": "abc", "comment": "", "source": "", "version": ""}
    refused = client_desk.post(url, data, **DANISH).content.decode()
    assert "Indtast et tal" in refused and "Enter a number" not in refused

    data["actual"] = "18"
    saved = client_desk.post(url, data, follow=True, **DANISH).content.decode()
    assert "Tal for 2024 er gemt: 3b.4.a Border officials trained." in saved
    assert IndicatorProgress.objects.get().actual == 18


def test_a_rating_reads_in_danish_and_a_submitted_year_is_closed_in_danish(
    client_desk, strategy, area
):
    strategy_year = year_set_state(strategy, 2024, YearState.SUBMITTED)
    AssessmentFactory(priority_area=area, strategy_year=strategy_year, rating=Rating.SOME_DELAYS)
    page = client_desk.get(
        reverse("priorities:priorityarea_detail", args=[strategy.slug, 1]), **DANISH
    ).content.decode()
    assert "Visse forsinkelser" in page and "Some delays" not in page
    assert "Indsendt" in page


def test_a_year_is_mailed_in_danish_to_a_manager_who_reads_danish(
    client_desk, strategy, manager, area, django_capture_on_commit_callbacks
):
    UserPreference.objects.create(user=manager, language="da")
    # The area has no rating for 2024: one gap, so the submission says why.
    data = {
        "decision": "submit",
        "submit-version": version_token(year_of(strategy, 2024)),
        "submit-comment": "Klar til gennemgang",
        "submit-gaps_reason": "Rapporten kommer i januar",
    }
    url = reverse("priorities:strategyyear_review", args=[strategy.slug, 2024])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_desk.post(url, data, follow=True, **DANISH)
    assert "2024 er indsendt til godkendelse." in response.content.decode()
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert "indsendt til din godkendelse" in message.subject
    assert "submitted for your approval" not in message.subject
    assert "Året blev indsendt med 1 mangel. Begrundelse:" in message.body
    assert "Rapporten kommer i januar" in message.body
    assert "Review the year" not in message.body


def _manager(username: str, language: str = ""):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    if language:
        UserPreference.objects.create(user=user, language=language)
    return user


def test_each_manager_reads_the_same_submission_in_their_own_language(
    client_desk, strategy, area, django_capture_on_commit_callbacks
):
    danish = _manager("karen", "da")
    english = _manager("james", "en-gb")
    browser = _manager("sofie")  # follows the browser: an e-mail has none, so English
    data = {
        "decision": "submit",
        "submit-version": version_token(year_of(strategy, 2024)),
        "submit-gaps_reason": "Rapporten kommer i januar",
    }
    url = reverse("priorities:strategyyear_review", args=[strategy.slug, 2024])
    # The desk officer works in Danish; that decides nothing about the managers' mails.
    with django_capture_on_commit_callbacks(execute=True):
        client_desk.post(url, data, follow=True, **DANISH)
    mails = {message.to[0]: message for message in mail.outbox}
    assert set(mails) == {danish.email, english.email, browser.email}
    assert "indsendt til din godkendelse" in mails[danish.email].subject
    assert "Året blev indsendt med 1 mangel. Begrundelse:" in mails[danish.email].body
    for address in (english.email, browser.email):
        assert "submitted for your approval" in mails[address].subject
        assert "The year was submitted with 1 gap. Why:" in mails[address].body
        assert "indsendt" not in mails[address].subject + mails[address].body


def test_a_desk_officer_who_reads_danish_is_told_of_a_return_in_danish(
    strategy, desk, manager, area
):
    UserPreference.objects.create(user=desk, language="da")
    year = year_set_state(strategy, 2024, YearState.DRAFT)
    year.state_comment = "Tilføj rapporten"
    # Sent from an English request: the desk officer still reads Danish.
    year_returned_notify(strategy_year=year, user=manager)
    [message] = mail.outbox
    assert message.to == [desk.email]
    assert "sendt retur til rettelse" in message.subject
    assert "Hvad skal rettes:\nTilføj rapporten" in message.body
    assert "What should change" not in message.body


def _queries_to_notify(strategy, submitter) -> int:
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        sent = year_submitted_notify(strategy_year=year_of(strategy, 2024), user=submitter)
    assert sent == len(mail.outbox)
    return len(queries)


def test_the_queries_to_mail_a_submission_do_not_grow_with_the_managers(strategy, desk, area):
    team_manager = _manager("first", "da")
    TeamMembershipFactory(strategy=strategy, user=team_manager, role=TeamRole.MANAGER)
    one = _queries_to_notify(strategy, desk)
    for number, language in enumerate(["da", "en-gb", "", "da"]):
        user = _manager(f"more{number}", language)
        TeamMembershipFactory(strategy=strategy, user=user, role=TeamRole.MANAGER)
    five = _queries_to_notify(strategy, desk)
    assert len(mail.outbox) == 5
    assert five == one

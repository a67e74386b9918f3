"""The admin keeps the yearly workflow: states change on the workflow pages, and the figures,
ratings and evidence of a submitted or approved year are not deleted, singly, in bulk, inline or
with the record they hang from.
"""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from priorities.choices import YearState
from priorities.models import Assessment, Evidence, Indicator, IndicatorProgress, StrategyYear
from tests.priorities.admin_forms import (
    admin_post,
    admin_url,
    client_for,
    inline_error_codes,
    superuser_create,
)
from tests.priorities.builders import media_root, year_set_state  # noqa: F401
from tests.priorities.factories import (
    AssessmentFactory,
    EvidenceFactory,
    IndicatorFactory,
    IndicatorProgressFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return superuser_create()


@pytest.fixture
def client_super(superuser):
    return client_for(superuser)


CLOSED = [(YearState.APPROVED, "year_locked"), (YearState.SUBMITTED, "year_submitted")]
ROWS = {
    IndicatorProgress: lambda strategy: IndicatorProgressFactory(
        indicator=IndicatorFactory(priority_area__strategy=strategy)
    ),
    Assessment: lambda strategy: AssessmentFactory(priority_area__strategy=strategy),
    Evidence: lambda strategy: EvidenceFactory(
        progress__indicator=IndicatorFactory(priority_area__strategy=strategy)
    ),
}
ROW_IDS = [model.__name__ for model in ROWS]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The year's state -------------------------------------------------------------------------


def test_admin_shows_a_years_state_without_letting_it_change(client_super, strategy):
    year = strategy.strategy_years.get(year=2024)
    url = admin_url(StrategyYear, "change", year.pk)
    form = client_super.get(url).context["adminform"].form
    assert {"state", "state_changed_at", "state_changed_by", "state_comment"}.isdisjoint(
        form.fields
    )
    response = admin_post(
        client_super,
        StrategyYear,
        "change",
        year.pk,
        planned_commitment="100000000",
        state=YearState.APPROVED,
    )
    assert response.status_code == 302, response.context["errors"]
    year.refresh_from_db()
    assert (year.state, year.planned_commitment) == (YearState.DRAFT, 100000000)


def test_admin_strategy_shows_its_years_states_without_letting_them_change(client_super, strategy):
    response = client_super.get(admin_url(type(strategy), "change", strategy.pk))
    years = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is StrategyYear
    )
    assert {"state", "state_changed_at", "state_changed_by"}.isdisjoint(
        years.formset.forms[0].fields
    )


def test_admin_revert_from_history_does_not_bring_back_an_old_state(client_super, strategy):
    year = strategy.strategy_years.get(year=2024)
    year.save()
    draft = year.history.first()
    assert draft.state == YearState.DRAFT
    year_set_state(strategy, 2024, YearState.APPROVED)
    url = admin_url(StrategyYear, "simple_history", year.pk, draft.history_id)
    response = client_super.post(url, {"planned_commitment": "1", "source": ""})
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.state == YearState.APPROVED


# --- Rows of a closed year are not deleted ------------------------------------------------------


@pytest.mark.parametrize("model", ROWS, ids=ROW_IDS)
@pytest.mark.parametrize(("state", "code"), CLOSED)
def test_admin_refuses_deleting_a_row_of_a_closed_year(client_super, strategy, model, state, code):
    row = ROWS[model](strategy)
    year_set_state(strategy, 2024, state)
    change = client_super.get(admin_url(model, "change", row.pk))
    assert not change.context["has_delete_permission"]
    response = client_super.post(admin_url(model, "delete", row.pk), {"post": "yes"}, follow=True)
    assert model.objects.filter(pk=row.pk).exists()
    assert any("was not saved" in message for message in messages_of(response))


@pytest.mark.parametrize("model", ROWS, ids=ROW_IDS)
@pytest.mark.parametrize(("state", "code"), CLOSED)
def test_admin_bulk_delete_refuses_rows_of_a_closed_year(
    client_super, strategy, model, state, code
):
    row = ROWS[model](strategy)
    year_set_state(strategy, 2024, state)
    response = client_super.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(row.pk)], "post": "yes"},
    )
    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", ROWS, ids=ROW_IDS)
def test_admin_deletes_a_row_of_a_draft_year_through_the_service(
    client_super, superuser, strategy, model
):
    row = ROWS[model](strategy)
    response = client_super.post(admin_url(model, "delete", row.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=row.pk).exists()
    record = model.history.filter(history_type="-").get()
    assert record.history_user == superuser
    assert record.history_change_reason.startswith("Removed")


def test_admin_deleting_progress_removes_its_evidence_files(
    client_super, strategy, django_capture_on_commit_callbacks
):
    evidence = ROWS[Evidence](strategy)
    path = Path(evidence.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_super.post(
            admin_url(IndicatorProgress, "delete", evidence.progress.pk), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_admin_refuses_deleting_progress_of_a_closed_year_inline(client_super, strategy):
    progress = ROWS[IndicatorProgress](strategy)
    year_set_state(strategy, 2024, YearState.APPROVED)
    response = admin_post(
        client_super,
        Indicator,
        "change",
        progress.indicator.pk,
        **{"progress-0-DELETE": "on"},
    )
    assert inline_error_codes(response)["__all__"] == {"year_locked"}
    assert IndicatorProgress.objects.filter(pk=progress.pk).exists()


def test_admin_refuses_deleting_an_indicator_with_figures_of_a_closed_year(client_super, strategy):
    progress = ROWS[IndicatorProgress](strategy)
    year_set_state(strategy, 2024, YearState.APPROVED)
    indicator = progress.indicator
    response = client_super.post(admin_url(Indicator, "delete", indicator.pk), {"post": "yes"})
    assert response.status_code == 403
    assert IndicatorProgress.objects.filter(pk=progress.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_admin_pages_of_a_closed_years_rows_open_outside_a_test_transaction(strategy):
    # The deletion check locks the year's row (on PostgreSQL), which needs the transaction it
    # opens itself; the other tests run inside one.
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    row = ROWS[Assessment](strategy)
    year_set_state(strategy, 2024, YearState.APPROVED)
    change = client.get(admin_url(Assessment, "change", row.pk))
    assert change.status_code == 200
    assert not change.context["has_delete_permission"]
    listing = client.post(
        admin_url(Assessment, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(row.pk)]},
    )
    assert listing.status_code == 200
    assert listing.context["perms_lacking"]


def test_admin_history_view_does_not_write_evidence(client_super, strategy):
    evidence = ROWS[Evidence](strategy)
    version = evidence.history.get()
    url = admin_url(Evidence, "simple_history", evidence.pk, version.history_id)
    response = client_super.post(url, {"original_name": "renamed.pdf"})
    assert response.status_code == 403
    evidence.refresh_from_db()
    assert evidence.original_name == "report.pdf"


@pytest.mark.parametrize("model", ROWS, ids=ROW_IDS)
def test_admin_bulk_deletion_itself_refuses_rows_of_a_closed_year(superuser, strategy, model):
    # The action's confirmation page refuses first; the deletion refuses again, should a
    # year be submitted between the two.
    rows = [ROWS[model](strategy), ROWS[model](strategy)]
    year_set_state(strategy, 2024, YearState.SUBMITTED)
    request = RequestFactory().post("/")
    request.user = superuser
    selected = model.objects.filter(pk__in=[row.pk for row in rows])
    with pytest.raises(PermissionDenied):
        admin.site._registry[model].delete_queryset(request, selected)
    assert selected.count() == 2

"""Figures, ratings and evidence leave only with their year open, and no file outlives its row.

A file is written to storage while its row is saved; when the transaction then fails, the file
is removed with it. A deleted row's file goes once the deletion is committed, not before.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from priorities import services
from priorities.choices import YearState
from priorities.models import Assessment, Evidence, IndicatorProgress
from tests.priorities.builders import (
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_set_state,
)
from tests.priorities.factories import PDF_BYTES, AssessmentFactory, IndicatorProgressFactory

pytestmark = pytest.mark.django_db

CLOSED = [(YearState.APPROVED, "year_locked"), (YearState.SUBMITTED, "year_submitted")]


def upload(name: str, data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files() -> list[Path]:
    """Return the files under the (temporary) media root."""
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.fixture
def progress(strategy):
    area, node = area_with_nodes(strategy)
    return IndicatorProgressFactory(indicator=indicator_in(area, node))


# --- Files of a failed transaction ---------------------------------------------------------------


def test_files_of_figures_refused_on_a_later_file_are_removed(progress, desk):
    with pytest.raises(ValidationError) as refused:
        services.progress_save(
            indicator=progress.indicator,
            year=2024,
            target=progress.target,
            actual=progress.actual,
            files=[upload("report.pdf"), upload("disguised.pdf", b"MZ not a pdf")],
            user=desk,
        )
    assert "files" in refused.value.error_dict
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_file_is_removed_when_saving_its_row_fails(progress, desk, monkeypatch):
    save = Evidence.save

    def save_then_fail(self, *args, **kwargs):
        save(self, *args, **kwargs)
        raise RuntimeError("The database went away.")

    monkeypatch.setattr(Evidence, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_file_stays_when_its_row_is_saved(progress, desk):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    assert stored_files() == [Path(evidence.file.path)]


# --- Files of deleted rows ---------------------------------------------------------------------


def test_file_of_deleted_evidence_stays_until_the_deletion_is_committed(
    progress, desk, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.evidence_delete(evidence=evidence, user=desk)
        assert path.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert not path.exists()


def test_file_of_evidence_whose_deletion_rolls_back_stays(progress, desk):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    pk, path = evidence.pk, Path(evidence.file.path)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.evidence_delete(evidence=evidence, user=desk)
        raise RuntimeError("Something later in the same change failed.")
    assert Evidence.objects.filter(pk=pk).exists()
    assert path.exists()


def test_deleting_figures_removes_their_evidence_files_after_commit(
    progress, desk, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_delete(progress=progress, user=desk)
    assert not IndicatorProgress.objects.filter(pk=progress.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert stored_files() == []
    record = IndicatorProgress.history.filter(history_type="-").get()
    assert (record.history_user, record.history_change_reason) == (
        desk,
        f"Removed the figures of {progress.indicator.key} 2024",
    )


# --- Rows of a closed year stay ------------------------------------------------------------------


@pytest.mark.parametrize(("state", "code"), CLOSED)
def test_figures_of_a_closed_year_cannot_be_deleted(progress, desk, state, code):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    year_set_state(progress.strategy_year.strategy, 2024, state)
    with pytest.raises(ValidationError) as refused:
        services.progress_delete(progress=progress, user=desk)
    assert refused.value.code == code
    assert IndicatorProgress.objects.filter(pk=progress.pk).exists()
    assert Path(evidence.file.path).exists()


@pytest.mark.parametrize(("state", "code"), CLOSED)
def test_rating_of_a_closed_year_cannot_be_deleted(strategy, desk, state, code):
    assessment = AssessmentFactory(priority_area__strategy=strategy)
    year_set_state(strategy, 2024, state)
    with pytest.raises(ValidationError) as refused:
        services.assessment_delete(assessment=assessment, user=desk)
    assert refused.value.code == code
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize(("state", "code"), CLOSED)
def test_evidence_of_a_closed_year_cannot_be_deleted(progress, desk, state, code):
    evidence = services.evidence_add(progress=progress, upload=upload("report.pdf"), user=desk)
    year_set_state(progress.strategy_year.strategy, 2024, state)
    with pytest.raises(ValidationError) as refused:
        services.evidence_delete(evidence=evidence, user=desk)
    assert refused.value.code == code
    assert Path(evidence.file.path).exists()


def test_rating_of_a_draft_year_is_deleted_with_its_history(strategy, desk):
    assessment = AssessmentFactory(priority_area__strategy=strategy)
    services.assessment_delete(assessment=assessment, user=desk)
    assert not Assessment.objects.exists()
    record = Assessment.history.filter(history_type="-").get()
    assert record.history_user == desk

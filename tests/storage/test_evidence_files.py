"""Evidence files on each storage backend: stored, served only through the checked view, removed.

The same contract holds for the local folder and for Azure Blob Storage (against Azurite, the
Azure Storage emulator): a file uploaded through the progress page lands in the storage, is
downloaded with the same bytes by a reader of the strategy and refused to anyone else, and
leaves the storage when its record goes, alone or with whatever owns it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorities import services
from priorities.models import Evidence, Indicator, PriorityArea
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import PDF_BYTES, IndicatorProgressFactory

pytestmark = pytest.mark.django_db

AZURE_BACKEND = "storages.backends.azure_storage.AzureStorage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"


@dataclass
class Backend:
    """A storage backend in use by the application, and a way to look into it from outside."""

    name: str
    stored_names: Callable[[], list[str]]
    read: Callable[[str], bytes]
    remove: Callable[[str], None]


def _local_backend(settings, tmp_path) -> Backend:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": LOCAL_BACKEND}}

    def stored_names() -> list[str]:
        if not root.exists():
            return []
        return sorted(
            path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()
        )

    return Backend(
        name="local",
        stored_names=stored_names,
        read=lambda name: (root / name).read_bytes(),
        remove=lambda name: (root / name).unlink(),
    )


def _azure_options(azurite, **changes) -> dict:
    return {
        "BACKEND": AZURE_BACKEND,
        "OPTIONS": {
            "connection_string": azurite.connection_string(),
            "azure_container": azurite.container,
            "expiration_secs": None,
            "overwrite_files": False,
            **changes,
        },
    }


def _azure_backend(settings, azurite) -> Backend:
    settings.STORAGES = {**settings.STORAGES, "default": _azure_options(azurite)}
    container = azurite.container_client()
    # The container is shared by the session: earlier tests' files are not this test's.
    before = {blob.name for blob in container.list_blobs()}

    def stored_names() -> list[str]:
        return sorted(blob.name for blob in container.list_blobs() if blob.name not in before)

    return Backend(
        name="azure",
        stored_names=stored_names,
        read=lambda name: container.download_blob(name).readall(),
        remove=lambda name: container.delete_blob(name),
    )


@pytest.fixture(params=["local", "azure"])
def backend(request, settings, tmp_path) -> Backend:
    """Switch the application's file storage to the local folder, or to Azurite."""
    if request.param == "azure":
        return _azure_backend(settings, request.getfixturevalue("azurite"))
    return _local_backend(settings, tmp_path)


@pytest.fixture
def progress(strategy):
    area, node = area_with_nodes(strategy)
    return IndicatorProgressFactory(indicator=indicator_in(area, node))


def progress_url(progress) -> str:
    return reverse(
        "priorities:progress_edit",
        kwargs={
            "slug": progress.strategy_year.strategy.slug,
            "pk": progress.indicator_id,
            "year": progress.strategy_year.year,
        },
    )


def evidence_url(evidence: Evidence, name: str = "evidence_download") -> str:
    slug = evidence.progress.strategy_year.strategy.slug
    return reverse(f"priorities:{name}", kwargs={"slug": slug, "pk": evidence.pk})


def upload_through_the_page(client, progress, data: bytes = PDF_BYTES) -> Evidence:
    """Upload a report with the year's figures through the progress page; return its record."""
    response = client.post(
        progress_url(progress),
        {
            "target": "20",
            "actual": "19",
            "comment": "",
            "source": "Annual report",
            "version": progress.updated_at.isoformat(),
            "files": [SimpleUploadedFile("Annual report.pdf", data)],
        },
    )
    assert response.status_code == 302, response.text[:500]
    return Evidence.objects.get(progress=progress)


def test_uploaded_evidence_is_stored_in_the_configured_storage(backend, client_desk, progress):
    evidence = upload_through_the_page(client_desk, progress)
    assert backend.stored_names() == [evidence.file.name]
    assert evidence.file.name.startswith(f"evidence/strategy-{progress.strategy_year.strategy_id}/")
    assert backend.read(evidence.file.name) == PDF_BYTES


def test_reader_of_the_strategy_downloads_the_stored_bytes(
    backend, client_desk, client_manager, progress
):
    evidence = upload_through_the_page(client_desk, progress)
    response = client_manager.get(evidence_url(evidence))
    # Streamed by the application itself, never a redirect to the storage's own address.
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Annual report.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_user_of_another_strategy_cannot_download_the_file(
    backend, client_desk, client_outsider, progress
):
    evidence = upload_through_the_page(client_desk, progress)
    response = client_outsider.get(evidence_url(evidence))
    assert response.status_code in (403, 404)
    assert not getattr(response, "streaming", False)
    assert PDF_BYTES not in response.content


def test_evidence_whose_file_is_missing_from_storage_answers_not_found(
    backend, client_desk, progress
):
    evidence = upload_through_the_page(client_desk, progress)
    backend.remove(evidence.file.name)
    response = client_desk.get(evidence_url(evidence))
    assert response.status_code == 404


def test_evidence_removed_through_its_page_leaves_storage(
    backend, client_desk, progress, django_capture_on_commit_callbacks
):
    evidence = upload_through_the_page(client_desk, progress)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_desk.post(evidence_url(evidence, "evidence_delete"))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert backend.stored_names() == []


def test_figures_removed_with_their_evidence_leave_no_file(
    backend, client_desk, desk, progress, django_capture_on_commit_callbacks
):
    upload_through_the_page(client_desk, progress)
    progress.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_delete(progress=progress, user=desk)
    assert backend.stored_names() == []


@pytest.mark.parametrize(
    "owner",
    [
        lambda progress: Indicator.objects.get(pk=progress.indicator_id),
        lambda progress: PriorityArea.objects.get(pk=progress.indicator.priority_area_id),
    ],
    ids=["indicator", "priority_area"],
)
def test_deleting_an_owner_of_evidence_leaves_no_file(
    backend, client_desk, progress, owner, django_capture_on_commit_callbacks
):
    upload_through_the_page(client_desk, progress)
    with django_capture_on_commit_callbacks(execute=True):
        owner(progress).delete()
    assert not Evidence.objects.exists()
    assert backend.stored_names() == []


def test_file_stays_until_the_deletion_commits(
    backend, client_desk, desk, progress, django_capture_on_commit_callbacks
):
    evidence = upload_through_the_page(client_desk, progress)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.evidence_delete(evidence=evidence, user=desk)
    assert backend.stored_names() == [evidence.file.name]
    for callback in callbacks:
        callback()
    assert backend.stored_names() == []


def test_storage_refusing_the_removal_does_not_undo_the_deletion_and_is_logged(
    azurite, settings, client_desk, desk, progress, caplog, django_capture_on_commit_callbacks
):
    backend = _azure_backend(settings, azurite)
    evidence = upload_through_the_page(client_desk, progress)
    # The same container, reached with a wrong key: Azurite refuses every request.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": _azure_options(
            azurite, connection_string=azurite.connection_string(key="d3Jvbmcta2V5")
        ),
    }
    with (
        caplog.at_level(logging.ERROR, logger="strategy_monitor.files"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.evidence_delete(evidence=evidence, user=desk)
    assert not Evidence.objects.exists()
    assert backend.stored_names() == [evidence.file.name]
    logged = [r.getMessage() for r in caplog.records if r.name == "strategy_monitor.files"]
    assert logged == [
        f"Could not remove the stored file {evidence.file.name}; the record is deleted, "
        "the file is left over."
    ]


def test_tests_keep_local_files_in_a_temporary_folder(settings):
    assert not Path(settings.MEDIA_ROOT).is_relative_to(Path(settings.BASE_DIR))

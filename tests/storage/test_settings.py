"""FILE_STORAGE picks where files are kept; a backend missing its settings stops the start."""

import os
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[2] / "strategy_monitor" / "settings.py"
AZURE = "storages.backends.azure_storage.AzureStorage"


def load_settings(monkeypatch, tmp_path, **environment) -> dict:
    """Run the settings module afresh under exactly `environment` (development mode)."""
    for name in list(os.environ):
        if name not in {"PATH", "HOME"}:
            monkeypatch.delenv(name)
    for name, value in {"DEBUG": "true", "VAR_DIR": str(tmp_path), **environment}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_files_are_kept_in_the_local_folder_by_default(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, tmp_path, MEDIA_ROOT=str(tmp_path / "files"))
    assert values["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert values["MEDIA_ROOT"] == tmp_path / "files"


def test_azure_takes_a_connection_string_and_never_hands_out_blob_addresses(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch,
        tmp_path,
        FILE_STORAGE="azure",
        AZURE_CONNECTION_STRING="AccountName=ministry;AccountKey=a2V5;",
        AZURE_CONTAINER="strategy-files",
    )
    storage = values["STORAGES"]["default"]
    assert storage["BACKEND"] == AZURE
    assert storage["OPTIONS"]["connection_string"] == "AccountName=ministry;AccountKey=a2V5;"
    assert storage["OPTIONS"]["azure_container"] == "strategy-files"
    assert storage["OPTIONS"]["expiration_secs"] is None
    assert storage["OPTIONS"]["custom_domain"] is None
    assert storage["OPTIONS"]["overwrite_files"] is False


def test_azure_takes_an_account_name_and_key(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch,
        tmp_path,
        FILE_STORAGE="azure",
        AZURE_ACCOUNT_NAME="ministry",
        AZURE_ACCOUNT_KEY="a2V5",
    )
    options = values["STORAGES"]["default"]["OPTIONS"]
    assert (options["account_name"], options["account_key"]) == ("ministry", "a2V5")
    assert options["azure_container"] == "evidence"
    assert "connection_string" not in options


@pytest.mark.parametrize(
    "environment",
    [{}, {"AZURE_ACCOUNT_NAME": "ministry"}, {"AZURE_ACCOUNT_KEY": "a2V5"}],
    ids=["nothing", "name_only", "key_only"],
)
def test_azure_without_credentials_stops_the_start(monkeypatch, tmp_path, environment):
    with pytest.raises(ImproperlyConfigured, match="AZURE_CONNECTION_STRING"):
        load_settings(monkeypatch, tmp_path, FILE_STORAGE="azure", **environment)


def test_s3_takes_a_bucket_and_signs_no_addresses(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch, tmp_path, FILE_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="strategy-files"
    )
    storage = values["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "strategy-files"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert storage["OPTIONS"]["default_acl"] is None


def test_s3_without_a_bucket_stops_the_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load_settings(monkeypatch, tmp_path, FILE_STORAGE="s3")


def test_unknown_storage_stops_the_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="must be local, azure or s3"):
        load_settings(monkeypatch, tmp_path, FILE_STORAGE="ftp")


def test_azure_sdk_logs_only_its_warnings(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, tmp_path)
    assert values["LOGGING"]["loggers"]["azure"]["level"] == "WARNING"

"""Production settings: configured wholly from the environment, refusing unsafe defaults."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "strategy_monitor" / "settings.py"


def env_example() -> dict[str, str]:
    """Return the variables of .env.example."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def load_settings(monkeypatch, **environment) -> dict:
    """Run the settings module afresh under exactly `environment` (plus PATH)."""
    for name in list(os.environ):
        if name not in {"PATH", "HOME"}:
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load_settings(monkeypatch, VAR_DIR=str(tmp_path))


def test_development_runs_on_the_fallback_key(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path))
    assert values["SECRET_KEY"].startswith("dev-only-insecure-key")
    assert not values["SESSION_COOKIE_SECURE"]
    assert not values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_production_defaults_are_secure(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, SECRET_KEY="k" * 60, VAR_DIR=str(tmp_path))
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_postgresql_connections_give_up_after_a_short_timeout(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch,
        SECRET_KEY="k" * 60,
        DATABASE_URL="postgres://app:app@127.0.0.1:5432/app",
    )
    assert values["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 3
    sqlite = load_settings(monkeypatch, SECRET_KEY="k" * 60, VAR_DIR=str(tmp_path))
    assert "connect_timeout" not in sqlite["DATABASES"]["default"].get("OPTIONS", {})


def test_check_deploy_passes_with_the_values_of_env_example(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        **env_example(),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "strategy_monitor.settings",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout

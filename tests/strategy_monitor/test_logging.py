"""Logs are JSON, one object per line on standard output, with request details."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from strategy_monitor.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def captured():
    """Return a function giving the JSON lines logged so far by `logger_name`."""
    streams = []

    def capture(logger_name: str) -> io.StringIO:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        streams.append((logger, handler))
        return stream

    yield capture
    for logger, handler in streams:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_record_is_one_json_object_with_time_level_logger_and_message(captured):
    stream = captured("strategy_monitor.test")
    logging.getLogger("strategy_monitor.test").warning("Budget line %s changed", "a")
    [entry] = lines(stream)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "strategy_monitor.test"
    assert entry["message"] == "Budget line a changed"
    assert entry["time"].endswith("+00:00")
    assert "\n" not in stream.getvalue().rstrip("\n")


def test_an_exception_is_kept_in_the_same_line(captured):
    stream = captured("strategy_monitor.test")
    try:
        raise ValueError("bad figure")
    except ValueError:
        logging.getLogger("strategy_monitor.test").exception("Import failed")
    [entry] = lines(stream)
    assert entry["message"] == "Import failed"
    assert "ValueError: bad figure" in entry["exception"]


@pytest.mark.django_db
def test_each_request_is_logged_with_path_status_and_duration(captured, client_desk):
    stream = captured("strategy_monitor.request")
    client_desk.get(reverse("priorities:strategy_list") + "?q=secret")
    [entry] = lines(stream)
    assert entry["logger"] == "strategy_monitor.request"
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET"
    assert entry["path"] == "/strategies/"  # the query string is never logged
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["user_id"] is not None


@pytest.mark.django_db
def test_django_request_warnings_carry_path_and_status(captured, client_desk):
    stream = captured("django.request")
    client_desk.get("/no-such-page/")
    [entry] = lines(stream)
    assert entry["level"] == "WARNING"
    assert entry["path"] == "/no-such-page/"
    assert entry["status"] == 404


@pytest.mark.django_db
def test_calendar_tokens_never_reach_the_log(captured):
    stream = captured("strategy_monitor.request")
    token = "s3cr3tselector" + "x" * 30
    Client().get(reverse("engagement:user_calendar", args=[token]))
    [entry] = lines(stream)
    assert token not in stream.getvalue()
    assert entry["path"] == "/calendar/[token].ics"
    assert entry["status"] == 404


def test_a_production_process_writes_json_lines_to_standard_output(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "k" * 60,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "strategy_monitor.settings",
    }
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import logging; logging.getLogger('strategy_monitor.ops').warning('Backup done')",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    entry = json.loads(run.stdout.strip().splitlines()[-1])
    assert entry["logger"] == "strategy_monitor.ops"
    assert entry["message"] == "Backup done"
    assert entry["level"] == "WARNING"

"""Errors reach the error tracker only when SENTRY_DSN is set, tagged and without personal data.

The tracker here is a real HTTP server on this machine that receives what the SDK sends.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli  # installed with WeasyPrint's font tools; the SDK compresses with it if present
import pytest

from tests.operations.settings_loader import load_settings

ROOT = Path(__file__).resolve().parents[2]

FAILING_REQUEST = """
import django, sentry_sdk
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.operations.sentry_urls"):
    client = Client(raise_request_exception=False)
    client.cookies["prefs"] = "cookie-value-never-sent"
    response = client.get(
        "/fail/?email=jane@example.org",
        headers={"X-Request-ID": "trace-77"},
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 500, response.status_code
sentry_sdk.flush(timeout=10)
"""


class Collector(BaseHTTPRequestHandler):
    """Keep every envelope posted to the server."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def tracker():
    """Run a local error tracker; yield its DSN and the envelopes it received."""
    Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1", Collector.received
    server.shutdown()


def events(envelopes: list[bytes]) -> list[dict]:
    """Return the error events in the envelopes (one JSON header line, then item pairs)."""
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_error_tracking_is_off_without_a_dsn(monkeypatch, tmp_path):
    import sentry_sdk

    values = load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path))
    assert values["SENTRY_DSN"] == ""
    assert not sentry_sdk.get_client().is_active()


def test_an_error_reaches_the_tracker_with_its_request_id_and_no_personal_data(tracker, tmp_path):
    dsn, received = tracker
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "strategy_monitor.settings",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "SENTRY_DSN": dsn,
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_RELEASE": "2026.12.1",
        "LOG_LEVEL": "CRITICAL",
    }
    run = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    [event] = events(received)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "trace-77"
    assert event["environment"] == "staging"
    assert event["release"] == "2026.12.1"
    sent = json.dumps(event)
    for personal in ("198.51.100.23", "cookie-value-never-sent", "jane@example.org"):
        assert personal not in sent

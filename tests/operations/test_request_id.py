"""Every request has an id: in the X-Request-ID header and in every line logged meanwhile."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from strategy_monitor.logging import JsonFormatter, RequestIdFilter, TokenRedactFilter

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """Capture every record, from any logger, as the console handler writes it (JSON)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(TokenRedactFilter())
    root = logging.getLogger()
    django_logger = logging.getLogger("django")
    for logger in (root, django_logger):
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in (root, django_logger):
        logger.removeHandler(handler)


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client_desk):
    first = client_desk.get("/")
    second = client_desk.get("/")
    assert GENERATED_ID.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept(client_desk):
    response = client_desk.get("/", headers={"X-Request-ID": "lb-2026.12.07_abc-123"})
    assert response["X-Request-ID"] == "lb-2026.12.07_abc-123"


@pytest.mark.parametrize(
    "incoming",
    ["x" * 129, "has space", "semi;colon", "new\\nline", "ünïcode", "<script>", ""],
)
def test_an_unsafe_incoming_request_id_is_replaced(client_desk, incoming):
    response = client_desk.get("/", headers={"X-Request-ID": incoming})
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_an_incoming_id_of_128_characters_is_kept(client_desk):
    incoming = "a" * 128
    assert client_desk.get("/", headers={"X-Request-ID": incoming})["X-Request-ID"] == incoming


def test_the_health_check_answers_with_a_request_id():
    response = Client().get("/healthz", headers={"X-Request-ID": "probe-1"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "probe-1"


def test_the_login_page_and_a_404_answer_with_a_request_id(client_desk):
    assert GENERATED_ID.fullmatch(Client().get("/login/")["X-Request-ID"])
    missing = client_desk.get("/strategies/no-such-strategy/")
    assert missing.status_code == 404
    assert GENERATED_ID.fullmatch(missing["X-Request-ID"])


@pytest.mark.urls("tests.strategy_monitor.failing_urls")
def test_the_500_page_answers_with_the_request_id_logged_with_the_error(client_desk, log_lines):
    client = Client(raise_request_exception=False)
    client.cookies = client_desk.cookies
    response = client.get("/fail/", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-500"
    error = next(line for line in log_lines() if line["logger"] == "django.request")
    assert error["request_id"] == "trace-500"
    assert "RuntimeError" in error["exception"]


def test_every_line_logged_during_a_request_carries_its_id(client_desk, log_lines):
    response = client_desk.get("/strategies/no-such-strategy/", headers={"X-Request-ID": "r-42"})
    lines = log_lines()
    loggers = {line["logger"] for line in lines}
    # Django's own "Not Found" warning and the request log, from two loggers.
    assert {"django.request", "strategy_monitor.request"} <= loggers
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]} == {"r-42"}


def test_a_line_logged_outside_a_request_has_no_request_id(log_lines):
    logging.getLogger("strategy_monitor.test").warning("Nightly job started")
    [line] = log_lines()
    assert "request_id" not in line


def test_the_text_format_names_the_request_id(client_desk):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s [%(request_id)s] %(message)s"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("strategy_monitor.request")
    logger.addHandler(handler)
    try:
        client_desk.get("/", headers={"X-Request-ID": "text-1"})
        logging.getLogger("strategy_monitor.test").warning("After the request")
    finally:
        logger.removeHandler(handler)
    first = stream.getvalue().splitlines()[0]
    assert first.startswith("INFO [text-1] GET / ")


def test_the_settings_put_the_request_id_filter_on_the_console_handler(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert "request_id" in console["filters"]
    assert "%(request_id)s" in settings.LOGGING["formatters"]["text"]["format"]

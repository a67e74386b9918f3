"""No log line holds a calendar token: not the request log, not Django's, not a traceback."""

import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse

from engagement.services import calendar_token_get, calendar_token_renew
from strategy_monitor.logging import JsonFormatter, TokenRedactFilter, tokens_redact
from tests.engagement.factories import MeetingFactory

pytestmark = pytest.mark.django_db


class Everything(logging.Handler):
    """Keep every record, at any level, that reaches the loggers it is attached to."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def records():
    """Collect every record of every logger as the configured handlers have written it.

    Attached after the configured handlers of the root logger and of Django's own logger
    (which does not propagate), so each record is seen as those handlers left it.
    """
    handler = Everything()
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.records
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def texts(record: logging.LogRecord) -> list[str]:
    """Return everything of a record a handler could write: message, extras, traceback, lines."""
    values = [record.getMessage(), JsonFormatter().format(record)]
    values.append(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(record)
    )
    values.extend(value for value in vars(record).values() if isinstance(value, str))
    return values


def assert_no_token(records, *secrets: str) -> None:
    assert records, "no record was logged: the guard would prove nothing"
    for record in records:
        for text in texts(record):
            for secret in secrets:
                assert secret not in text, f"{record.name} {record.levelname}: {text[:300]}"


@pytest.fixture
def feeds(strategy, desk):
    MeetingFactory(strategy=strategy)
    token = calendar_token_get(user=desk)
    return {
        "token": token.token,
        "secret": token.secret,
        "user": reverse("engagement:user_calendar", args=[token.token]),
        "strategy": reverse("engagement:strategy_calendar", args=[strategy.slug, token.token]),
    }


def test_feeds_that_answer_log_no_token(feeds, records):
    for url in (feeds["user"], feeds["strategy"]):
        assert Client().get(url).status_code == 200
    assert_no_token(records, feeds["token"], feeds["secret"])


def test_a_wrong_token_answers_404_and_logs_no_token(feeds, records):
    wrong = feeds["token"][:-4] + "zzzz"
    made_up = "no-such-calendar-token-0123456789"
    for token in (wrong, made_up):
        for url in (
            reverse("engagement:user_calendar", args=[token]),
            reverse("engagement:strategy_calendar", args=["no-such-strategy", token]),
        ):
            assert Client().get(url).status_code == 404
    assert any(record.name == "django.request" for record in records)
    assert_no_token(records, feeds["token"], feeds["secret"], wrong, made_up)


def test_a_revoked_token_answers_404_and_logs_no_token(feeds, desk, records):
    calendar_token_renew(user=desk)
    for url in (feeds["user"], feeds["strategy"]):
        assert Client().get(url).status_code == 404
    assert_no_token(records, feeds["token"], feeds["secret"])


def test_an_error_inside_the_feed_logs_no_token(feeds, records, monkeypatch):
    def broken(**kwargs):
        # The worst case: an error whose text names the address that failed.
        raise RuntimeError(f"cannot render {feeds['user']} or {feeds['strategy']}")

    monkeypatch.setattr("engagement.views.feeds.calendar_render", broken)
    client = Client(raise_request_exception=False)
    for url in (feeds["user"], feeds["strategy"]):
        assert client.get(url).status_code == 500
    errors = [record for record in records if record.levelno >= logging.ERROR]
    assert any(record.name == "django.request" and record.exc_info for record in errors)
    assert_no_token(records, feeds["token"], feeds["secret"])


# --- The filter and the formatter on their own -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not Found: /calendar/abc123.ics", "Not Found: /calendar/[token].ics"),
        (
            "GET /strategies/iom-2023-2026/calendar/abc-_123.ics?x=1 500",
            "GET /strategies/iom-2023-2026/calendar/[token].ics?x=1 500",
        ),
        ("/calendar/abc123", "/calendar/[token]"),
        ("/my/calendar/", "/my/calendar/"),
        ("/my/calendar/renew/", "/my/calendar/renew/"),
    ],
)
def test_tokens_redact_masks_the_token_segment_of_feed_addresses(text, expected):
    assert tokens_redact(text) == expected


def test_the_filter_masks_arguments_path_and_traceback():
    try:
        raise ValueError("bad /calendar/secret123.ics")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "%s: %s",
        ("Error", "/calendar/secret123.ics"),
        exc_info,
    )
    record.path = "/calendar/secret123.ics"
    assert TokenRedactFilter().filter(record) is True
    assert record.getMessage() == "Error: /calendar/[token].ics"
    assert record.path == "/calendar/[token].ics"
    assert "secret123" not in record.exc_text
    assert "secret123" not in JsonFormatter().format(record)


def test_every_configured_handler_carries_the_filter(settings):
    logging_config = settings.LOGGING
    [name] = [
        key
        for key, spec in logging_config["filters"].items()
        if spec.get("()") == "strategy_monitor.logging.TokenRedactFilter"
    ]
    for handler in logging_config["handlers"].values():
        assert name in handler.get("filters", []), handler

"""Log records as one JSON object per line, for log collectors reading standard output.

Every record logged while a request is handled, by any logger, carries that request's id
(`request_id`): `RequestLogMiddleware` sets it in a context variable and `RequestIdFilter` copies
it onto each record, so one id ties together every line a request wrote.

Calendar feed addresses carry the subscriber's token, which is as good as a password to the
feed. `TokenRedactFilter` masks it in every record the handlers write, whoever logged it
(Django's own "Not Found" and "Internal Server Error" lines name the path), and the JSON
formatter masks it again in the line it writes.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

from django.http import HttpRequest
from django.utils.log import AdminEmailHandler

# Attributes the request log and Django's own records add to a record, as they are named out.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id")
TOKEN_MASK = "[token]"  # nosec B105: what a masked token is replaced by, not a secret
# The segment after /calendar/ in a feed address (…/calendar/<token>.ics); the page that
# renews the addresses (/my/calendar/renew/) holds no token.
FEED_TOKEN = re.compile(
    r"(?P<base>/calendar/)(?!renew(?:[/?#]|$))"
    r"[^/?#\s\"'<>\\]+?(?P<ics>\.ics)?(?=[/?#\s\"'<>\\]|$)"
)


# An incoming X-Request-ID is kept only when it is a plain token: it ends up in every log line.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,128}")
# What a record logged outside any request (a command, start-up) shows as its request id.
NO_REQUEST_ID = "-"

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_request_id", default=None
)


def request_id_for(incoming: str | None) -> str:
    """Return `incoming` if it is a sane request id (128 of [A-Za-z0-9._-]), else a new one."""
    if incoming and REQUEST_ID_PATTERN.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Put the id of the request being handled on every record, as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or NO_REQUEST_ID
        return True


class RequestIdAdminEmailHandler(AdminEmailHandler):
    """Mail errors to ADMINS as Django does, with the request id in the subject."""

    def format_subject(self, subject: str) -> str:
        subject = super().format_subject(subject)
        request_id = current_request_id.get()
        return f"{subject} [request {request_id}]" if request_id else subject


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Tag an error report with the request id, and leave out what may name a person.

    The tracker's own privacy option already leaves out the user, cookies and addresses; a
    query string or form body may still hold a name or an e-mail address (a search, a
    filter), so the report keeps the path and the id that finds the request in the logs.
    """
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = tokens_redact(request["url"])
    return event


def tokens_redact(text: str) -> str:
    """Return `text` with the token of any calendar feed address in it masked."""
    return FEED_TOKEN.sub(lambda match: f"{match['base']}{TOKEN_MASK}{match['ics'] or ''}", text)


class TokenRedactFilter(logging.Filter):
    """Mask feed tokens in a record's message, arguments, path, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = None
        if message is not None:
            redacted = tokens_redact(message)
            if redacted != message:
                # Formatted once here: arguments of any type may hold the address.
                record.msg, record.args = redacted, ()
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = tokens_redact(path)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = tokens_redact(record.exc_text)
        if record.stack_info:
            record.stack_info = tokens_redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as JSON: time, level, logger, message, and request details if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Read from the context too, so a handler without the filter still gets the id.
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id and request_id != NO_REQUEST_ID:
            entry["request_id"] = request_id
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            # Django's own records (django.request) carry the request and its status code.
            entry["method"] = request.method
            entry["path"] = tokens_redact(request.path)
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            entry["status"] = status_code
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return tokens_redact(json.dumps(entry, default=str, ensure_ascii=False))

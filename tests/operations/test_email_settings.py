"""Every e-mail setting comes from the environment; error e-mails go to ADMINS only when set."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from strategy_monitor.logging import RequestIdAdminEmailHandler
from tests.operations.settings_loader import load_settings


def test_email_settings_default_to_a_short_timeout_and_no_admins(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path))
    assert values["EMAIL_TIMEOUT"] == 10
    assert values["EMAIL_USE_TLS"] is False and values["EMAIL_USE_SSL"] is False
    assert values["EMAIL_SSL_CERTFILE"] is None and values["EMAIL_SSL_KEYFILE"] is None
    assert values["ADMINS"] == []
    assert values["EMAIL_SUBJECT_PREFIX"] == "[Strategy Monitor] "
    assert "mail_admins" not in values["LOGGING"]["handlers"]
    assert values["SERVER_EMAIL"] == values["DEFAULT_FROM_EMAIL"]


def test_every_email_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch,
        DEBUG="true",
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="monitor",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_SSL="true",
        EMAIL_SSL_CERTFILE="/etc/ssl/monitor.crt",
        EMAIL_SSL_KEYFILE="/etc/ssl/monitor.key",
        EMAIL_TIMEOUT="5",
        EMAIL_SUBJECT_PREFIX="[Monitor test]",
        DEFAULT_FROM_EMAIL="monitor@example.org",
        SERVER_EMAIL="errors@example.org",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 465)
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("monitor", "s3cret")
    assert values["EMAIL_USE_SSL"] is True and values["EMAIL_USE_TLS"] is False
    assert values["EMAIL_SSL_CERTFILE"] == "/etc/ssl/monitor.crt"
    assert values["EMAIL_SSL_KEYFILE"] == "/etc/ssl/monitor.key"
    assert values["EMAIL_TIMEOUT"] == 5
    assert values["EMAIL_SUBJECT_PREFIX"] == "[Monitor test] "
    assert values["DEFAULT_FROM_EMAIL"] == "monitor@example.org"
    assert values["SERVER_EMAIL"] == "errors@example.org"


def test_tls_and_ssl_at_once_are_refused_with_a_clear_message(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS and EMAIL_USE_SSL"):
        load_settings(
            monkeypatch,
            DEBUG="true",
            VAR_DIR=str(tmp_path),
            EMAIL_USE_TLS="true",
            EMAIL_USE_SSL="true",
        )


def test_admins_are_read_with_or_without_names(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch,
        DEBUG="true",
        VAR_DIR=str(tmp_path),
        ADMINS='"Doe, Jane" <jane@example.org>, ops@example.org,Ops Desk <desk@example.org>',
    )
    assert values["ADMINS"] == [
        ("Doe, Jane", "jane@example.org"),
        ("ops@example.org", "ops@example.org"),
        ("Ops Desk", "desk@example.org"),
    ]
    handler = values["LOGGING"]["handlers"]["mail_admins"]
    assert handler["class"] == "strategy_monitor.logging.RequestIdAdminEmailHandler"
    assert "require_debug_false" in handler["filters"]
    assert "mail_admins" in values["LOGGING"]["loggers"]["django"]["handlers"]


@pytest.fixture
def admin_mail_handler():
    """Attach the handler the settings add with ADMINS, as the logging set-up does."""
    handler = RequestIdAdminEmailHandler()
    handler.setLevel(logging.ERROR)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.urls("tests.strategy_monitor.failing_urls")
def test_an_unexpected_error_is_mailed_to_the_admins(
    settings, client_desk, admin_mail_handler, mailoutbox
):
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.EMAIL_SUBJECT_PREFIX = "[Monitor] "
    settings.SERVER_EMAIL = "errors@example.org"
    client = Client(raise_request_exception=False)
    client.cookies = client_desk.cookies
    response = client.get("/fail/", headers={"X-Request-ID": "mail-7"})
    assert response.status_code == 500
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert message.from_email == "errors@example.org"
    assert message.subject.startswith("[Monitor] ERROR")
    assert message.subject.endswith("[request mail-7]")
    assert "RuntimeError" in message.body
    # The session cookie that would let a reader log in as the user is never in the mail.
    assert client_desk.cookies["sessionid"].value not in message.body

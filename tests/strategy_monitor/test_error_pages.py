"""Friendly error pages in the site's style, never a stack trace."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.strategy_monitor.outage import database_down

pytestmark = pytest.mark.django_db


def assert_no_trace(page: str) -> None:
    for leak in ("Traceback", "RuntimeError", "secret detail", 'File "/', "settings.py"):
        assert leak not in page


def test_a_missing_page_answers_404_in_the_site_style(client_desk):
    response = client_desk.get("/strategies/no-such-strategy/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Log out" in page  # the normal site header, for a logged-in user
    assert_no_trace(page)


def test_a_forbidden_page_answers_403_with_the_reason(client_outsider, strategy):
    response = client_outsider.get(reverse("priorities:strategy_detail", args=[strategy.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not open this page" in page
    assert "You are not on the team of this strategy." in page


@pytest.mark.urls("tests.strategy_monitor.failing_urls")
def test_an_unexpected_error_answers_500_without_a_trace(client_desk):
    client = Client(raise_request_exception=False)
    client.cookies = client_desk.cookies
    response = client.get("/fail/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "monitor.css" in page
    assert_no_trace(page)


def test_the_500_page_needs_no_request_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0), database_down():
        page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert settings.STATIC_URL + "css/monitor.css" in page


def test_an_expired_form_answers_a_friendly_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "desk", "password": "pw"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form could not be accepted" in page
    assert_no_trace(page)


def test_an_oversized_form_answers_a_friendly_400(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post(reverse("login"), {"username": "desk", "password": "x" * 2048})
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()

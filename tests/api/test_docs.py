"""The API's documentation page: Swagger UI inside the site's page, from our own files only."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.security.test_csp_journeys import watch

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"


def test_docs_page_renders_and_references_only_local_files(client_desk):
    response = client_desk.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>API · Strategy Monitor</title>" in html
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    # Every script is a file: the site's policy allows no inline script.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    for source in sources:
        assert client_desk.get(source).status_code == 200, source


def test_docs_start_up_script_is_javascript_that_loads_our_schema(client_desk):
    response = client_desk.get(DOCS + "?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in response.content.decode()


def test_docs_page_sends_anonymous_visitors_to_the_login_page(db):
    response = Client().get(DOCS)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_page_draws_the_api_in_chromium_within_the_policy(
    page, live_server, browser_login, desk
):
    problems = watch(page)
    browser_login(page, "desk")
    response = page.goto(live_server.url + DOCS)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/budget-lines/").first).to_be_visible()
    assert not problems, problems

"""The accessibility page is public, linked from every page, and claims only what was checked."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy_monitor import accessibility

pytestmark = pytest.mark.django_db

CHECK = {
    "checked_on": "2026-12-04",
    "tool": "axe-core 4.11.0",
    "standard": "WCAG 2.1 A and AA",
    "pages": 212,
    "checks": 4890,
    "languages": ["en-gb", "da"],
    "widths": [1440, 390],
    "violations": 0,
    "by_rule": {},
}


@pytest.fixture
def check_file(tmp_path, monkeypatch):
    """Point the page at a check file of the test's own; absent until written."""
    path = tmp_path / "accessibility_check.json"
    monkeypatch.setattr(accessibility, "CHECK_FILE", path)
    return path


def statement(**headers) -> str:
    response = Client().get(reverse("accessibility"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_opens_without_logging_in(check_file, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/accessibility/"
    assert "Log out" not in response.content.decode()


def test_without_a_recorded_check_the_statement_says_so_and_claims_no_result(check_file):
    page = statement()
    assert "No automated check has been recorded." in page
    assert "partially compliant with WCAG 2.1 level AA" in page
    assert "found no violations" not in page
    assert "axe-core" not in page


def test_a_clean_check_is_shown_with_its_date_tool_and_scope_and_the_status_stays_partial(
    check_file,
):
    check_file.write_text(json.dumps(CHECK))
    page = statement()
    assert "No automated check has been recorded" not in page
    assert "4 December 2026" in page
    assert "axe-core 4.11.0" in page
    assert "WCAG 2.1 A and AA" in page
    assert "<dd>212</dd>" in page
    assert "English, Danish" in page
    assert "1440 pixels, 390 pixels" in page
    assert "found no violations" in page
    # An automated check tests part of WCAG: it never makes the whole claim.
    assert "partially compliant with WCAG 2.1 level AA" in page
    assert "fully compliant" not in page


def test_violations_of_the_last_check_are_listed_by_rule(check_file):
    check_file.write_text(
        json.dumps(
            {**CHECK, "violations": 3, "by_rule": {"color-contrast": 2, "label": 1, "list": 0}}
        )
    )
    page = statement()
    assert "found 3 violations, listed below" in page
    assert "<code>color-contrast</code>: 2 places" in page
    assert "<code>label</code>: 1 place<" in page
    assert "<code>list</code>" not in page


def test_an_unreadable_check_file_counts_as_no_check(check_file):
    check_file.write_text('{"checked_on": "yesterday"}')
    assert "No automated check has been recorded." in statement()
    check_file.write_text("not json")
    assert "No automated check has been recorded." in statement()


def test_the_statement_says_how_to_report_a_problem_and_where_to_complain(check_file, settings):
    settings.ACCESSIBILITY_CONTACT = "access@um.example"
    page = statement()
    assert 'href="mailto:access@um.example"' in page
    assert "Digitaliseringsstyrelsen" in page
    assert "handles complaints" in page
    settings.ACCESSIBILITY_CONTACT = ""
    assert "tell the application's administrator" in statement()


def test_the_statement_links_to_the_official_statement_when_it_is_set(check_file, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    assert "was.digst.dk" not in statement()
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/strategy-monitor"
    assert 'href="https://www.was.digst.dk/strategy-monitor"' in statement()


def test_every_page_footer_links_to_the_page_and_to_the_official_statement(client_desk, settings):
    page_link = f'href="{reverse("accessibility")}"'
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    for page in (
        Client().get(reverse("login")).content.decode(),
        client_desk.get(reverse("priorities:strategy_list")).content.decode(),
    ):
        footer = page[page.index('<footer class="site-footer">') :]
        assert page_link in footer
        assert "Accessibility statement</a>" not in footer
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/strategy-monitor"
    page = client_desk.get(reverse("priorities:strategy_list")).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert page_link in footer
    assert '<a href="https://www.was.digst.dk/strategy-monitor">Accessibility statement</a>' in (
        footer
    )


def test_the_statement_reads_in_danish_with_a_danish_date(check_file):
    check_file.write_text(json.dumps(CHECK))
    with translation.override("da"):
        page = statement(HTTP_ACCEPT_LANGUAGE="da")
    assert "Tilgængelighedserklæring" in page
    assert "4. december 2026" in page
    assert "Digitaliseringsstyrelsen" in page

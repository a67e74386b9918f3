"""The privacy notice is public and says what is held, why, how long and whom to ask."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_opens_without_logging_in(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = Client().get(reverse("privacy"))
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/privacy/"


def test_the_privacy_notice_names_the_controller_the_data_the_purpose_and_the_retention(
    settings,
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365 * 5
    settings.LOGIN_ATTEMPT_RETENTION_DAYS = 90
    settings.PRIVACY_CONTACT_EMAIL = "privacy@um.example"
    page = Client().get(reverse("privacy")).content.decode()
    assert "Ministry of Foreign Affairs of Denmark" in page
    for held in (
        "user name",
        "e-mail address",
        "change log",
        "Login attempts",
        "IP address",
        "ministry account",
        "API tokens",
    ):
        assert held in page
    assert "public task" in page
    assert "5 years after their last login" in page
    assert "after 90 days" in page
    assert 'href="mailto:privacy@um.example"' in page


def test_the_privacy_notice_shows_no_personal_data_of_anyone(desk):
    desk.first_name, desk.last_name = "Hanne", "Kjeldsen"
    desk.email = "hanne.kjeldsen@um.example"
    desk.save()
    page = Client().get(reverse("privacy")).content.decode()
    for personal in ("Hanne", "Kjeldsen", "hanne.kjeldsen@um.example"):
        assert personal not in page
    assert "Log out" not in page


def test_the_login_page_and_every_page_footer_link_to_the_privacy_notice(client_desk):
    link = f'href="{reverse("privacy")}"'
    login_page = Client().get(reverse("login")).content.decode()
    assert link in login_page
    assert link in client_desk.get(reverse("priorities:strategy_list")).content.decode()

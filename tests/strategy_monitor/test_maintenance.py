"""Maintenance mode: a setting or a flag file puts every page but /healthz on 503."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.strategy_monitor.outage import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(settings, tmp_path):
    settings.MAINTENANCE_FILE = tmp_path / "maintenance"
    return settings.MAINTENANCE_FILE


def assert_maintenance_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    assert "being updated" in response.content.decode()


def test_the_flag_file_switches_every_page_to_maintenance_and_back(flag, client_desk, strategy):
    page = reverse("priorities:strategy_detail", args=[strategy.slug])
    assert client_desk.get(page).status_code == 200
    flag.touch()
    assert_maintenance_page(client_desk.get(page))
    assert_maintenance_page(client_desk.post(page, {}))
    assert_maintenance_page(Client().get(reverse("login")))
    health = Client().get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json()["maintenance"] is True
    # Its style sheet is still served.
    assert Client().get(django_settings.STATIC_URL + "css/monitor.css").status_code == 200
    flag.unlink()
    assert client_desk.get(page).status_code == 200


def test_the_setting_switches_to_maintenance(settings, client_desk):
    settings.MAINTENANCE_MODE = True
    assert_maintenance_page(client_desk.get(reverse("priorities:strategy_list")))


def test_the_maintenance_page_needs_no_database(flag, client_desk):
    flag.touch()
    with database_down():
        assert_maintenance_page(client_desk.get(reverse("priorities:strategy_list")))

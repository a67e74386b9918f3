"""The system checks that catch single sign-on settings no one could sign in with."""

import pytest

from strategy_monitor.sso.checks import sso_settings_check


def ids(settings_changes, settings) -> list[str]:
    for name, value in settings_changes.items():
        setattr(settings, name, value)
    return [problem.id for problem in sso_settings_check()]


def test_the_default_settings_pass(settings):
    assert ids({}, settings) == []


def test_a_role_map_entry_without_a_group_is_an_error(settings):
    assert ids({"OIDC_ROLE_MAP": "StrategyMonitor.DeskOfficer"}, settings) == ["sso.E001"]


def test_a_role_map_naming_an_unknown_group_is_a_warning(settings):
    assert ids({"OIDC_ROLE_MAP": "X=Desk officer;Y=Desk officers"}, settings) == ["sso.W001"]


@pytest.mark.parametrize("issuer, expected", [("", ["sso.W002"]), ("https://id.example", [])])
def test_local_login_off_without_single_sign_on_is_a_warning(settings, issuer, expected):
    changes = {"LOCAL_LOGIN": "off", "OIDC_ISSUER": issuer, "OIDC_RP_CLIENT_ID": "app"}
    assert ids({**changes, "OIDC_RP_CLIENT_SECRET": "s"}, settings) == expected


def test_single_sign_on_without_a_client_secret_is_a_warning(settings):
    changes = {"OIDC_ISSUER": "https://id.example", "OIDC_RP_CLIENT_ID": "app"}
    assert ids({**changes, "OIDC_RP_CLIENT_SECRET": ""}, settings) == ["sso.W003"]

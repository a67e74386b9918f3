"""The single sign-on settings read from the environment: off by default, safe when on."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.strategy_monitor.test_settings import load_settings

ENTRA = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/72f988bf-0000-4000-8000-00000000c0de/v2.0",
    "OIDC_CLIENT_ID": "2f1c0d3e-4444-4c6e-9a1b-5d2f0e4c7a04",
}


def test_without_an_issuer_single_sign_on_is_off_and_passwords_are_for_all(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path))
    assert values["OIDC_ISSUER"] == ""
    assert values["LOCAL_LOGIN"] == "all"
    assert "form-action 'self';" in values["CONTENT_SECURITY_POLICY"]


def test_with_entra_id_passwords_are_for_administrators_and_logout_may_lead_there(
    monkeypatch, tmp_path
):
    values = load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path), **ENTRA)
    assert values["LOCAL_LOGIN"] == "admins"
    assert values["OIDC_RP_CLIENT_ID"] == ENTRA["OIDC_CLIENT_ID"]
    assert (
        "form-action 'self' https://login.microsoftonline.com;"
        in (values["CONTENT_SECURITY_POLICY"])
    )


def test_local_login_can_be_switched_off(monkeypatch, tmp_path):
    values = load_settings(
        monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path), LOCAL_LOGIN="off", **ENTRA
    )
    assert values["LOCAL_LOGIN"] == "off"


def test_an_unknown_local_login_value_refuses_to_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="LOCAL_LOGIN"):
        load_settings(monkeypatch, DEBUG="true", VAR_DIR=str(tmp_path), LOCAL_LOGIN="some")

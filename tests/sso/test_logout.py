"""Logging out ends the provider's session too, where the user signed in there."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.priorities.factories import UserFactory
from tests.sso.conftest import CLIENT_ID, entra_claims, sign_in

pytestmark = pytest.mark.django_db


def test_logout_after_single_sign_on_goes_to_the_providers_end_session_endpoint(client, sso):
    sign_in(client, sso, "karen", entra_claims("0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a01"))
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{sso.issuer}/oauth2/end_session"
    )
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["client_id"] == [CLIENT_ID]
    assert "_auth_user_id" not in client.session


def test_logout_of_a_password_login_stays_in_the_application(client, settings, sso):
    settings.LOCAL_LOGIN = "all"
    client.force_login(UserFactory(username="local"))

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_takes_only_a_post(client):
    client.force_login(UserFactory(username="local"))
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session

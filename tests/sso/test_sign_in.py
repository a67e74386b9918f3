"""Signing in through a real OpenID Connect provider: the redirect, the code, users and roles."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from strategy_monitor.models import ExternalIdentity
from strategy_monitor.sso import provider as sso_provider
from tests.sso.conftest import CLIENT_ID, TENANT, entra_claims, sign_in

pytestmark = pytest.mark.django_db

OID = "0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a01"


def signed_in_user(client):
    return get_user_model().objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_sign_in_starts_with_a_redirect_to_the_providers_authorize_endpoint(client, sso):
    response = client.get(reverse("oidc_authentication_init"))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == sso.issuer
    assert location.path == "/oauth2/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["scope"] == ["openid profile email"]
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["state"][0] in client.session["oidc_states"]


def test_endpoints_are_read_once_from_the_discovery_document(sso):
    assert sso_provider.provider_setting("OIDC_OP_TOKEN_ENDPOINT") == f"{sso.issuer}/oauth2/token"
    sso_provider._documents[sso.issuer]["token_endpoint"] = "http://kept.example/token"
    assert sso_provider.provider_setting("OIDC_OP_TOKEN_ENDPOINT") == "http://kept.example/token"


def test_an_endpoint_set_explicitly_wins_over_discovery(sso, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://token.example/token"
    assert sso_provider.provider_setting("OIDC_OP_TOKEN_ENDPOINT") == "https://token.example/token"


def test_first_sign_in_creates_the_user_and_signs_in(client, sso):
    response = sign_in(
        client, sso, "karen", entra_claims(OID, given_name="Karen", family_name="Holm")
    )

    assert response.status_code == 302
    assert response["Location"] == "/my/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.first_name, user.last_name, user.email) == ("Karen", "Holm", "0b5e6c1a@um.example")
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (TENANT, OID)
    assert client.get("/").status_code == 200


def test_sign_in_returns_to_the_page_first_asked_for(client, sso):
    response = sign_in(client, sso, "karen", entra_claims(OID), next_url="/strategies/")
    assert response["Location"] == "/strategies/"


def test_a_changed_email_keeps_the_same_user(client, sso):
    sign_in(client, sso, "karen", entra_claims(OID))
    first = signed_in_user(client)
    client.logout()

    sign_in(client, sso, "karen", entra_claims(OID, email="karen.holm@um.example"))

    again = signed_in_user(client)
    assert again == first
    again.refresh_from_db()
    assert again.email == "karen.holm@um.example"
    assert get_user_model().objects.count() == 1


def test_the_same_email_with_another_object_id_is_another_user(client, sso):
    sign_in(client, sso, "karen", entra_claims(OID, email="shared@um.example"))
    first = signed_in_user(client)
    client.logout()

    other_oid = "9f1d2c3b-2222-4c6e-9a1b-5d2f0e4c7a02"
    sign_in(client, sso, "other", entra_claims(other_oid, email="shared@um.example"))

    second = signed_in_user(client)
    assert second is not None and second != first
    assert ExternalIdentity.objects.get(user=second).subject == other_oid


def test_an_existing_local_account_with_the_same_email_is_not_taken_over(client, sso):
    local = get_user_model().objects.create_user("karen-local", email="0b5e6c1a@um.example")

    sign_in(client, sso, "karen", entra_claims(OID))

    assert signed_in_user(client) != local
    assert not ExternalIdentity.objects.filter(user=local).exists()


def test_without_tenant_and_object_id_the_issuer_and_subject_are_the_key(client, sso):
    claims = {"email": "generic@example.org", "roles": ["StrategyMonitor.Manager"]}
    sign_in(client, sso, "generic-subject", claims)

    identity = ExternalIdentity.objects.get(user=signed_in_user(client))
    assert (identity.issuer, identity.subject) == (sso.issuer, "generic-subject")


def test_the_roles_claim_sets_the_users_groups(client, sso):
    sign_in(client, sso, "karen", entra_claims(OID, roles=["StrategyMonitor.Manager"]))
    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {"Manager"}


def test_each_sign_in_adds_and_removes_only_the_groups_the_map_governs(client, sso):
    sign_in(client, sso, "karen", entra_claims(OID, roles=["StrategyMonitor.Manager"]))
    user = signed_in_user(client)
    user.groups.add(Group.objects.get_or_create(name="Financial officer")[0])
    client.logout()

    sign_in(client, sso, "karen", entra_claims(OID, roles=["StrategyMonitor.Observer", "Other"]))

    # Manager is governed and no longer claimed; Financial officer is not in this map.
    assert set(user.groups.values_list("name", flat=True)) == {"Observer", "Financial officer"}


def test_the_groups_claim_can_carry_the_roles(client, sso, settings):
    group_id = "5c0c8d8e-3333-4c6e-9a1b-5d2f0e4c7a03"
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = f"{group_id}=Desk officer"

    sign_in(client, sso, "karen", entra_claims(OID, roles=[], groups=[group_id, "unmapped-id"]))

    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {"Desk officer"}


def test_an_account_without_a_role_gets_the_no_access_page(client, sso):
    response = sign_in(client, sso, "karen", entra_claims(OID, roles=["Unknown.Role"]))

    assert response["Location"] == reverse("no_access")
    assert signed_in_user(client) is None
    page = client.get(reverse("no_access"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "has no role in Strategy Monitor" in text
    assert "Desk officer" in text and "Observer" in text
    assert "the Strategy Monitor administrator" in text
    assert "too many" not in text


def test_a_groups_overage_is_no_groups_and_the_page_says_why(client, sso, settings, caplog):
    settings.OIDC_ROLE_CLAIM = "groups"
    claims = entra_claims(
        OID,
        roles=[],
        _claim_names={"groups": "src1"},
        _claim_sources={"src1": {"endpoint": "https://graph.example/getMemberObjects"}},
    )

    response = sign_in(client, sso, "karen", claims)

    assert response["Location"] == reverse("no_access")
    assert signed_in_user(client) is None
    assert "sso.role_claim_overage" in caplog.text
    page = client.get(reverse("no_access"))
    assert page.status_code == 403
    assert "sent no list of your groups" in page.content.decode()


def test_a_superuser_signs_in_without_a_role(client, sso):
    sign_in(client, sso, "karen", entra_claims(OID, roles=[]))
    user = get_user_model().objects.get()
    user.is_superuser = True
    user.save()

    sign_in(client, sso, "karen", entra_claims(OID, roles=[]))
    assert signed_in_user(client) == user


def test_a_token_signed_by_an_unknown_key_sends_back_to_login_with_a_message(
    client, sso, settings, jwks_server
):
    url, keys = jwks_server
    keys["keys"] = []
    settings.OIDC_OP_JWKS_ENDPOINT = url

    response = sign_in(client, sso, "karen", entra_claims(OID))

    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert response.wsgi_request.sso_refusal.check == "signature"
    page = client.get(reverse("login"))
    assert "Signing in with your ministry account did not succeed" in page.content.decode()


def test_an_unreachable_provider_is_said_so_on_the_login_page(client, sso, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    sso_provider.forget_discovery()

    response = client.get(reverse("oidc_authentication_init"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "cannot be reached just now" in response.content.decode()


def test_sign_in_pages_answer_404_while_single_sign_on_is_off(client, settings):
    settings.OIDC_ISSUER = ""
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_sign_ins_refused_for_want_of_a_role_do_not_lock_out_an_office(client, sso, settings):
    # Colleagues behind one address must not lock each other out: the password lockout
    # counts failed passwords, not accounts the provider vouched for.
    for number in range(settings.AXES_FAILURE_LIMIT + 1):
        oid = f"0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a{number:02d}"
        response = sign_in(client, sso, f"user{number}", entra_claims(oid, roles=[]))
        assert response.status_code == 302
        assert response["Location"] == reverse("no_access")
    response = sign_in(client, sso, "karen", entra_claims(OID))
    assert response["Location"] == "/my/"

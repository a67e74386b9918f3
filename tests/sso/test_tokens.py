"""The ID token checks: each refusal comes from the check it names.

The tokens are signed here with a key whose public half a local server publishes as the
provider's key set, so that every token but the one changed in the test is valid.
"""

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from strategy_monitor.sso.backends import ProviderBackend, TokenRefused

ISSUER = "https://login.example/72f988bf-0000-4000-8000-00000000c0de/v2.0"
CLIENT_ID = "strategy-monitor"
NONCE = "n-0S6_WzA2Mj"
KID = "key-1"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()
STRANGER_KEY = _key()


@pytest.fixture
def backend(settings, jwks_server) -> ProviderBackend:
    url, keys = jwks_server
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
    keys["keys"] = [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_OP_JWKS_ENDPOINT = url
    return ProviderBackend()


def claims(**changes) -> dict:
    now = int(time.time())
    values = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        "tid": "72f988bf-0000-4000-8000-00000000c0de",
        "oid": "0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a01",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "nonce": NONCE,
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def token(payload: dict, *, key=SIGNING_KEY, kid: str = KID, algorithm: str = "RS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def refused_check(backend: ProviderBackend, raw: str, nonce: str = NONCE) -> str:
    with pytest.raises(TokenRefused) as refusal:
        backend.verify_token(raw, nonce=nonce)
    return refusal.value.check


def test_a_valid_token_is_accepted(backend):
    payload = backend.verify_token(token(claims()), nonce=NONCE)
    assert payload["oid"] == "0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a01"


def test_a_tampered_token_fails_the_signature_check(backend):
    header, body, signature = token(claims()).split(".")
    changed = claims(oid="ffffffff-ffff-4fff-8fff-ffffffffffff")
    forged_body = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    assert refused_check(backend, f"{header}.{forged_body}.{signature}") == "signature"


def test_a_token_signed_by_another_key_fails_the_signature_check(backend):
    assert refused_check(backend, token(claims(), key=STRANGER_KEY)) == "signature"


def test_a_token_naming_an_unknown_key_fails_the_signature_check(backend):
    assert refused_check(backend, token(claims(), kid="key-2")) == "signature"


def test_a_token_choosing_a_symmetric_algorithm_fails_the_signature_check(backend):
    raw = jwt.encode(claims(), "client-secret-" + "s" * 32, algorithm="HS256", headers={"kid": KID})
    assert refused_check(backend, raw) == "signature"


def test_an_unsigned_token_fails_the_signature_check(backend):
    raw = jwt.encode(claims(), None, algorithm="none", headers={"kid": KID})
    assert refused_check(backend, raw) == "signature"


def test_a_token_from_another_issuer_fails_the_issuer_check(backend):
    other = "https://login.example/00000000-0000-4000-8000-000000000bad/v2.0"
    assert refused_check(backend, token(claims(iss=other))) == "issuer"


def test_a_token_without_an_issuer_fails_the_issuer_check(backend):
    assert refused_check(backend, token(claims(iss=None))) == "issuer"


def test_a_token_for_another_client_fails_the_audience_check(backend):
    assert refused_check(backend, token(claims(aud="another-application"))) == "audience"


def test_a_token_without_an_audience_fails_the_audience_check(backend):
    assert refused_check(backend, token(claims(aud=None))) == "audience"


def test_a_token_for_several_clients_including_ours_is_accepted(backend):
    assert backend.verify_token(token(claims(aud=["other", CLIENT_ID])), nonce=NONCE)


def test_an_expired_token_fails_the_expiry_check(backend):
    past = int(time.time()) - 3600
    assert refused_check(backend, token(claims(iat=past - 60, nbf=past - 60, exp=past))) == "expiry"


def test_a_token_without_an_expiry_fails_the_expiry_check(backend):
    assert refused_check(backend, token(claims(exp=None))) == "expiry"


def test_a_token_not_valid_yet_fails_the_expiry_check(backend):
    later = int(time.time()) + 3600
    assert refused_check(backend, token(claims(nbf=later, exp=later + 3600))) == "expiry"


def test_a_token_with_another_nonce_fails_the_nonce_check(backend):
    assert refused_check(backend, token(claims(nonce="replayed"))) == "nonce"


def test_a_token_without_a_nonce_fails_the_nonce_check(backend):
    assert refused_check(backend, token(claims(nonce=None))) == "nonce"


def test_a_token_is_refused_when_no_nonce_was_sent(backend):
    assert refused_check(backend, token(claims()), nonce="") == "nonce"

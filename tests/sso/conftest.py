"""A real OpenID Connect provider on a free local port, and the settings that point at it."""

import json
import os
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from strategy_monitor.sso.provider import forget_discovery

# authlib, on which the provider is built, warns at import of interfaces the provider uses and
# sets its warnings to always show: they are recorded here and dropped, and leaving the block
# restores the suite's filters.
with warnings.catch_warnings(record=True):
    from oidc_provider_mock import run_server_in_thread

# The provider speaks plain HTTP on the loopback; its OAuth library refuses that otherwise.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "strategy-monitor"
TENANT = "72f988bf-0000-4000-8000-00000000c0de"
ROLE_MAP = (
    "StrategyMonitor.DeskOfficer=Desk officer;StrategyMonitor.Manager=Manager;"
    "StrategyMonitor.Observer=Observer;StrategyMonitor.Administrator=Administrator"
)


@dataclass
class Provider:
    """The running provider: its issuer and how to give an account its claims."""

    issuer: str

    def set_claims(self, sub: str, claims: dict) -> None:
        """Store the claims the provider puts in `sub`'s ID token."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Approve the authorisation request as `sub` and return the callback address."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """Run the OpenID Connect provider in a thread for the whole session."""
    with run_server_in_thread(port=0, require_nonce=True) as server:
        yield Provider(issuer=f"http://localhost:{server.server_port}")


@pytest.fixture
def sso(settings, oidc_provider) -> Iterator[Provider]:
    """Switch single sign-on on against the local provider, endpoints read from discovery."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_ROLE_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.LOCAL_LOGIN = "admins"
    forget_discovery()
    yield oidc_provider
    forget_discovery()


def sign_in(client: Client, provider: Provider, sub: str, claims: dict, *, next_url: str = ""):
    """Go through the whole sign-in as `sub` with `claims`; return the callback's response."""
    provider.set_claims(sub, claims)
    start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    callback = urlsplit(provider.authorize(response["Location"], sub))
    return client.get(callback.path, parse_qs(callback.query))


def entra_claims(oid: str, *, roles=("StrategyMonitor.DeskOfficer",), **extra) -> dict:
    """Return the claims Entra ID puts in an ID token for the account `oid`."""
    return {
        "tid": TENANT,
        "oid": oid,
        "email": f"{oid[:8]}@um.example",
        "preferred_username": f"{oid[:8]}@um.example",
        "name": "Karen Holm",
        "roles": list(roles),
        **extra,
    }


class _KeysHandler(BaseHTTPRequestHandler):
    keys: dict = {}

    def do_GET(self):
        body = json.dumps(self.keys).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[tuple[str, dict]]:
    """Serve a JSON Web Key Set over HTTP; the test puts its public keys into the dict."""
    keys: dict = {"keys": []}
    handler = type("Handler", (_KeysHandler,), {"keys": keys})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/keys", keys
    server.shutdown()
    server.server_close()

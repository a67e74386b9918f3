"""The identity provider's endpoints: each set explicitly, or read from its discovery document."""

import logging
import threading

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

# The library's setting names and the discovery document's keys that supply them.
DISCOVERED_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # nosec B105: a key of the document, not a secret
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}

_documents: dict[str, dict] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not name our issuer."""


def sso_enabled() -> bool:
    """Return whether single sign-on is configured: an issuer and a client id."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def discovery_document(*, issuer: str) -> dict:
    """Return the discovery document of `issuer`, read once and kept for the process's life."""
    with _lock:
        if issuer in _documents:
            return _documents[issuer]
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        # Not kept: the next sign-in tries again once the provider answers.
        logger.warning("sso.discovery_failed", extra={"url": url, "error": str(error)})
        raise ProviderUnavailable(f"The sign-in service at {url} did not answer.") from error
    if document.get("issuer") != issuer:
        # The document must speak for the issuer whose tokens we accept (OpenID Discovery §4.3).
        raise ProviderUnavailable(
            f"The discovery document at {url} names the issuer {document.get('issuer')!r}, "
            f"not {issuer!r}."
        )
    with _lock:
        _documents[issuer] = document
    return document


def forget_discovery() -> None:
    """Drop every kept discovery document, so that the next sign-in reads it again."""
    with _lock:
        _documents.clear()


def provider_setting(name: str, *default):
    """Return the setting `name`, taking an endpoint left unset from the discovery document.

    Raises ProviderUnavailable when an endpoint is needed and the provider does not answer.
    """
    if name not in DISCOVERED_ENDPOINTS:
        return getattr(settings, name, *default) if default else getattr(settings, name, None)
    value = getattr(settings, name, "")
    if not value and sso_enabled():
        value = discovery_document(issuer=settings.OIDC_ISSUER).get(DISCOVERED_ENDPOINTS[name])
    return value or (default[0] if default else None)

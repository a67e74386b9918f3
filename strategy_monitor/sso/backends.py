"""Authentication backends: sign-in through the provider, and password logins where allowed."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from strategy_monitor.sso.provider import ProviderUnavailable, provider_setting, sso_enabled
from strategy_monitor.sso.roles import (
    ClaimedRoles,
    administrator_checks,
    claimed_roles,
    governed_groups,
)
from strategy_monitor.sso.services import identity_key, identity_user_sign_in, user_roles_sync

logger = logging.getLogger(__name__)

LOCAL_LOGIN_MODES = ("all", "admins", "off")
# The claims every ID token must carry before it is read at all.
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class TokenRefused(SuspiciousOperation):
    """An ID token failed one of the checks; `check` names which."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(f"ID token refused ({check}): {message}")
        self.check = check


class NoRole(SuspiciousOperation):
    """The account signed in, but its claims give no role in the product."""

    def __init__(self, roles: ClaimedRoles) -> None:
        super().__init__("The account's claims give no role in the product.")
        self.roles = roles


def local_login_allows(user) -> bool:
    """Return whether LOCAL_LOGIN lets `user` log in with a password."""
    mode = settings.LOCAL_LOGIN
    if mode == "all":
        return True
    if mode == "admins":
        return user.is_superuser or any(check(user) for check in administrator_checks)
    return False


def provider_sign_in_attempt(request, credentials=None) -> bool:
    """Return whether an attempt is a provider's callback, which django-axes must not count.

    The lockout counts failed passwords per user name and address. A callback carries no
    password, and many colleagues share an office's address: counting their refusals (no role)
    would lock the office out of signing in.
    """
    return bool(credentials) and "nonce" in credentials and "password" not in credentials


class PasswordBackend(ModelBackend):
    """Log in with a user name and password, as far as LOCAL_LOGIN allows.

    Guarding here rather than in the login form keeps the admin's own login page and existing
    sessions to the same rule: switching LOCAL_LOGIN to "admins" ends other password sessions.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and local_login_allows(user)


class ProviderBackend(OIDCAuthenticationBackend):
    """Sign users in with the authorisation code flow of the ministry's OpenID Connect provider.

    The library checks the token's signature and nonce; its `aud` is not checked and its `iss`
    and `exp` are not required, so `verify_token` checks signature, algorithm, issuer,
    audience, expiry and nonce itself. The user is found by the account's stable key
    (`identity_key`), never by e-mail.
    """

    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        # Endpoints are looked up only when a sign-in needs them, so that a password login
        # never waits on the provider.
        self.UserModel = get_user_model()

    get_settings = staticmethod(provider_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider_setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider_setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    def authenticate(self, request, **kwargs):
        """Return the user of a provider's callback, or None with the reason on the request."""
        # Only the callback view passes the nonce it sent; a password login never reaches here.
        if request is None or "nonce" not in kwargs or not sso_enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except TokenRefused as refusal:
            logger.warning("sso.token_refused", extra={"check": refusal.check})
            request.sso_refusal = refusal
        except (requests.RequestException, ProviderUnavailable) as error:
            logger.warning("sso.provider_error", extra={"error": str(error)})
            request.sso_refusal = error
        return None

    def verify_token(self, token, **kwargs) -> dict:
        """Return the claims of the ID token `token`, refusing any that fails a check."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused("signature", "the token cannot be read") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            # Never let the token choose its own algorithm ("none", or HS256 with a public key).
            raise TokenRefused("signature", f"algorithm {header.get('alg')!r} is not accepted")
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenRefused("expiry", "the token has expired") from error
        except jwt.ImmatureSignatureError as error:
            raise TokenRefused("expiry", "the token is not valid yet") from error
        except jwt.InvalidIssuerError as error:
            raise TokenRefused("issuer", "the token comes from another issuer") from error
        except jwt.InvalidAudienceError as error:
            raise TokenRefused("audience", "the token is meant for another client") from error
        except jwt.MissingRequiredClaimError as error:
            check = {"iss": "issuer", "aud": "audience", "exp": "expiry"}.get(error.claim, "claims")
            raise TokenRefused(check, f"the token has no {error.claim!r}") from error
        except jwt.PyJWTError as error:
            # Among them InvalidSignatureError: the token was changed or signed by another key.
            raise TokenRefused("signature", str(error)) from error
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise TokenRefused("nonce", "the token does not answer this sign-in")
        return payload

    def retrieve_matching_jwk(self, token) -> jwt.PyJWK:
        """Return the provider's public key that signed `token`: the one its `kid` names.

        A token without a `kid` is accepted only from a provider that publishes a single key.
        """
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig" and key.get("alg", header["alg"]) == header["alg"]
        ]
        if "kid" in header:
            keys = [key for key in keys if key.get("kid") == header["kid"]]
        if len(keys) != 1:
            raise TokenRefused("signature", "no single key of the provider matches the token")
        try:
            return jwt.PyJWK(keys[0], algorithm=header["alg"])
        except jwt.PyJWTError as error:
            raise TokenRefused("signature", "the provider's key cannot be read") from error

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        """Return the verified ID token's claims.

        Entra ID puts the tenant, object id and roles in the ID token; its user info endpoint
        belongs to Microsoft Graph and carries none of them.
        """
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """Return the user of the account that signed in, with its role groups set."""
        claims = self.get_userinfo(access_token, id_token, payload)
        key = identity_key(claims)
        if key is None:
            raise TokenRefused("claims", "the token names no stable account (tid+oid, iss+sub)")
        user = identity_user_sign_in(issuer=key[0], subject=key[1], claims=claims)
        roles = claimed_roles(claims)
        user_roles_sync(user=user, governed=governed_groups(), granted=roles.groups)
        if not roles.groups and not user.is_superuser:
            logger.info("sso.no_role", extra={"user": user.username, "overage": roles.overage})
            self.request.sso_refusal = NoRole(roles)
            return None
        return user

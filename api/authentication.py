"""API tokens in the Authorization header: `Bearer <token>` or `Token <token>`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.services import api_token_check, api_token_touch

KEYWORDS = (b"bearer", b"token")
REFUSED = _("The token is unknown, revoked or expired, or its user is deactivated.")


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate a request by the API token it carries, refusing one that may not be used."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header holds no token."))
        try:
            text = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(REFUSED) from error
        token = api_token_check(text=text)
        if token is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes a request without credentials answer 401 rather than 403.
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describe the token in the OpenAPI schema as HTTP bearer authentication."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A per-user API token issued by an administrator: "
                "`Authorization: Bearer <token>` (or `Token <token>`)."
            ),
        }

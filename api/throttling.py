"""Request rates per user and per anonymous address, read from the settings on each request."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class ApiUserRateThrottle(UserRateThrottle):
    """Limit each signed-in user (session or token) to API_THROTTLE_USER requests."""

    scope = "api_user"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class ApiAnonRateThrottle(AnonRateThrottle):
    """Limit requests without valid credentials to API_THROTTLE_ANON per address."""

    scope = "api_anon"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

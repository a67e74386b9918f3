"""System checks of the single sign-on settings, run by manage.py check, migrate and runserver."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from strategy_monitor.sso.provider import sso_enabled
from strategy_monitor.sso.roles import product_roles, role_map_parse


@register()
def sso_settings_check(app_configs=None, **kwargs):
    """Report a role map that cannot be read or names no role, and a site nobody can enter."""
    problems = []
    try:
        mapping = role_map_parse(settings.OIDC_ROLE_MAP)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="sso.E001")]
    known = set(product_roles)
    unknown = sorted({group for group in mapping.values() if group not in known})
    if unknown:
        problems.append(
            Warning(
                f"OIDC_ROLE_MAP names groups that give no role: {', '.join(unknown)}.",
                hint=f"The roles are: {', '.join(product_roles)}.",
                id="sso.W001",
            )
        )
    if settings.LOCAL_LOGIN == "off" and not sso_enabled():
        problems.append(
            Warning(
                "LOCAL_LOGIN is off and single sign-on is not configured: nobody can log in.",
                hint="Set OIDC_ISSUER and OIDC_CLIENT_ID, or LOCAL_LOGIN=admins.",
                id="sso.W002",
            )
        )
    if sso_enabled() and not settings.OIDC_RP_CLIENT_SECRET:
        problems.append(
            Warning(
                "Single sign-on is on without OIDC_CLIENT_SECRET: the provider will refuse "
                "to exchange the sign-in's code.",
                id="sso.W003",
            )
        )
    return problems

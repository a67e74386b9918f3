"""The sign-in, provider callback, sign-out and no-access pages."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from mozilla_django_oidc import views as oidc_views

from strategy_monitor.preferences.services import start_page_url
from strategy_monitor.sso.backends import NoRole
from strategy_monitor.sso.forms import LocalLoginForm
from strategy_monitor.sso.provider import ProviderUnavailable, provider_setting, sso_enabled
from strategy_monitor.sso.roles import product_roles

logger = logging.getLogger(__name__)

NO_ROLE_SESSION_KEY = "sso_no_role"
FAILED_MESSAGE = gettext_lazy(
    "Signing in with your ministry account did not succeed. Try again; if it fails again, "
    "ask %(contact)s."
)
UNAVAILABLE_MESSAGE = gettext_lazy(
    "The ministry's sign-in service cannot be reached just now. Try again in a few minutes."
)


def landing_url(next_url: str | None, *, user) -> str:
    """Return where a login leads: the page asked for, else the user's start page.

    Opening the site's bare address sends a visitor to the login page with that address as
    `next`; it names no page the user chose, so they land on their start page (My tasks,
    unless they chose another in their settings).
    """
    if not next_url or next_url == resolve_url("home"):
        return start_page_url(user=user)
    return next_url


class SignInView(auth_views.LoginView):
    """The login page: the ministry account first, the password form where LOCAL_LOGIN allows."""

    authentication_form = LocalLoginForm

    def get_success_url(self):
        return landing_url(self.get_redirect_url(), user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        context["local_login"] = settings.LOCAL_LOGIN
        context["access_contact"] = settings.OIDC_ACCESS_CONTACT
        return context


class ProviderMixin:
    """Answer 404 while single sign-on is off, and read endpoints only when they are needed."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, **kwargs):
        # The library reads the endpoints here; ours are read on the request, after the check.
        for key, value in kwargs.items():
            setattr(self, key, value)

    def dispatch(self, request, *args, **kwargs):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().dispatch(request, *args, **kwargs)
        except ProviderUnavailable:
            messages.error(request, UNAVAILABLE_MESSAGE)
            return redirect(settings.LOGIN_URL)


@method_decorator(login_not_required, name="dispatch")
class SignInStartView(ProviderMixin, oidc_views.OIDCAuthenticationRequestView):
    """Send the browser to the provider's authorisation endpoint, with state and nonce."""

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:
        return provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID


@method_decorator(login_not_required, name="dispatch")
class SignInCallbackView(ProviderMixin, oidc_views.OIDCAuthenticationCallbackView):
    """Take the provider's answer: exchange the code, verify the token, sign the user in."""

    @property
    def success_url(self) -> str:
        # The library's own default is LOGIN_REDIRECT_URL; the page asked for is read here so
        # that without one the user's start page applies.
        return landing_url(self.request.session.get("oidc_login_next"), user=self.user)

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None)
        if isinstance(refusal, NoRole):
            self.request.session[NO_ROLE_SESSION_KEY] = {"overage": refusal.roles.overage}
            return redirect("no_access")
        if isinstance(refusal, ProviderUnavailable):
            messages.error(self.request, UNAVAILABLE_MESSAGE)
        else:
            messages.error(self.request, FAILED_MESSAGE % {"contact": settings.OIDC_ACCESS_CONTACT})
        return redirect(settings.LOGIN_URL)


@method_decorator(login_not_required, name="dispatch")
class SignOutView(oidc_views.OIDCLogoutView):
    """Log out, and end the session at the provider too when the user signed in there."""

    http_method_names = ["post"]
    get_settings = staticmethod(provider_setting)


def provider_logout_url(request) -> str:
    """Return where logging out leads: the provider's end-session endpoint, or the login page.

    RP-initiated logout: the ID token tells the provider whose session to end, and the
    provider sends the browser back to the login page afterwards.
    """
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (id_token and sso_enabled()):
        return after
    try:
        endpoint = provider_setting("OIDC_OP_LOGOUT_ENDPOINT")
    except ProviderUnavailable:
        return after
    if not endpoint:
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(after),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"


@method_decorator(login_not_required, name="dispatch")
class NoAccessView(TemplateView):
    """Tell a signed-in account without a role that it has no access, and whom to ask."""

    template_name = "registration/no_access.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=403)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = self.request.session.get(NO_ROLE_SESSION_KEY) or {}
        context["overage"] = bool(refusal.get("overage"))
        context["roles"] = list(product_roles)
        context["contact"] = settings.OIDC_ACCESS_CONTACT
        return context

"""Login throttling with django-axes: the backend, the client's address and the lockout page."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

LOCKED_OUT_CODE = "locked_out"


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse logins of a user name locked out after repeated failures from one address.

    A login through a web form always comes with its request, and is counted and throttled.
    Code that authenticates without a request (the test client, a shell) has no remote party
    to throttle, and is passed on to the next backend rather than refused.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address, looking through TRUSTED_PROXY_COUNT proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the client is the entry that many places from the end; anything before it may be
    forged by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote


def lockout_message(minutes: int) -> str:
    """Return the message shown on the login page to a locked-out user name."""
    return _(
        "Too many failed log-in attempts for this user name. For your security, logging in "
        "is blocked for %(minutes)s minutes. Try again after that; if you have forgotten your "
        "password, ask an administrator."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """Show the login page with the lockout message: 429 with Retry-After."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, round(seconds / 60))
    form = AuthenticationForm(
        request, initial={"username": get_client_username(request, credentials) or ""}
    )
    # An unbound form carrying one error: the page shows it where it shows refused logins.
    form.cleaned_data = {}
    form._errors = ErrorDict()
    form.add_error(None, ValidationError(lockout_message(minutes), code=LOCKED_OUT_CODE))
    response: HttpResponse = TemplateResponse(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", "") or request.GET.get("next", "")},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response.render()

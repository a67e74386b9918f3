"""Middleware for running in production: request log, security headers, size limit,
maintenance mode, one-time form tokens and a friendly answer while the database is
unavailable."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.signals import request_finished
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from strategy_monitor.errors import database_unavailable, maintenance_response, too_large
from strategy_monitor.formtokens import (
    FORM_TOKEN_FIELD,
    form_token_claim,
    form_token_finish,
    form_token_is_well_formed,
)
from strategy_monitor.health import HEALTH_PATH, healthz, maintenance_on
from strategy_monitor.logging import current_request_id, request_id_for

request_logger = logging.getLogger("strategy_monitor.request")

REQUEST_ID_HEADER = "X-Request-ID"


def path_for_log(request: HttpRequest) -> str:
    """Return the request's path with any secret token in it masked.

    Calendar feed addresses carry the subscriber's token: it must not reach the logs.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        return request.path.replace(match.kwargs["token"], "[token]")
    return request.path


def _user_id(request: HttpRequest):
    """Return the id of the request's user if it was already loaded, without a query."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is None or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


@receiver(request_finished)
def _request_id_clear(**kwargs) -> None:
    current_request_id.set(None)


class RequestLogMiddleware:
    """Give each request an id and log one line for it: method, path, status and duration.

    The id comes from an incoming X-Request-ID when it is a plain token (a load balancer or
    proxy that set one keeps its id), else it is made here; every record logged while the
    request is handled carries it, and the response returns it in X-Request-ID. Being the
    outermost middleware, it sees every answer: pages, /healthz, error and 500 pages.
    Static files are logged at DEBUG level only, so the log shows pages, not their assets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        current_request_id.set(request.request_id)
        response = self._logged(request)
        response[REQUEST_ID_HEADER] = request.request_id
        # Django logs an answer of 400 and above ("Not Found") after the middleware has
        # returned, and a streamed download runs later still: the id stays until the response
        # is closed (request_finished), and every request sets its own first.
        return response

    def _logged(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        is_static = request.path.startswith(settings.STATIC_URL)
        level = logging.DEBUG if is_static else logging.INFO
        if response.status_code >= 500:
            level = logging.ERROR
        if request_logger.isEnabledFor(level):
            path = path_for_log(request)
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
        return response


class SecurityHeadersMiddleware:
    """Add the Content Security Policy and Permissions-Policy to every response.

    Django's SecurityMiddleware and XFrameOptionsMiddleware set HSTS, nosniff, the referrer
    policy, the opener policy and X-Frame-Options; Django 5.2 has no CSP of its own. A view
    that sets a stricter policy of its own (the evidence download) keeps it. Django's debug
    pages, shown only with DEBUG on, rely on inline script and are left without a policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateCacheMiddleware:
    """Keep what a signed-in user is shown out of shared and browser caches.

    A response to a signed-in user that sets no Cache-Control gets `private, no-store`, as the
    file downloads send themselves: pages and table downloads hold the strategy's data, and a
    proxy or the back button must not show them to the next person at the computer. A view
    that sets its own (a calendar feed) keeps it; answers to anonymous requests (the login
    page, the health check, static files) are left as their views made them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a user already loaded counts, so a response never costs a query for this.
        if "Cache-Control" not in response and _user_id(request) is not None:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds MAX_REQUEST_BYTES with 413, unread.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of upload
    to a temporary file before a form can look at it; this stops an oversized body first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return too_large()
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer /healthz before sessions, users, host checks and maintenance are looked at.

    The health check then costs exactly its one query whatever cookies come with it, answers
    JSON even while the database is gone, and answers a load balancer that addresses the
    server by its IP rather than by an allowed host name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


class MaintenanceModeMiddleware:
    """Answer every page with the maintenance page (503, Retry-After); /healthz still answers.

    Switch it on with MAINTENANCE_MODE=true (at start) or by creating the flag file
    MAINTENANCE_FILE (var/maintenance by default), which takes effect at once on every
    server that sees the file; delete the file to switch it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if maintenance_on():
            return maintenance_response()
        return self.get_response(request)


ALREADY_SUBMITTED = gettext_lazy("This form was already submitted; here is the result.")


class FormTokenMiddleware:
    """Let each rendered form be sent once (`strategy_monitor.formtokens`).

    The token is claimed just before the view runs, after the CSRF and login checks, so a post
    those refuse spends nothing. A repeated post is answered with the first one's result
    without reaching its view; a post without a token passes untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "form_token_claimed", None)
        if token is not None:
            form_token_finish(token=token, response=response)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        token = request.POST.get(FORM_TOKEN_FIELD, "")
        if not form_token_is_well_formed(token):
            return None
        earlier = form_token_claim(token=token)
        if earlier is None:
            request.form_token_claimed = token
            return None
        if earlier.in_flight:
            return TemplateResponse(request, "form_in_flight.html", status=409)
        messages.info(request, ALREADY_SUBMITTED)
        return HttpResponseRedirect(earlier.location)


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view into a 503 page with Retry-After.

    Failures before the view (loading the session or the user) reach the same page through
    `strategy_monitor.errors.server_error`, the project's handler500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return database_unavailable(request, exception)
        return None

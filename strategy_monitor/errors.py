"""Error answers that need neither a request context nor the database.

The 500, maintenance and database-unavailable pages are rendered from templates that extend
`error_base.html`, which reads no user, session or database; they work when nothing else does.
"""

import logging
import sys
from decimal import Decimal

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from strategy_monitor.formats import number_grouped

logger = logging.getLogger("strategy_monitor.errors")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context or {}), status=status)
    response["Cache-Control"] = "no-store"
    return response


def maintenance_response() -> HttpResponse:
    """Return the maintenance page: 503 with Retry-After."""
    response = _page("maintenance.html", 503, {"database_unavailable": False})
    response["Retry-After"] = str(settings.MAINTENANCE_RETRY_AFTER)
    return response


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """Return the page shown while the database cannot be reached: 503 with Retry-After."""
    logger.warning(
        "Database unavailable: %s",
        str(exception).strip() or type(exception).__name__,
        extra={"method": request.method, "path": request.path},
    )
    response = _page("maintenance.html", 503, {"database_unavailable": True})
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    return response


def too_large() -> HttpResponse:
    """Return 413 for a request body over the limit."""
    limit_mb = Decimal(settings.MAX_REQUEST_BYTES) / (1024 * 1024)
    return HttpResponse(
        _("The request is too large: at most %(size)s MB can be sent at once.")
        % {"size": number_grouped(limit_mb, 0)},
        status=413,
        content_type="text/plain; charset=utf-8",
    )


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Handle an uncaught error: 503 if the database was lost, else the friendly 500 page.

    Django calls this while the exception is being handled, so `sys.exc_info()` names it;
    a failure to reach the database in middleware (loading the session) lands here.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request, exception)
    return _page(template_name, 500)

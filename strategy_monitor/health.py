"""The health check for load balancers and monitoring: is the database answering?"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("strategy_monitor.health")

HEALTH_PATH = "/healthz"


def maintenance_on() -> bool:
    """Return whether the application is switched to maintenance (setting or flag file)."""
    return settings.MAINTENANCE_MODE or settings.MAINTENANCE_FILE.exists()


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 if the database answers one `SELECT 1`, else 503; JSON either way.

    Needs no login and reads no session (`HealthCheckMiddleware` answers it before the
    session middleware), so it costs one query. It answers during maintenance too, so that a
    load balancer keeps the server while it shows that page.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable", "maintenance": maintenance_on()},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "maintenance": maintenance_on()})

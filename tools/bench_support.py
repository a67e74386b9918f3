"""What the benchmark adds to the server: a timing header and the floor page.

Both are mounted only by `tools.settings_bench`, which the benchmark starts gunicorn
with; the production settings know neither.

- `ServerTimingMiddleware`, outermost, times every request inside the server and counts its SQL
  queries, and answers with `Server-Timing: app;dur=<ms>, db;dur=<ms>, cpu;dur=<ms>` and
  `X-Query-Count: <n>`. The client reads the server's own time, free of its own overheads.
- `floor` is the cheapest page the application can serve: a short text, behind the same
  middleware, login and session as every page. A page's time divided by the floor's says how
  much the page itself costs.
"""

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from strategy_monitor import urls as site_urls

SERVER_TIMING = "Server-Timing"
QUERY_COUNT = "X-Query-Count"
FLOOR_PATH = "bench/floor/"


class QueryCounter:
    """Count the queries run through a database connection, and the time they take."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def server_timing(*, app_ms: float, db_ms: float, cpu_ms: float) -> str:
    """Return the Server-Timing header for the three durations, in milliseconds."""
    return f"app;dur={app_ms:.3f}, db;dur={db_ms:.3f}, cpu;dur={cpu_ms:.3f}"


class ServerTimingMiddleware:
    """Answer every request with the server's time for it and its number of SQL queries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryCounter()
        started, cpu_started = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.thread_time() - cpu_started) * 1000
        response[SERVER_TIMING] = server_timing(
            app_ms=app_ms, db_ms=counter.seconds * 1000, cpu_ms=cpu_ms
        )
        response[QUERY_COUNT] = str(counter.count)
        return response


@require_safe
def floor(request: HttpRequest) -> HttpResponse:
    """Answer a short text: the least a logged-in page can cost."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(FLOOR_PATH, floor, name="bench_floor"),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500

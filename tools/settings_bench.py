"""Settings for the benchmark: the production settings, plus what it measures with.

`tools.bench` serves the application with these, so that pages are measured exactly
as production serves them, with two additions from `tools.bench_support`: the
outermost middleware that times each request and counts its queries, and the floor page at
/bench/floor/. Never serve users with these settings.
"""

from strategy_monitor.settings import *  # noqa: F403

MIDDLEWARE = [
    "tools.bench_support.ServerTimingMiddleware",
    *MIDDLEWARE,  # noqa: F405
]
ROOT_URLCONF = "tools.bench_support"

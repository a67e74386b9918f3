"""Settings for the benchmark: the production settings, plus what it measures with.

`strategy_monitor.bench` serves the application with these, so that pages are measured exactly
as production serves them, with two additions from `strategy_monitor.bench_support`: the
outermost middleware that times each request and counts its queries, and the floor page at
/bench/floor/. Never serve users with these settings.
"""

from strategy_monitor.settings import *  # noqa: F403

MIDDLEWARE = [
    "strategy_monitor.bench_support.ServerTimingMiddleware",
    *MIDDLEWARE,  # noqa: F405
]
ROOT_URLCONF = "strategy_monitor.bench_support"

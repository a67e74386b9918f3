"""The load test: logged-in users on the main pages and an export, against gunicorn and PostgreSQL.

Run it with `make loadtest` (or `python -m tools.loadtest --help`). It loads a
throwaway PostgreSQL database as `make run` does (the IOM strategy, the demo data, its
milestones), serves it with gunicorn in production mode (DEBUG off, a random SECRET_KEY,
ALLOWED_HOSTS set, behind what looks like a TLS proxy: every request says
`X-Forwarded-Proto: https`), logs the demo users in through the login form, and then, for a
fixed time, keeps that many users requesting the portfolio dashboard, the strategy overview,
the risk register and the monitoring workbook (XLSX) in turn, each on its own keep-alive
connection. It prints the requests per second and the 50th and 99th percentile of the latency
the clients saw, per page and overall, and stops everything it started.

Every request must answer 200: an error, a redirect (to the login page, or back from a failed
export) or a refused connection fails the run (exit status 1).
"""

import argparse
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools import loopback
from tools.loopback import HarnessError, say

DEFAULT_DURATION = 20.0
DEFAULT_CONCURRENCY = 4
DEFAULT_WORKERS = 2
USERS = ("desk", "finance", "mission", "manager")
SLUG = {"slug": loopback.IOM_SLUG}
PAGES = (
    ("Portfolio dashboard", "home", {}),
    ("Strategy overview", "priorities:strategy_detail", SLUG),
    ("Risk register", "risks:risk_list", SLUG),
    ("Workbook export", "reports:workbook_download", SLUG),
)
OVERALL = "All requests"


@dataclass(frozen=True)
class Hit:
    """One request of the load: which page, its status (0: no answer) and its latency."""

    page: str
    status: int
    seconds: float
    error: str = ""

    @property
    def failed(self) -> bool:
        """Return whether the request failed: anything but 200, or no answer at all."""
        return self.status != 200


def user_loop(
    fetch: Callable[[str], object],
    paths: Sequence[tuple[str, str]],
    *,
    until: float,
    start: int,
    hits: list[Hit],
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Request `paths` in turn, from the `start`-th, until the clock reaches `until`."""
    turn = start
    while clock() < until:
        label, path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            response = fetch(path)
        except OSError as error:
            hits.append(Hit(label, 0, time.perf_counter() - started, str(error)))
            continue
        hits.append(Hit(label, response.status, response.seconds))


def load_run(
    fetchers: Sequence[Callable[[str], object]], paths: Sequence[tuple[str, str]], duration: float
) -> tuple[list[Hit], float]:
    """Run one thread per fetcher for `duration` seconds; return the hits and the time taken."""
    hits: list[Hit] = []  # list.append is atomic: the threads share the list safely
    until = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=user_loop,
            args=(fetch, paths),
            kwargs={"until": until, "start": number, "hits": hits},
            daemon=True,
        )
        for number, fetch in enumerate(fetchers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return hits, time.perf_counter() - started


@dataclass(frozen=True)
class LoadRow:
    """A page's share of the load: requests, failures, throughput and latency."""

    page: str
    requests: int
    failed: int
    per_second: float
    p50_ms: float
    p99_ms: float
    mean_ms: float


def load_row(page: str, hits: Sequence[Hit], seconds: float) -> LoadRow:
    """Return the row of `hits`, served over `seconds`."""
    latencies = [hit.seconds * 1000 for hit in hits]
    figures = loopback.summary(latencies) if latencies else None
    return LoadRow(
        page=page,
        requests=len(hits),
        failed=sum(hit.failed for hit in hits),
        per_second=len(hits) / seconds if seconds > 0 else 0.0,
        p50_ms=figures.median if figures else 0.0,
        p99_ms=figures.p99 if figures else 0.0,
        mean_ms=figures.mean if figures else 0.0,
    )


def load_aggregate(
    hits: Sequence[Hit], seconds: float, pages: Sequence[str]
) -> tuple[list[LoadRow], LoadRow]:
    """Return one row per page, in the order given, and the row of all requests."""
    rows = [load_row(page, [hit for hit in hits if hit.page == page], seconds) for page in pages]
    return rows, load_row(OVERALL, hits, seconds)


def load_table(rows: Sequence[LoadRow], overall: LoadRow) -> str:
    """Return the table of the load test."""
    header = (
        f"{'Page':<22}{'requests':>10}{'failed':>8}{'req/s':>9}"
        f"{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in (*rows, overall):
        if row is overall:
            lines.append("-" * len(header))
        lines.append(
            f"{row.page:<22}{row.requests:>10}{row.failed:>8}{row.per_second:>9.1f}"
            f"{row.p50_ms:>10.1f}{row.p99_ms:>10.1f}{row.mean_ms:>10.1f}"
        )
    return "\n".join(lines)


def failures_describe(hits: Sequence[Hit], limit: int = 5) -> list[str]:
    """Return a line for each of the first failed requests."""
    return [f"{hit.page}: {hit.error or f'status {hit.status}'}" for hit in hits if hit.failed][
        :limit
    ]


def _paths() -> list[tuple[str, str]]:
    from django.urls import reverse

    return [(label, reverse(name, kwargs=kwargs)) for label, name, kwargs in PAGES]


def run(args: argparse.Namespace) -> int:
    """Run the whole load test; return the exit status."""
    work = loopback.workdir("strategy-monitor-loadtest")
    try:
        return _run(args, work=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, *, work: Path) -> int:
    with loopback.Postgres(prefix="loadtest") as postgres:
        say("Collecting static files …")
        site = loopback.site_prepare(settings_module="strategy_monitor.settings", var_dir=work)
        database = postgres.create("db")
        say(f"Loading the IOM strategy and the demo data into {database} …")
        loopback.site_load(site, database)
        postgres.analyze(database)
        os.environ.update(site.env(database))
        import django

        django.setup()
        paths = _paths()
        say(f"Serving it with gunicorn ({args.workers} workers, DEBUG off) …")
        with loopback.Gunicorn(
            site=site, database=database, workers=args.workers, log_path=work / "gunicorn.log"
        ) as server:
            sessions = []
            for number in range(args.concurrency):
                session = loopback.Session(server.port)
                session.login(USERS[number % len(USERS)], site.password)
                sessions.append(session)
            fetchers = [session.get for session in sessions]
            say("Warming up: every user asks for every page once …")
            for fetch in fetchers:
                for label, path in paths:
                    status = fetch(path).status
                    if status != 200:
                        raise HarnessError(f"{label} answered {status} during the warm-up.")
            say(
                f"Loading for {args.duration:g} s with {args.concurrency} logged-in users "
                f"({', '.join(USERS[: min(args.concurrency, len(USERS))])}) …"
            )
            hits, seconds = load_run(fetchers, paths, args.duration)
            for session in sessions:
                session.close()
            log_tail = server.log_tail(10)

    rows, overall = load_aggregate(hits, seconds, [label for label, _ in paths])
    print()
    print(
        f"{args.concurrency} users for {seconds:.1f} s against gunicorn ({args.workers} workers) "
        "and PostgreSQL on loopback; latency as the clients saw it."
    )
    print()
    print(load_table(rows, overall))
    print()
    if not hits:
        print("No request was answered.")
        return 1
    if overall.failed:
        print(f"FAILED: {overall.failed} of {overall.requests} requests did not answer 200:")
        for line in failures_describe(hits):
            print(f"  {line}")
        print(f"The server's log ended with:\n{log_tail}")
        return 1
    print(f"No errors: all {overall.requests} requests answered 200.")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.loadtest",
        description="Load the main pages and an export with logged-in users, on loopback.",
    )
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="Seconds.")
    parser.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="Logged-in users at once."
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.duration <= 0 or args.concurrency < 1 or args.workers < 1:
        print("--duration, --concurrency and --workers must be positive.", file=sys.stderr)
        return 2
    try:
        return run(args)
    except HarnessError as error:
        print(f"The load test stopped: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Serve the application on loopback against a throwaway PostgreSQL database, and talk to it.

The shared ground of the benchmark (`tools.bench`) and the load test
(`tools.loadtest`):

- `Postgres` starts the local PostgreSQL cluster if it is not running (and stops it again at the
  end only then), makes sure of the `app` role as `.ci/run` does, and creates databases that are
  dropped at the end;
- `site_prepare()` and `site_load()` collect the static files and load a database as `make run`
  does: migrations, the IOM strategy, the demo data and its milestones;
- `Gunicorn` serves the application with DEBUG off, on a free port of 127.0.0.1;
- `Session` is a keep-alive HTTP client with cookies that logs in through the login form and
  says it came over HTTPS (`X-Forwarded-Proto`), as a TLS proxy in front of gunicorn would;
- `percentile()` and `summary()` reduce timings to the figures reported.

Nothing here is used by the application itself.
"""

import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 # runs PostgreSQL's tools, manage.py and gunicorn, never input
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
PG_VERSION = "15"
PG_CLUSTER = "main"
PG_ROLE = "app"
PG_PASSWORD = "app"  # nosec B105 # the local test role of .ci/run, on loopback only
PG_HOST = "127.0.0.1"
PG_PORT = 5432
HOST = "127.0.0.1"
IOM_SLUG = "iom-2023-2026"
DEMO_USERS = ("desk", "finance", "mission", "manager", "admin")
# The same statement as .ci/run's.
ROLE_SQL = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app') THEN
        CREATE ROLE app LOGIN CREATEDB PASSWORD 'app';
    ELSE
        ALTER ROLE app LOGIN CREATEDB PASSWORD 'app';
    END IF;
END
$$;
"""
CSRF_FIELD_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class HarnessError(Exception):
    """Something the run depends on failed; the message says what and what to do."""


def say(message: str) -> None:
    """Print a progress line at once."""
    print(message, flush=True)


def _run(args: Sequence[str], *, env: dict | None = None, cwd: Path | str | None = None):
    return subprocess.run(  # nosec B603 # a fixed command line, no shell
        list(args), env=env, cwd=cwd, capture_output=True, text=True, check=False
    )


# --- PostgreSQL ----------------------------------------------------------------------------------


def database_url(name: str) -> str:
    """Return the address of database `name` for the `app` role."""
    return f"postgres://{PG_ROLE}:{PG_PASSWORD}@{PG_HOST}:{PG_PORT}/{name}"


class Postgres:
    """The local PostgreSQL cluster, with the databases created for one run.

    Use as a context manager: on the way out the databases are dropped and the cluster is
    stopped if this run started it.
    """

    def __init__(self, *, prefix: str):
        self.prefix = f"{prefix}_{os.getpid()}"
        self.started = False
        self.databases: list[str] = []

    def __enter__(self) -> "Postgres":
        try:
            self.start()
            self.role_ensure()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _as_postgres(self, command: str, *, stdin: str | None = None):
        if os.geteuid() != 0:
            raise HarnessError(
                "Starting PostgreSQL or creating its role needs root (run as .ci/run does), "
                f"or start the cluster and create the role {PG_ROLE} yourself."
            )
        return subprocess.run(  # nosec B603 # PostgreSQL's own tools, fixed arguments
            ["/usr/bin/su", "postgres", "-c", command],
            cwd="/",
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )

    def start(self) -> None:
        """Start the cluster unless it is running."""
        if not shutil.which("pg_ctlcluster"):
            raise HarnessError(
                f"PostgreSQL {PG_VERSION} is not installed (pg_ctlcluster not found); "
                f"apt-get install postgresql-{PG_VERSION}."
            )
        status = _run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "status"])
        if status.returncode == 0:
            say(f"PostgreSQL {PG_VERSION}/{PG_CLUSTER} is already running.")
            return
        result = _run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"])
        if result.returncode != 0:
            raise HarnessError(f"Could not start PostgreSQL: {result.stderr.strip()}")
        self.started = True
        say(f"Started PostgreSQL {PG_VERSION}/{PG_CLUSTER}; it is stopped again at the end.")

    def role_ready(self) -> bool:
        """Return whether the `app` role can log in with its password and create databases."""
        import psycopg

        try:
            with self.connect("postgres") as connection:
                row = connection.execute(
                    "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
        except psycopg.Error:
            return False
        return bool(row and row[0])

    def role_ensure(self) -> None:
        """Make sure of the `app` role, as .ci/run does: it logs in and creates databases."""
        if self.role_ready():
            return
        result = self._as_postgres("psql -q -v ON_ERROR_STOP=1", stdin=ROLE_SQL)
        if result.returncode != 0:
            raise HarnessError(f"Could not set up the role {PG_ROLE}: {result.stderr.strip()}")

    def connect(self, name: str):
        """Return an autocommit connection to database `name` as the `app` role."""
        import psycopg

        return psycopg.connect(
            host=PG_HOST,
            port=PG_PORT,
            user=PG_ROLE,
            password=PG_PASSWORD,
            dbname=name,
            autocommit=True,
            connect_timeout=5,
        )

    def create(self, suffix: str, *, template: str | None = None) -> str:
        """Create a database, empty or a copy of `template`, dropped at the end; return its name."""
        name = f"{self.prefix}_{suffix}"
        with self.connect("postgres") as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if template:
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                connection.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    def analyze(self, name: str) -> None:
        """Refresh the planner's statistics, as autovacuum would after a large load."""
        with self.connect(name) as connection:
            connection.execute("VACUUM ANALYZE")

    def close(self) -> None:
        for name in reversed(self.databases):
            try:
                with self.connect("postgres") as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # report it and go on cleaning up
                say(f"Could not drop the database {name}: {error}")
        self.databases.clear()
        if self.started:
            result = _run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "stop"])
            if result.returncode == 0:
                say(f"Stopped PostgreSQL {PG_VERSION}/{PG_CLUSTER} (started by this run).")
            self.started = False


# --- The site: settings, static files, data ------------------------------------------------------


@dataclass
class Site:
    """The environment the application runs in for one run: settings, secrets, folders."""

    settings_module: str
    var_dir: Path
    password: str
    secret_key: str

    def env(self, database: str, **extra: str) -> dict[str, str]:
        """Return the environment for manage.py and gunicorn against `database`."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url(database),
            "VAR_DIR": str(self.var_dir),
            # Behind a TLS proxy: the client says https, so the SSL redirect stays on.
            "USE_X_FORWARDED_PROTO": "true",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env


def site_prepare(*, settings_module: str, var_dir: Path) -> Site:
    """Return a site with a fresh secret key and demo password, its static files collected."""
    site = Site(
        settings_module=settings_module,
        var_dir=var_dir,
        password=secrets.token_urlsafe(12),
        secret_key=secrets.token_urlsafe(50),
    )
    manage(site, "postgres", "collectstatic", "--noinput", "-v", "0")
    return site


def manage(site: Site, database: str, *args: str) -> str:
    """Run `manage.py <args>` against `database`; return its output, or stop with it."""
    result = _run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=site.env(database),
        cwd=BASE_DIR,
    )
    if result.returncode != 0:
        raise HarnessError(
            f"manage.py {shlex.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )
    return result.stdout


def site_load(site: Site, database: str) -> None:
    """Load a database as `make run` does: migrations, the IOM strategy, demo data, milestones."""
    manage(site, database, "migrate", "--noinput", "-v", "0")
    manage(site, database, "loaddata", "iom_2023_2026", "-v", "0")
    # "--password=…": a random password may begin with "-", which would read as an option.
    manage(site, database, "load_demo", f"--password={site.password}")
    manage(site, database, "generate_milestones", IOM_SLUG)


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the application on loopback; a context manager that stops it."""

    def __init__(self, *, site: Site, database: str, workers: int, log_path: Path):
        self.site = site
        self.database = database
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # nosec B603 # our own gunicorn, fixed arguments
            [
                str(gunicorn),
                "strategy_monitor.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
            ],
            cwd=BASE_DIR,
            env=self.site.env(self.database),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                if Session(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise HarnessError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Response:
    """A response as the client received it, with the time it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


@dataclass
class Session:
    """A keep-alive HTTP client on loopback with its own cookies, like one browser."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        """Send one request and read the whole response; reconnect once if the server closed."""
        sent = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept": "text/html,*/*",
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        sent.update(headers or {})
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=sent)
                raw = self.connection.getresponse()
                content = raw.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            if raw.will_close:
                self.close()
            for cookie in raw.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            headers = {name.lower(): value for name, value in raw.getheaders()}
            return Response(raw.status, headers, content, seconds)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, as a browser does (CSRF token, origin)."""
        page = self.get("/login/")
        match = CSRF_FIELD_RE.search(page.body)
        if page.status != 200 or not match:
            raise HarnessError(f"The login page answered {page.status} without a form.")
        body = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": match.group(1).decode(),
            }
        ).encode()
        answer = self.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/login/",
            },
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise HarnessError(f"Logging in as {username} failed (status {answer.status}).")


# --- Statistics ----------------------------------------------------------------------------------


def percentile(values: Iterable[float], fraction: float) -> float:
    """Return the `fraction` quantile (0.5 for the median), interpolating between ranks.

    `statistics.quantiles` with the "inclusive" method, numpy's default ("linear"): with n
    sorted values, the quantile sits at position fraction × (n - 1). The fraction is taken as a
    ratio of whole numbers (0.95 as 19/20), exact for any fraction of up to four decimals.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("No values.")
    if not 0 <= fraction <= 1:
        raise ValueError("The fraction is between 0 and 1.")
    ratio = Fraction(fraction).limit_denominator(10_000)
    if len(ordered) == 1 or ratio.numerator == 0:
        return ordered[0]
    if ratio.numerator == ratio.denominator:
        return ordered[-1]
    cuts = statistics.quantiles(ordered, n=ratio.denominator, method="inclusive")
    return cuts[ratio.numerator - 1]


@dataclass(frozen=True)
class Summary:
    """Count, median, 95th and 99th percentile and mean of a sample."""

    count: int
    median: float
    p95: float
    p99: float
    mean: float


def summary(values: Sequence[float]) -> Summary:
    """Return the summary of a non-empty sample."""
    if not values:
        raise ValueError("No values.")
    return Summary(
        count=len(values),
        median=percentile(values, 0.5),
        p95=percentile(values, 0.95),
        p99=percentile(values, 0.99),
        mean=sum(values) / len(values),
    )


def workdir(prefix: str) -> Path:
    """Return a new temporary folder for a run's static files and logs."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-"))

"""Settings for Strategy Monitor: every deployment value comes from the environment."""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable `name`, or `default` when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable `name` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return the environment variable `name` as an integer."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated environment variable `name` as a list."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off (production) the application needs a long "
            "random SECRET_KEY in its environment, e.g. from "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For local development set DEBUG=true instead."
        )
    # Development only: with DEBUG off the application refuses to start without a real key.
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_filters",
    "django_tables2",
    "simple_history",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "strategy_monitor",
    "priorities",
    "funding",
    "risks",
    "engagement",
    "reports",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Outermost, so that the time and status it logs are those the client sees.
    "strategy_monitor.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "strategy_monitor.middleware.SecurityHeadersMiddleware",
    # Signed-in users' pages and downloads: private, no-store, unless the view says otherwise.
    "strategy_monitor.middleware.PrivateCacheMiddleware",
    "strategy_monitor.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers /healthz itself: no session, user or host check, and JSON whatever happens.
    "strategy_monitor.middleware.HealthCheckMiddleware",
    # After WhiteNoise, so the maintenance page still gets its style sheet; before anything that
    # needs the database.
    "strategy_monitor.middleware.MaintenanceModeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language), then English; a signed-in user's own setting
    # wins (below, once the user is known).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's own language, where they chose one, over the browser's.
    "strategy_monitor.preferences.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the CSRF, login and message middleware: only a post that would reach its view
    # spends its form token, and a repeated one can leave a message.
    "strategy_monitor.middleware.FormTokenMiddleware",
    "strategy_monitor.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_monitor.urls"
WSGI_APPLICATION = "strategy_monitor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% form_token %} stands beside {% csrf_token %} in every form, without a load.
            "builtins": ["strategy_monitor.templatetags.form_tokens"],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    # The embedded default: a SQLite file in the git-ignored var/ folder.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer makes pages fail fast (503) rather than hang.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses logins of a user name locked out after repeated failures (django-axes).
    "strategy_monitor.auth.LoginThrottleBackend",
    # Passwords, as far as LOCAL_LOGIN allows (see "Single sign-on" below).
    "strategy_monitor.sso.backends.PasswordBackend",
    # The ministry's OpenID Connect provider; answers nothing while single sign-on is off.
    "strategy_monitor.sso.backends.ProviderBackend",
]
LOGIN_URL = "login"
# Everyone starts on their own queue; a `next` address still wins.
LOGIN_REDIRECT_URL = "/my/"
LOGOUT_REDIRECT_URL = "login"

# English (British spelling and dates, as the strategies are written) unless a user's setting or
# their browser asks for Danish. Strategy content stays in the language it was written in.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("da", "Dansk")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Named date formats per language: templates write |date:"DATE_FORMAT", never a format of their own.
FORMAT_MODULE_PATH = ["strategy_monitor.formats_locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js ships inside the Python package; serving it ourselves keeps pages off any CDN.
    "strategy_monitor.finders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Media (evidence files) is never served as static files: only through the view that checks
# the right to see the strategy. MEDIA_URL names no route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Security ---------------------------------------------------------------------------------
# Production (DEBUG off) is secure by default; each value can still be set in the environment.
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # shared by every app server
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
# Subdomains and preloading reach beyond this application: each is the operator's choice.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page keeps to this policy: scripts only from our own static files, never inline.
# Inline styles are allowed because plotly.js adds <style> elements while it draws a chart.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Request sizes. Form fields (without files) beyond 2.5 MB are refused with 400; uploads larger
# than FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file rather than memory; any request body
# larger than MAX_REQUEST_BYTES is refused with 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES. Attempts are kept in the
# database, so every app server behind the load balancer counts the same failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "strategy_monitor.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "strategy_monitor.auth.client_ip"
AXES_VERBOSE = False
# Lockouts are listed and lifted with manage.py axes_list_attempts / axes_reset_username USER.
AXES_ENABLE_ADMIN = False
# Proxies in front of the application that append to X-Forwarded-For (e.g. 1 for one load
# balancer). 0 trusts no such header and takes the address of the connection.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Maintenance and faults --------------------------------------------------------------------
# While MAINTENANCE_MODE is on or the flag file exists, every page but /healthz answers 503.
MAINTENANCE_MODE = env_bool("MAINTENANCE_MODE", False)
MAINTENANCE_FILE = Path(env_str("MAINTENANCE_FILE", str(VAR_DIR / "maintenance")))
MAINTENANCE_RETRY_AFTER = env_int("MAINTENANCE_RETRY_AFTER", 600)
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both set. Set only one: EMAIL_USE_TLS for "
        "STARTTLS (usually port 587), EMAIL_USE_SSL for implicit TLS (usually port 465)."
    )
EMAIL_SSL_CERTFILE = env_str("EMAIL_SSL_CERTFILE") or None
EMAIL_SSL_KEYFILE = env_str("EMAIL_SSL_KEYFILE") or None
# Seconds to wait for the mail server, so that a hung server never holds a request or job.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Environment files strip a trailing space; the subject still needs one after the prefix.
EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "[Strategy Monitor]").strip()
EMAIL_SUBJECT_PREFIX += " " if EMAIL_SUBJECT_PREFIX else ""
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "strategy-monitor@localhost")
# The sender of error e-mails to ADMINS.
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# One JSON object per line on standard output (LOG_FORMAT=text for plain lines).
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "strategy_monitor.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    # Every handler masks the tokens of calendar feed addresses, whoever logs them, and names
    # the request being handled.
    "filters": {
        "redact_tokens": {"()": "strategy_monitor.logging.TokenRedactFilter"},
        "request_id": {"()": "strategy_monitor.logging.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "text" if env_str("LOG_FORMAT", "json") == "text" else "json",
            "filters": ["request_id", "redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers write through the same handler, once.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # The development server's request lines repeat what the request log says.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Largest evidence file accepted with indicator progress, in bytes (10 MB by default).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Largest request body accepted at all, in bytes: the largest upload plus room for the form.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", EVIDENCE_MAX_BYTES + 2 * 1024 * 1024)
# Absolute address of the application, for links in e-mails (reminders), e.g. https://monitor.example.org
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- File storage -------------------------------------------------------------------------------
# Where evidence files are kept: FILE_STORAGE=local (the MEDIA_ROOT folder: one server, or a
# folder every server mounts), azure (Azure Blob Storage) or s3. Whatever the backend, files are
# read and written through Django's storage API and served only by the view that checks the
# right to see the strategy: the container or bucket stays private and no address of a stored
# file is ever handed out, so no signed URL is made (expiration_secs None, querystring_auth off).
FILE_STORAGE = env_str("FILE_STORAGE", "local").strip().lower()
if FILE_STORAGE == "azure":
    AZURE_OPTIONS = {
        "azure_container": env_str("AZURE_CONTAINER", "evidence"),
        "expiration_secs": None,
        # Addresses of blobs are never built, so a custom domain would serve no purpose.
        "custom_domain": None,
        # Stored names are random; a clash must never replace another record's file.
        "overwrite_files": False,
        "timeout": env_int("AZURE_TIMEOUT", 20),
    }
    if env_str("AZURE_CONNECTION_STRING"):
        AZURE_OPTIONS["connection_string"] = env_str("AZURE_CONNECTION_STRING")
    elif env_str("AZURE_ACCOUNT_NAME") and env_str("AZURE_ACCOUNT_KEY"):
        AZURE_OPTIONS["account_name"] = env_str("AZURE_ACCOUNT_NAME")
        AZURE_OPTIONS["account_key"] = env_str("AZURE_ACCOUNT_KEY")
    else:
        raise ImproperlyConfigured(
            "FILE_STORAGE=azure needs AZURE_CONNECTION_STRING, or AZURE_ACCOUNT_NAME and "
            "AZURE_ACCOUNT_KEY, in the environment (and AZURE_CONTAINER, default 'evidence')."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": AZURE_OPTIONS,
    }
elif FILE_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured(
            "FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME in the environment, and boto3 "
            "installed (pip install -e '.[s3]')."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the instance's role.
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
elif FILE_STORAGE != "local":
    raise ImproperlyConfigured(f"FILE_STORAGE is {FILE_STORAGE!r}; it must be local, azure or s3.")
# The Azure SDK logs every request and response at INFO: only its warnings and errors are kept.
LOGGING["loggers"]["azure"] = {"handlers": ["console"], "level": "WARNING", "propagate": False}
# --- Background tasks -------------------------------------------------------------------------
# Long exports and imports run off the request (reports.jobs): django-tasks with its database
# backend, so no broker is needed; `manage.py db_worker` runs them (make run and make serve start
# it, deploy/systemd/strategy-monitor-worker.service in production). TASKS_BACKEND=immediate runs
# every task inside the request that starts it, for an installation without a worker.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env_str("TASKS_BACKEND", "database").strip().lower()],
    }
}
# How long a finished job's file is kept for its user, in hours (a day by default).
JOB_KEEP_HOURS = env_int("JOB_KEEP_HOURS", 24)
# A workbook of more rows than this is exported as a job; a smaller one answers directly.
WORKBOOK_DIRECT_MAX_ROWS = env_int("WORKBOOK_DIRECT_MAX_ROWS", 2_000)

# --- Operations ---
# Error e-mails (Django's mail_admins) go to ADMINS: "Name <address>, ..." or plain addresses.
# Empty by default: no e-mail is sent.
ADMINS = [
    (name or address, address)
    for name, address in getaddresses([env_str("ADMINS")])
    if "@" in address
]
if ADMINS:
    LOGGING["filters"]["require_debug_false"] = {"()": "django.utils.log.RequireDebugFalse"}
    LOGGING["handlers"]["mail_admins"] = {
        "class": "strategy_monitor.logging.RequestIdAdminEmailHandler",
        "level": "ERROR",
        "filters": ["require_debug_false", "request_id", "redact_tokens"],
    }
    LOGGING["loggers"]["django"]["handlers"].append("mail_admins")

# Error tracking (Sentry or a compatible service): only with SENTRY_DSN set. No personal data
# is sent (no user, cookies, addresses or form bodies); reports carry the request id instead.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from strategy_monitor.logging import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # A frame's local variables may hold a user, a form's values or a request.
        include_local_variables=False,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        before_send=sentry_before_send,
    )

# Personal data: how long it is kept, and whom to ask about it (the privacy notice).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL")
# Departed (inactive) users whose last login is older than this are anonymised.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 365 * 5)
# Login attempt records and expired sessions older than this are deleted.
LOGIN_ATTEMPT_RETENTION_DAYS = env_int("LOGIN_ATTEMPT_RETENTION_DAYS", 90)
# Accessibility: whom to tell about a problem, and the official statement published with the
# Agency for Digital Government's tool (linked from every page's footer when set).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "um@um.dk")
ACCESSIBILITY_STATEMENT_URL = env_str("ACCESSIBILITY_STATEMENT_URL")
# --- Single sign-on ---
# Sign-in through the ministry's OpenID Connect provider (Microsoft Entra ID), on only when both
# OIDC_ISSUER and OIDC_CLIENT_ID are set. README, "Single sign-on (Microsoft Entra ID)", says
# how to register the application and which value goes where.
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
# Endpoints are read from the issuer's /.well-known/openid-configuration unless set here.
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_END_SESSION_ENDPOINT")
# The claim whose values give the product's roles ("roles" for Entra ID's app roles, or
# "groups"), and which value gives which group: "claim value=Group name;...".
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "roles")
OIDC_ROLE_MAP = env_str(
    "OIDC_ROLE_MAP",
    "StrategyMonitor.DeskOfficer=Desk officer;StrategyMonitor.FinancialOfficer=Financial officer;"
    "StrategyMonitor.MissionStaff=Mission staff;StrategyMonitor.Manager=Manager;"
    "StrategyMonitor.Administrator=Administrator;StrategyMonitor.Observer=Observer",
)
# Whom the no-access page tells an account without a role to ask.
OIDC_ACCESS_CONTACT = env_str("OIDC_ACCESS_CONTACT", "the Strategy Monitor administrator")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Seconds of clock difference with the provider tolerated when a token's times are checked.
OIDC_CLOCK_SKEW = env_int("OIDC_CLOCK_SKEW", 60)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
# Kept in the session for the provider's logout (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "strategy_monitor.sso.views.provider_logout_url"
# django-axes counts failed passwords; a provider's callback refused for want of a role is none.
AXES_WHITELIST_CALLABLE = "strategy_monitor.sso.backends.provider_sign_in_attempt"
# Password logins: "all", "admins" (superusers and the Administrator group only, the value for
# production with single sign-on: a break-glass account) or "off".
LOCAL_LOGIN = env_str("LOCAL_LOGIN", "admins" if OIDC_ISSUER and OIDC_RP_CLIENT_ID else "all")
if LOCAL_LOGIN not in {"all", "admins", "off"}:
    raise ImproperlyConfigured(f"LOCAL_LOGIN must be all, admins or off, not {LOCAL_LOGIN!r}.")
if OIDC_ISSUER and OIDC_RP_CLIENT_ID:
    # Logging out posts a form that is redirected on to the provider's end-session endpoint.
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {_issuer.scheme}://{_issuer.netloc}"
    )
# --- API ---
# The read-only REST API under /api/v1/ (Django REST framework), its OpenAPI 3 schema and docs.
# Sessions and per-user API tokens sign requests; both are scoped like the pages. Rates are
# "<number>/<second|minute|hour|day>", counted in the default cache.
API_THROTTLE_RATES = {
    "api_user": env_str("API_THROTTLE_USER", "2000/hour"),
    "api_anon": env_str("API_THROTTLE_ANON", "60/hour"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials answers 401 with WWW-Authenticate.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.ApiUserRateThrottle",
        "api.throttling.ApiAnonRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Money as exact decimal strings, never floats.
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategy Monitor API",
    "DESCRIPTION": (
        "Read-only access to the organisation strategies a user may see: strategies, years, "
        "priority areas, framework nodes, indicators with their yearly figures, assessments, "
        "budget lines with their money per year, risks, meetings, action points and milestones. "
        "Money and indicator figures are decimal strings; counts and years are numbers. "
        "`illustrative` marks illustrative demo data. Lists are cursor-paginated: follow `next`."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, where several models share a field name or a scale.
    "ENUM_NAME_OVERRIDES": {
        "DefinitionStatusEnum": "priorities.choices.DefinitionStatus",
        "RiskStatusEnum": "risks.choices.RiskStatus",
        "ActionStatusEnum": "engagement.choices.ActionStatus",
        "LikelihoodEnum": "risks.choices.Likelihood",
        "ImpactEnum": "risks.choices.Impact",
    },
}

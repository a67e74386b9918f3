"""Settings for the test suite: the production settings with a fast password hasher."""

import os

# Production settings refuse to start without a key when DEBUG is off, as the tests run.
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "t" * 50)

from strategy_monitor.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Files go to a local folder whatever FILE_STORAGE the shell has (tests/conftest.py makes it a
# temporary one); the tests of Azure Blob Storage switch to it themselves (tests/storage/).
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client speaks plain HTTP; tests of the redirect and HSTS ask for them explicitly.
SECURE_SSL_REDIRECT = False
# Tests serve static files from the finders; there is no collected STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A flag file left in a developer's var/ must not put the test suite into maintenance.
MAINTENANCE_MODE = False
MAINTENANCE_FILE = BASE_DIR / "tests" / "no-maintenance-flag"  # noqa: F405
# Every forced login of the suite would log django-axes' reset of its failure count.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
# Tasks run inside the request (or the test) that starts them, so a test sees the job finished.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

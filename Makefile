# Entry points for Strategy Monitor. Each target does its own set-up on a fresh machine.
#
#   make install   the virtual environment in .venv, with the test tools, and the node packages
#                  the tests use (Azurite, the Azure Storage emulator) in node_modules (npm ci)
#   make run       install, migrate, load the IOM strategy and the demo data, serve on ADDRESS,
#                  with the task worker (long exports and imports) beside the server
#   make test      install, then the whole test suite (PYTEST_ARGS="-k risk" narrows it): the
#                  tests in TEST_WORKERS processes, then the browser journeys in one (BROWSER=no
#                  leaves them out; COVERAGE=yes measures coverage and fails under its floor)
#   make lint      ruff check, ruff format check, Django's system checks, missing migrations
#   make serve     production mode: collectstatic, migrate, then gunicorn on ADDRESS and the task
#                  worker beside it (DEBUG off; needs SECRET_KEY and ALLOWED_HOSTS in the
#                  environment, see .env.example)
#   make audit     bandit over the application's code, pip-audit over the installed packages
#   make messages  collect the interface's strings into the Danish catalogue (locale/da/), to be
#                  translated there; make install compiles it

SHELL := /bin/sh

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.installed
# Written after npm ci; it runs again only when package.json or package-lock.json is newer.
NODE_STAMP := node_modules/.installed
# The Danish catalogue, compiled from the translations kept in locale/da/ (GNU gettext's msgfmt).
CATALOGUE := locale/da/LC_MESSAGES/django.mo
# The scripts' words (static/js), served by the JavaScript catalogue at /jsi18n/.
JS_CATALOGUE := locale/da/LC_MESSAGES/djangojs.mo

ADDRESS ?= 127.0.0.1:8000
PASSWORD ?=
AS_OF ?=
PYTEST_ARGS ?=
# Processes for the tests outside the browser (pytest-xdist; 0 runs them in this process). Each
# module stays in one process, so its shared data is loaded once.
TEST_WORKERS ?= 2
# yes: the browser journeys run after the other tests, in one process of their own.
BROWSER ?= yes
# yes: measure the application's coverage, print it, and fail under the floor in pyproject.toml.
COVERAGE ?= no
# gunicorn worker processes for make serve (about two per core).
WORKERS ?= 3
# The application's packages, for bandit.
PACKAGES := strategy_monitor priorities funding risks engagement reports api demo

.DEFAULT_GOAL := help
.PHONY: help install run test lint serve audit messages

help:
	@sed -n 's/^#   //p' Makefile

install: $(STAMP) $(NODE_STAMP) $(CATALOGUE) $(JS_CATALOGUE)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The tests of Azure Blob Storage run against Azurite, a node package pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "npm is missing: the tests need the node packages of package.json (Azurite)."; \
		echo "Install Node.js and npm, e.g. apt-get install nodejs npm, then run make install again."; \
		exit 2; \
	}
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(CATALOGUE): locale/da/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "msgfmt is missing: the Danish interface is compiled with GNU gettext."; \
		echo "Install it, e.g. apt-get install gettext, then run make install again."; \
		exit 2; \
	}
	msgfmt --check -o $@ $<

$(JS_CATALOGUE): locale/da/LC_MESSAGES/djangojs.po $(CATALOGUE)
	msgfmt --check -o $@ $<

# Collect the interface's marked strings into locale/da/LC_MESSAGES/django.po, keeping the
# translations already made; new strings arrive untranslated for a translator to fill in.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l da --no-obsolete --no-location \
		-i '.venv/*' -i 'node_modules/*' -i 'var/*' -i 'tests/*' -i 'tools/*'
	msgfmt --check -o $(CATALOGUE) locale/da/LC_MESSAGES/django.po
	DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l da --no-obsolete --no-location \
		-i '.venv/*' -i 'node_modules/*' -i 'var/*' -i 'tests/*' -i 'tools/*' -i 'static/vendor/*'
	msgfmt --check -o $(JS_CATALOGUE) locale/da/LC_MESSAGES/djangojs.po

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	@# The strategy is loaded once: loading it again would reset what users have changed since.
	@if DEBUG=true $(BIN)/python manage.py shell -v 0 -c "import sys; from priorities.models import Strategy; sys.exit(0 if Strategy.objects.filter(slug='iom-2023-2026').exists() else 1)"; then \
		echo "The IOM strategy is already loaded; its data is kept as it is."; \
	else \
		DEBUG=true $(BIN)/python manage.py loaddata iom_2023_2026; \
	fi
	@# The demo's history runs to today (AS_OF=YYYY-MM-DD for another day); it plans the
	@# rhythm's milestones itself, after the demo users who own them exist.
	DEBUG=true $(BIN)/python manage.py load_demo $(if $(AS_OF),--as-of '$(AS_OF)') $(if $(PASSWORD),--password '$(PASSWORD)')
	DEBUG=true $(BIN)/python manage.py generate_milestones iom-2023-2026
	DEBUG=true $(BIN)/python manage.py prune_jobs
	@# The worker runs the long exports and imports (the jobs) beside the server, and stops
	@# with it: Ctrl+C ends the server, and the trap ends the worker.
	DEBUG=true $(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(BIN)/python manage.py runserver $(ADDRESS)

# pytest exits with 5 when a narrowing PYTEST_ARGS leaves one of the two runs without tests.
PYTEST := $(if $(filter yes,$(COVERAGE)),$(BIN)/coverage run -m pytest,$(BIN)/pytest)

test: install
	$(if $(filter yes,$(COVERAGE)),$(BIN)/coverage erase)
	$(PYTEST) -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS) -m "not browser" || [ $$? = 5 ]
	$(if $(filter yes,$(BROWSER)),$(PYTEST) $(PYTEST_ARGS) -m browser || [ $$? = 5 ])
	$(if $(filter yes,$(COVERAGE)),$(BIN)/coverage combine -q && $(BIN)/coverage report)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py check
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

serve: install
	@missing=""; \
	[ -n "$$SECRET_KEY" ] || missing="$$missing SECRET_KEY"; \
	[ -n "$$ALLOWED_HOSTS" ] || missing="$$missing ALLOWED_HOSTS"; \
	if [ -n "$$missing" ]; then \
		echo "make serve runs in production mode (DEBUG off). Set in the environment:$$missing"; \
		echo "  SECRET_KEY     a long random string, e.g. the output of"; \
		echo "                 python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"; \
		echo "  ALLOWED_HOSTS  the host names it answers to, e.g. strategy-monitor.example.org"; \
		echo "  DATABASE_URL   the database (default: SQLite in var/), e.g. postgres://app:app@127.0.0.1:5432/app"; \
		echo "See .env.example and the Deployment section of README.md."; \
		exit 2; \
	fi
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v 1
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	@echo "Serving on http://$(ADDRESS) with $(WORKERS) workers (DEBUG off). Plain HTTP is redirected"
	@echo "to HTTPS unless SECURE_SSL_REDIRECT=false; behind a TLS proxy set USE_X_FORWARDED_PROTO=true."
	@echo "The task worker (manage.py db_worker) runs the long exports and imports beside it."
	@# The worker starts first and stops with gunicorn, however gunicorn ends.
	env DEBUG=false $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	env DEBUG=false $(BIN)/gunicorn strategy_monitor.wsgi --bind $(ADDRESS) --workers $(WORKERS) \
		--timeout 60 --graceful-timeout 30 --max-requests 1000 --max-requests-jitter 100

audit: install
	@# Every finding must be fixed or explained where it stands by a "# nosec ID: reason".
	$(BIN)/bandit -c pyproject.toml -r $(PACKAGES)
	$(BIN)/python .ci/pip_audit.py

# --- Benchmark and load test -------------------------------------------------------------------
#   make bench     measure the main pages at 1 and at 40 strategies, and the exports, on
#                  PostgreSQL with gunicorn; prints a table, writes var/bench.json (BENCH_ARGS)
#   make loadtest  logged-in users on the main pages and an export for 20 s against gunicorn
#                  and PostgreSQL; fails on any error (LOADTEST_ARGS)
# Both start PostgreSQL if it is not running (as .ci/run does, so as root), use throwaway
# databases, and stop what they started.

BENCH_ARGS ?=
LOADTEST_ARGS ?=

.PHONY: bench loadtest

bench: install
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

loadtest: install
	$(BIN)/python -m tools.loadtest $(LOADTEST_ARGS)

# Entry points for Strategy Monitor. Each target does its own set-up on a fresh machine.
#
#   make install   the virtual environment in .venv, with the test tools
#   make run       install, migrate, load the IOM strategy and the demo data, serve on ADDRESS
#   make test      install, then the whole test suite (PYTEST_ARGS="-k risk" narrows it)
#   make lint      ruff check, ruff format check, Django's system checks, missing migrations

SHELL := /bin/sh

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.installed

ADDRESS ?= 127.0.0.1:8000
PASSWORD ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test lint

help:
	@sed -n 's/^#   //p' Makefile

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	@# The strategy is loaded once: loading it again would reset what users have changed since.
	@if DEBUG=true $(BIN)/python manage.py shell -v 0 -c "import sys; from priorities.models import Strategy; sys.exit(0 if Strategy.objects.filter(slug='iom-2023-2026').exists() else 1)"; then \
		echo "The IOM strategy is already loaded; its data is kept as it is."; \
	else \
		DEBUG=true $(BIN)/python manage.py loaddata iom_2023_2026; \
	fi
	DEBUG=true $(BIN)/python manage.py load_demo $(if $(PASSWORD),--password '$(PASSWORD)')
	DEBUG=true $(BIN)/python manage.py generate_milestones iom-2023-2026
	DEBUG=true $(BIN)/python manage.py runserver $(ADDRESS)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate seeds admin lint format verify serve

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PIP) -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import django, rest_framework, celery, numpy, matplotlib"
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import pytest, pytest_django, factory, hypothesis, playwright"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seeds: migrate
	$(PY) manage.py load_seeds

run: seeds
	@echo
	@echo "Forecast Ledger on http://$(HOST)/  (admin: http://$(HOST)/admin/)"
	@echo "Create an admin account with:  make admin   (or: $(PY) manage.py createsuperuser)"
	@echo
	$(PY) manage.py runserver $(HOST)

admin: migrate
	$(PY) manage.py createsuperuser

# A labelled practice set (tag practice) with history, scores and charts;
# never part of `make run`. `$(PY) manage.py remove_demo` removes it.
.PHONY: demo
demo: migrate
	$(PY) manage.py load_demo

verify: install
	$(PY) manage.py verify_ledger

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# With DATABASE_URL set (CI: PostgreSQL) the whole suite runs there, and the
# model and service tests (marker `core`) run a second time on SQLite.
test: install-dev lint
	$(PY) -m pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== model and service tests again on SQLite =="; \
		DATABASE_URL= $(PY) -m pytest -m core -p no:cacheprovider -q; \
	fi

# The reliability runs at full size (RELIABILITY.md): 16 clients × 500 forecasts
# over HTTP, Redis and PostgreSQL restarts, 1,000+ fuzzed API requests. They
# need DATABASE_URL (PostgreSQL) and REDIS_URL, as .ci/run sets them; make test
# runs the same tests at a tiny size. Only the tests whose size the scale sets
# (marker `scaled`) run again here: the others run the same in make test.
.PHONY: reliability
reliability: install-dev
	RELIABILITY_SCALE=full $(PY) -m pytest tests/reliability -m scaled -p no:cacheprovider --durations=8

# Production: the Procfile's gunicorn, Celery worker and beat, run by honcho
# against DATABASE_URL and REDIS_URL (see README, "Production").
# `make serve PROCESSES=worker` runs only a worker, e.g. on a second machine.
PORT ?= 8000
PROCESSES ?=
serve: export DJANGO_SETTINGS_MODULE = config.settings.production
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho start --port $(PORT) $(PROCESSES)

# Benchmarks at full size in a scratch PostgreSQL database, dropped afterwards
# (BENCHMARKS.md). The server: BENCH_DATABASE_URL, else DATABASE_URL, else the
# local postgres. BENCH_ARGS="--size tiny" or "--only scoring,calibration".
.PHONY: bench
bench: install-dev
	$(PY) -m bench $(BENCH_ARGS)

# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The public address e-mails, canonical links, the sitemap and the feed name: where `make run` serves, unless set.
run serve: export SITE_URL ?= http://$(HOST):$(PORT)
# runserver with the background worker beside it (manage.py worker: TASKS_BACKEND's queue; nothing to run for
# "immediate"), stopped with it on Ctrl-C.
WITH_WORKER = $(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT;
# pytest-xdist: one test process per core (each with its own test database).
PYTEST_WORKERS ?= auto

.PHONY: run test install install-dev migrate demo serve worker lint format bench chromium clean

run: install migrate demo ## Install, migrate, load the demo site and serve it on http://127.0.0.1:8000
	@$(PY) manage.py follow_site_url
	@$(PY) manage.py admin_login --base-url http://$(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)  Ctrl-C to stop."
	@$(WITH_WORKER) $(PY) manage.py runserver $(HOST):$(PORT)

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	@echo "Installing Python packages into $(VENV) (first time: about a minute)..."
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v "is ignored" || true; }
	@$(PY) -c "import django, wagtail" || (echo "Installing packages failed." && exit 1)
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	@echo "Installing test tools into $(VENV)..."
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 | { grep -v "is ignored" || true; }
	@$(PY) -c "import pytest, pytest_django, playwright" || (echo "Installing test tools failed." && exit 1)
	@touch $@

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev node_modules/axe-core/axe.min.js

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py load_demo

serve: install
	@$(PY) manage.py follow_site_url
	@$(WITH_WORKER) $(PY) manage.py runserver $(HOST):$(PORT)

worker: install ## The background worker for TASKS_BACKEND (db: the database queue; rq: Redis); Ctrl-C to stop
	$(PY) manage.py worker

chromium: ## The browser tests drive Debian's chromium; never a downloaded browser.
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) ; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

test: install-dev chromium ## The whole suite: lint, the layering, checks, migrations, unit and browser tests
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=apothecary.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=apothecary.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Serve with gunicorn (cache off, cache on), the nginx front cache and a static copy; print figures
	$(PY) bench/run.py

.PHONY: bench-bigsite
bench-bigsite: install ## The generated big site on PostgreSQL (BIGSITE_DATABASE_URL): generate once, print figures
	$(PY) bench/bigsite.py

clean:
	rm -rf $(VENV) node_modules static_collected var/test-media var/bench test-artifacts

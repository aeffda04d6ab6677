# Spinta: `make run` serves the API on the embedded SQLite database; `make test` runs the suite.
# Another port or address: `make run PORT=8080` (HOST likewise, e.g. HOST=0.0.0.0).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

REFERENCE ?= .venv-reference

.PHONY: install run worker beat demo test test-slow test-reference lint audit fmt db-upgrade db-check bench docs-assets charts-readme clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed  ## Create .venv and install the pinned requirements

db-upgrade: install  ## Apply migrations to the configured database (and rebuild the season rows)
	$(BIN)/flask db upgrade
	$(BIN)/flask spinta recompute-stats --seasons-only

db-check: install  ## Fail when the models and the migrations disagree
	$(BIN)/flask db check

run: db-upgrade  ## Install, migrate and serve the API on http://$(HOST):$(PORT) (debugger, reloader; make run PORT=8080)
	$(BIN)/flask run --debug --host $(HOST) --port $(PORT)

worker: db-upgrade  ## A Celery worker for background jobs (needs REDIS_URL or CELERY_BROKER_URL)
	$(BIN)/flask spinta worker

beat: install  ## Celery beat: sends the scheduled jobs (exactly one per deployment)
	$(BIN)/flask spinta beat

demo: db-upgrade  ## Create a demo coach and load the shared StatsBomb matches
	$(BIN)/flask spinta demo

test: install  ## The whole test suite (SQLite; PostgreSQL when SPINTA_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

test-slow: install  ## Long-running suites only
	$(BIN)/python -m pytest -m slow $(PYTEST_ARGS)

# socceraction (the xT reference) pins numpy 1 / pandas 2: its own venv, never .venv
$(REFERENCE)/bin/.installed: requirements-reference.txt
	$(PYTHON) -m venv $(REFERENCE)
	$(REFERENCE)/bin/python -m pip install --quiet --upgrade pip
	$(REFERENCE)/bin/python -m pip install --quiet -r requirements-reference.txt
	touch $@

test-reference: $(REFERENCE)/bin/.installed  ## xT per pass and carry against socceraction's, in .venv-reference
	SPINTA_REFERENCE=1 $(REFERENCE)/bin/python -m pytest --noconftest tests/analytics/test_xt_reference.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

audit: install  ## Known vulnerabilities of every pinned requirement (pip-audit; reports what it checked)
	$(BIN)/python scripts/audit.py

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install  ## The goals' ratios (bench/ratios.py), then every other benchmark; writes bench/RESULTS.md
	$(BIN)/python bench/report.py

docs-assets:  ## Re-fetch the pinned Swagger UI and ReDoc builds into spinta/static/docs (npm)
	scripts/fetch_docs_assets.sh

charts-readme: install  ## Draw the README's chart pictures (docs/charts/*.png) from the shared matches
	$(BIN)/python scripts/charts_readme.py

clean:
	rm -rf $(VENV) $(REFERENCE) .pytest_cache .ruff_cache

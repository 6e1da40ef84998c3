# resume-api: `make run` sets everything up and serves the API; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
POETRY_VERSION := 2.5.1
TOOLS_DIR := .tools
# Use the machine's Poetry when there is one; otherwise a pinned copy in .tools/.
POETRY ?= $(or $(shell command -v poetry 2>/dev/null),$(TOOLS_DIR)/poetry/bin/poetry)
VENV_PY := .venv/bin/python
INSTALLED := .venv/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
FRONTEND_PORT ?= 5173
# The local targets default to DEBUG on (embedded secret key, /media/ served); .env or the
# environment can still say otherwise.
LOCAL := DEBUG=$${DEBUG:-1}

.PHONY: help install migrate run run-s3 run-prod worker beat frontend test fuzz lint format clean bench

help:
	@echo "make run      set up (Poetry, dependencies, migrations) and serve http://$(HOST):$(PORT) (SQLite, local images)"
	@echo "make run-s3   the same, with images on a local moto S3 server"
	@echo "make run-prod the production topology on http://127.0.0.1:$(PORT): nginx, two gunicorn, PostgreSQL, Redis, S3"
	@echo "make worker   a Celery worker for background work (PDF renders); needs REDIS_URL or CELERY_BROKER_URL"
	@echo "make beat     Celery beat: the orphan sweep on its schedule (one per deployment)"
	@echo "make frontend serve the try-it page frontend/ on http://$(HOST):$(FRONTEND_PORT)"
	@echo "make test     run the test suite"
	@echo "make fuzz     fuzz every operation from /swagger.json (FUZZ_EXAMPLES, default 300)"
	@echo "make lint     ruff check and format check"
	@echo "make bench    benchmark (BENCH_ARGS=\"--help\" for options); writes bench/results/"

$(TOOLS_DIR)/poetry/bin/poetry:
	$(PYTHON) -m venv $(TOOLS_DIR)/poetry
	$(TOOLS_DIR)/poetry/bin/pip install --quiet "poetry==$(POETRY_VERSION)"

$(INSTALLED): pyproject.toml poetry.lock | $(POETRY)
	$(POETRY) check --lock
	$(POETRY) sync
	@touch $@

install: $(INSTALLED)

migrate: install
	$(LOCAL) $(VENV_PY) manage.py migrate --noinput

run: migrate
	$(LOCAL) $(VENV_PY) manage.py runserver $(HOST):$(PORT)

run-s3: install
	$(LOCAL) $(VENV_PY) -m devtools.run_s3 --host $(HOST) --port $(PORT)

# nginx (deploy/nginx/) in front of two gunicorn instances (deploy/gunicorn.conf.py) on loopback,
# with DEBUG off, PostgreSQL (database resume_api_prod), Redis (REDIS_URL) and moto's S3 (or the
# bucket in AWS_STORAGE_BUCKET_NAME). Runs collectstatic and migrate first.
run-prod: install
	$(VENV_PY) -m devtools.run_prod --port $(PORT)

# A Celery worker: renders PDFs (and runs what beat queues). Without a broker (CELERY_BROKER_URL
# or REDIS_URL) there is nothing to take tasks from: they run in the web process instead. Its
# limits (time per task, tasks and memory per child process) come from the settings, so that
# `celery -A config worker` alone, as in deploy/systemd/, applies them too.
worker: install
	$(LOCAL) $(VENV_PY) -m celery -A config worker --loglevel INFO

# Celery beat: queues CELERY_BEAT_SCHEDULE's tasks (the orphan sweep) for the workers. One per
# deployment; its schedule's state lives in the file named by BEAT_SCHEDULE.
BEAT_SCHEDULE ?= celerybeat-schedule
beat: install
	$(LOCAL) $(VENV_PY) -m celery -A config beat --loglevel INFO --schedule $(BEAT_SCHEDULE)

# The page in frontend/ on its own origin, like a real SPA: the API must list that origin in
# CORS_ALLOWED_ORIGINS. Static files only, so no dependencies beyond Python.
frontend:
	$(PYTHON) -m http.server $(FRONTEND_PORT) --bind $(HOST) --directory frontend

# In parallel (pytest-xdist, one worker a core); the topology's tests share one worker.
test: install
	$(VENV_PY) -m pytest -n auto --dist loadgroup

# Schemathesis against /swagger.json with many more examples per operation than `make test`.
fuzz: install
	FUZZ_RANDOM=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(VENV_PY) -m pytest tests/api/test_fuzz.py -p no:cacheprovider -v

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf .venv $(TOOLS_DIR) .pytest_cache .ruff_cache staticfiles

bench: install
	$(VENV_PY) -m bench.run $(BENCH_ARGS)

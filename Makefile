# ITA Portal. Quick start: `make run` (set up and serve with demo data), `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= $(shell command -v chromium || echo /usr/bin/chromium)

.PHONY: run test setup serve worker venv-exists backup restore lint format check messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

.env:
	cp .env.example .env

setup: $(VENV)/.installed .env

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	@echo ""
	@echo "ITA Portal: http://$(HOST):$(PORT)/  (log in as admin, manager or staff with the password above)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Outside CI the migrated test database is kept between runs (--reuse-db; PYTEST_ARGS=--create-db
# rebuilds it); CI builds it afresh, once per database and test worker. The tests run in one
# worker per CPU (pytest-xdist; TEST_WORKERS=0 runs them in this process), each given an even
# share of the tests in order and taking over half of another's queue when its own runs out.
PYTEST_ARGS ?= $(if $(CI),,--reuse-db)
TEST_WORKERS ?= auto

test: setup
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: using $(CHROMIUM)"; \
	else echo "Browser tests: SKIPPED, no Chromium found (apt-get install chromium)"; fi
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Production-style serving (docs/operations.md). Installs nothing and creates no .env: a server
# has its virtualenv and sets its environment (DEBUG=0, SECRET_KEY, ...) itself.
serve: venv-exists
	$(PY) manage.py check --deploy
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	exec $(VENV)/bin/gunicorn ita_portal.wsgi --config deploy/gunicorn.conf.py --bind $(HOST):$(PORT) \
	  --workers $${WORKERS:-4} --timeout $${TIMEOUT:-60} --graceful-timeout 30 \
	  --max-requests 2000 --max-requests-jitter 200 \
	  --access-logfile - --error-logfile - --capture-output

# The background worker (docs/operations.md): runs the background jobs and sends the e-mails queued with
# TASKS_BACKEND=database (the default with DEBUG=0). With DEBUG=1 they are sent at once.
worker: venv-exists
	exec $(PY) manage.py db_worker --queue-name '*' --no-reload

venv-exists:
	@test -x $(VENV)/bin/gunicorn || { echo "No $(VENV): python3 -m venv $(VENV) && $(VENV)/bin/pip install -r requirements.txt"; exit 1; }

# Backups (docs/operations.md): `make backup` writes BACKUP_DIR/ita-portal-<time>.tar.gz;
# `make restore ARCHIVE=file.tar.gz` checks it, asks, then wipes and restores.
backup: venv-exists
	$(PY) manage.py backup $(if $(OUTPUT),--output $(OUTPUT))

restore: venv-exists
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=path/to/backup.tar.gz"; exit 1; }
	$(PY) manage.py restore $(ARCHIVE)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: setup
	$(PY) manage.py makemessages -l th --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(PY) manage.py compilemessages -l th --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts

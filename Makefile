# Two commands do everything: `make run` and `make test`. Each sets up what it
# needs (a .venv with the pinned packages, a migrated database, the imported
# content) and is quick to re-run when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed-stamp
DEV := env DJANGO_DEBUG=1
# Tests run with production-like settings (DEBUG off); TLS is assumed to end
# at a proxy in front, so the test client is not redirected to https.
TEST_ENV := env -u DJANGO_DEBUG DJANGO_SECRET_KEY=test-only-not-secret \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))

.PHONY: run test lint check serve bench install clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(DEV) $(PY) manage.py migrate --no-input -v0
	$(DEV) $(PY) manage.py import_content
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(INSTALLED)
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

test: lint check
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: using /usr/bin/chromium."; \
	else echo "Browser tests: SKIPPED, /usr/bin/chromium is not installed (apt-get install chromium)."; fi
	@if [ -n "$$DATABASE_URL" ]; then echo "Database: $${DATABASE_URL%%://*} (from DATABASE_URL)."; \
	else echo "Database: SQLite (set DATABASE_URL to run on PostgreSQL)."; fi
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache .hypothesis

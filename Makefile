# Two commands do everything: `make run` and `make test`. Each sets up what it
# needs (a .venv installed from the hashed lock file, a migrated database, the
# imported content) and is quick to re-run when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed-stamp
LOCK := requirements.lock
DEV := env DJANGO_DEBUG=1
# Tests run with production-like settings (DEBUG off); TLS is assumed to end
# at a proxy in front, so the test client is not redirected to https.
TEST_ENV := env -u DJANGO_DEBUG DJANGO_SECRET_KEY=test-only-not-secret \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 \
	SITE_URL=https://hamstring.example.org
PORT ?= 8000
# The app is CPU-bound (pages come from the cache or a fast query), so one
# worker per core plus one to cover the moments a worker waits on I/O.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# `make serve` runs the production settings on loopback; a local secret key is
# generated once into .secret-key (git-ignored) unless DJANGO_SECRET_KEY is set.
SERVE_ENV = env -u DJANGO_DEBUG \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	DJANGO_BEHIND_PROXY=1 \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"

.PHONY: run test test-cache lint check serve bench profile lighthouse scale-check audit install lock clean

# Exactly the locked versions, each checked against its hash; then the project
# itself, whose dependencies the lock already holds.
$(INSTALLED): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Re-resolve the lock from pyproject.toml's ranges (after changing them, or to
# take updates); review the diff, run `make test`, commit both files.
lock: $(INSTALLED)
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --extra dev \
		--strip-extras --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

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

# The cache tests again, against the cache CACHE_URL names (CI: Redis). They
# clear that cache: give them a database of their own (redis://host:6379/15).
test-cache: $(INSTALLED)
	@test -n "$$CACHE_URL" || { echo "set CACHE_URL, e.g. redis://127.0.0.1:6379/15"; exit 1; }
	$(TEST_ENV) $(BIN)/pytest -m cache $(PYTEST_ARGS)

.secret-key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The production stack, locally: hashed static files, migrations, the content,
# then nginx on 127.0.0.1:$(PORT) in front of gunicorn (no DEBUG, no runserver).
serve: $(INSTALLED) .secret-key
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(SERVE_ENV) $(PY) manage.py migrate --no-input -v0
	$(SERVE_ENV) $(PY) manage.py import_content
	$(SERVE_ENV) PORT=$(PORT) WORKERS=$(WORKERS) BIN=$(BIN) deploy/serve.sh

# Load benchmark of the production stack (not part of `make test`): gunicorn,
# nginx in front, slow clients, 10x and 100x content. Needs wrk and nginx;
# takes about 15 minutes. Writes docs/performance.md.
bench: $(INSTALLED)
	@for tool in wrk nginx; do command -v $$tool >/dev/null || \
		{ [ "$$(id -u)" = 0 ] && apt-get install -y -qq $$tool >/dev/null; } || \
		{ echo "$$tool is needed: apt-get install $$tool"; exit 1; }; done
	$(PY) tests/perf/bench.py --workers $(WORKERS)

# CPU time per request of every page type, in-process, with the page cache off
# (tests/perf/profile_pages.py; PROFILE_ARGS="--profile 30 --only Checker").
profile: $(INSTALLED)
	$(PY) tests/perf/profile_pages.py $(PROFILE_ARGS)

# Lighthouse (from npm, pinned in tests/perf/lighthouse/) on every page type,
# driving Debian's Chromium; writes its section of docs/performance.md.
LIGHTHOUSE_DIR := tests/perf/lighthouse
lighthouse: $(INSTALLED)
	@command -v npm >/dev/null || { echo "npm is needed: apt-get install npm"; exit 1; }
	test -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse || \
		npm ci --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --loglevel=error
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) tests/perf/lighthouse.py

# Two app servers on one PostgreSQL and one Redis: a change made through the
# admin on one is served by the other on its next request. Not part of `make
# test`; needs DATABASE_URL (postgres://...) and CACHE_URL (redis://...), and
# imports content/ into that database.
scale-check: $(INSTALLED)
	$(PY) tests/deploy/scale_check.py

# Known vulnerabilities in the installed dependencies (the project itself is skipped).
audit: $(INSTALLED)
	$(PY) .ci/audit.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache .hypothesis

#!/usr/bin/env bash
# `make serve`: the production stack on this machine. nginx listens on
# 127.0.0.1:$PORT (deploy/nginx/) in front of gunicorn on 127.0.0.1:$APP_PORT
# (hamstring_site/gunicorn.py). Both stop together on Ctrl-C.
#
# Expects the environment `make serve` sets (settings, collected static files,
# a migrated database). RUN_DIR (default .run/, git-ignored) holds nginx's
# rendered configuration, pid, temporary files and page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
APP_PORT=${APP_PORT:-$((PORT + 1))}
WORKERS=${WORKERS:-3}
BIN=${BIN:-.venv/bin}
RUN_DIR=$(realpath -m "${RUN_DIR:-.run}")
STATIC_ROOT=$(realpath -m "${DJANGO_STATIC_ROOT:-staticfiles}")
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
SERVER_NAME=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).hostname)' "$SITE_URL")

# SITE_URL's host, and the loopback names this stack is reached by.
SERVER_NAMES=$(printf '%s\n' "$SERVER_NAME" localhost 127.0.0.1 | sort -u | tr '\n' ' ')

[ -x "$NGINX_BIN" ] || { echo "nginx is needed: apt-get install nginx" >&2; exit 1; }

# nginx must know the session cookie to keep signed-in pages out of its cache:
# read the name from Django's settings rather than repeat it.
SESSION_COOKIE=$("$BIN/python" -c 'import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamstring_site.settings")
from django.conf import settings
print(settings.SESSION_COOKIE_NAME)')
[[ "$SESSION_COOKIE" =~ ^[A-Za-z0-9_]+$ ]] || { echo "SESSION_COOKIE_NAME must be letters, digits or _ for nginx: $SESSION_COOKIE" >&2; exit 1; }

mkdir -p "$RUN_DIR/cache"
render() {
  sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|127.0.0.1:$PORT|g" \
      -e "s|@SERVER_NAME@|$SERVER_NAMES|g" -e "s|@APP@|127.0.0.1:$APP_PORT|g" \
      -e "s|@STATIC_ROOT@|$STATIC_ROOT|g" -e "s|@CACHE_DIR@|$RUN_DIR/cache|g" \
      -e "s|@SESSION_COOKIE@|$SESSION_COOKIE|g" \
      -e "s|@ACCESS_LOG@|${ACCESS_LOG:-/dev/stdout}|g" "$1" > "$2"
}
render deploy/nginx/hamstring.conf "$RUN_DIR/hamstring.conf"
render deploy/nginx/local.conf "$RUN_DIR/nginx.conf"
# Started as root (as CI is), nginx would run its workers as "nobody", who
# may not read this working tree: keep them as the user who started it.
# (A system nginx runs its workers as www-data, with the files readable.)
nginx() {
  if [ "$(id -u)" = 0 ]; then "$NGINX_BIN" -g "user root;" "$@"; else "$NGINX_BIN" "$@"; fi
}
nginx -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"

"$BIN/gunicorn" -c python:hamstring_site.gunicorn hamstring_site.wsgi \
  --bind "127.0.0.1:$APP_PORT" --workers "$WORKERS" &
app=$!
nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" &
edge=$!
trap 'kill -TERM $edge $app 2>/dev/null; wait $edge $app 2>/dev/null' EXIT INT TERM
echo "Serving http://127.0.0.1:$PORT/ (nginx) in front of gunicorn on 127.0.0.1:$APP_PORT."
wait -n $app $edge

"""What reaches the logs: problems, in a line each, and never what a reader told the checker."""

import logging
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

SECRET = "symptom=secret-answer"


@pytest.mark.django_db
def test_a_disallowed_host_is_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/", HTTP_HOST="evil.example:6666")
    assert response.status_code == 400
    (record,) = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.exc_info is None
    assert "\n" not in logging.Formatter().format(record)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def send(port, raw):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw.encode())
        conn.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return reply


def test_gunicorn_logs_no_request_line_or_query_string(tmp_path):
    """The production server, at its default settings, with bad and checker requests."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "test-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SITE_URL": "http://127.0.0.1",
        # The test settings: static files from static/, no collectstatic needed.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # An empty database: the checker request fails, and that must not log it either.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-c", "python:hamstring_site.gunicorn", "hamstring_site.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        headers = "Connection: close\r\n\r\n"
        replies = [
            send(port, f"GET /checker/?{SECRET}\r\n\r\n"),  # no HTTP version
            send(port, f"GET /checker/?{SECRET} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"),
            send(port, f"GET /api/checker/?{SECRET} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"),
            send(port, f"GET / HTTP/1.1\r\nHost: evil.example\r\n{headers}"),
        ]
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].decode()
    assert [reply.split(b"\r\n", 1)[0] for reply in replies] == [
        b"HTTP/1.1 400 Bad Request",
        b"HTTP/1.1 503 Service Unavailable",
        b"HTTP/1.1 503 Service Unavailable",
        b"HTTP/1.1 400 Bad Request",
    ]
    assert "secret-answer" not in log, log
    assert "malformed request (not logged)" in log
    assert log.count("Invalid HTTP_HOST header") == 1
    assert log.count("Database unreachable") == 1
    assert "Traceback" not in log, log

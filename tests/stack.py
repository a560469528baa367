"""Start the production stack's processes for tests and scripts: gunicorn, nginx (deploy/serve.sh).

Each server gets its own environment (settings, database, ports), runs in its
own process group, and is stopped with it. Used by tests/deploy/ and by the
scripts in tests/perf/ (scale-check, slow clients, benchmarks).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(scratch, **overrides):
    """DEBUG off, loopback hosts, a SQLite file in ``scratch`` unless DATABASE_URL is given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({
        "DJANGO_SECRET_KEY": "stack-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(Path(scratch) / "static"),
        "DATABASE_URL": f"sqlite:///{Path(scratch) / 'db.sqlite3'}",
        "SITE_URL": "http://127.0.0.1",
        "CACHE_URL": "",
    })  # fmt: skip
    env.update(overrides)
    return env


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env, content=None, collectstatic=True):
    """Migrate, import ``content`` (default: the site's own) and collect static files."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "import_content", *([str(content)] if content else []), "-v0")
    if collectstatic:
        manage(env, "collectstatic", "--no-input", "-v0")


def wait_until_up(url, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                message = f"the server for {url} exited with {process.returncode}"
                raise RuntimeError(message) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up in {timeout} s") from None
            time.sleep(0.1)


class Server:
    """A process started in its own group; stopped (the whole group) on exit."""

    def __init__(self, command, env, health_url, log=None):
        self.command, self.env, self.health_url, self.log = command, env, health_url, log

    def __enter__(self):
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(self.health_url, process=self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()


def gunicorn(env, port, workers=2, log=None):
    command = [
        str(BIN / "gunicorn"),
        *("-c", "python:hamstring_site.gunicorn", "hamstring_site.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
    ]
    return Server(command, env, f"http://127.0.0.1:{port}/healthz", log)


def edge(env, port, app_port, run_dir, workers=2, log=None, access_log=None):
    """nginx on ``port`` in front of gunicorn on ``app_port``, as `make serve` runs them."""
    env = {
        **env,
        "PORT": str(port),
        "APP_PORT": str(app_port),
        "WORKERS": str(workers),
        "BIN": str(BIN),
        "RUN_DIR": str(run_dir),
        "ACCESS_LOG": str(access_log or Path(run_dir) / "access.log"),
        "DJANGO_BEHIND_PROXY": "1",
    }
    return Server([str(ROOT / "deploy" / "serve.sh")], env, f"http://127.0.0.1:{port}/healthz", log)

"""The production stack as `make serve` runs it (nginx in front of gunicorn), for tests/deploy/.

It runs in processes of its own, on its own SQLite file with the fixture
content, whatever database the rest of the suite uses. Skipped when nginx is
not installed (apt-get install nginx).
"""

import shutil
from pathlib import Path

import pytest

from tests import stack

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture(scope="session")
def edge(tmp_path_factory):
    if NGINX is None:
        pytest.skip("The edge tests need nginx (apt-get install nginx)")
    scratch = tmp_path_factory.mktemp("edge")
    # The test settings: plain static storage, so collectstatic only copies.
    env = stack.production_env(scratch, DJANGO_SETTINGS_MODULE="tests.settings", NGINX_BIN=NGINX)
    stack.prepare(env, content=stack.FIXTURE_CONTENT)
    port, app_port = stack.free_port(), stack.free_port()
    log = scratch / "servers.log"
    with stack.edge(env, port, app_port, scratch / "run", log=log) as server:
        server.url = f"http://127.0.0.1:{port}"
        server.app_url = f"http://127.0.0.1:{app_port}"
        server.access_log = scratch / "run" / "access.log"
        server.server_log = log
        server.cache_dir = scratch / "run" / "cache"
        server.env = env
        yield server

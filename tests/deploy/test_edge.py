"""nginx in front of gunicorn: caching public pages only, static files, logs, slow clients.

How fast it is (cached pages against nginx's own static files, /healthz under
load from slow clients) is measured by `make bench`, not here.
"""

import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

CHECKER = "/checker/?symptom=pop-at-injury&severity=secret-7"


def get(url, headers=None, opener=None):
    request = urllib.request.Request(url, headers=headers or {})
    with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_public_pages_are_cached_at_the_edge(edge):
    get(edge.url + "/faq/")
    status, headers, body = get(edge.url + "/faq/")
    assert status == 200
    assert headers["X-Cache"] in ("HIT", "UPDATING", "STALE")
    assert "s-maxage=" in headers["Cache-Control"]
    # An htmx request gets the fragment, not the cached whole page, and the reverse.
    _, _, fragment = get(edge.url + "/faq/", {"HX-Request": "true"})
    assert b"<html" in body and b"<html" not in fragment
    _, _, again = get(edge.url + "/faq/")
    assert b"<html" in again


def test_checker_answers_are_never_stored(edge):
    for _ in range(2):
        status, headers, body = get(edge.url + CHECKER)
        assert status == 200
        assert "no-store" in headers["Cache-Control"]
        assert "X-Cache" not in headers
        assert b"secret-7" in body or b"severity" in body
    stored = b"".join(path.read_bytes() for path in edge.cache_dir.rglob("*") if path.is_file())
    assert b"secret-7" not in stored
    assert b"pop-at-injury&" not in stored


def test_a_session_cookie_skips_the_edge_cache(edge):
    get(edge.url + "/causes/")
    _, headers, _ = get(edge.url + "/causes/", {"Cookie": "sessionid=made-up"})
    assert headers["X-Cache"] == "BYPASS"


def cookie(headers, name):
    """A cookie's value from Set-Cookie (by hand: they are Secure, and this is plain http)."""
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie set")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_signed_in_pages_are_never_stored_at_the_edge(edge):
    from tests import stack

    username, password = "edge-editor", "edge-editor-password-1"
    stack.manage(edge.env, "shell", "-c",
                 "from django.contrib.auth.models import User; "
                 f"User.objects.filter(username='{username}').exists() or "
                 f"User.objects.create_superuser('{username}', password='{password}')")  # fmt: skip
    login = edge.url + "/admin/login/"
    _, headers, form = get(login)
    csrf = cookie(headers, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        login, data=data, headers={"Referer": login, "Cookie": f"csrftoken={csrf}"}
    )
    with pytest.raises(urllib.error.HTTPError) as redirect:  # 302: signed in
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert redirect.value.code == 302
    signed_in = {"Cookie": f"sessionid={cookie(redirect.value.headers, 'sessionid')}"}
    get(edge.url + "/remedies/")  # an anonymous copy at the edge
    _, headers, page = get(edge.url + "/remedies/", signed_in)
    assert headers["Cache-Control"] == "no-store, private"
    assert headers["X-Cache"] == "BYPASS"
    assert b"x-csrftoken" in page  # a signed-in page
    _, _, public = get(edge.url + "/remedies/")
    assert b"x-csrftoken" not in public


def test_the_app_takes_no_mount_point_from_a_request(edge):
    """gunicorn takes SCRIPT_NAME and PATH_INFO from a local peer's headers unless told
    not to. A page rendered under another mount point links everything under it,
    and what is kept per content version would keep those links for everyone."""
    headers = {"SCRIPT_NAME": "/elsewhere"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(edge.app_url + "/elsewhere/library/first-aid/", headers)
    assert refused.value.code == 404
    _, _, page = get(edge.app_url + "/library/first-aid/", headers)
    assert b"/elsewhere/" not in page


def test_static_files_are_served_by_nginx(edge):
    status, headers, body = get(edge.url + "/static/css/site.css")
    assert status == 200 and b"{" in body
    assert headers["Server"] == "nginx"
    assert headers["Cache-Control"] == "public, max-age=60"  # nginx's, not WhiteNoise's


def test_other_hosts_get_no_answer(edge):
    with pytest.raises(OSError):
        get(edge.url + "/", {"Host": "evil.example"})


def test_access_log_holds_no_query_string(edge):
    get(edge.url + CHECKER)
    get(edge.url + "/search/?q=secret-search")
    time.sleep(0.2)
    log = edge.access_log.read_text() + edge.server_log.read_text()
    assert '"GET /checker/" 200' in log
    assert "secret" not in log


def test_slow_clients_do_not_hold_the_app(edge):
    """50 clients sending their headers a byte at a time tie up nginx, not gunicorn's workers."""
    host, port = urllib.parse.urlsplit(edge.url).netloc.split(":")
    slow = []
    try:
        for n in range(50):
            conn = socket.create_connection((host, int(port)), timeout=5)
            if n % 2:
                conn.sendall(b"GET /faq/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            else:  # a slow body
                conn.sendall(
                    b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9999\r\n\r\nx"
                )
            slow.append(conn)
        for _ in range(10):
            status, _, body = get(edge.url + "/healthz")
            assert (status, body) == (200, b"ok")
    finally:
        for conn in slow:
            conn.close()

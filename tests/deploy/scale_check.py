"""Two app servers, one PostgreSQL, one Redis: `make scale-check`.

Starts two gunicorn servers on different ports with the production settings,
sharing the database in DATABASE_URL (PostgreSQL) and the cache in CACHE_URL
(Redis). Both serve the About page, so both have it cached. An editor then
changes the page's title through the admin on the first server, and the
second must serve the new title on its very next request, as must the first.
Exits non-zero, saying what it saw, if either serves a stale page.

It migrates the database and imports content/ into it, and imports again
with --force at the end to undo the edit: give it a database of its own.
"""

import os
import re
import secrets
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack

PAGE = "/about/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of one: cookies by hand (they are Secure; this is plain http)."""

    def __init__(self, base):
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            headers["Referer"] = self.base + path
            data = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.read().decode()


class FormFields(HTMLParser):
    """The fields a browser would submit from the admin's change form."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None


def title_of(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def main():
    database_url, cache_url = os.environ.get("DATABASE_URL", ""), os.environ.get("CACHE_URL", "")
    if not database_url.startswith("postgres") or not cache_url.startswith("redis"):
        sys.exit("make scale-check needs DATABASE_URL=postgres://... and CACHE_URL=redis://...")
    with tempfile.TemporaryDirectory(prefix="hamstring-scale-") as scratch:
        env = stack.production_env(scratch, DATABASE_URL=database_url, CACHE_URL=cache_url)
        stack.prepare(env)
        username, password = f"scale-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
        editor_env = {**env, "DJANGO_SUPERUSER_PASSWORD": password}
        stack.manage(editor_env, "createsuperuser", "-v0", "--no-input",
                     "--username", username, "--email", "scale@example.org")  # fmt: skip
        ports = stack.free_port(), stack.free_port()
        try:
            with stack.gunicorn(env, ports[0]), stack.gunicorn(env, ports[1]):
                return check(*(f"http://127.0.0.1:{port}" for port in ports), username, password)
        finally:
            stack.manage(env, "import_content", "--force", "-v0")  # undo the edit
            stack.manage(env, "shell", "-v0", "-c", "from django.contrib.auth.models import User; "
                         f"User.objects.filter(username='{username}').delete()")  # fmt: skip


def check(first, second, username, password):
    readers = Browser(first), Browser(second)
    before = [reader.request(PAGE)[1] for reader in readers for _ in range(2)]
    assert len(set(before)) == 1, "the two servers disagree before any change"
    old_title = title_of(before[0])
    print(f"both servers serve {PAGE} titled {old_title!r}")

    editor = Browser(first)
    _, form = editor.request("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    status, _ = editor.request("/admin/login/", {"username": username, "password": password,
                                                 "csrfmiddlewaretoken": token})  # fmt: skip
    assert status == 302, f"sign-in failed ({status})"
    _, listing = editor.request("/admin/advice/page/?q=" + PAGE.strip("/"))
    change = re.search(r'href="(/admin/advice/page/\d+/change/)', listing).group(1)
    _, form_html = editor.request(change)
    parser = FormFields("page_form")
    parser.feed(form_html)
    new_title = f"About this site (edited {time.strftime('%H:%M:%S')})"
    fields = [(name, new_title if name == "title" else value) for name, value in parser.fields]
    status, body = editor.request(change, fields)
    assert status == 302, f"the admin refused the edit ({status}): " + " ".join(
        re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', body, re.S)
    )
    print(f"changed the title through the admin on {first}")

    failures = []
    for reader in (readers[1], readers[0]):
        title = title_of(reader.request(PAGE)[1])
        print(f"{reader.base}{PAGE} now titled {title!r}")
        if title != new_title:
            failures.append(f"{reader.base} served a stale page: {title!r}")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    print("scale-check passed: the other server served the new content on its next request")
    return 0


if __name__ == "__main__":
    sys.exit(main())

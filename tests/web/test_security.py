"""Production hardening: settings, headers, cookies, CSRF and the admin lock-out."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from csp.constants import SELF
from csp.exceptions import CSPNonceError
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

PUBLIC_PAGES = ["/", "/library/", "/causes/", "/remedies/", "/faq/", "/search/?q=ice",
                "/checker/", "/about/", "/library/first-aid/", "/causes/strain/",
                "/remedies/ice/"]  # fmt: skip


def manage(*args, **env):
    """Run manage.py in a fresh process with exactly the given DJANGO_* and SITE_URL variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "SITE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "hamstring.example.org",
    "SITE_URL": "https://hamstring.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL"])
def test_production_start_up_stops_without_secret_hosts_or_site_url(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "site_url", ["hamstring.example.org", "https://hamstring.example.org/advice/", "ftp://x.org"]
)
def test_site_url_must_be_an_origin(site_url):
    result = manage("check", **{**PRODUCTION, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be an origin" in result.stderr


def test_admin_url_comes_from_the_environment():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-c", code, DJANGO_ADMIN_URL="staff-only/", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "/staff-only/", result.stderr


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_every_html_page(imported, client, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives["script-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] in (["'none'"], ["'self'"])
    assert directives["form-action"] == ["'self'"]
    hsts = int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"]).group(1))
    assert hsts >= 31536000
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "no-referrer",
        "same-origin",
        "strict-origin",
    )
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_kept_policy_follows_the_settings(client):
    """The policy is built once per process: a changed setting must still change it."""
    assert csp_directives(client.get("/healthz"))["img-src"] == ["'self'", "data:"]
    changed = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": [SELF]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert csp_directives(client.get("/healthz"))["img-src"] == ["'self'"]
    assert csp_directives(client.get("/healthz"))["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_a_report_only_policy_is_sent_beside_the_kept_one(client):
    report_only = {"DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-reports/"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        response = client.get("/healthz")
    assert response["Content-Security-Policy-Report-Only"].startswith("default-src 'self'")
    assert csp_directives(response)["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_nonce_asked_for_after_the_header_is_written_raises(client):
    request = client.get("/healthz").wsgi_request
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@pytest.mark.django_db
def test_admin_is_not_indexed(client):
    response = client.get(reverse("admin:login"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/healthz")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure(admin_user):
    client = Client()
    client.get(reverse("admin:login"))
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    client.post(reverse("admin:login"), {"username": admin_user.username, "password": "password"})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(reverse("admin:logout")).status_code == 403


@pytest.mark.django_db
def test_htmx_requests_carry_the_csrf_token_for_signed_in_editors(imported, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get("/library/").text
    token = re.search(r"hx-headers='\{\"x-csrftoken\": \"([^\"]+)\"\}'", page, re.I)
    assert token, "base layout must put the CSRF token in hx-headers"
    response = client.post(
        reverse("admin:logout"), HTTP_X_CSRFTOKEN=token.group(1), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_login_locks_out_after_five_failures(admin_user):
    client = Client()
    login = reverse("admin:login")
    wrong = {"username": admin_user.username, "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(login, wrong).status_code == 200  # the form again, with an error
    assert client.post(login, wrong).status_code == 429  # the fifth failure locks
    right = {"username": admin_user.username, "password": "password"}
    assert client.post(login, right).status_code == 429  # even the right password
    assert "_auth_user_id" not in client.session

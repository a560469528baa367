"""Admin sign-in lock-out: per username and address, per address, and behind a proxy."""

import pytest
from django.test import Client
from django.urls import reverse


def sign_in(client, username, password="wrong", **headers):
    return client.post(reverse("admin:login"), {"username": username, "password": password},
                       **headers)  # fmt: skip


@pytest.mark.django_db
def test_many_usernames_from_one_address_lock_the_address(admin_user, settings):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(attacker, f"guess-{n}").status_code == 200  # below both limits
    assert sign_in(attacker, "guess-last").status_code == 429
    assert sign_in(attacker, admin_user.username, "password").status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert sign_in(elsewhere, admin_user.username, "password").status_code == 302


@pytest.mark.django_db
def test_one_username_locks_sooner_than_the_address(admin_user, settings):
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, admin_user.username)
    assert sign_in(client, admin_user.username, "password").status_code == 429
    # The address itself is still below its own limit: another editor there can sign in.
    other = type(admin_user).objects.create_superuser("other", password="other-password-1")
    assert sign_in(client, other.username, "other-password-1").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_comes_from_its_header(admin_user, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = Client(REMOTE_ADDR="127.0.0.1")  # every request arrives from the proxy
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        sign_in(proxy, f"guess-{n}", HTTP_X_REAL_IP="203.0.113.5")
    assert (
        sign_in(proxy, admin_user.username, "password", HTTP_X_REAL_IP="203.0.113.5").status_code
        == 429
    )
    assert (
        sign_in(proxy, admin_user.username, "password", HTTP_X_REAL_IP="203.0.113.6").status_code
        == 302
    )


@pytest.mark.django_db
def test_the_header_is_ignored_unless_behind_a_proxy(admin_user, settings):
    assert settings.CLIENT_IP_HEADER is None  # DJANGO_BEHIND_PROXY is off in the tests
    client = Client(REMOTE_ADDR="198.51.100.10")
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess-{n}", HTTP_X_REAL_IP=f"203.0.113.{n}")  # a new "address" each time
    assert sign_in(client, admin_user.username, "password").status_code == 429


@pytest.mark.django_db
def test_a_malformed_address_header_falls_back_to_the_socket(admin_user, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client = Client(REMOTE_ADDR="198.51.100.11")
    response = sign_in(client, admin_user.username, "password", HTTP_X_REAL_IP="not-an-address")
    assert response.status_code == 302

"""HTTP semantics decided at the view: HEAD everywhere public, no-store where it matters."""

import hashlib

import pytest
from django.urls import reverse

from tests.web.test_site_real_content import ITEM_URLS, LIST_URLS

pytestmark = pytest.mark.usefixtures("real_content", "no_page_cache")

CHECKER_RESULT = "?symptom=pop-at-injury&symptom=sudden-onset"
OTHER_PUBLIC_URLS = [
    "/checker/",
    "/checker/how-it-works/",
    "/healthz",
    "/sitemap.xml",
    "/robots.txt",
    "/about/",
]


@pytest.mark.parametrize("url", LIST_URLS + ITEM_URLS + OTHER_PUBLIC_URLS)
def test_every_public_url_answers_head(client, url):
    response = client.head(url)
    assert response.status_code == 200, url
    assert response.content == b""


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (reverse("advice:checker"), {}),
        (reverse("advice:checker") + CHECKER_RESULT, {}),
        (reverse("advice:checker") + CHECKER_RESULT, {"HX-Request": "true"}),
        (reverse("advice:checker_api") + CHECKER_RESULT, {}),
        (reverse("advice:checker_api") + "?symptom=no-such-thing", {}),
    ],
)
def test_checker_responses_are_never_stored(client, url, headers):
    response = client.get(url, headers=headers)
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_signed_in_users_get_private_unstored_pages_and_readers_do_not(client, admin_user):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(admin_user)
    for url in ["/", "/causes/hamstring-strain/", reverse("admin:index")]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_other_methods_are_still_refused(client):
    assert client.post("/causes/").status_code == 405
    assert client.put("/healthz").status_code == 405


def test_uncached_pages_carry_a_sha256_etag_and_answer_its_condition_with_304(client):
    response = client.get("/faq/")
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    assert response["ETag"] == f'"{digest}"'
    repeat = client.get("/faq/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert repeat.status_code == 304 and repeat.content == b""
    assert client.get("/faq/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_checker_answers_get_no_etag(client):
    # no-store: no cache may keep it, so there is nothing to revalidate.
    response = client.get(reverse("advice:checker") + CHECKER_RESULT)
    assert response.status_code == 200 and not response.has_header("ETag")

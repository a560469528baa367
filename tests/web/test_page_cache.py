"""The public page cache: fast repeat views that never serve stale advice."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from advice.models import Article, Cause

pytestmark = pytest.mark.cache


def cached_page_keys():
    """The cached pages, in local memory or in Redis (`make test-cache` with CACHE_URL)."""
    prefix = cache.make_key("page:")
    if isinstance(caches["default"], RedisCache):
        client = cache._cache.get_client(write=False)
        return [key.decode() for key in client.keys(prefix + "*")]
    return [key for key in cache._cache if key.startswith(prefix)]  # LocMemCache's own store


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_repeat_view_is_served_from_the_cache(imported, client, django_assert_num_queries):
    first = client.get("/library/first-aid/")
    with django_assert_num_queries(1):  # only the content version
        second = client.get("/library/first-aid/")
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
def test_saving_content_retires_cached_pages(imported, client):
    assert "First aid for a pulled hamstring" in client.get("/library/first-aid/").text
    article = Article.objects.get(slug="first-aid")
    article.title = "First aid, revised"
    article.save()
    assert "First aid, revised" in client.get("/library/first-aid/").text


@pytest.mark.django_db
def test_relation_changes_retire_cached_pages(imported, client):
    assert 'id="remedies-heading"' in client.get("/causes/strain/").text
    Cause.objects.get(slug="strain").remedies.clear()
    assert 'id="remedies-heading"' not in client.get("/causes/strain/").text


@pytest.mark.django_db
def test_import_retires_cached_pages(imported, client):
    client.get("/causes/strain/")
    path = imported / "causes" / "strain.md"
    path.write_text(path.read_text().replace("Days to weeks.", "About three weeks."))
    call_command("import_content", str(imported), verbosity=0)
    assert "About three weeks." in client.get("/causes/strain/").text


@pytest.mark.django_db
def test_staff_never_get_cached_pages(imported, client, admin_user):
    client.get("/library/first-aid/")
    Article.objects.filter(slug="first-aid").update(title="Changed behind the cache's back")
    staff = Client()
    staff.force_login(admin_user)
    assert "Changed behind the cache" in staff.get("/library/first-aid/").text


@pytest.mark.django_db
def test_checker_answers_are_never_cached(imported, client):
    url = "/checker/?symptom=pop-at-injury&duration=under-3-days&severity=5"
    client.get("/faq/")
    assert len(cached_page_keys()) == 1
    for _ in range(2):
        assert client.get(url).status_code == 200
        assert client.get(url.replace("/checker/", "/api/checker/")).status_code == 200
    assert len(cached_page_keys()) == 1  # still only the FAQ


@pytest.mark.django_db
def test_htmx_fragment_and_full_page_are_cached_apart(imported, client):
    full = client.get("/library/")
    fragment = client.get("/library/", HTTP_HX_REQUEST="true")
    again = client.get("/library/")
    restore = client.get(
        "/library/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in full.text and "<html" not in fragment.text
    assert again.content == full.content
    assert "<html" in restore.text


@pytest.mark.django_db
def test_conditional_get_returns_304(imported, client):
    response = client.get("/faq/")
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    repeat = client.get("/faq/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert repeat.status_code == 304
    assert repeat.content == b""


# --- Keys that mean what they say -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sitemap.xml?probe=7", "/library/first-aid/", "/robots.txt"])
def test_a_forged_host_header_never_reaches_a_cached_page(imported, settings, path):
    hostile = Client(HTTP_HOST="localhost:6666")  # allowed: Django ignores the port
    for _ in range(6):
        assert hostile.get(path).status_code == 200
    page = Client().get(path.split("?")[0]).text
    assert "6666" not in page and "localhost" not in page and "testserver" not in page
    assert settings.SITE_URL in page


@pytest.mark.django_db
def test_unknown_parameters_get_the_canonical_page_and_no_new_entry(imported, client):
    canonical = client.get("/faq/")
    for n in range(40):
        response = client.get(f"/faq/?x={n}&utm_source=mail")
        assert response.content == canonical.content
    assert len(cached_page_keys()) == 1


@pytest.mark.django_db
def test_the_view_sees_only_the_parameters_it_declared(imported, client):
    plain = client.get("/library/?topic=strains")
    noisy = client.get("/library/?page=1&x=2&topic=nonsense&topic=strains&q=")
    assert noisy.content == plain.content
    assert len(cached_page_keys()) == 2  # "?page=1" is a value of its own


@pytest.mark.django_db
def test_entries_per_path_are_bounded(imported, client, settings):
    settings.PAGE_CACHE_VARIANTS = 5
    for n in range(20):
        assert client.get(f"/search/?q=strain{n}").status_code == 200
    client.get("/faq/")
    assert len(cached_page_keys()) == 5 + 1  # the FAQ is still cached


@pytest.mark.django_db
def test_a_forged_session_cookie_is_served_from_the_cache(imported, django_assert_num_queries):
    reader = Client()
    first = reader.get("/library/first-aid/")
    forger = Client()
    forger.cookies[settings.SESSION_COOKIE_NAME] = "forged-session-key-123456"
    Article.objects.filter(slug="first-aid").update(title="Changed behind the cache's back")
    with django_assert_num_queries(2):  # the session lookup and the content version
        second = forger.get("/library/first-aid/")
    assert second.content == first.content
    assert len(cached_page_keys()) == 1


@pytest.mark.django_db
def test_a_signed_in_session_cookie_still_bypasses_the_cache(imported, client, admin_user):
    client.get("/library/first-aid/")
    Article.objects.filter(slug="first-aid").update(title="Changed behind the cache's back")
    staff = Client()
    staff.post(reverse("admin:login"), {"username": admin_user.username, "password": "password"})
    assert settings.SESSION_COOKIE_NAME in staff.cookies
    assert "Changed behind the cache" in staff.get("/library/first-aid/").text


@pytest.mark.django_db
def test_a_host_not_allowed_gets_400_even_for_a_cached_page(imported, client):
    assert client.get("/faq/").status_code == 200
    assert Client(HTTP_HOST="evil.example").get("/faq/").status_code == 400


@pytest.mark.django_db
def test_cached_search_keeps_its_kind_filter_and_page(imported, client):
    """Every parameter the search view reads is part of the page's cache key."""
    all_kinds = client.get("/search/", {"q": "strain"}).content
    causes_only = client.get("/search/", {"q": "strain", "kind": "cause"}).content
    assert causes_only != all_kinds
    assert client.get("/search/", {"q": "strain", "kind": "cause"}).content == causes_only

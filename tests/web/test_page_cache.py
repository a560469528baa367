"""The public page cache: fast repeat views that never serve stale advice."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from advice.models import Article, Cause


def cached_page_keys():
    return [key for key in cache._cache if ":page:" in key]  # LocMemCache's own store


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

"""Error pages, health check, robots.txt and sitemap.xml."""

import pytest
from django.http import Http404

from advice.web import views
from tests.factories import make_article, make_cause, make_faq, make_page, make_remedy

pytestmark = pytest.mark.usefixtures("no_page_cache")


# --- 404 and 500: no database --------------------------------------------------------------


def test_404_page_renders_without_the_database(rf, django_db_blocker):
    request = rf.get("/no/such/page/")
    with django_db_blocker.block():  # any query would raise
        response = views.page_not_found(request, Http404())
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert 'href="/search/"' in page and 'href="/checker/"' in page
    assert "general information, not a diagnosis" in page


def test_unknown_url_is_a_friendly_404_with_no_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_renders_without_the_database_or_the_request(rf, django_db_blocker):
    with django_db_blocker.block():
        response = views.server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem" in page
    assert "emergency" in page


def test_views_error_is_served_by_the_500_handler(client, db, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.Cause.objects, "published", broken)
    client.raise_request_exception = False
    response = client.get("/causes/")
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()


# --- healthz ------------------------------------------------------------------------------


def test_healthz_is_plain_ok_and_never_cached(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, db, monkeypatch):
    from django.db import DatabaseError

    class Unreachable:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503


# --- robots.txt and sitemap.xml ---------------------------------------------------------------


def test_robots_txt_allows_all_but_the_admin_and_links_the_sitemap(client, db, settings):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    assert f"Disallow: /{settings.ADMIN_URL}" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_robots_txt_does_not_publish_a_custom_admin_address(client, db, settings):
    settings.ADMIN_URL = "back-office-7f3a/"
    assert "back-office-7f3a" not in client.get("/robots.txt").content.decode()


def test_sitemap_lists_published_items_and_sections(client, db, settings):
    make_article("article")
    make_cause("cause")
    make_remedy("remedy")
    make_page("about")
    make_faq("faq")
    make_article("draft-article", published=False)
    make_cause("draft-cause", published=False)
    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    sections = ["/", "/library/", "/causes/", "/remedies/", "/faq/", "/checker/"]
    items = ["/library/article/", "/causes/cause/", "/remedies/remedy/", "/about/"]
    for path in sections + items:
        assert f"<loc>{settings.SITE_URL}{path}</loc>" in xml, path
    assert "draft-" not in xml
    assert "<lastmod>" in xml

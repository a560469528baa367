"""Stale-if-error: readers of cached pages see no error while the database is down."""

import logging
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from advice.content import version
from advice.web.outage import RETRY_AFTER_SECONDS, outage_log

pytestmark = pytest.mark.cache


@pytest.fixture(autouse=True)
def fresh_state():
    cache.clear()
    outage_log.reset()
    yield
    cache.clear()
    outage_log.reset()


@contextmanager
def database_down():
    """Every query fails the way a refused connection does."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with connection.execute_wrapper(refuse):
        yield


def reader():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_cached_pages_are_served_while_the_database_is_down(imported, caplog):
    paths = ["/faq/", "/library/first-aid/", "/causes/strain/", "/sitemap.xml"]
    before = {path: reader().get(path).content for path in paths}
    with database_down(), caplog.at_level(logging.WARNING):
        for _ in range(5):
            for path in paths:
                response = reader().get(path)
                assert response.status_code == 200, path
                assert response.content == before[path]
            # Unknown parameters map to the same cached page.
            assert reader().get("/faq/?utm_source=x").content == before["/faq/"]
    outage_lines = [r for r in caplog.records if r.name == "advice.web.outage"]
    assert len(outage_lines) == 1
    assert not any(record.exc_info for record in caplog.records)


@pytest.mark.django_db
def test_a_process_started_during_the_outage_uses_the_shared_cache(imported, monkeypatch):
    before = reader().get("/faq/").content
    monkeypatch.setitem(version._remembered, "version", None)  # a new worker's memory
    with database_down():
        response = reader().get("/faq/")
    assert response.status_code == 200
    assert response.content == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/library/", "/remedies/ice/", "/checker/?symptom=pop-at-injury", "/api/checker/"]
)
def test_everything_else_gets_a_friendly_503(imported, path, caplog):
    reader().get("/faq/")  # the version is known, these pages are just not cached
    with database_down(), caplog.at_level(logging.WARNING):
        responses = [reader().get(path) for _ in range(3)]
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "no-store" in response["Cache-Control"]
        assert "Sorry, this page is not available right now" in response.text
        assert "999" in response.text
    assert [r.name for r in caplog.records] == ["advice.web.outage"]
    assert "OperationalError" in caplog.records[0].getMessage()
    assert "symptom" not in caplog.text


@pytest.mark.django_db
def test_a_signed_in_session_cookie_gets_the_cached_page_too(imported, admin_user):
    before = reader().get("/faq/").content
    staff = reader()
    staff.force_login(admin_user)
    with database_down():
        response = staff.get("/faq/")
    assert response.status_code == 200
    assert response.content == before


@pytest.mark.django_db
def test_one_log_line_per_interval(imported, caplog, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("advice.web.outage.time.monotonic", lambda: clock[0])
    with database_down(), caplog.at_level(logging.WARNING):
        for _ in range(10):
            reader().get("/library/")
        clock[0] += 61
        reader().get("/library/")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "1 request(s)" in lines[0] and "10 request(s)" in lines[1]

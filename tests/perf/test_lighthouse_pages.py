"""`make lighthouse`'s page list stays true: every page answers, and a page it
scores as kept out of search engines (SEO without the crawlability audit) is
exactly one that says noindex."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from tests.perf.lighthouse import PAGES

pytestmark = pytest.mark.usefixtures("real_content", "no_page_cache")


@pytest.mark.parametrize(("label", "path", "indexable"), PAGES)
def test_every_listed_page_answers_and_says_whether_it_may_be_indexed(
    client, label, path, indexable
):
    response = client.get(path)
    assert response.status_code == 200, label
    noindex = "noindex" in response.headers.get("X-Robots-Tag", "") or (
        b'<meta name="robots" content="noindex">' in response.content
    )
    assert noindex is not indexable, label


def test_every_page_type_in_the_sitemap_is_measured(client):
    """A page type is a URL pattern: each one the sitemap lists is in the page list."""
    sitemap = client.get("/sitemap.xml").content.decode()
    in_sitemap = {
        view_name(urlsplit(url).path) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    }
    measured = {view_name(urlsplit(path).path) for _, path, _ in PAGES}
    assert in_sitemap - measured == set()


def view_name(path):
    return resolve(path).view_name

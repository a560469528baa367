"""The public site over the real content library in content/."""

import json
import re
from collections import Counter

import pytest
from django.conf import settings

from advice.content.version import bump_version
from advice.models import FAQ, Article, Cause, Page, Remedy, Symptom
from tests.web.test_site_pages import QUERIES

pytestmark = pytest.mark.usefixtures("real_content", "no_page_cache")


def slugs(folder):
    return sorted(path.stem for path in (settings.CONTENT_DIR / folder).glob("*.md"))


ITEM_URLS = (
    [f"/library/{slug}/" for slug in slugs("articles")]
    + [f"/causes/{slug}/" for slug in slugs("causes")]
    + [f"/remedies/{slug}/" for slug in slugs("remedies")]
    + [f"/{slug}/" for slug in slugs("pages")]
)
LIST_URLS = ["/", "/library/", "/causes/", "/remedies/", "/faq/", "/search/?q=hamstring"]


def test_the_library_is_all_there():
    """Every file in content/ is in the database: derived from the files, so adding an FAQ
    never breaks it (minimum sizes are checked in tests/content/test_library_content.py)."""
    for model, folder in [
        (Article, "articles"), (Cause, "causes"), (Remedy, "remedies"),
        (FAQ, "faqs"), (Page, "pages"), (Symptom, "symptoms"),
    ]:  # fmt: skip
        files = {path.stem for path in (settings.CONTENT_DIR / folder).glob("*.md")}
        assert set(model.objects.values_list("slug", flat=True)) == files, folder


@pytest.mark.parametrize("url", LIST_URLS + ITEM_URLS)
def test_every_page_renders_with_unique_ids(client, url):
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    duplicates = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("url", ITEM_URLS)
def test_every_item_page_has_its_own_title_and_description(client, url):
    page = client.get(url).content.decode()
    (h1,) = re.findall(r"<h1>(.*?)</h1>", page)
    assert f"<title>{h1} - Hamstring advice</title>" in page
    description = re.search(r'<meta name="description" content="([^"]+)"', page).group(1)
    assert f'<p class="summary-line">{description}</p>' in page


def test_internal_links_on_every_page_resolve(client):
    seen, broken = set(), []
    for url in LIST_URLS + ITEM_URLS:
        page = client.get(url).content.decode()
        for href in re.findall(r'href="(/[^"#]*)', page):
            href = href.replace("&amp;", "&")
            if href in seen or href.startswith("/static/"):
                continue
            seen.add(href)
            # A question's link redirects to the FAQ page that holds it, opened at its answer.
            response = client.get(href, follow=True)
            landed = response.redirect_chain[-1][0] if response.redirect_chain else href
            anchor = landed.partition("#")[2]
            if response.status_code != 200 or (anchor and f'id="{anchor}"' not in response.text):
                broken.append((url, href))
    assert not broken
    assert len(seen) > 50  # every item page and section, and checker links


def test_home_lists_every_urgent_and_emergency_sign(client):
    page = client.get("/").content.decode()
    red_flags = Symptom.objects.published().filter(care_level__in=["urgent", "emergency"])
    assert red_flags.exists()
    for symptom in red_flags:
        assert symptom.summary.replace("'", "&#x27;") in page


def test_faq_page_has_every_question_and_faq_page_json_ld(client):
    page = client.get("/faq/").content.decode()
    assert page.count('<details class="faq-item"') == FAQ.objects.published().count()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "FAQPage"
    assert len(data["mainEntity"]) == FAQ.objects.published().count()


def test_long_articles_have_a_table_of_contents(client):
    page = client.get("/library/aching-back-of-thigh/").content.decode()
    assert "On this page" in page
    assert '<a href="#when-to-get-help">When to get help</a>' in page


def test_cause_page_shows_nhs_style_care_cards(client):
    page = client.get("/causes/hamstring-strain/").content.decode()
    for prefix in ["Non-urgent advice: ", "Urgent advice: ", "Immediate action required: "]:
        assert f'<span class="visually-hidden">{prefix}</span>' in page


def test_searching_a_common_name_finds_the_cause_first(client):
    page = client.get("/search/", {"q": "pulled hamstring"}).content.decode()
    first = re.search(r'<h3 class="card__title"><a href="([^"]+)"', page).group(1)
    assert first == "/causes/hamstring-strain/"


def test_searching_for_heat_ranks_the_heat_remedy_high(client):
    page = client.get("/search/", {"q": "heat"}).content.decode()
    results = re.findall(r'<h3 class="card__title"><a href="([^"]+)"', page)
    assert "/remedies/heat-therapy/" in results[:3]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("home", "/"),
        ("library", "/library/"),
        ("article_detail", "/library/aching-back-of-thigh/"),
        ("cause_list", "/causes/"),
        ("cause_detail", "/causes/hamstring-strain/"),
        ("remedy_list", "/remedies/"),
        ("remedy_detail", "/remedies/heat-therapy/"),
        ("faq", "/faq/"),
        ("page", "/about/"),
        ("search", "/search/?q=strain"),
        ("sitemap", "/sitemap.xml"),
    ],
)
def test_query_counts_match_the_small_site(client, django_assert_num_queries, name, url):
    bump_version()  # the first request after a change: nothing read before is kept
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS + ITEM_URLS)
def test_no_page_shows_a_source_article_file_name(client, url):
    page = client.get(url).content.decode()
    assert not re.search(r"\b\d{3}_[0-9a-f]{16}\.txt\b", page)
    assert "Seed:" not in page

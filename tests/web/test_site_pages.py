"""The public pages, built from factory rows: content, drafts, htmx fragments, SEO, query counts."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from advice.models import Cause, Remedy
from tests.factories import (
    make_article,
    make_cause,
    make_faq,
    make_page,
    make_remedy,
    make_symptom,
    make_topic,
)

LIST_PAGES = ["home", "library", "cause_list", "remedy_list", "faq"]
DETAIL_PAGES = ["article_detail", "cause_detail", "remedy_detail", "page"]
KINDS = ["self-care", "exercise", "professional", "medical"]
PHASES = ["first-72-hours", "recovery", "prevention"]
CARE_LEVELS = ["self-care", "urgent", "emergency"]

pytestmark = pytest.mark.usefixtures("no_page_cache")


def build_site(n):
    """``n`` published items of every kind, all linked to each other, plus one page."""
    topics = [make_topic("strains-and-tears", order=1), make_topic("soreness", order=2)]
    symptoms = [
        make_symptom(f"symptom-{i}", care_level=CARE_LEVELS[i % 3], title=f"Symptom {i}")
        for i in range(n)
    ]
    remedies = [
        make_remedy(
            f"remedy-{i}",
            phases=[PHASES[i % 3], PHASES[(i + 1) % 3]],
            kind=KINDS[i % 4],
            title=f"Remedy {i}",
        )
        for i in range(n)
    ]
    causes = [
        make_cause(
            f"cause-{i}",
            title=f"Cause {i}",
            symptoms={symptom: 1 + j % 3 for j, symptom in enumerate(symptoms)},
            remedies=remedies,
            care_non_urgent="It is not better after a week.",
            care_emergency="You have chest pain.",
        )
        for i in range(n)
    ]
    for i in range(n):
        make_article(
            f"article-{i}",
            title=f"Article {i}",
            topic=topics[i % 2],
            causes=causes,
            remedies=remedies,
            featured=True,
            body="## One\n\nText.\n\n## Two\n\nMore text.\n\n## Three\n\nThe end.",
        )
        make_faq(
            f"faq-{i}", title=f"Question {i}?", topic=topics[i % 2], causes=causes, popular=True
        )
    make_page("about", title="About this site")


def url_of(name):
    slugs = {
        "article_detail": "article-0",
        "cause_detail": "cause-0",
        "remedy_detail": "remedy-0",
        "page": "about",
    }
    return reverse(f"advice:{name}", args=[slugs[name]] if name in slugs else [])


def html_title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def meta(response, attribute, name):
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"'
    return re.search(pattern, response.content.decode()).group(1)


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


# --- Query counts ------------------------------------------------------------------

# Queries per page for an anonymous reader: the same whatever the number of items.
# The home page and an item's own page read the content version, then (once
# per version, see QUERIES_REPEAT) their content.
QUERIES = {
    "home": 5,  # version; red-flag symptoms, common causes, featured articles, popular FAQs
    "library": 4,  # version; topics (once per version, like the home page), count, one page
    "article_detail": 6,  # version; article+topic, causes, remedies, remedies' causes, FAQs
    "cause_list": 2,  # count, one page of causes
    "cause_detail": 6,  # version; cause, symptom links+symptoms, remedies, articles, FAQs
    "remedy_list": 2,  # count, one page of remedies
    "remedy_detail": 4,  # version; remedy, causes, articles+topics
    "faq": 4,  # version; topics (once per version, as the library's), count, one page
    "page": 2,  # version; page
    "search": 4,  # version; synonyms (once per version), counts by kind, one page of results
    # A misspelt word: version, synonyms, counts, spelling candidates, counts and page of
    # the correction.
    "search-typo": 6,
    "search-suggest": 3,  # version; synonyms (once per version), the suggested pages
    "sitemap": 2,  # the content counts, then the rows of all four content sections
}
QUERIES_REPEAT = 1  # the home or an item's page again, content unchanged: the version only


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("name", LIST_PAGES + DETAIL_PAGES)
def test_query_count_does_not_grow_with_content(client, db, django_assert_num_queries, name, size):
    build_site(size)
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url_of(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["home", *DETAIL_PAGES])
def test_the_home_and_item_pages_read_content_once_per_content_version(
    client, db, django_assert_num_queries, name
):
    build_site(3)
    first = client.get(url_of(name)).content
    with django_assert_num_queries(QUERIES_REPEAT):
        assert client.get(url_of(name)).content == first


@pytest.mark.parametrize(
    ("name", "url"), [("library", "/library/"), ("faq", "/faq/"), ("search", "/search/?q=text")]
)
def test_topics_and_synonyms_are_read_once_per_content_version(
    client, db, django_assert_num_queries, name, url
):
    build_site(3)
    first = client.get(url).content
    with django_assert_num_queries(QUERIES[name] - 1):  # no topics, no synonyms
        assert client.get(url).content == first


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/search/?q=text", "search"),
        ("/search/?q=txet", "search-typo"),
        ("/sitemap.xml", "sitemap"),
        ("/library/?topic=strains-and-tears&q=article", "library-search"),
        ("/remedies/?phase=recovery", "remedy_list"),
        ("/faq/?q=question", "faq"),
    ],
)
def test_query_count_of_filtered_pages(client, db, django_assert_num_queries, url, name, size):
    build_site(size)
    expected = QUERIES["library" if name == "library-search" else name]
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_query_count_of_search_suggestions(client, db, django_assert_num_queries, size):
    build_site(size)
    with django_assert_num_queries(QUERIES["search-suggest"]):
        response = client.get("/search/suggest/?q=quest", headers={"HX-Request": "true"})
    assert 'role="option"' in response.content.decode()


# --- Each page's content -------------------------------------------------------------


@pytest.fixture
def site(db):
    build_site(3)


def test_home_shows_checker_urgent_signs_causes_articles_and_faqs(client, site):
    page = client.get("/").content.decode()
    assert 'href="/checker/"' in page and "Check your symptoms" in page
    assert "Urgent signs" in page
    # Symptoms 1 (urgent) and 2 (emergency) are red flags; symptom 0 is self-care.
    assert "About symptom 1." in page and "About symptom 2." in page
    assert "About symptom 0." not in page
    assert page.index("About symptom 2.") < page.index("About symptom 1."), "emergency first"
    assert 'href="/causes/cause-0/"' in page
    assert 'href="/library/article-0/"' in page
    assert 'href="/faq/?question=faq-0"' in page


def test_library_lists_articles_and_filters_by_topic(client, site):
    page = client.get("/library/").content.decode()
    assert "3 articles" in page
    filtered = client.get("/library/", {"topic": "soreness"}).content.decode()
    assert "1 article about soreness" in filtered
    assert "Article 1" in filtered and "Article 0" not in filtered


def test_library_search_highlights_matches(client, site):
    page = client.get("/library/", {"q": "article 2"}).content.decode()
    assert "1 article matching" in page
    assert "<mark>Article</mark> <mark>2</mark>" in page


def test_library_paginates(client, db):
    build_site(12)
    first = client.get("/library/").content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/library/", {"page": "2"}).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_article_page(client, site):
    response = client.get("/library/article-0/")
    page = response.content.decode()
    assert "<h1>Article 0</h1>" in page
    assert "About article 0." in page  # the summary
    assert "On this page" in page and 'href="#three"' in page  # three h2s: a contents list
    assert "1 minute read" in page
    assert "Reviewed by Editorial team on" in page and "1 November 2026" in page
    assert "Next review due" in page and "1 May 2027" in page
    assert 'href="/causes/cause-1/"' in page and 'href="/remedies/remedy-2/"' in page
    assert "Related questions" in page and 'href="/faq/?question=faq-0"' in page
    assert '<a href="https://www.nhs.uk/conditions/hamstring-injury/">Hamstring injury</a>' in page
    assert "NHS" in page[page.index("Sources") :]


def test_article_without_three_headings_has_no_contents_list(client, db):
    make_article("short", body="## Only\n\nOne heading.")
    assert "On this page" not in client.get("/library/short/").content.decode()


def test_cause_page(client, site):
    page = client.get("/causes/cause-0/").content.decode()
    assert "Typical symptoms" in page
    # Weight 3 (symptom-2) before weight 1 (symptom-0).
    assert page.index("About symptom 2.") < page.index("About symptom 0.")
    assert "care-card--non-urgent" in page and "Non-urgent advice: " in page
    assert "care-card--urgent" in page and "Urgent advice: " in page
    assert "care-card--emergency" in page and "Immediate action required: " in page
    assert "You have chest pain." in page
    # remedy-0 helps in first-72-hours and recovery: listed once, under the first,
    # with the other phase noted.
    assert page.count('href="/remedies/remedy-0/"') == 1
    first_aid = page[page.index("<h3>First 72 hours</h3>") :]
    assert first_aid.index('href="/remedies/remedy-0/"') < first_aid.index("<h3>", 1)
    assert "Also helps in: recovery." in first_aid
    assert "<h3>Prevention</h3>" in page
    assert 'href="/library/article-0/"' in page and 'href="/faq/?question=faq-0"' in page
    assert 'href="/checker/"' in page


def test_remedy_list_groups_by_kind_and_filters_by_phase(client, site):
    page = client.get("/remedies/").content.decode()
    assert "Self-care" in page and "Exercise" in page and "Professional care" in page
    assert 'href="?phase=prevention"' in page  # a real link, works without JavaScript
    filtered = client.get("/remedies/", {"phase": "prevention"}).content.decode()
    # remedy-1 (recovery, prevention) and remedy-2 (prevention, first 72 hours)
    assert "Remedy 1" in filtered and "Remedy 2" in filtered and "Remedy 0" not in filtered
    assert '<a href="?phase=prevention" aria-current="page"' in filtered


def test_remedy_page(client, site):
    page = client.get("/remedies/remedy-0/").content.decode()
    assert "How and when to use it" in page
    assert "Stop if it hurts more." in page  # cautions
    assert "First 72 hours, Recovery" in page
    assert "Causes it can help with" in page and 'href="/causes/cause-0/"' in page


def test_remedy_page_shows_when_not_to_use_it(client, db):
    make_remedy("heat", phases=["recovery"], avoid_phases=["first-72-hours"])
    page = client.get("/remedies/heat/").content.decode()
    assert "When not to use it" in page and "First 72 hours" in page


def test_faq_groups_by_topic_with_anchored_details(client, site):
    page = client.get("/faq/").content.decode()
    assert page.index("Strains and tears") < page.index("Soreness")
    assert '<div class="faq-item__answer prose" id="faq-0">' in page
    assert "<summary>Question 0?</summary>" in page


def test_faq_filter_works_without_javascript(client, site):
    page = client.get("/faq/", {"q": "question 1"}).content.decode()
    assert "1 question matching" in page
    assert '<details class="faq-item" open>' in page
    assert 'id="faq-1"' in page and 'id="faq-0"' not in page


def test_site_page(client, site):
    page = client.get("/about/").content.decode()
    assert "<h1>About this site</h1>" in page and "Reviewed by Editorial team on" in page


def test_unknown_site_page_is_404(client, site):
    assert client.get("/no-such-page/").status_code == 404


def test_layout_has_landmarks_skip_link_search_and_disclaimer(client, site):
    page = client.get("/causes/").content.decode()
    assert '<a class="skip-link" href="#main-content">' in page
    assert '<main id="main-content"' in page
    assert 'role="search"' in page and 'action="/search/"' in page
    assert '<nav class="site-nav" aria-label="Main">' in page
    assert '<a href="/causes/" aria-current="page">Causes</a>' in page
    assert "general information, not a diagnosis" in page
    assert "In an emergency call your local emergency number" in page
    assert 'href="/about/"' in page and 'href="/editorial-policy/"' in page
    # One stylesheet, print rules included (static/css/site.css, @media print).
    assert len(re.findall(r'<link rel="stylesheet"', page)) == 1


def test_detail_pages_have_breadcrumbs(client, site):
    page = client.get("/causes/cause-0/").content.decode()
    assert 'aria-label="Breadcrumb"' in page and '<a href="/causes/">Causes</a>' in page


# --- Drafts -----------------------------------------------------------------------

DRAFTS = {
    "article": (make_article, "/library/draft/"),
    "cause": (make_cause, "/causes/draft/"),
    "remedy": (make_remedy, "/remedies/draft/"),
    "page": (make_page, "/draft/"),
}


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="a-long-test-password-1")
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", DRAFTS)
def test_draft_is_404_to_the_public(client, db, kind):
    factory, url = DRAFTS[kind]
    factory("draft", published=False)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", DRAFTS)
def test_staff_see_drafts_with_a_banner(staff_client, db, kind):
    factory, url = DRAFTS[kind]
    factory("draft", published=False)
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Draft: not visible to the public" in response.content.decode()


@pytest.mark.parametrize("kind", DRAFTS)
def test_a_draft_staff_have_seen_is_still_404_to_the_public_until_published(
    client, staff_client, db, kind
):
    factory, url = DRAFTS[kind]
    item = factory("draft", published=False)
    assert staff_client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404
    item.published = True
    item.save()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/causes/cause-0/"])
def test_a_content_change_shows_at_once(client, site, url):
    assert "Hamstring cause 0" not in client.get(url).content.decode()
    cause = Cause.objects.get(slug="cause-0")
    cause.title = "Hamstring cause 0"
    cause.save()
    assert "Hamstring cause 0" in client.get(url).content.decode()
    make_faq("new-faq", title="A question added today?", popular=True, causes=[cause])
    assert "A question added today?" in client.get(url).content.decode()


def test_signed_in_staff_get_the_csrf_token_for_htmx(staff_client, site):
    assert """hx-headers='{"x-csrftoken": """ in staff_client.get("/").content.decode()


def test_published_page_has_no_draft_banner_for_staff(staff_client, site):
    assert "Draft:" not in staff_client.get("/causes/cause-0/").content.decode()


def test_drafts_are_left_out_of_lists_and_related_items(client, site):
    cause = Cause.objects.get(slug="cause-0")
    remedy = Remedy.objects.get(slug="remedy-0")
    cause.remedies.add(make_remedy("secret-remedy", title="Secret remedy", published=False))
    make_article("secret-article", title="Secret article", published=False, featured=True,
                 causes=[cause], remedies=[remedy])  # fmt: skip
    make_faq("secret-faq", title="Secret question", published=False, popular=True, causes=[cause])
    make_symptom("secret-symptom", care_level="emergency", summary="Secret sign.", published=False)
    make_cause("secret-cause", title="Secret cause", published=False, remedies=[remedy])
    secrets = ["Secret remedy", "Secret article", "Secret question", "Secret sign.", "Secret cause"]
    lists = ["/", "/library/", "/causes/", "/remedies/", "/faq/", "/search/?q=secret"]
    details = ["/causes/cause-0/", "/library/article-0/", "/remedies/remedy-0/"]
    urls = [*lists, *details, "/sitemap.xml"]
    for url in urls:
        page = client.get(url).content.decode()
        assert not [secret for secret in secrets if secret in page], url
        assert "secret-" not in page, url


# --- htmx ---------------------------------------------------------------------------

FRAGMENTS = {
    "/library/?topic=soreness": 'id="library-results"',
    "/remedies/?phase=recovery": 'id="remedy-results"',
    "/faq/?q=question": 'id="faq-results"',
    "/search/?q=cause": 'id="search-results"',
}


@pytest.mark.parametrize("url", FRAGMENTS)
def test_htmx_gets_only_the_results_fragment(client, site, url):
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<div {FRAGMENTS[url]}" in page
    assert "<html" not in page and "<footer" not in page and "<h1>" not in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("url", FRAGMENTS)
def test_plain_request_gets_the_whole_page_and_varies_on_htmx(client, site, url):
    response = client.get(url)
    page = response.content.decode()
    assert page.startswith("<!doctype html>") and FRAGMENTS[url] in page
    assert "HX-Request" in response["Vary"]


def test_htmx_fragment_carries_the_new_page_title(client, site):
    headers = {"HX-Request": "true"}
    page = client.get("/library/?topic=soreness", headers=headers).content.decode()
    assert page.lstrip().startswith("<title>Library: Soreness - Hamstring advice</title>")
    assert (
        "<title>" not in client.get("/library/?topic=soreness").content.decode().split("</head>")[1]
    )


def test_htmx_history_restore_gets_the_whole_page(client, site):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/library/?topic=soreness", headers=headers)
    assert response.content.decode().startswith("<!doctype html>")
    assert "HX-History-Restore-Request" in response["Vary"]


def test_htmx_controls_are_real_links_and_get_forms(client, site):
    library = client.get("/library/").content.decode()
    assert re.search(r'<form class="filters" action="/library/" method="get"', library)
    assert 'hx-get="/library/"' in library and 'hx-push-url="true"' in library
    faq = client.get("/faq/").content.decode()
    assert re.search(r'<form class="filters" action="/faq/" method="get"', faq)


def test_htmx_is_served_from_our_static_files_and_configured_for_the_csp(client, site):
    page = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert '"allowEval":false' in page and '"includeIndicatorStyles":false' in page
    assert "hx-headers" not in page  # the public's pages carry no CSRF token (and are cacheable)
    assert " style=" not in page and "<style" not in page and "hx-on" not in page
    assert "://cdn" not in page and "unpkg" not in page


# --- SEO ------------------------------------------------------------------------------


def test_every_page_has_a_unique_title_and_description(client, site):
    urls = [url_of(name) for name in LIST_PAGES + DETAIL_PAGES] + ["/search/"]
    responses = [client.get(url) for url in urls]
    titles = [html_title(response) for response in responses]
    descriptions = [meta(response, "name", "description") for response in responses]
    assert len(set(titles)) == len(titles), titles
    assert all(titles) and all(descriptions)


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_detail_page_seo_tags_use_the_item(client, site, name):
    response = client.get(url_of(name))
    slug = url_of(name)
    assert meta(response, "name", "description").startswith("About ")
    assert f'<link rel="canonical" href="{settings.SITE_URL}{slug}">' in response.content.decode()
    assert meta(response, "property", "og:url") == f"{settings.SITE_URL}{slug}"
    assert meta(response, "property", "og:title") in html_title(response)
    assert meta(response, "property", "og:description").startswith("About ")


def test_canonical_url_leaves_out_the_query(client, site):
    page = client.get("/library/?topic=soreness&page=1").content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}/library/">' in page


@pytest.mark.parametrize(
    ("url", "about"), [("/library/article-0/", None), ("/causes/cause-0/", "MedicalCondition")]
)
def test_articles_and_causes_have_medical_web_page_json_ld(client, site, url, about):
    (data,) = json_ld(client.get(url))
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-11-01"
    assert data["url"] == f"{settings.SITE_URL}{url}"
    assert data.get("about", {}).get("@type") == about


def test_faq_has_faq_page_json_ld(client, site):
    (data,) = json_ld(client.get("/faq/"))
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == ["Question 0?", "Question 2?", "Question 1?"]
    assert data["mainEntity"][0]["acceptedAnswer"]["text"].startswith("About")


def test_faq_json_ld_answers_are_text_not_markup(client, db):
    make_faq("where", title="Where do I go?", body="Go to A&E if it is <em>bad</em>.")
    (data,) = json_ld(client.get("/faq/"))
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Go to A&E if it is bad."


def test_json_ld_escapes_markup_for_script_context(client, db):
    make_cause("sneaky", title="</script><script>alert(1)</script> & co")
    response = client.get("/causes/sneaky/")
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    (data,) = json_ld(response)
    assert data["name"] == "</script><script>alert(1)</script> & co"
    assert "\\u003C/script\\u003E" in page

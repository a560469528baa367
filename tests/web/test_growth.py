"""Lists that grow with the content: pages of causes, remedies and questions, the
sitemap index, and a question's link that finds its page."""

import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from advice.content.links import link_target
from advice.models import Cause, Phase
from advice.web import sitemaps, views
from advice.web.paging import Prepared
from tests.factories import (
    make_article,
    make_cause,
    make_faq,
    make_page,
    make_remedy,
    make_topic,
)

pytestmark = pytest.mark.usefixtures("no_page_cache")

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
KINDS = ["self-care", "exercise", "professional", "medical"]
PHASES = ["first-72-hours", "recovery", "prevention"]


def build(causes, remedies, faqs):
    topics = [make_topic("strains-and-tears", order=1), make_topic("soreness", order=2)]
    for i in range(causes):
        make_cause(f"cause-{i:03}", title=f"Cause {i:03}")
    for i in range(remedies):
        make_remedy(f"remedy-{i:03}", title=f"Remedy {i:03}", kind=KINDS[i % 4],
                    phases=[PHASES[i % 3]])  # fmt: skip
    for i in range(faqs):
        make_faq(f"faq-{i:03}", title=f"Question {i:03}?", topic=topics[i % 2], order=i)
    make_article("article-0", topic=topics[0])
    make_page("about")


def sizes(per_page):
    """A list that fits one page, and one of three pages."""
    return [1, per_page * 2 + 1]


def titles(response, pattern):
    return re.findall(pattern, response.content.decode())


# --- Query counts: the same on one page or many -----------------------------------------


@pytest.mark.parametrize(
    ("url", "per_page", "queries"),
    [
        ("/causes/", views.CAUSES_PER_PAGE, 2),  # count, the page's causes
        ("/causes/?page=2", views.CAUSES_PER_PAGE, 2),
        ("/remedies/", views.REMEDIES_PER_PAGE, 2),  # count, the page's remedies
        ("/remedies/?phase=first-72-hours&page=2", views.REMEDIES_PER_PAGE, 2),
        # The content version and the topics (once per version), count, the page's questions.
        ("/faq/", views.FAQS_PER_PAGE, 4),
        ("/faq/?page=3", views.FAQS_PER_PAGE, 4),
        ("/faq/?question=faq-001", views.FAQS_PER_PAGE, 1),  # the questions' slugs in order
    ],
)
@pytest.mark.parametrize("large", [False, True])
def test_list_queries_do_not_grow(client, db, django_assert_num_queries, url, per_page, queries,
                                  large):  # fmt: skip
    n = sizes(per_page)[large]
    build(causes=n, remedies=n, faqs=n)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("large", [False, True])
def test_sitemap_queries_do_not_grow(client, db, django_assert_num_queries, monkeypatch, large):
    monkeypatch.setattr(sitemaps, "URLS_PER_SITEMAP", 20)
    build(causes=30 if large else 1, remedies=1, faqs=0)
    # The content counts (one query), then every section's rows in one more
    # (a whole sitemap), or nothing more (the index).
    with django_assert_num_queries(1 if large else 2):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    with django_assert_num_queries(1):  # one section: one page of its rows
        assert (
            client.get("/sitemap-causes.xml?p=2" if large else "/sitemap-causes.xml").status_code
            == 200
        )
    with django_assert_num_queries(0):  # the site's own pages: no query at all
        assert client.get("/sitemap-sections.xml").status_code == 200


# --- Pages of a list ----------------------------------------------------------------------


def test_causes_come_in_pages_with_links_between_them(client, db):
    build(causes=views.CAUSES_PER_PAGE + 5, remedies=0, faqs=0)
    first, second = client.get("/causes/"), client.get("/causes/", {"page": 2})
    first_titles = titles(first, r">(Cause \d+)</a>")
    second_titles = titles(second, r">(Cause \d+)</a>")
    assert len(first_titles) == views.CAUSES_PER_PAGE and len(second_titles) == 5
    assert not set(first_titles) & set(second_titles)
    assert '<a href="?page=2" rel="next"' in first.content.decode()
    assert '<a href="?page=1" rel="prev"' in second.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_a_short_list_has_no_page_links(client, db):
    build(causes=3, remedies=3, faqs=3)
    for url in ["/causes/", "/remedies/", "/faq/", "/library/"]:
        assert 'class="pagination"' not in client.get(url).content.decode()


def test_remedy_pages_keep_the_phase_and_the_kinds_order(client, db):
    n = views.REMEDIES_PER_PAGE * 3 + 6  # a page and 2 for the recovery phase
    build(causes=0, remedies=n, faqs=0)
    page = client.get("/remedies/", {"phase": "recovery"}).content.decode()
    assert f"{n // 3} remedies for the recovery stage" in page
    assert '<a href="?phase=recovery&amp;page=2" rel="next"' in page
    shown = [
        title
        for number in (1, 2)
        for title in titles(
            client.get("/remedies/", {"phase": "recovery", "page": number}), r">(Remedy \d+)</a>"
        )
    ]
    # Every remedy for the phase once, grouped by kind in the kinds' order across pages.
    assert sorted(shown) == [f"Remedy {i:03}" for i in range(n) if i % 3 == 1]
    kinds = [KINDS[int(title.split()[1]) % 4] for title in shown]
    assert kinds == sorted(kinds, key=KINDS.index)


def test_faq_pages_keep_questions_under_their_topics(client, db):
    build(causes=0, remedies=0, faqs=views.FAQS_PER_PAGE + 4)
    second = client.get("/faq/", {"page": 2}).content.decode()
    assert second.count('<details class="faq-item"') == 4
    first, total = views.FAQS_PER_PAGE + 1, views.FAQS_PER_PAGE + 4
    assert f"Showing questions {first} to {total} of {total}" in second
    # The last questions, by topic then order, are all in the second topic.
    assert 'id="topic-soreness"' in second and 'id="topic-strains-and-tears"' not in second


def test_faq_filter_pages_its_matches(client, db):
    build(causes=0, remedies=0, faqs=views.FAQS_PER_PAGE + 4)
    page = client.get("/faq/", {"q": "question", "page": 2}).content.decode()
    assert f"{views.FAQS_PER_PAGE + 4} questions matching" in page
    assert page.count('<details class="faq-item"') == 4
    assert '<a href="?q=question&amp;page=1" rel="prev"' in page


# --- Lists whose SQL is built once per process ------------------------------------------


def test_a_prepared_list_builds_its_queries_once_per_window(db):
    build(causes=5, remedies=0, faqs=0)
    built = []

    def causes_by_title():
        built.append(1)
        return Cause.objects.published().order_by("title", "pk")

    listed = Prepared(causes_by_title)
    for _ in range(3):
        assert listed.count() == 5
        assert [c.slug for c in listed[0:2]] == ["cause-000", "cause-001"]
    assert len(built) == 2  # the count's query and the first window's
    assert [c.slug for c in listed[2:4]] == ["cause-002", "cause-003"]
    assert len(built) == 3


def test_a_prepared_list_reads_the_rows_afresh(db):
    build(causes=3, remedies=0, faqs=0)
    listed = Prepared(views._causes_in_order)
    assert [c.title for c in listed[0:10]] == ["Cause 000", "Cause 001", "Cause 002"]
    make_cause("cause-new", title="Cause 000 again", order=0)
    Cause.objects.filter(slug="cause-001").update(title="Cause 001 renamed")
    assert listed.count() == 4
    assert [c.title for c in listed[0:10]] == [
        "Cause 000", "Cause 000 again", "Cause 001 renamed", "Cause 002"
    ]  # fmt: skip


@pytest.mark.parametrize("phase", [None, *Phase])
def test_a_prepared_list_has_the_rows_of_its_queryset(db, phase):
    build(causes=0, remedies=views.REMEDIES_PER_PAGE + 7, faqs=0)
    queryset = views._remedies_in_order(phase)
    listed = Prepared(views._remedies_in_order, phase)
    assert listed.count() == queryset.count()
    for window in (slice(0, 10), slice(10, 40)):
        rows = listed[window]
        assert [r.pk for r in rows] == [r.pk for r in queryset[window]]
        assert [r.phases for r in rows] == [r.phases for r in queryset[window]]  # JSON decoded


def test_a_prepared_list_of_fields_has_the_named_rows_of_its_queryset(db):
    build(causes=0, remedies=0, faqs=views.FAQS_PER_PAGE + 3)
    fields = views.FAQ_SHOWN
    queryset = views._faqs_in_order().values_list(*fields, named=True)
    listed = Prepared(views._faqs_in_order, fields=fields)
    for window in (slice(0, 10), slice(10, 40)):
        rows = listed[window]
        assert rows == list(queryset[window]) and rows
        assert rows[0]._fields == fields


def test_a_prepared_list_refuses_fields_the_orm_would_convert(db):
    build(causes=0, remedies=3, faqs=0)
    listed = Prepared(views._remedies_in_order, None, fields=("slug", "phases"))  # JSON
    with pytest.raises(ImproperlyConfigured, match="needs converting"):
        listed[0:10]


def test_an_item_whose_topic_was_not_read_with_the_topics_reads_its_own(client, db, monkeypatch):
    # A topic added in the same instant as the list was read: not among the
    # topics kept for the content version.
    build(causes=0, remedies=0, faqs=2)
    monkeypatch.setattr(views, "_topics", lambda: ())
    faq = client.get("/faq/").content.decode()
    assert '<h2 id="topic-strains-and-tears">Strains and tears</h2>' in faq
    library = client.get("/library/").content.decode()
    assert '<p class="card__meta">Strains and tears</p>' in library


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2.5", "99999", "9" * 400, "1%00"])
@pytest.mark.parametrize("url", ["/library/", "/causes/", "/remedies/", "/faq/"])
def test_a_bad_page_number_gets_a_page(client, db, url, page):
    build(causes=3, remedies=3, faqs=3)
    assert client.get(url, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    ("url", "target"),
    [("/remedies/", "remedy-results"), ("/faq/", "faq-results"), ("/library/", "library-results")],
)
def test_htmx_swaps_the_next_page_in_place(client, db, url, target):
    build(causes=0, remedies=views.REMEDIES_PER_PAGE + 1, faqs=views.FAQS_PER_PAGE + 1)
    for i in range(1, views.ARTICLES_PER_PAGE + 1):
        make_article(f"article-{i}")
    page = client.get(url).content.decode()
    assert f'hx-get="?page=2" hx-target="#{target}" hx-swap="outerHTML"' in page
    fragment = client.get(url, {"page": 2}, headers={"HX-Request": "true"})
    assert fragment.content.decode().count(f'id="{target}"') == 1
    assert "<html" not in fragment.content.decode()


# --- A question's link ----------------------------------------------------------------------


def test_a_questions_link_opens_the_page_that_holds_it(client, db):
    build(causes=0, remedies=0, faqs=views.FAQS_PER_PAGE * 2 + 1)
    # Ordered by topic, then order: the second topic's last question (the highest odd
    # number) is the last question of all, alone on the third page.
    last = f"faq-{views.FAQS_PER_PAGE * 2 - 1:03}"
    response = client.get(f"/faq/?question={last}")
    assert response.status_code == 302
    assert response["Location"] == f"/faq/?page=3#{last}"
    assert f'id="{last}"' in client.get(response["Location"]).content.decode()
    assert client.get("/faq/?question=faq-000")["Location"] == "/faq/#faq-000"


@pytest.mark.parametrize("question", ["no-such-question", "<script>", "x" * 300])
def test_an_unknown_question_goes_to_the_first_page(client, db, question):
    build(causes=0, remedies=0, faqs=2)
    response = client.get("/faq/", {"question": question})
    assert response.status_code == 302 and response["Location"] == reverse("advice:faq")


def test_a_question_is_linked_by_its_own_url_and_editors_links_still_resolve(db):
    build(causes=0, remedies=0, faqs=1)
    (faq,) = views.FAQ.objects.all()
    assert faq.get_absolute_url() == "/faq/?question=faq-000"
    for path in ["/faq/?question=faq-000", "/faq/#faq-000"]:
        target = link_target(path)
        assert (target.kind, target.slug) == ("faqs", "faq-000")


# --- The sitemap index ------------------------------------------------------------------------


def test_sitemap_becomes_an_index_of_paged_section_sitemaps(client, db, monkeypatch, settings):
    monkeypatch.setattr(sitemaps, "URLS_PER_SITEMAP", 20)
    build(causes=30, remedies=1, faqs=0)
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == client.get("/sitemap-causes.xml")["X-Robots-Tag"]
    index = response.content.decode()
    assert "<sitemapindex" in index
    locations = re.findall(r"<loc>(.*?)</loc>", index)
    origin = settings.SITE_URL
    assert f"{origin}/sitemap-causes.xml" in locations
    assert f"{origin}/sitemap-causes.xml?p=2" in locations
    assert f"{origin}/sitemap-causes.xml?p=3" not in locations
    listed = []
    for location in locations:
        page = client.get(location.removeprefix(origin))
        assert page.status_code == 200
        listed += re.findall(r"<loc>(.*?)</loc>", page.content.decode())
    causes = [url for url in listed if "/causes/cause-" in url]
    assert len(causes) == len(set(causes)) == 30


def test_a_small_sitemap_stays_one_sitemap(client, db):
    build(causes=3, remedies=3, faqs=0)
    page = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in page and "/causes/cause-002/" in page


@pytest.mark.parametrize("url", ["/sitemap-nothing.xml", "/sitemap-causes.xml?p=9",
                                 "/sitemap-causes.xml?p=x", "/sitemap.xml?p=x",
                                 "/sitemap-causes.xml?p=0", "/sitemap-causes.xml?p=-1",
                                 "/sitemap-causes.xml?p=99999999999999999999999"])  # fmt: skip
def test_a_sitemap_page_that_does_not_exist_is_404(client, db, url):
    build(causes=3, remedies=0, faqs=0)
    assert client.get(url).status_code == 404


def test_a_sitemap_says_each_urls_last_change_frequency_and_priority(client, db, settings):
    build(causes=2, remedies=1, faqs=0)
    changed = datetime(2026, 7, 10, 23, 30, tzinfo=UTC)  # the 11th in London (summer time)
    views.Cause.objects.filter(slug="cause-001").update(updated_at=changed)
    xml = client.get("/sitemap.xml").content.decode()
    root = ElementTree.fromstring(xml)  # well-formed
    urls = {
        url.findtext("sm:loc", namespaces=NS): (
            url.findtext("sm:lastmod", namespaces=NS),
            url.findtext("sm:changefreq", namespaces=NS),
            url.findtext("sm:priority", namespaces=NS),
        )
        for url in root.iterfind("sm:url", NS)
    }
    origin = settings.SITE_URL
    assert urls[f"{origin}/causes/cause-001/"] == ("2026-07-11", "monthly", "0.7")
    assert urls[f"{origin}/remedies/remedy-000/"][1:] == ("monthly", "0.6")
    assert urls[f"{origin}/about/"][1:] == ("monthly", "0.3")
    assert urls[f"{origin}/faq/"] == (None, "weekly", "0.8")  # a section: no lastmod
    assert len(urls) == len(root.findall("sm:url", NS))  # each URL once


def test_a_section_sitemap_says_when_its_page_last_changed(client, db):
    build(causes=2, remedies=0, faqs=0)
    changed = datetime(2026, 5, 1, 12, 0, 5, tzinfo=UTC)
    views.Cause.objects.filter(slug="cause-000").update(updated_at=changed)
    views.Cause.objects.filter(slug="cause-001").update(updated_at=changed - timedelta(days=3))
    assert client.get("/sitemap-causes.xml")["Last-Modified"] == "Fri, 01 May 2026 12:00:05 GMT"
    # The site's own pages and the whole sitemap have no date to give.
    assert "Last-Modified" not in client.get("/sitemap-sections.xml")
    assert "Last-Modified" not in client.get("/sitemap.xml")


def test_sitemap_urls_are_escaped(client, db, settings):
    settings.SITE_URL = "https://example.org/a&b"
    build(causes=1, remedies=0, faqs=0)
    for url in ["/sitemap.xml", "/sitemap-causes.xml"]:
        xml = client.get(url).content.decode()
        assert "<loc>https://example.org/a&amp;b/causes/cause-000/</loc>" in xml
        ElementTree.fromstring(xml)

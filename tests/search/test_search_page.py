"""The search page and the search box's suggestions, as a reader sees them."""

import re

import pytest

from advice.models import Synonym
from advice.search.backends import backend
from advice.search.query import parse
from tests.factories import make_article, make_cause, make_faq, make_remedy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def result_urls(html):
    listing = re.search(r'<ol class="card-list search-list".*?</ol>', html, re.S)
    if not listing:
        return []
    return re.findall(r'<h3 class="card__title"><a href="([^"]+)"', listing.group())


def test_stemming_finds_other_forms_of_a_word(client):
    make_remedy("static-stretching", title="Static stretching")
    assert result_urls(page(client, q="stretches")) == ["/remedies/static-stretching/"]


def test_synonyms_and_aliases_find_what_the_site_calls_it(client):
    make_cause("hamstring-strain", title="Hamstring strain", also_known_as="Hamstring pull")
    make_cause("tendinopathy", title="Tendinopathy", summary="An irritated tendon.")
    Synonym.objects.create(slug="tendonitis", words="tendonitis\ntendinitis", means="tendinopathy")
    assert result_urls(page(client, q="tendinitis")) == ["/causes/tendinopathy/"]
    assert result_urls(page(client, q="hamstring pull")) == ["/causes/hamstring-strain/"]


def test_an_edited_synonym_counts_from_the_next_search(client):
    make_cause("tendinopathy", title="Tendinopathy", summary="An irritated tendon.")
    synonym = Synonym.objects.create(slug="tendonitis", words="tendonitis", means="tendinopathy")
    assert result_urls(page(client, q="tendonitis")) == ["/causes/tendinopathy/"]
    assert result_urls(page(client, q="tendinitis", spell="0")) == []
    synonym.words = "tendonitis\ntendinitis"
    synonym.save()
    assert result_urls(page(client, q="tendinitis", spell="0")) == ["/causes/tendinopathy/"]


def test_a_page_titled_with_the_readers_words_comes_first(client):
    make_article("long", title="Running", body="Can I run? " * 50 + "Sore hamstrings.")
    make_faq("can-i-run", title="Can I run on sore hamstrings?", summary="Usually.")
    assert result_urls(page(client, q="run sore hamstrings"))[0] == "/faq/?question=can-i-run"


def test_a_misspelt_query_shows_the_corrected_results_and_offers_the_original(client):
    make_cause("sciatica", title="Referred pain (sciatica)")
    html = page(client, q="sciatia")
    assert "Showing results for" in html and "<strong>sciatica</strong>" in html
    assert 'href="?q=sciatia&amp;spell=0"' in html
    assert result_urls(html) == ["/causes/sciatica/"]
    html = page(client, q="sciatia", spell="0")
    assert "No results" in html and "Showing results for" not in html


def test_a_misspelling_with_a_few_results_gets_did_you_mean(client):
    # With four words, a page may miss one: this one has all but the misspelt word.
    make_article("a", title="Sore running legs")
    for slug in ("b", "c", "d"):
        make_article(slug, title=f"Sore hamstring {slug}", body="Running.")
    html = page(client, q="sore hamstrng running legs")
    assert result_urls(html) == ["/library/a/"]
    assert "Did you mean" in html
    assert 'href="?q=sore+hamstring+running+legs"><strong>sore hamstring running legs' in html


def test_when_no_page_has_every_word_pages_with_some_are_shown(client):
    make_cause("cramp", title="Muscle cramp")
    html = page(client, q="cramp zebra")
    assert "No page uses all of your words" in html
    assert result_urls(html) == ["/causes/cramp/"]


def test_results_come_ten_a_page_with_a_more_link_that_works_without_javascript(client):
    for i in range(23):
        make_article(f"a{i:02}", title=f"Cramp {i:02}")
    first = page(client, q="cramp")
    assert "23 results" in first and len(result_urls(first)) == 10
    more = re.search(r'<li id="search-more"><a href="([^"]+)" rel="next"(.*?)>', first, re.S)
    assert more.group(1) == "?q=cramp&amp;page=2"
    assert 'hx-target="#search-list" hx-swap="beforeend"' in more.group(2)
    third = page(client, q="cramp", page="3")
    assert len(result_urls(third)) == 3 and 'start="21"' in third
    assert "Results 21 to 23 of 23." in third and 'rel="prev"' in third
    assert '<li id="search-more"></li>' in third  # nothing more: htmx swaps the link away


@pytest.mark.parametrize("kind", ["", "article"])
def test_pages_of_equal_scores_list_every_match_once_in_title_order(client, kind):
    # Equal coverage and equal relevance everywhere: the title decides, across pages.
    for i in range(25):
        make_article(f"a{i:02}", title=f"Cramp {(i * 7) % 25:02}", summary="x", body="")
    make_remedy("r", title="Cramp 99", summary="x", body="")
    pages = [result_urls(page(client, q="cramp", kind=kind, page=n)) for n in (1, 2, 3)]
    shown = [url for urls in pages for url in urls]
    articles = [f"/library/a{i:02}/" for i in sorted(range(25), key=lambda i: (i * 7) % 25)]
    assert shown == (articles if kind else [*articles, "/remedies/r/"])
    assert [len(urls) for urls in pages] == [10, 10, 5 if kind else 6]


@pytest.mark.parametrize("kind", ["", "article"])
def test_pages_of_mixed_scores_are_slices_of_one_ranking(kind):
    # Title, summary and body matches of many lengths, some scores equal: each
    # page must be exactly its slice of the whole ranking.
    for i in range(30):
        where = ("title", "summary", "body")[i % 3]
        text = {"title": f"Item {i:02}", "summary": "x", "body": "filler " * (i % 7)}
        text[where] = f"{text[where]} cramp"
        make_article(f"a{i:02}", **text)
    make_remedy("r", title="Cramp", summary="x", body="")
    query = parse("cramp")
    whole = backend().find(query, kind, 0, 100)
    assert len(whole) == (30 if kind else 31)
    pages = [backend().find(query, kind, start, 7) for start in range(0, 35, 7)]
    assert [row["slug"] for rows in pages for row in rows] == [row["slug"] for row in whole]


@pytest.mark.parametrize("kind", ["", "article"])
@pytest.mark.parametrize("needed", ["all", "any"])
def test_pages_filled_by_titles_with_every_word_are_slices_of_one_ranking(kind, needed):
    # Twelve titles hold both words (a page's worth and more: only they are
    # scored for the first page); the others hold them elsewhere.
    for i in range(36):
        title_words = ("night cramp", "cramp", "night")[i % 3]
        rest = {"night cramp": "", "cramp": "night", "night": "cramp"}[title_words]
        where = ("summary", "body")[i % 2]
        text = {"title": f"Item {i:02} {title_words}", "summary": "x", "body": "filler " * (i % 5)}
        text[where] = f"{text[where]} {rest}"
        make_article(f"a{i:02}", **text)
    make_remedy("r", title="Night cramp", summary="x", body="")
    query = parse("night cramp")
    query = query if needed == "all" else query.with_any_group()
    whole = backend().find(query, kind, 0, 100)
    assert len(whole) == (36 if kind else 37)
    pages = [backend().find(query, kind, start, 5) for start in range(0, 40, 5)]
    assert [row["slug"] for rows in pages for row in rows] == [row["slug"] for row in whole]


@pytest.mark.parametrize("value", ["0", "-1", "x", "9" * 400, "1e309", "\x00"])
def test_a_bad_page_number_still_gives_a_page_of_results(client, value):
    make_article("a", title="Cramp")
    assert result_urls(page(client, q="cramp", page=value)) == ["/library/a/"]


def test_counts_by_kind_and_the_filter(client):
    make_cause("c", title="Cramp cause")
    make_remedy("r1", title="Cramp remedy")
    make_remedy("r2", title="Cramp stretch")
    make_faq("f", title="Cramp question?")
    html = page(client, q="cramp")
    assert "All (4)" in html and "Causes (1)" in html and "Remedies (2)" in html
    assert "Questions (1)" in html and "Articles (" not in html  # no empty filters
    assert 'href="?q=cramp&amp;kind=remedy"' in html
    filtered = page(client, q="cramp", kind="remedy")
    assert "2 results for “cramp” in remedies" in filtered
    assert sorted(result_urls(filtered)) == ["/remedies/r1/", "/remedies/r2/"]
    assert re.search(r'aria-current="page"[^>]*>Remedies \(2\)', filtered)
    assert "4 results" in page(client, q="cramp", kind="<nope>")


def test_snippets_mark_matches_and_escape_the_content(client):
    make_article(
        "a", title="Alpha", summary="Short.", body="Intro. Then a <b>sciatica</b> & note here."
    )
    html = page(client, q="sciatica")
    assert "Then a <mark>sciatica</mark> &amp; note here." in html


def test_a_query_about_symptoms_points_to_the_checker(client):
    make_cause("tendinopathy", title="Tendinopathy", body="It hurts when you sit.")
    html = page(client, q="hurts when I sit")
    assert "Describing symptoms?" in html and 'href="/checker/"' in html
    make_remedy("nordic", title="Nordic curls")
    assert "Describing symptoms?" not in page(client, q="nordic curls")


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(a b)", "ham*", "title:cramp", "{title}: x", "'", "a:*", "!!(",
     "cramp \\ ' \" * ^ $", "-cramp", "ab" * 100],
)  # fmt: skip
def test_query_syntax_of_either_database_is_just_text(client, query):
    make_cause("cramp", title="Cramp")
    assert client.get("/search/", {"q": query}).status_code == 200
    assert suggest(client, query).status_code == 200
    assert suggest(client, f"cramp {query}").status_code == 200


@pytest.mark.parametrize("parameter", ["kind", "spell", "page"])
def test_hostile_filter_values_give_a_normal_page(client, parameter):
    make_cause("cramp", title="Cramp")
    for value in ["<script>alert(1)</script>", "' OR 1=1 --", "\x00", "x" * 5000]:
        html = page(client, q="cramp", **{parameter: value})
        assert "<script>alert" not in html and "/causes/cramp/" in html


# --- Suggestions as you type ------------------------------------------------------


def suggest(client, q, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get("/search/suggest/", {"q": q}, headers=headers)


def test_suggestions_are_listbox_options_for_the_word_being_typed(client):
    make_cause("hamstring-strain", title="Hamstring strain")
    make_remedy("heat", title="Heat <therapy>")
    response = suggest(client, "hamstring str")
    html = response.content.decode()
    assert 'role="option"' in html and 'data-href="/causes/hamstring-strain/"' in html
    assert "<mark>Hamstring</mark> <mark>strain</mark>" in html
    assert "HX-Request" in response["Vary"]
    html = suggest(client, "hea").content.decode()
    assert "<mark>Heat</mark> &lt;therapy&gt;" in html and "<therapy>" not in html


def test_suggestions_forgive_a_typo_and_are_empty_for_nothing(client):
    make_cause("sciatica", title="Sciatica")
    assert 'data-href="/causes/sciatica/"' in suggest(client, "sciatia").content.decode()
    assert 'role="option"' not in suggest(client, "").content.decode()
    assert 'role="option"' not in suggest(client, "zzzzqq").content.decode()


def test_without_htmx_the_suggestions_url_is_the_search_page(client):
    response = suggest(client, "ham <b>", htmx=False)
    assert response.status_code == 302 and response["Location"] == "/search/?q=ham+%3Cb%3E"


def test_the_site_search_box_is_a_plain_form_with_htmx_suggestions(client):
    html = client.get("/").content.decode()
    form = re.search(r'<form class="header-search".*?</form>', html, re.S).group()
    assert 'action="/search/" method="get"' in form and 'name="q"' in form
    assert 'hx-get="/search/suggest/"' in form and "delay:250ms" in form
    assert 'role="listbox"' in form and 'id="site-search-options"' in form


def test_a_typo_next_to_a_word_no_page_uses_still_finds_pages(client):
    make_cause("sciatica", title="Sciatica")
    html = page(client, q="sciatia zebra")
    assert "Showing results for" in html and "No page uses all of your words" in html
    assert result_urls(html) == ["/causes/sciatica/"]

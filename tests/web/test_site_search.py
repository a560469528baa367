"""Site search: ranking, safe highlighting, and hostile input on every filter parameter."""

import pytest

from advice.web import search
from tests.factories import make_article, make_cause, make_faq, make_remedy

pytestmark = pytest.mark.usefixtures("no_page_cache")


# --- Query cleaning and highlighting ---------------------------------------------------


def test_clean_query_drops_control_characters_and_caps_the_length():
    assert search.clean_query("  heat\x00 or\t\nice  ") == "heat or ice"
    assert len(search.clean_query("a" * 10_000)) == search.MAX_QUERY_LENGTH
    assert search.clean_query(None) == ""


def test_terms_drop_stop_words_single_letters_and_repeats():
    assert search.terms_of("How do I treat a Strain strain?") == ["treat", "strain"]
    assert search.terms_of("grade 2") == ["grade", "2"]
    assert search.terms_of("what is it") == ["what", "is", "it"]  # all stop words: keep them
    assert search.terms_of("<>&;") == []
    assert len(search.terms_of(" ".join(f"word{i}" for i in range(50)))) == search.MAX_TERMS


def test_highlight_escapes_text_and_marks_terms():
    assert (
        search.highlight("Heat <b>or</b> ice", ["ice"])
        == "Heat &lt;b&gt;or&lt;/b&gt; <mark>ice</mark>"
    )
    assert search.highlight("ICE, ice", ["ice"]) == "<mark>ICE</mark>, <mark>ice</mark>"


def test_terms_match_at_the_start_of_words():
    assert (
        search.highlight("Running, PRICE, advice", ["run", "ice"])
        == "<mark>Run</mark>ning, PRICE, advice"
    )


def test_highlight_never_marks_inside_an_escaped_entity():
    assert search.highlight("Fish & chips", ["amp"]) == "Fish &amp; chips"
    assert search.highlight("a < b", ["lt"]) == "a &lt; b"


def test_highlight_treats_the_query_as_text_not_a_pattern():
    assert search.highlight("x-ray xxray", ["x-ray"]) == "<mark>x-ray</mark> xxray"
    assert search.highlight("a <script>", ["<script>"]) == "a <mark>&lt;script&gt;</mark>"


# --- Ranking ---------------------------------------------------------------------------


def test_title_matches_rank_before_summary_before_body_then_by_title(client, db):
    make_article("body-b", title="Bravo", summary="Nothing here.", body="All about cramp.")
    make_article("summary", title="Zulu", summary="Cramp at night.", body="Text.")
    make_article("body-a", title="Alpha", summary="Nothing here.", body="Cramp again.")
    make_cause("title", title="Muscle cramp", summary="Sudden tightening.", body="Text.")
    make_article("no-match", title="Other", summary="Other.", body="Other.")
    page = client.get("/search/", {"q": "cramp"}).content.decode()
    order = [page.index(f"{title}</a>") for title in ["Muscle <mark>cramp</mark>", "Zulu"]]
    order += [page.index(f">{title}</a>") for title in ["Alpha", "Bravo"]]
    assert order == sorted(order)
    assert "4 results" in page and "Other" not in page


def test_search_covers_articles_causes_remedies_and_faqs(client, db):
    make_article("a", title="Knee article")
    make_cause("c", title="Knee cause")
    make_remedy("r", title="Knee remedy")
    make_faq("f", title="Knee question?")
    page = client.get("/search/", {"q": "knee"}).content.decode()
    for kind, url in [("Article", "/library/a/"), ("Cause", "/causes/c/"),
                      ("Remedy", "/remedies/r/"), ("Question", "/faq/?question=f")]:  # fmt: skip
        assert f'<span class="tag">{kind}</span>' in page
        assert f'href="{url}"' in page


def test_search_needs_every_word(client, db):
    make_article("a", title="Hamstring strain")
    make_article("b", title="Hamstring cramp")
    page = client.get("/search/", {"q": "hamstring strain"}).content.decode()
    assert "1 result " in page and "cramp" not in page


def test_search_finds_causes_by_other_names(client, db):
    make_cause("hamstring-strain", title="Hamstring strain", also_known_as="Pulled hamstring")
    page = client.get("/search/", {"q": "pulled"}).content.decode()
    assert 'href="/causes/hamstring-strain/"' in page


def test_body_matches_show_a_highlighted_snippet(client, db):
    make_article(
        "a", title="Alpha", summary="Short.", body="Intro. " * 40 + "Then a sciatica note."
    )
    page = client.get("/search/", {"q": "sciatica"}).content.decode()
    assert "<mark>sciatica</mark> note" in page and "… " in page


def test_empty_search_offers_suggestions_and_the_checker(client, db):
    make_cause("cramp", title="Muscle cramp")
    page = client.get("/search/", {"q": "zzzz"}).content.decode()
    assert "No results for “zzzz”" in page
    assert "Not sure what&#x27;s wrong?" in page or "Not sure what's wrong?" in page
    assert 'href="/checker/"' in page and 'href="/causes/cramp/"' in page


def test_search_without_a_query_shows_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200 and 'id="search-q"' in response.content.decode()


# --- Hostile input -----------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1; DROP TABLE advice_article; --",
    "%' AND '1'='1",
    "\x00",
    "strain\x00<script>alert(1)</script>",
    "x" * 20_000,
    "ice " * 500,
    "Ωμέγα 💥 \u202eevil \ufeff",
    "\\",
    "_%_",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "1e309",
    "-1",
    "0",
    "99999999999999999999999",
]
PARAMETERS = [
    ("/search/", "q"),
    ("/library/", "q"),
    ("/library/", "topic"),
    ("/library/", "page"),
    ("/remedies/", "phase"),
    ("/faq/", "q"),
]


@pytest.fixture
def some_content(db):
    make_article("strain-article", title="Strain article", body="Ice helps.")
    make_cause("strain", title="Strain")
    make_remedy("ice", title="Ice")
    make_faq("ice-or-heat", title="Ice or heat?")


@pytest.mark.parametrize(("url", "parameter"), PARAMETERS)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gives_a_normal_page_with_the_input_escaped(
    client, some_content, url, parameter, value
):
    response = client.get(url, {parameter: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("url", ["/search/", "/library/", "/faq/"])
def test_markup_in_the_query_is_echoed_escaped(client, some_content, url):
    page = client.get(url, {"q": "<script>alert(1)</script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_repeated_and_list_parameters_are_harmless(client, some_content):
    response = client.get("/library/?topic=a&topic=b&q=ice&q=<b>&page=1&page=x")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "-3", "999", "1.5", "\x00", "9" * 5000])
def test_a_bad_page_number_falls_back_to_a_real_page(client, db, page):
    for i in range(12):
        make_article(f"article-{i}")
    response = client.get("/library/", {"page": page})
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode() or "Page 2 of 2" in response.content.decode()


def test_unknown_topic_and_phase_are_ignored(client, some_content):
    assert "1 article" in client.get("/library/", {"topic": "nope"}).content.decode()
    remedies = client.get("/remedies/", {"phase": "nope"}).content.decode()
    assert "1 remedy" in remedies and 'href="/remedies/" aria-current="page"' in remedies


def test_htmx_fragment_escapes_hostile_input_too(client, some_content):
    response = client.get("/search/", {"q": "<script>x</script>"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "&lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert "<script>x" not in response.content.decode()


def test_a_word_inside_another_word_does_not_match(client, db):
    make_article("advice", title="Good advice", summary="Notice this.", body="Some advice.")
    make_remedy("ice", title="Ice pack")
    page = client.get("/search/", {"q": "ice"}).content.decode()
    assert "1 result " in page and "Good advice" not in page

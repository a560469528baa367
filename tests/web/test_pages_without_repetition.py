"""Pages say each thing once, in the order a reader needs it (issue 14, part 5)."""

import re

from django.urls import reverse

from advice.models import Article, Cause, Remedy
from advice.web.views import RELATED_LIMIT


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_cause_page_has_one_how_long_section(client, real_content):
    for cause in Cause.objects.published():
        html = client.get(cause.get_absolute_url()).content.decode()
        headings = re.findall(r"<h2[^>]*>(How long[^<]*)</h2>", html)
        assert len(headings) == 1, (cause.slug, headings)


def test_each_remedy_appears_once_on_a_cause_page_first_aid_first(client, real_content):
    for cause in Cause.objects.published():
        html = client.get(cause.get_absolute_url()).content.decode()
        if 'id="remedies-heading"' not in html:
            continue
        remedies = section(html, "remedies-heading")
        links = re.findall(r'href="(/remedies/[^"]+)"', remedies)
        assert len(links) == len(set(links)), cause.slug
    strain = client.get("/causes/hamstring-strain/").content.decode()
    first_aid = section(strain, "remedies-heading").split("<h3>Recovery</h3>")[0]
    price = first_aid.index("/remedies/price-first-aid/")
    assert price < first_aid.index("/remedies/kinesiology-tape-and-compression/")


def test_related_lists_are_capped_ranked_and_link_to_the_rest(client, real_content):
    article = Article.objects.get(slug="back-to-running-after-a-hamstring-strain")
    html = client.get(article.get_absolute_url()).content.decode()
    remedies = section(html, "remedies-heading")
    shown = re.findall(r'<li><a href="/remedies/([^/]+)/"', remedies)
    assert len(shown) == RELATED_LIMIT < article.remedies.count()
    assert f'href="{reverse("advice:remedy_list")}">See all</a>' in remedies
    # Ranked by how many of the article's causes list each remedy.
    causes = set(article.causes.values_list("pk", flat=True))

    def shared(slug):
        return Remedy.objects.get(slug=slug).causes.filter(pk__in=causes).count()

    counts = [shared(slug) for slug in shown]
    assert counts == sorted(counts, reverse=True)
    hidden = [r.slug for r in article.remedies.all() if r.slug not in shown]
    assert all(counts[-1] >= shared(slug) for slug in hidden)
    faqs = re.findall(r'<li><a href="/faq/\?question=', section(html, "faqs-heading"))
    assert len(faqs) <= RELATED_LIMIT


def test_lists_put_what_a_reader_needs_first(client, real_content):
    causes = client.get(reverse("advice:cause_list")).content.decode()
    order = re.findall(r'<h2 class="card__title"><a href="/causes/([^/]+)/"', causes)
    assert order[0] == "hamstring-strain"
    assert order.index("deep-vein-thrombosis") > order.index("hamstring-tear")
    remedies = client.get(reverse("advice:remedy_list")).content.decode()
    self_care = remedies[remedies.index('id="kind-self-care"') :]
    assert self_care.index("/remedies/price-first-aid/") < self_care.index(
        "/remedies/foam-rolling/"
    )
    assert self_care.index("/remedies/price-first-aid/") < self_care.index(
        "/remedies/heat-therapy/"
    )


def test_titles_keep_their_capitals_in_sentences(client, real_content):
    page = client.get(reverse("advice:remedy_list") + "?phase=first-72-hours").content.decode()
    assert "<title>Remedies: first 72 hours" in page
    api = client.get(reverse("advice:checker_api") + "?symptom=calf-swelling-warmth").json()
    because = " ".join(api["care_level"]["because"])
    assert "dvt" not in because and " gp " not in because.lower().replace("GP", "")


def test_the_remedy_facts_are_a_styled_list(client, real_content):
    html = client.get("/remedies/heat-therapy/").content.decode()
    facts = re.search(r'<dl class="facts">.*?</dl>', html, re.S).group(0)
    assert '<div class="facts__row"><dt>Type</dt>' in facts
    assert "facts__row--avoid" in facts  # heat is not for the first 72 hours


def test_care_cards_are_the_only_when_to_get_help_on_a_cause_page(client, real_content):
    for cause in Cause.objects.published():
        html = client.get(cause.get_absolute_url()).content.decode()
        assert "When to get help</h2>" not in html, cause.slug
        assert 'id="care-heading"' in html, cause.slug
    # What the removed sections said beyond the cards went into the cards.
    strain = client.get("/causes/hamstring-strain/").content.decode()
    assert "any noticeable bruising or swelling after the injury, even if the pain seems" in strain
    back = client.get("/causes/referred-back-pain/").content.decode()
    assert "cauda equina syndrome" in back

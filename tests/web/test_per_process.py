"""Work done once per process and reused (``advice.memo.per_process``): links, static
URLs, dates and the FAQ's plain text, never at the cost of a wrong page."""

import itertools
import json
import re

import pytest
from django.urls import reverse, set_script_prefix
from jinja2 import DictLoader, Environment

from advice.memo import per_process
from advice.models import FAQ, Article, Cause, Page, Remedy, Symptom
from advice.web import templating

ONE_PAGE = reverse("advice:checker_all")


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, value):
        self.calls += 1
        return f"{value} {self.calls}"


def test_a_result_is_kept_per_argument_and_forgotten_when_a_setting_changes(settings):
    counter = Counter()
    kept = per_process(counter)
    assert [kept("a"), kept("a"), kept("b")] == ["a 1", "a 1", "b 2"]
    settings.STATIC_URL = "/elsewhere/"  # any setting change: tests are the only ones
    assert kept("a") == "a 3"


def test_a_bounded_number_of_results_is_kept():
    kept = per_process(Counter(), maxsize=2)
    for value in ["a", "b", "c", "a"]:
        kept(value)
    assert kept.cache_info().currsize == 2


def test_a_static_url_follows_a_change_of_setting(settings):
    assert templating.static_url("css/site.css") == "/static/css/site.css"
    settings.STATIC_URL = "/assets/"
    assert templating.static_url("css/site.css") == "/assets/css/site.css"


def test_the_navigation_marks_each_section_although_its_links_are_kept(
    client, real_content, no_page_cache
):
    for url, label in [("/library/", "Library"), ("/faq/", "FAQ"), ("/causes/", "Causes")]:
        html = client.get(url).content.decode()
        current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', html)
        assert current == [(url, label)], url


def test_the_header_and_footer_follow_the_script_prefix(client, real_content, no_page_cache):
    def nav_and_footer_links():
        html = client.get("/faq/").content.decode()
        return re.findall(r'<a href="(/[^"]*)"(?: aria-current="[a-z]+")?>(?:FAQ|About)</a>', html)

    assert nav_and_footer_links() == ["/faq/", "/about/"]
    set_script_prefix("/mounted/")  # the site mounted below another path
    try:
        assert nav_and_footer_links() == ["/mounted/faq/", "/mounted/about/"]
    finally:
        set_script_prefix("/")
    assert nav_and_footer_links() == ["/faq/", "/about/"]


def test_a_layout_part_is_kept_unless_templates_reload():
    """In production the header is rendered once; with DEBUG (Jinja2's auto_reload)
    on every page, so that an edit of its template shows at once."""
    renders = itertools.count(1)

    def page(auto_reload):
        loader = DictLoader({"part.html": "{{ current }} render {{ next_render() }}"})
        environment = Environment(loader=loader, auto_reload=auto_reload)
        environment.globals.update(
            layout_part=templating.layout_part, next_render=lambda: next(renders)
        )
        return environment.from_string("{{ layout_part('part.html') }}")

    kept = page(auto_reload=False)
    assert kept.render() == kept.render() == "None render 1"
    reloading = page(auto_reload=True)
    assert reloading.render() != reloading.render()


def test_an_item_pages_kept_links_follow_a_renamed_item(client, real_content, no_page_cache):
    # A cause page keeps its related items' links with its context, per
    # content version: a renamed remedy or question is linked by its new URL.
    page = "/causes/hamstring-strain/"
    listed = '<li><a href="/remedies/{}/">PRICE first aid</a>'
    assert listed.format("price-first-aid") in client.get(page).content.decode()
    remedy = Remedy.objects.get(slug="price-first-aid")
    remedy.slug = "first-aid-renamed"
    remedy.save()
    html = client.get(page).content.decode()
    assert listed.format("first-aid-renamed") in html
    assert listed.format("price-first-aid") not in html


def checked_boxes(html):
    return re.findall(r'name="symptom" value="([a-z0-9-]+)" id="[^"]+" checked', html)


def test_each_reader_sees_exactly_their_own_ticks(client, real_content):
    first = ["bruising", "sudden-onset"]
    second = ["dull-ache"]
    for answers in [first, second, first, [], second]:
        query = "&".join(f"symptom={slug}" for slug in answers)
        html = client.get(f"{ONE_PAGE}?{query}").content.decode()
        assert sorted(checked_boxes(html)) == sorted(answers)


@pytest.mark.parametrize("url", [ONE_PAGE, reverse("advice:checker_step", args=["pain"])])
def test_the_boxes_follow_a_content_change_at_once(client, real_content, url):
    before = client.get(url).content.decode()
    symptom = Symptom.objects.get(slug="dull-ache")
    assert symptom.title in before
    symptom.title = "A dull ache, newly worded"
    symptom.hint = "A hint added by an editor"
    symptom.save()
    after = client.get(url).content.decode()
    assert "A dull ache, newly worded" in after and "A hint added by an editor" in after


def faq_answers(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    return {q["name"]: q["acceptedAnswer"]["text"] for q in data["mainEntity"]}


def test_the_faq_data_for_search_engines_follows_an_edited_answer(
    client, real_content, no_page_cache
):
    faq = FAQ.objects.published().order_by("topic__order", "order", "title", "pk").first()
    assert faq.title in faq_answers(client.get("/faq/").content.decode())
    faq.body = "A newly written answer."
    faq.save()
    assert faq_answers(client.get("/faq/").content.decode())[faq.title] == (
        "A newly written answer."
    )


def test_an_items_link_follows_its_slug_and_the_script_prefix():
    cause = Cause(slug="old-name")
    assert cause.get_absolute_url() == "/causes/old-name/"
    cause.slug = "new-name"
    assert cause.get_absolute_url() == "/causes/new-name/"
    set_script_prefix("/advice/")  # the site mounted below another path
    try:
        assert cause.get_absolute_url() == "/advice/causes/new-name/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("model", [Article, Cause, Remedy, FAQ, Page])
def test_a_models_links_for_many_slugs_are_its_links_for_each(model):
    # The sitemap links a page of slugs at once; search and the checker one at a time.
    slugs = ["first", "second-one"]
    urls = model.urls_for_slugs(slugs)
    assert urls == [model.url_for_slug(slug) for slug in slugs]
    assert urls == [model(slug=slug).get_absolute_url() for slug in slugs]
    assert len(set(urls)) == 2 and all(urls)

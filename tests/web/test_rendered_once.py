"""Work done once per process and reused: ``{% once %}`` (the site's header and footer),
``{% include_pure %}`` (the checker's boxes) and items' links, never at the cost of a
wrong page."""

import re

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from advice.models import Cause, Symptom
from advice.templatetags import site_ui

ONE_PAGE = reverse("advice:checker_all")


class Counter:
    """Counts how often a template printed it."""

    def __init__(self):
        self.renders = 0

    def __str__(self):
        self.renders += 1
        return f"render {self.renders}"


def render(source, **context):
    return engines["django"].from_string("{% load site_ui %}" + source).render(context)


def checked_boxes(html):
    return re.findall(r'name="symptom" value="([a-z0-9-]+)" id="[^"]+" checked', html)


def test_once_renders_its_block_once_per_value_and_reuses_it():
    counter = Counter()
    template = '{% once "test-block" section %}{{ counter }} in {{ section }}{% endonce %}'
    source = engines["django"].from_string("{% load site_ui %}" + template)
    assert source.render({"counter": counter, "section": "faq"}) == "render 1 in faq"
    assert source.render({"counter": counter, "section": "faq"}) == "render 1 in faq"
    assert source.render({"counter": counter, "section": "library"}) == "render 2 in library"
    assert counter.renders == 2


def test_once_renders_every_time_while_debugging(settings):
    settings.DEBUG = True  # an edited template shows without a restart
    counter = Counter()
    source = engines["django"].from_string('{% load site_ui %}{% once "x" %}{{ c }}{% endonce %}')
    assert [source.render({"c": counter}) for _ in range(2)] == ["render 1", "render 2"]


def test_the_navigation_marks_each_section_although_the_header_is_rendered_once(
    client, real_content, no_page_cache
):
    for url, label in [("/library/", "Library"), ("/faq/", "FAQ"), ("/causes/", "Causes")]:
        html = client.get(url).content.decode()
        current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', html)
        assert current == [(url, label)], url


def test_include_pure_sees_only_its_own_values():
    html = render(
        '{% include_pure "advice/checker/includes/option.html" name="n" value="v" id="i" '
        'label="Label" %}',
        checked=True,
        hint="a hint from the page's context",
    )
    assert 'id="i">' in html and "checked" not in html and "hint" not in html


def test_include_pure_keeps_a_bounded_number_of_renderings(monkeypatch):
    monkeypatch.setattr(site_ui, "PURE_LIMIT", 2)
    site_ui._rendered_pure.clear()
    template = '{% include_pure "advice/checker/includes/option.html" name="n" value=v id=v %}'
    for value in ["a", "b", "c", "a"]:
        assert f'value="{value}" id="{value}"' in render(template, v=value)
    assert len(site_ui._rendered_pure) <= 2


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

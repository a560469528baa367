"""Markdown rendering: useful structure survives, hostile markup never does."""

from html.parser import HTMLParser

import pytest

from advice.content import rendering
from advice.content.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onclick="alert(1)">div</div>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"><circle/></svg>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=x></form>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="vbscript:msgbox(1)" rel="x" target="_top">vb</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<!-- <script>alert(1)</script> -->",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '## Heading {: onclick="alert(1)" }',
    "<details open ontoggle=alert(1)>",
]


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_comment(self, data):
        self.tags.append("!--")


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_hostile_markup_is_neutralised(text):
    parsed = _Elements(render_markdown(text)[0])
    assert set(parsed.tags) <= ALLOWED_TAGS
    for tag, name, value in parsed.attributes:
        assert not name.startswith("on"), (tag, name)
        added_by_sanitiser = {"rel"} if tag == "a" else set()
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | added_by_sanitiser, (tag, name)
        if name == "href":
            assert value.split(":")[0].lower().strip() not in ("javascript", "data", "vbscript")


def test_markdown_structure_survives():
    html, _ = render_markdown(
        "## Grades\n\nA *mild* strain.\n\n| Grade | Time |\n| --- | --- |\n| 1 | days |\n\n"
        "1. Rest\n2. Ice\n\n[NHS](https://www.nhs.uk/) and [a cause](/causes/overuse/)."
    )
    assert '<h2 id="grades">Grades</h2>' in html
    assert "<em>mild</em>" in html
    assert "<table>" in html and "<td>days</td>" in html
    assert "<ol>" in html and "<li>Rest</li>" in html
    assert 'href="https://www.nhs.uk/"' in html
    assert 'href="/causes/overuse/"' in html


def test_headings_give_a_table_of_contents_in_plain_text():
    _, toc = render_markdown("## First & part\n\ntext\n\n### Detail\n\n## Second part\n")
    assert toc == [
        {"level": 2, "id": "first-part", "name": "First & part"},
        {"level": 3, "id": "detail", "name": "Detail"},
        {"level": 2, "id": "second-part", "name": "Second part"},
    ]


@pytest.mark.django_db
def test_a_save_renders_a_new_or_changed_body_and_keeps_html_rendered_from_the_same(
    monkeypatch,
):
    from advice import models
    from tests.factories import make_article

    rendered = []
    monkeypatch.setattr(
        models, "render_markdown", lambda text: rendered.append(text) or render_markdown(text)
    )
    article = make_article("a", body="## One\n\nFirst.")
    assert rendered == ["## One\n\nFirst."]
    saved = models.Article.objects.get(pk=article.pk)
    saved.title = "A new title"
    saved.save()  # the body is as rendered: not again
    assert len(rendered) == 1
    saved.body = "## Two\n\nSecond."
    saved.save()
    assert rendered[-1] == "## Two\n\nSecond." and '<h2 id="two">Two</h2>' in saved.body_html
    # Loaded before that change: the same body as it holds now would get stale
    # HTML if only the body were compared.
    article.refresh_from_db()
    article.body = "## One\n\nFirst."
    article.save()
    assert rendered[-1] == "## One\n\nFirst."
    assert '<h2 id="one">One</h2>' in models.Article.objects.get(pk=article.pk).body_html


def test_many_texts_are_rendered_in_worker_processes_in_order(worker_pools):
    started = worker_pools(rendering, "RENDER_WORKERS", chunk=2)
    texts = [f"## Part {n}\n\nStep {n}.<script>alert({n})</script>" for n in range(9)]
    assert list(rendering.render_many(texts)) == [render_markdown(text) for text in texts]
    assert started == [(2,)]

"""Markdown to safe HTML.

Content is markdown written by editors; what reaches a reader's browser is
what Python-Markdown produces, passed through nh3 with an explicit allow-list.
Anything the allow-list does not name (scripts, event handlers, ``style``,
``javascript:`` and ``data:`` URLs, iframes, forms) is dropped.
"""

import threading
from html import unescape

import markdown
import nh3

from .workers import Workers

MARKDOWN_EXTENSIONS = ["tables", "toc", "sane_lists", "fenced_code", "def_list"]
MARKDOWN_CONFIG = {"toc": {"permalink": False, "toc_depth": "2-3"}}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
    "ol": {"start"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_converters = threading.local()


def render_markdown(text):
    """(sanitised HTML, headings) of editor markdown, for storage.

    The headings are Python-Markdown's own ``toc_tokens`` (level, id, name),
    flattened, so a table of contents never has to parse the HTML again.
    """
    converter = _converter()
    try:
        html = sanitise_html(converter.convert(text))
        return html, list(_flatten(converter.toc_tokens))
    finally:
        converter.reset()


def _converter():
    """This thread's converter: one is built once and ``reset()`` after each text (as
    Python-Markdown recommends for many texts), rather than built for each."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG
        )
        _converters.markdown = converter
    return converter


# Spawned: a worker needs Python-Markdown and nh3 only, and a fresh process
# shares nothing with this one (its database connection included).
RENDER_WORKERS = Workers(chunk=50, at_least=200, start_method="spawn")


def render_many(texts):
    """``render_markdown`` of each of ``texts``, in order, as each is ready: many texts
    (an import) by worker processes, while the caller writes what is ready."""
    return RENDER_WORKERS.map(render_markdown, texts)


def _flatten(tokens):
    for token in tokens:
        # "name" is the heading's text with HTML escaped; store plain text.
        yield {"level": token["level"], "id": token["id"], "name": unescape(token["name"])}
        yield from _flatten(token["children"])


def sanitise_html(html):
    """Keep only the allow-listed tags, attributes and URL schemes.

    Python-Markdown passes raw HTML through untouched, so this is the step
    that makes editor content safe; nh3 also drops the contents of
    ``<script>`` and ``<style>`` rather than leaving their text behind.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )

"""Markdown to safe HTML.

Content is markdown written by editors; what reaches a reader's browser is
what Python-Markdown produces, passed through nh3 with an explicit allow-list.
Anything the allow-list does not name (scripts, event handlers, ``style``,
``javascript:`` and ``data:`` URLs, iframes, forms) is dropped.
"""

from html.parser import HTMLParser

import markdown
import nh3

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


def render_markdown(text):
    """Render editor markdown to sanitised HTML for storage."""
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    return sanitise_html(converter.convert(text))


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


class _HeadingCollector(HTMLParser):
    def __init__(self, levels):
        super().__init__()
        self.levels = levels
        self.headings = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag in self.levels:
            self._current = {"level": int(tag[1]), "id": dict(attrs).get("id", ""), "text": ""}

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if self._current is not None and tag == f"h{self._current['level']}":
            self.headings.append(self._current)
            self._current = None


def headings(html, levels=("h2",)):
    """The headings of stored HTML, for a page's table of contents."""
    collector = _HeadingCollector(levels)
    collector.feed(html)
    return [h for h in collector.headings if h["id"]]

"""Matches marked safely, and snippets that stop at sentence and heading edges.

The database marks each match in a field with ``MARK_START``/``MARK_END``.
Here the text is HTML-escaped first and only then are the marks turned into
``<mark>`` tags, so neither the content nor the query can inject markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .backends import MARK_END, MARK_START
from .index import HEADING_MARK

SNIPPET_CHARS = 220
_SENTENCE_END = re.compile('(?<=[.!?\u2026])["\u201d\u2019)]*\\s+')
_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)
_UNMARKED = f"[^{MARK_START}{MARK_END}]*"
# Every mark opened and closed in turn, as the database writes them.
_BALANCED = re.compile(f"{_UNMARKED}(?:{MARK_START}{_UNMARKED}{MARK_END}{_UNMARKED})*")


def marked_html(text):
    """``text`` escaped, with its marked matches in ``<mark>``."""
    text = _balanced(text)
    return mark_safe(  # escaped first; only our own tags are added
        escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def plain(text):
    return text.replace(MARK_START, "").replace(MARK_END, "")


def matched_words(text):
    """The distinct matched words in ``text``, lower-cased (a mark cut in two is not one)."""
    return {match.casefold() for match in _MARKED.findall(text)} if MARK_START in text else set()


def snippet(body):
    """The best sentence of a marked body (the one matching most distinct words,
    the first of equals), cut to about ``SNIPPET_CHARS``; "" if nothing matched.

    Sentences never run across blocks: a heading is its own block, so a
    snippet never runs a heading into the sentence after it. A sentence in a
    paragraph is preferred to a heading.
    """
    best, best_score = None, (0, False)
    for line in body.split("\n"):
        if MARK_START not in line:
            continue  # no match in the block: none of its sentences can score
        heading = line.startswith(HEADING_MARK)
        text = line[len(HEADING_MARK) :] if heading else line
        sentences = _SENTENCE_END.split(text)
        for index, sentence in enumerate(sentences):
            score = (len(matched_words(sentence)), not heading)
            if score[0] and score > best_score:
                best, best_score = (sentences, index), score
    if best is None:
        return ""
    sentences, index = best
    text = sentences[index]
    # A short sentence gets the next one from its block, if both fit.
    if index + 1 < len(sentences) and len(plain(text + sentences[index + 1])) < SNIPPET_CHARS:
        text = f"{text} {sentences[index + 1]}"
    text = _cut(text, SNIPPET_CHARS)
    # "…" says the snippet starts in the middle of a paragraph.
    return text if index == 0 or text.startswith("…") else f"… {text}"


def _cut(text, width):
    """At most about ``width`` visible characters of ``text`` around its first match,
    cut between words, with "…" where text was left out."""
    if len(plain(text)) <= width:
        return text
    first = text.find(MARK_START)
    start = 0
    if first > width // 3:
        start = text.find(" ", first - width // 3) + 1
    end, visible = start, 0
    while end < len(text) and visible < width:
        visible += text[end] not in (MARK_START, MARK_END)
        end += 1
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return (
        ("… " if start else "")
        + _balanced(text[start:end]).strip()
        + (" …" if end < len(text) else "")
    )


def _balanced(text):
    """``text`` with every mark closed and none left open (a cut can split one)."""
    if _BALANCED.fullmatch(text):
        return text
    pieces, open_ = [], False
    for char in text:
        if char == MARK_START:
            if open_:
                continue
            open_ = True
        elif char == MARK_END:
            if not open_:
                continue
            open_ = False
        pieces.append(char)
    if open_:
        pieces.append(MARK_END)
    return "".join(pieces)

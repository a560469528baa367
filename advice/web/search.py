"""Word filters on the library and FAQ lists: matching words in a short list and ranking.

Site search (``advice.search``) uses the database's full-text index; these
lists filter what they already show, with portable ``icontains`` lookups,
ranked here in Python (title matches before summary matches before body
matches, then by title).
"""

import re
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import and_, or_

from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from advice.search import MAX_QUERY_LENGTH, clean_query

__all__ = ["MAX_QUERY_LENGTH", "clean_query", "highlight", "matching", "rank", "terms_of"]

MAX_TERMS = 8
MIN_TERM_LENGTH = 2
SNIPPET_CHARS = 180

# Words too common to narrow a search; dropped unless nothing else is left.
_STOP_WORDS = """
    a an and are after at be before can do does for from how i if in is it its me my of on or
    should so that the this to what when where which why will with you your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def terms_of(query):
    """The distinct words of a cleaned query worth searching for (at most ``MAX_TERMS``).

    Single letters are dropped (they match almost everything); single digits
    are kept, so that "grade 2" finds grade 2.
    """
    words = []
    for word in re.findall(r"\w[\w'-]*", query.lower()):
        word = word.strip("'-")
        if (len(word) >= MIN_TERM_LENGTH or word.isdigit()) and word not in words:
            words.append(word)
    useful = [word for word in words if word not in STOP_WORDS] or words
    return useful[:MAX_TERMS]


def matching(queryset, terms, fields=("title", "summary", "body")):
    """Rows containing every term in at least one of ``fields`` (case-insensitive)."""
    if not terms:
        return queryset.none()
    per_term = [
        reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)) for term in terms
    ]
    return queryset.filter(reduce(and_, per_term))


@dataclass
class Hit:
    item: object
    kind: str  # "Article", "Cause", ...
    title_hits: int
    summary_hits: int
    snippet: str  # plain text from the body around the first match, or ""

    @property
    def sort_key(self):
        return (-self.title_hits, -self.summary_hits, self.item.title.casefold())


def word_pattern(terms):
    """A regex matching any of the terms at the start of a word ("run" finds "running",
    "ice" does not find "advice"), longest first, ignoring case."""
    return _compiled(tuple(sorted(set(terms), key=lambda term: (-len(term), term))))


@lru_cache(maxsize=512)
def _compiled(terms):
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, terms))})", re.IGNORECASE)


def _found(terms, text):
    """The terms that start a word somewhere in ``text``."""
    return {term for term in terms if word_pattern((term,)).search(text)}


def _title_text(item):
    return " ".join([item.title, *getattr(item, "alias_list", [])])


def body_text(item):
    """The item's body as plain text (from the stored, sanitised HTML)."""
    return " ".join(strip_tags(item.body_html).split())


def snippet(text, terms, width=SNIPPET_CHARS):
    """About ``width`` characters of ``text`` around the first term it contains."""
    first = word_pattern(terms).search(text)
    if first is None:
        return ""
    start = max(0, first.start() - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + width
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def rank(items, terms, kind=""):
    """The items with every term at the start of a word, best first, as ``Hit``s.

    ``items`` is usually already narrowed by ``matching()``, whose substring
    test is looser; this is the final word.
    """
    if not terms:
        return []
    terms = tuple(terms)
    wanted = set(terms)
    hits = []
    for item in items:
        title, summary, body = _title_text(item), item.summary, body_text(item)
        if _found(terms, f"{title}\n{summary}\n{body}") != wanted:
            continue
        title_hits, summary_hits = len(_found(terms, title)), len(_found(terms, summary))
        text = "" if title_hits or summary_hits else snippet(body, terms)
        hits.append(Hit(item, kind, title_hits, summary_hits, text))
    return sorted(hits, key=lambda hit: hit.sort_key)


def highlight(text, terms):
    """``text`` HTML-escaped, with the terms wrapped in ``<mark>``.

    Matches are found in the raw text and each piece is escaped on its own, so
    neither the text nor the query can inject markup (and a term such as
    "amp" cannot match inside an escaped entity).
    """
    text = str(text)
    if not terms:
        return escape(text)
    pieces, last = [], 0
    for match in word_pattern(terms).finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece was escaped above

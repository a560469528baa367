"""Word filters on the library and FAQ lists: matching words in a short list and ranking.

Site search (``advice.search``) uses the database's full-text index; these
lists filter what they already show, in the database too, so that a filter
costs the same few queries and a page of rows however many items match: a
term matches at the start of a word (``word_regex``, a pattern both SQLite and
PostgreSQL read the same way), every term must match the title, summary or
body, and ``ranked`` puts title matches before summary matches before body
matches, then orders by title.
"""

import re
from functools import reduce
from operator import add, and_, or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe

from advice.memo import per_process
from advice.search import MAX_QUERY_LENGTH, clean_query
from advice.search.query import STOP_WORDS, is_searchable

__all__ = ["MAX_QUERY_LENGTH", "clean_query", "highlight", "matching", "ranked", "terms_of"]

MAX_TERMS = 8


def terms_of(query):
    """The distinct words of a cleaned query worth searching for (at most ``MAX_TERMS``).

    Which words count is site search's rule (``is_searchable``, and its stop
    words, dropped unless nothing else is left). The words themselves keep
    their hyphens and apostrophes ("warm-up"), since these terms are matched
    against the text itself, not against search's index of plain words.
    """
    words = []
    for word in re.findall(r"\w[\w'-]*", query.lower()):
        word = word.strip("'-")
        if is_searchable(word) and word not in words:
            words.append(word)
    useful = [word for word in words if word not in STOP_WORDS] or words
    return useful[:MAX_TERMS]


def word_regex(term):
    """A pattern for ``term`` at the start of a word ("run" finds "running", "ice" does not
    find "advice"): a lookbehind, which Python's ``re`` (SQLite's REGEXP in Django) and
    PostgreSQL's regular expressions both support, with the term's own characters escaped."""
    return rf"(?<!\w){re.escape(term)}"


def matching(queryset, terms, fields=("title", "summary", "body")):
    """Rows in which every term starts a word in at least one of ``fields`` (any case)."""
    if not terms:
        return queryset.none()
    # The plain substring test first: the database does it quickly, and most rows
    # fail it, so the slower pattern only runs on the few that might match.
    per_term = [
        reduce(
            or_,
            (
                Q(**{f"{name}__icontains": term}) & Q(**{f"{name}__iregex": word_regex(term)})
                for name in fields
            ),
        )
        for term in terms
    ]
    return queryset.filter(reduce(and_, per_term))


def _hits(field, terms):
    """How many of ``terms`` start a word in ``field``, as a database expression."""
    return reduce(
        add,
        (
            Case(
                When(**{f"{field}__iregex": word_regex(term)}, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
    )


def ranked(queryset, terms):
    """``queryset`` best first: more terms in the title, then in the summary, then by title."""
    return queryset.annotate(
        title_hits=_hits("title", terms), summary_hits=_hits("summary", terms)
    ).order_by("-title_hits", "-summary_hits", Lower("title"), "pk")


def word_pattern(terms):
    """A regex matching any of the terms at the start of a word ("run" finds "running",
    "ice" does not find "advice"), longest first, ignoring case."""
    return _compiled(tuple(sorted(set(terms), key=lambda term: (-len(term), term))))


@per_process(maxsize=512)
def _compiled(terms):
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, terms))})", re.IGNORECASE)


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

"""Searching: a reader's words in, a page of ranked, marked results out.

1. The query is parsed, with synonyms (``query.parse``).
2. The database counts the matches of each kind (``backends``).
3. If there are none or few, words the site never uses are corrected
   (``spelling``): with no results at all the corrected query is searched
   instead ("Showing results for ..."); with a few, it is offered ("Did you
   mean ...?").
4. If no page has every word, pages with some of them are shown.
5. One page of results is fetched, best first, with matches marked.

A search costs the same few queries however large the library grows.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import Paginator

from advice.content.version import per_content_version
from advice.models import SearchKind, Synonym

from . import snippets
from .backends import backend
from .index import INDEXED
from .query import Synonyms, clean_query, parse, reads_like_symptoms, replace_words
from .spelling import corrections

RESULTS_PER_PAGE = 10
SUGGESTIONS = 6
FEW_RESULTS = 3  # fewer than this and a better spelling is looked for


@per_content_version
def current_synonyms():
    """The synonyms, read and parsed once per content version (an edit to one is a
    content change like any other)."""
    return Synonyms.from_pairs(Synonym.objects.values_list("words", "means"))


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    url: str
    title: str  # safe HTML, matches in <mark>
    summary: str  # safe HTML
    snippet: str  # safe HTML from the body, or "" when it adds nothing


@dataclass
class Results:
    query: str  # what the reader typed, cleaned
    searched: str = ""  # what was searched: the query, or its spelling correction
    corrected: bool = False  # searched != query because nothing matched the query
    did_you_mean: str = ""  # a correction that finds more, offered as a link
    relaxed: bool = False  # no page has every word; these have some
    kind: str = ""  # the kind filter, or "" for all
    counts: dict = field(default_factory=dict)  # kind -> number of matches
    page: object = None  # a django Page of Hits
    symptoms: bool = False  # the query reads like symptoms

    @property
    def total(self):
        return self.counts.get(self.kind, 0) if self.kind else sum(self.counts.values())

    @property
    def kind_label(self):
        return SearchKind(self.kind).plural if self.kind else ""

    @property
    def all_kinds_total(self):
        return sum(self.counts.values())

    @property
    def kinds(self):
        """(kind, count) for every kind, in a fixed order, for the filter."""
        return [(kind, self.counts.get(kind.value, 0)) for kind in SearchKind]


class _LazyHits:
    """The ranked hits, fetched a page at a time when the paginator slices them."""

    def __init__(self, query, kind, total):
        self.query, self.kind, self.total = query, kind, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop or self.total
        rows = backend().find(self.query, self.kind, start, stop - start)
        return [_hit(row) for row in rows]


def search(text, kind="", page=1, spelling=True):
    """The Results of searching for ``text``, on ``page``, optionally of one ``kind``."""
    text = clean_query(text)
    kind = kind if kind in SearchKind.values else ""
    results = Results(query=text, searched=text, kind=kind, symptoms=reads_like_symptoms(text))
    results.page = Paginator([], RESULTS_PER_PAGE).get_page(1)
    synonyms = current_synonyms()
    query = parse(text, synonyms)
    if not query:
        return results
    counts = backend().counts(query)
    # (query, text) pairs to try with any word, should no page have enough of them.
    fallbacks = [(query, text)]
    if spelling and sum(counts.values()) < FEW_RESULTS:
        fixes = corrections(query.words(), synonyms)
        if fixes:
            fixed_text = replace_words(text, fixes)
            fixed_query = parse(fixed_text, synonyms)
            fixed_counts = backend().counts(fixed_query)
            if sum(fixed_counts.values()) > sum(counts.values()):
                if counts:
                    results.did_you_mean = fixed_text
                else:
                    query, counts = fixed_query, fixed_counts
                    results.searched, results.corrected = fixed_text, True
            fallbacks.append((fixed_query, fixed_text))
    for fallback, fallback_text in fallbacks if not counts and len(query.groups) > 1 else []:
        counts = backend().counts(fallback.with_any_group())
        if counts:
            query, results.relaxed = fallback.with_any_group(), True
            results.searched, results.corrected = fallback_text, fallback_text != text
            break
    results.counts = counts
    hits = _LazyHits(query, kind, results.total)
    results.page = Paginator(hits, RESULTS_PER_PAGE).get_page(page)
    return results


def suggest(text):
    """Up to ``SUGGESTIONS`` hits for a query still being typed (the last word
    may be the start of a word); a misspelt word is corrected."""
    text = clean_query(text)
    synonyms = current_synonyms()
    query = parse(text, synonyms, prefix=True)
    if not query:
        return []
    rows = backend().find(query, "", 0, SUGGESTIONS)
    if not rows:
        fixes = corrections(query.words(), synonyms)
        if fixes:
            rows = backend().find(parse(replace_words(text, fixes), synonyms), "", 0, SUGGESTIONS)
    return [_hit(row) for row in rows]


def _hit(row):
    kind = SearchKind(row["kind"])
    title, summary, body = row["title"], row["summary"], row["body"]
    snippet = snippets.snippet(body)
    shown = snippets.matched_words(title) | snippets.matched_words(summary)
    return Hit(
        kind=kind,
        url=_url(kind, row["slug"]),
        title=snippets.marked_html(title),
        summary=snippets.marked_html(summary),
        snippet=snippets.marked_html(snippet) if snippets.matched_words(snippet) - shown else "",
    )


def _url(kind, slug):
    """The URL of the item a hit is for, from its slug alone (``models.OwnPage``:
    its route is reversed once per process, and no instance is built per hit)."""
    return apps.get_model("advice", INDEXED[kind]).url_for_slug(slug)

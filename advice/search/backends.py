"""Full-text search in the database: PostgreSQL's text search or SQLite's FTS5.

Both backends answer the same three questions about a ``query.Query``: the
documents that match, best first, with matches marked (``find``); how many
of each kind match (``counts``); and which words of the site's vocabulary
look like a misspelt word (``spelling_candidates``). Both stem English words
(PostgreSQL's ``english`` configuration, FTS5's ``porter`` tokenizer) and
weigh a match in the title or another name above one in the summary, and
that above one in the body.

Ranking is the same on both: first by *coverage*, how well the document
covers the reader's words (each group of the query scores 3 if it matches the
title or another name, 2 the summary, 1 the body), then by the database's own
relevance (``ts_rank`` or ``bm25``). A page titled with the reader's words
beats a long page that mentions them in passing.

Matches come back wrapped in ``MARK_START``/``MARK_END`` (private-use
characters the index never holds); ``snippets`` turns them into ``<mark>``.
"""

from functools import reduce
from itertools import combinations
from operator import add, and_, or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
    TrigramDistance,
)
from django.db import connection
from django.db.models import Case, Count, F, Func, IntegerField, Value, When

from advice.models import SearchDocument, SearchTerm

MARK_START, MARK_END = "\ue000", "\ue001"
CANDIDATES_PER_WORD = 30
MARKED = ("title", "summary", "body")
# Coverage points for a group matched in the title or aliases, the summary, the body.
COVERAGE_POINTS = (3, 2, 1)


def _at_least(parts, needed, both, either):
    """An expression true when ``needed`` of ``parts`` are (combined with ``both``/``either``)."""
    if needed >= len(parts):
        return reduce(both, parts)
    return reduce(either, (reduce(both, combo) for combo in combinations(parts, needed)))


# --- PostgreSQL ----------------------------------------------------------------------

CONFIG = "english"
# The stored vector: A for the title and other names, B the summary, C the body.
VECTOR = (
    SearchVector("title", "aliases", weight="A", config=CONFIG)
    + SearchVector("summary", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
)
# ts_rank's weights for D, C, B, A.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
# Divide the rank by 1 + log(document length): long pages do not win by volume.
RANK_NORMALISATION = 1


class PostgresBackend:
    def after_write(self, documents):
        """Store the weighted vector of the documents just written."""
        documents.update(search_vector=VECTOR)

    def find(self, query, kind, offset, limit):
        groups = self._groups(query)
        tsquery = reduce(or_, groups)
        marked = {
            f"{name}_marked": SearchHeadline(
                name,
                tsquery,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                highlight_all=True,
            )
            for name in MARKED
        }
        rank = SearchRank(
            F("search_vector"),
            tsquery,
            weights=RANK_WEIGHTS,
            normalization=Value(RANK_NORMALISATION),
        )
        rows = (
            self._matching(query, kind)
            .annotate(coverage=self._coverage(groups), rank=rank, **marked)
            .order_by("-coverage", "-rank", "title", "pk")
            .values("kind", "slug", *marked)[offset : offset + limit]
        )
        return [_row(row) for row in rows]

    def counts(self, query):
        rows = self._matching(query, None).values("kind").annotate(n=Count("pk")).order_by()
        return {row["kind"]: row["n"] for row in rows}

    def spelling_candidates(self, words):
        """(word, documents) pairs nearest to any of ``words`` by trigrams (pg_trgm's
        GiST index finds the nearest without comparing every word)."""
        parts = [
            SearchTerm.objects.annotate(distance=TrigramDistance("word", word))
            .order_by("distance")
            .values_list("word", "documents")[:CANDIDATES_PER_WORD]
            for word in words
        ]
        return list(parts[0].union(*parts[1:], all=True)) if parts else []

    def _matching(self, query, kind):
        tsquery = _at_least(self._groups(query), query.needed, and_, or_)
        documents = SearchDocument.objects.filter(search_vector=tsquery)
        return documents.filter(kind=kind) if kind else documents

    @staticmethod
    def _coverage(groups):
        vector = F("search_vector")
        fields = [_weights_only(vector, "a"), _weights_only(vector, "b"), vector]
        return reduce(
            add,
            (
                Case(
                    *(
                        When(SearchVectorExact(field, group), then=Value(points))
                        for field, points in zip(fields, COVERAGE_POINTS, strict=True)
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for group in groups
            ),
        )

    @staticmethod
    def _groups(query):
        """One tsquery per group: any of its phrases."""

        def phrase_query(phrase, prefix):
            if prefix:  # words are letters and digits only, so safe to quote
                return SearchQuery(f"'{phrase[0]}':*", search_type="raw", config=CONFIG)
            search_type = "phrase" if len(phrase) > 1 else "plain"
            return SearchQuery(" ".join(phrase), search_type=search_type, config=CONFIG)

        last = len(query.groups) - 1
        return [
            reduce(or_, (phrase_query(phrase, query.prefix and i == last) for phrase in group))
            for i, group in enumerate(query.groups)
        ]


def _weights_only(vector, weight):
    """The vector keeping only the lexemes of one weight (ts_filter)."""
    return Func(
        vector,
        function="ts_filter",
        template=f"%(function)s(%(expressions)s, '{{{weight}}}')",
        output_field=SearchVectorField(),
    )


# --- SQLite --------------------------------------------------------------------------

DOCUMENTS = SearchDocument._meta.db_table
TERMS = SearchTerm._meta.db_table
# The FTS5 tables the SQLite migration creates (with triggers that keep them in step).
DOCUMENTS_FTS = f"{DOCUMENTS}_fts"
TERMS_TRIGRAMS = f"{TERMS}_trigrams"
# The FTS5 column filter for the title and the other names (coverage's best points).
TITLE_COLUMNS = "{title aliases} : "
# bm25 weights for the FTS5 columns: title, aliases, summary, body.
BM25_WEIGHTS = (10.0, 10.0, 4.0, 1.0)


class SqliteBackend:
    def after_write(self, documents):
        """Nothing to do: triggers keep the FTS5 table in step."""

    def find(self, query, kind, offset, limit):
        groups = self._groups(query)
        match = self._match(query, groups)
        coverage, coverage_params = self._coverage(groups, f"{DOCUMENTS_FTS}.rowid")
        # Each step touches as little as it can. ``top``: the matches with
        # every group in the title or another name, the best coverage there
        # is. ``scored``: when they fill the page, they are the only rows
        # that can be on it, all of that coverage; otherwise every match with
        # its coverage, from the full-text index alone. (The test of ``top``'s
        # size is a constant, so SQLite skips the branch it rules out.)
        # ``edge``: the coverage of the page's last row. ``ranked``: bm25 only
        # of the matches covering at least that well, since the rest cannot
        # reach the page (bm25 was most of the cost of a common word). ``last``
        # and ``page``: the titles (the last tie-break) only of the matches
        # that can still be on the page. Then only the page's documents are
        # highlighted.
        #
        # FTS5 must walk its match, never look rows up one rowid at a time (at
        # 100x content, a search of one kind did that for every document of
        # the kind: 0.7 s): the CROSS JOINs keep the index outermost, and "+"
        # keeps the kind filter from being handed to FTS5 as rowid lookups.
        of_kind = (
            f"AND +{DOCUMENTS_FTS}.rowid IN (SELECT id FROM {DOCUMENTS} WHERE kind = %s)"
            if kind
            else ""
        )
        kind_params = [kind] if kind else []
        sql = f"""
            WITH top AS MATERIALIZED (
                SELECT {DOCUMENTS_FTS}.rowid AS id FROM {DOCUMENTS_FTS}
                WHERE {DOCUMENTS_FTS} MATCH %s {of_kind}
            ),
            scored AS MATERIALIZED (
                SELECT id, %s AS coverage FROM top
                WHERE (SELECT COUNT(*) FROM top) >= %s
                UNION ALL
                SELECT {DOCUMENTS_FTS}.rowid AS id, {coverage} AS coverage
                FROM {DOCUMENTS_FTS}
                WHERE {DOCUMENTS_FTS} MATCH %s {of_kind}
                  AND (SELECT COUNT(*) FROM top) < %s
            ),
            edge AS (SELECT coverage FROM scored ORDER BY coverage DESC LIMIT 1 OFFSET %s),
            ranked AS MATERIALIZED (
                SELECT {DOCUMENTS_FTS}.rowid AS id, s.coverage,
                       bm25({DOCUMENTS_FTS}, {", ".join(map(str, BM25_WEIGHTS))}) AS rank
                FROM {DOCUMENTS_FTS} CROSS JOIN scored s ON s.id = {DOCUMENTS_FTS}.rowid
                WHERE {DOCUMENTS_FTS} MATCH %s
                  AND (NOT EXISTS (SELECT 1 FROM edge) OR s.coverage >= (SELECT coverage FROM edge))
            ),
            last AS (SELECT coverage, rank FROM ranked ORDER BY coverage DESC, rank
                     LIMIT 1 OFFSET %s),
            page AS (
                SELECT r.id, d.title, r.coverage, r.rank
                FROM ranked r JOIN {DOCUMENTS} d ON d.id = r.id
                WHERE NOT EXISTS (SELECT 1 FROM last)
                   OR r.coverage > (SELECT coverage FROM last)
                   OR (r.coverage = (SELECT coverage FROM last)
                       AND r.rank <= (SELECT rank FROM last))
                ORDER BY r.coverage DESC, r.rank, d.title, d.id
                LIMIT %s OFFSET %s
            )
            SELECT d.kind, d.slug,
                   highlight({DOCUMENTS_FTS}, 0, %s, %s),
                   highlight({DOCUMENTS_FTS}, 2, %s, %s),
                   highlight({DOCUMENTS_FTS}, 3, %s, %s)
            FROM page
            CROSS JOIN {DOCUMENTS_FTS} ON {DOCUMENTS_FTS}.rowid = page.id
            JOIN {DOCUMENTS} d ON d.id = page.id
            WHERE {DOCUMENTS_FTS} MATCH %s
            ORDER BY page.coverage DESC, page.rank, page.title, page.id
        """
        rows_needed = offset + limit
        params = [
            self._in_titles(groups),
            *kind_params,
            COVERAGE_POINTS[0] * len(groups),
            rows_needed,
            *coverage_params,
            match,
            *kind_params,
            rows_needed,
            rows_needed - 1,
            match,
            rows_needed - 1,
            limit,
            offset,
            *[MARK_START, MARK_END] * 3,
            match,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [
            _row(dict(zip(("kind", "slug", *(f"{n}_marked" for n in MARKED)), row, strict=True)))
            for row in rows
        ]

    def counts(self, query):
        # The kinds are read from the (kind, item_id) index, which holds every
        # document's id, rather than by looking up each match's row ("+" keeps
        # SQLite from doing that): at 100x content, 2 ms instead of 18.
        sql = f"""
            SELECT d.kind, COUNT(*) FROM {DOCUMENTS} d
            WHERE +d.id IN (
                SELECT rowid FROM {DOCUMENTS_FTS} WHERE {DOCUMENTS_FTS} MATCH %s
            )
            GROUP BY d.kind
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(query, self._groups(query))])
            return dict(cursor.fetchall())

    def spelling_candidates(self, words):
        """(word, documents) pairs sharing the most trigrams with any of ``words``."""
        words = [word for word in words if len(word) >= 3]
        if not words:
            return []
        one = f"""
            SELECT * FROM (
                SELECT t.word, t.documents
                FROM {TERMS_TRIGRAMS} JOIN {TERMS} t ON t.id = {TERMS_TRIGRAMS}.rowid
                WHERE {TERMS_TRIGRAMS} MATCH %s ORDER BY rank LIMIT {CANDIDATES_PER_WORD}
            )
        """
        params = [
            " OR ".join(f'"{word[i : i + 3]}"' for i in range(len(word) - 2)) for word in words
        ]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join([one] * len(words)), params)
            return cursor.fetchall()

    @staticmethod
    def _groups(query):
        """One FTS5 expression per group: any of its phrases, every word quoted so
        that none is read as syntax (words are letters and digits only)."""
        last = len(query.groups) - 1

        def phrase(words, prefix):
            return f'"{" ".join(words)}"' + ("*" if prefix else "")

        return [
            "(" + " OR ".join(phrase(p, query.prefix and i == last) for p in group) + ")"
            for i, group in enumerate(query.groups)
        ]

    @staticmethod
    def _match(query, groups):
        return _at_least(groups, query.needed, _both, _either)

    @staticmethod
    def _in_titles(groups):
        """The FTS5 expression matching documents with every group in the title or
        another name: the best coverage a document can have."""
        return " AND ".join(f"{TITLE_COLUMNS}{group}" for group in groups)

    @staticmethod
    def _coverage(groups, document_id):
        """The coverage expression of the document whose id is ``document_id`` (FTS5
        column filters in subqueries) and its parameters."""
        in_matching = (
            f"{document_id} IN (SELECT rowid FROM {DOCUMENTS_FTS} WHERE {DOCUMENTS_FTS} MATCH %s)"
        )
        columns = (TITLE_COLUMNS, "{summary} : ", "")
        if len(groups) == 1:
            # Every document the query matches has its one group somewhere: no
            # need to look for it in the whole text (the largest of the lookups).
            columns, otherwise = columns[:-1], COVERAGE_POINTS[-1]
        else:
            otherwise = 0
        cases = " ".join(
            f"WHEN {in_matching} THEN {points}" for points in COVERAGE_POINTS[: len(columns)]
        )
        sql = " + ".join(f"(CASE {cases} ELSE {otherwise} END)" for _ in groups)
        params = [column + group for group in groups for column in columns]
        return f"({sql})", params


def _both(left, right):
    return f"{left} AND {right}"


def _either(left, right):
    return f"({left}) OR ({right})"


def _row(row):
    return {
        "kind": row["kind"],
        "slug": row["slug"],
        **{name: row[f"{name}_marked"] or "" for name in MARKED},
    }


def backend():
    """The backend for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()

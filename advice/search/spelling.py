"""Spelling suggestions from the site's own vocabulary.

A word the site never uses ("hamstrng", "sciatia") is compared with the
words it does use: the database finds a few dozen similar ones (pg_trgm on
PostgreSQL, an FTS5 trigram table on SQLite), and the closest of those wins,
the more widely used one breaking a tie.
"""

from difflib import SequenceMatcher

from .backends import backend
from .query import STOP_WORDS

MIN_WORD_LENGTH = 4  # shorter words have too many close neighbours to guess
MIN_SIMILARITY = 0.75  # difflib's ratio: one wrong letter in a five-letter word is 0.8


def corrections(words, synonyms):
    """{misspelt word: correction} for the words of a query that the site never uses."""
    known = synonyms.vocabulary()
    unsure = sorted(
        {
            word
            for word in words
            if len(word) >= MIN_WORD_LENGTH
            and not word.isdigit()
            and word not in STOP_WORDS
            and word not in known
        }
    )
    if not unsure:
        return {}
    vocabulary = dict(backend().spelling_candidates(unsure))
    vocabulary.update((word, 0) for word in known if word not in vocabulary)
    fixes = {}
    for word in unsure:
        if word in vocabulary:
            continue  # the site uses it: not a misspelling
        best = _closest(word, vocabulary)
        if best:
            fixes[word] = best
    return fixes


def _closest(word, vocabulary):
    scored = [
        (SequenceMatcher(None, word, candidate).ratio(), documents, candidate)
        for candidate, documents in vocabulary.items()
        if abs(len(candidate) - len(word)) <= 2
    ]
    scored = [entry for entry in scored if entry[0] >= MIN_SIMILARITY]
    return max(scored)[2] if scored else None

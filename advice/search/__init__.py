"""Site search: full text on PostgreSQL or SQLite, lay synonyms, spelling, snippets.

``search()`` and ``suggest()`` are what the views use; ``query`` parses what
a reader typed, ``backends`` asks the database, ``index`` keeps the search
documents in step with the content, ``spelling`` corrects words the site
never uses and ``snippets`` marks matches safely.
"""

from .engine import RESULTS_PER_PAGE, Hit, Results, search, suggest
from .query import MAX_QUERY_LENGTH, clean_query

__all__ = [
    "MAX_QUERY_LENGTH",
    "RESULTS_PER_PAGE",
    "Hit",
    "Results",
    "clean_query",
    "search",
    "suggest",
]

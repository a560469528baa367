"""The relevance test set (relevance.yaml) against the real library, on the database in use.

The success rate (a right page in the top 3) and the mean reciprocal rank are
printed at the end of the run.
"""

import pytest
from django.db import connection

from tests.search.conftest import RELEVANCE

from .relevance import TOP, entries, evaluate

pytestmark = pytest.mark.usefixtures("real_content")

MIN_QUERIES = 40
MIN_SUCCESS = 0.95
MIN_MRR = 0.9


@pytest.fixture(scope="module")
def outcome(_real_content_in_database, django_db_blocker):
    with django_db_blocker.unblock():
        return evaluate()


def test_the_set_has_enough_reader_queries_with_typos():
    cases = entries()
    assert len(cases) >= MIN_QUERIES
    assert sum(case.get("typo", False) for case in cases) >= 10


def test_reader_queries_find_a_right_page_near_the_top(outcome, request):
    outcomes, success, mrr = outcome
    request.config.stash[RELEVANCE] = (
        f"{connection.vendor}: {success:.1%} of {len(outcomes)} reader queries have a right page "
        f"in the top {TOP}; mean reciprocal rank {mrr:.3f}"
    )
    misses = [(o.query, o.rank, o.top) for o in outcomes if not o.in_top]
    assert success >= MIN_SUCCESS, misses
    assert mrr >= MIN_MRR, misses


def test_every_query_with_one_typo_is_answered(outcome):
    outcomes, _, _ = outcome
    unanswered = [(o.query, o.top) for o in outcomes if o.typo and not o.in_top]
    assert not unanswered

"""The relevance test set, and how a search does on it (shared by the test and by hand).

``python manage.py shell -c "from tests.search.relevance import report; report()"``
prints every query's rank against the database in use.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.apps import apps

from advice.search import search
from advice.search.index import INDEXED

RELEVANCE_SET = Path(__file__).with_name("relevance.yaml")
TOP = 3
FOLDER_TO_MODEL = {"causes": "Cause", "remedies": "Remedy", "articles": "Article", "faqs": "FAQ"}


@dataclass
class Outcome:
    query: str
    typo: bool
    rank: int | None  # 1-based rank of the first expected page in the first page of results
    top: list  # the urls of the first results

    @property
    def in_top(self):
        return self.rank is not None and self.rank <= TOP


def entries():
    return yaml.safe_load(RELEVANCE_SET.read_text(encoding="utf-8"))


def url_of(path):
    folder, slug = path.split("/")
    return apps.get_model("advice", FOLDER_TO_MODEL[folder])(slug=slug).get_absolute_url()


def evaluate(cases=None):
    """(outcomes, share with a right page in the top 3, mean reciprocal rank)."""
    assert set(FOLDER_TO_MODEL.values()) == set(INDEXED.values())
    outcomes = []
    for case in cases or entries():
        expected = {url_of(path) for path in case["expect"]}
        urls = [hit.url for hit in search(case["query"]).page.object_list]
        rank = next((i for i, url in enumerate(urls, start=1) if url in expected), None)
        outcomes.append(Outcome(case["query"], case.get("typo", False), rank, urls[:TOP]))
    success = sum(outcome.in_top for outcome in outcomes) / len(outcomes)
    mrr = sum(1 / outcome.rank for outcome in outcomes if outcome.rank) / len(outcomes)
    return outcomes, success, mrr


def report():
    outcomes, success, mrr = evaluate()
    for outcome in outcomes:
        mark = "ok " if outcome.in_top else "BAD"
        print(f"{mark} {outcome.rank!s:>4}  {outcome.query!r:45} {outcome.top}")
    print(f"top-{TOP} success {success:.1%}, MRR {mrr:.3f}, {len(outcomes)} queries")

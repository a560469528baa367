"""An import writes the search index and bumps the content version once, at its end
(``content.batch``), and renders bodies in worker processes. What it leaves
behind (search documents and vocabulary, the content version, each item's
history and HTML) is exactly what saving the items one by one leaves behind."""

import shutil

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from advice.content import batch, rendering, tree
from advice.content.history import history_of
from advice.content.schema import KIND_ORDER, KINDS
from advice.content.tree import read_tree
from advice.models import (
    Article,
    Cause,
    CauseSymptom,
    ContentVersion,
    SearchDocument,
    SearchTerm,
)
from advice.search import search
from tests.conftest import FIXTURE_CONTENT, admin_url

from .test_import import replace_in

pytestmark = pytest.mark.django_db


def outcome():
    """What an import leaves behind for readers and editors."""
    return {
        # In the order they were written: ties in search results are ordered by it.
        "documents": list(
            SearchDocument.objects.order_by("pk").values_list(
                "kind", "slug", "title", "aliases", "summary", "body"
            )
        ),
        "vocabulary": sorted(SearchTerm.objects.values_list("word", "documents")),
        "version": ContentVersion.objects.values_list("version", flat=True).first(),
        # What each item's history page lists: source, changed keys and state.
        "history": {
            f"{name}/{obj.slug}": [(e.source, e.changed, e.state) for e in history_of(obj)]
            for name in KIND_ORDER
            for obj in KINDS[name].model.objects.all()
        },
        "html": {
            f"{name}/{slug}": (html, toc)
            for name in KIND_ORDER
            if KINDS[name].body != "none"
            for slug, html, toc in KINDS[name].model.objects.values_list(
                "slug", "body_html", "body_toc"
            )
        },
    }


def import_thrice(tmp_path, name):
    """A first import of the small tree, one with an edit, changed symptom weights and
    an item taken off the site, and one with that item's file removed; the outcome
    after each."""
    content = tmp_path / name
    shutil.copytree(FIXTURE_CONTENT, content)
    call_command("import_content", str(content), verbosity=0)
    first = outcome()
    replace_in(content / "articles" / "first-aid.md", "title: First aid", "title: Compression aid")
    replace_in(content / "causes" / "strain.md", "pop-at-injury: 2", "pop-at-injury: 3")
    replace_in(content / "faqs" / "is-it-serious.md", "order: 2", "order: 2\npublished: false")
    call_command("import_content", str(content), verbosity=0)
    second = outcome()
    (content / "faqs" / "is-it-serious.md").unlink()
    call_command("import_content", str(content), "--prune", verbosity=0)
    return first, second, outcome()


def test_an_import_leaves_what_saving_item_by_item_leaves(tmp_path, monkeypatch, worker_pools):
    with transaction.atomic():
        with monkeypatch.context() as patched:
            patched.setattr(batch, "_deferrers", [])  # every save does its own work
            one_by_one = import_thrice(tmp_path, "one-by-one")
        transaction.set_rollback(True)
    assert SearchDocument.objects.count() == 0
    # Bodies rendered by worker processes, as in a large import.
    started = worker_pools(rendering, "RENDER_WORKERS", chunk=3)
    in_a_batch = import_thrice(tmp_path, "batch")
    assert started
    assert in_a_batch == one_by_one
    first, second, third = in_a_batch
    assert third["version"] > second["version"] > first["version"] > 0
    assert "compression" in dict(second["vocabulary"])
    assert ("faq", "is-it-serious") not in {document[:2] for document in second["documents"]}
    assert "faqs/is-it-serious" in second["history"]
    assert "faqs/is-it-serious" not in third["history"]


def test_an_import_reads_its_revisions_links_once_not_per_item(tmp_path):
    """Each revision holds its item's links (a cause's symptom weights, many-to-many
    fields): in a batch they are read for all the items at once."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    strain = (content / "causes" / "strain.md").read_text()
    for n in (2, 3):
        (content / "causes" / f"strain-{n}.md").write_text(
            strain.replace("Hamstring strain", f"Hamstring strain {n}").replace(
                "Pulled hamstring", f"Pulled hamstring {n}"
            )
        )
    # The weights of some causes, by their keys (the checker and the safety
    # gates read every cause's weights, by other queries).
    weights_of_some = f'FROM "{CauseSymptom._meta.db_table}" '
    with CaptureQueriesContext(connection) as queries:
        call_command("import_content", str(content), verbosity=0)
    weights_read = [
        q for q in queries if weights_of_some in q["sql"] and '"cause_id" IN (' in q["sql"]
    ]
    assert Cause.objects.count() == 3
    assert len(weights_read) == 1
    cause = Cause.objects.get(slug="strain")
    (entry, *_) = history_of(cause)
    assert entry.state["symptoms"] == {
        link.symptom.slug: link.weight for link in cause.symptom_links.select_related("symptom")
    }


def test_an_imported_item_is_found_by_search_and_an_admin_save_at_once(
    imported, admin_client, admin_form_data
):
    def urls(query):
        return [hit.url for hit in search(query).page.object_list]

    assert urls("aid") == ["/library/first-aid/"] and urls("kinesiology") == []
    article = Article.objects.get(slug="first-aid")
    response = admin_client.post(
        admin_url(Article, "change", article.pk),
        admin_form_data(article, title="Kinesiology tape and first aid"),
    )
    assert response.status_code == 302
    assert urls("kinesiology") == ["/library/first-aid/"]


def test_many_files_are_parsed_in_worker_processes_as_one_by_one(content_dir, worker_pools):
    (content_dir / "faqs" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    one_by_one = read_tree(content_dir)
    started = worker_pools(tree, "PARSE_WORKERS", chunk=3)
    in_workers = read_tree(content_dir)
    assert started == [(2,)]
    assert [str(problem) for problem in in_workers.problems] == [
        str(problem) for problem in one_by_one.problems
    ]
    assert "broken.md:2: broken YAML" in str(in_workers.problems[0])

    def items(parsed):
        return [
            (item.kind, item.slug, item.record, item.body_line, item.problems.lines)
            for item in parsed.items
        ]

    assert items(in_workers) == items(one_by_one) and len(in_workers.items) == 13

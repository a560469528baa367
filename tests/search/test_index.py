"""The search index follows every save and delete, on either database."""

import pytest
from django.core.management import call_command
from django.db import transaction

from advice.content import batch
from advice.models import SearchDocument, SearchTerm
from advice.search import search
from advice.search.index import body_blocks, rebuild
from tests.factories import make_article, make_cause, make_faq, make_remedy, make_symptom

pytestmark = pytest.mark.django_db


def urls(query, **kwargs):
    return [hit.url for hit in search(query, **kwargs).page.object_list]


def vocabulary():
    return dict(SearchTerm.objects.values_list("word", "documents"))


def test_each_published_item_has_one_document_and_symptoms_none():
    make_article("a")
    make_cause("c", also_known_as="Pulled hamstring\nHamstring pull")
    make_remedy("r")
    make_faq("f")
    make_symptom("s")
    assert sorted(SearchDocument.objects.values_list("kind", "slug")) == [
        ("article", "a"), ("cause", "c"), ("faq", "f"), ("remedy", "r"),
    ]  # fmt: skip
    assert SearchDocument.objects.get(slug="c").aliases == "Pulled hamstring\nHamstring pull"


def test_an_edit_is_found_at_once_and_the_old_words_are_gone():
    article = make_article("a", title="Ice packs", body="Cold helps.")
    assert urls("ice") == ["/library/a/"]
    article.title, article.summary, article.body = "Heat pads", "Heat.", "Warmth helps."
    article.save()
    assert urls("ice") == [] and urls("warmth") == ["/library/a/"]
    assert "ice" not in vocabulary() and vocabulary()["warmth"] == 1


def test_renaming_an_item_moves_its_document():
    cause = make_cause("old-name", title="Cramp")
    cause.slug = "new-name"
    cause.save()
    assert urls("cramp") == ["/causes/new-name/"]
    assert SearchDocument.objects.count() == 1


def test_drafts_and_deleted_items_leave_the_index_and_the_vocabulary():
    remedy = make_remedy("r", title="Nordic curls")
    make_remedy("other", title="Nordic walking")
    assert vocabulary()["nordic"] == 2
    remedy.published = False
    remedy.save()
    assert urls("curls") == [] and vocabulary()["nordic"] == 1 and "curls" not in vocabulary()
    remedy.published = True
    remedy.save()
    assert urls("curls") == ["/remedies/r/"]
    remedy.delete()
    assert urls("curls") == [] and SearchDocument.objects.count() == 1


def test_rebuild_gives_the_same_index_as_the_saves_did():
    make_article("a", title="Sore hamstrings", body="## Why\n\nRunning hard.")
    make_cause("c", title="Cramp", also_known_as="Charley horse")
    before = (sorted(SearchDocument.objects.values_list("kind", "slug", "body")), vocabulary())
    assert rebuild() == 2
    after = (sorted(SearchDocument.objects.values_list("kind", "slug", "body")), vocabulary())
    assert before == after
    assert urls("charley horse") == ["/causes/c/"]


def test_in_a_batch_the_index_is_written_once_at_its_end():
    make_remedy("r", title="Nordic curls")
    with batch.deferred():
        article = make_article("a", title="Nordic walking")
        remedy = make_remedy("s", title="Ice packs")
        remedy.title = "Ice baths"
        remedy.save()
        make_remedy("r-2", title="Curls again").delete()
        assert urls("nordic") == ["/remedies/r/"]  # not yet
        article.published = False
        article.save()
    assert urls("nordic") == ["/remedies/r/"] and urls("ice") == ["/remedies/s/"]
    words = vocabulary()
    assert words["nordic"] == 1 and words["baths"] == 1
    assert not {"walking", "again"} & set(words)
    before = (sorted(SearchDocument.objects.values_list("kind", "slug", "body")), vocabulary())
    rebuild()
    assert (sorted(SearchDocument.objects.values_list("kind", "slug", "body")), vocabulary()) == (
        before
    )


def test_a_batch_that_fails_writes_nothing_and_later_saves_index_at_once():
    def failing_import():
        with transaction.atomic(), batch.deferred():
            make_article("a", title="Ice packs")
            raise RuntimeError("the import stops")

    with pytest.raises(RuntimeError):
        failing_import()
    assert SearchDocument.objects.count() == 0
    make_article("b", title="Ice baths")
    assert urls("ice") == ["/library/b/"]


def test_rebuild_command(capsys):
    make_article("a", title="Sore hamstrings")
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert "Indexed 1 page" in capsys.readouterr().out
    assert urls("sore") == ["/library/a/"]


def test_body_blocks_keep_headings_and_paragraphs_apart():
    html = (
        "<h2>When it helps</h2><p>While you <em>recover</em>.</p><ul><li>One</li><li>Two</li></ul>"
    )
    assert body_blocks(html) == "## When it helps\nWhile you recover.\nOne\nTwo"

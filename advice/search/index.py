"""The search index: one SearchDocument per published cause, remedy, article and FAQ.

Every save of an item (import, admin, shell) rewrites its document through
model signals, and every delete removes it, so search never needs a rebuild
to see an edit. The database keeps its own full-text index of the documents
(``backends``). Alongside, ``SearchTerm`` counts the documents using each
word: the site's own vocabulary, which spelling suggestions are chosen from.

Inside a batch of content writes (``content.batch``: an import), the signals
only note which items changed, and ``deferred`` writes their documents and
word counts once, in bulk, when the batch ends: the same documents and counts
as item by item, in a fraction of the queries.
"""

import re
from collections import Counter
from html.parser import HTMLParser

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from advice.content import batch
from advice.models import SearchKind

from .backends import backend
from .query import STOP_WORDS

# The model indexed for each kind of result.
INDEXED = {
    SearchKind.CAUSE: "Cause",
    SearchKind.REMEDY: "Remedy",
    SearchKind.ARTICLE: "Article",
    SearchKind.FAQ: "FAQ",
}
HEADING_MARK = "## "  # starts a heading's line in SearchDocument.body
# Private-use characters: the databases put them around matches (see
# ``snippets``), so they are taken out of whatever is indexed.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")
_BLOCKS = {"p", "li", "dt", "dd", "td", "th", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6"}


class _Blocks(HTMLParser):
    """The text of each block of sanitised HTML, headings marked, one per line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self._text, self._heading = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._flush()
            self._heading = tag[0] == "h"
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._text.append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.lines.append(HEADING_MARK + text if self._heading else text)
        self._text, self._heading = [], False

    def close(self):
        super().close()
        self._flush()


def body_blocks(html):
    """The body's text, one block (heading, paragraph, list item) per line."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines)


def document_fields(item):
    """What a SearchDocument holds for ``item`` (any model with the content fields)."""
    aliases = getattr(item, "also_known_as", "")
    fields = {
        "slug": item.slug,
        "title": item.title,
        "aliases": "\n".join(line.strip() for line in aliases.splitlines() if line.strip()),
        "summary": item.summary,
        "body": body_blocks(item.body_html),
    }
    return {name: PRIVATE_USE.sub("", value) for name, value in fields.items()}


TEXT_FIELDS = ("title", "aliases", "summary", "body")


def vocabulary_of(fields):
    """The distinct words a document (its TEXT_FIELDS, as a mapping) contributes to
    the site's vocabulary."""
    text = " ".join(fields[name] for name in TEXT_FIELDS)
    return {word for word in _VOCABULARY_WORD.findall(text.casefold()) if word not in STOP_WORDS}


# --- Keeping the index in step --------------------------------------------------


def kind_of(model):
    return next((kind for kind, name in INDEXED.items() if model.__name__ == name), None)


def update_item(item, models=global_apps):
    """Rewrite (or, for a draft, remove) the document of one saved item."""
    SearchDocument = models.get_model("advice", "SearchDocument")
    kind = kind_of(type(item))
    document = SearchDocument.objects.filter(kind=kind, item_id=item.pk).first()
    old_words = _vocabulary_of_document(document)
    if not item.published:
        if document:
            document.delete()
        _count_words(models, old_words, set())
        return
    fields = document_fields(item)
    document = document or SearchDocument(kind=kind, item_id=item.pk)
    for name, value in fields.items():
        setattr(document, name, value)
    document.save()
    backend().after_write(SearchDocument.objects.filter(pk=document.pk))
    _count_words(models, old_words, vocabulary_of(fields))


def remove_item(item, models=global_apps):
    SearchDocument = models.get_model("advice", "SearchDocument")
    document = SearchDocument.objects.filter(kind=kind_of(type(item)), item_id=item.pk).first()
    if document:
        document.delete()
        _count_words(models, _vocabulary_of_document(document), set())


def _vocabulary_of_document(document):
    if document is None:
        return set()
    return vocabulary_of({name: getattr(document, name) for name in TEXT_FIELDS})


def _count_words(models, old, new):
    """Move the vocabulary's document counts from ``old`` words to ``new`` ones."""
    _move_counts(models, Counter(new) - Counter(old), Counter(old) - Counter(new))


# Words, documents or items per query: well under any database's limit on parameters.
CHUNK = 500


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _move_counts(models, added, gone):
    """Add ``added[word]`` to the document count of each word and take ``gone[word]``
    from it (Counters), dropping words no document uses any more.

    Written as relative updates (and inserts that ignore a word already there),
    so two saves at once cannot lose a count; one update per chunk of words
    moved by the same amount.
    """
    SearchTerm = models.get_model("advice", "SearchTerm")
    for amount, words in _by_amount(gone):
        for chunk in _chunks(words):
            SearchTerm.objects.filter(word__in=chunk).update(documents=F("documents") - amount)
            SearchTerm.objects.filter(word__in=chunk, documents__lte=0).delete()
    for amount, words in _by_amount(added):
        for chunk in _chunks(words):
            SearchTerm.objects.bulk_create(
                [SearchTerm(word=word, documents=0) for word in chunk], ignore_conflicts=True
            )
            SearchTerm.objects.filter(word__in=chunk).update(documents=F("documents") + amount)


def _by_amount(counts):
    """(amount, sorted words) for the words of ``counts``, grouped by their count."""
    groups = {}
    for word, amount in counts.items():
        if amount > 0:
            groups.setdefault(amount, []).append(word)
    return sorted((amount, sorted(words)) for amount, words in groups.items())


# --- Deferred, for a batch of writes ---------------------------------------------


def update_items(keys, models=global_apps):
    """Bring the documents of the items ``keys`` ((kind, pk) pairs) in step with
    the items as saved now (a deleted or draft item loses its document), and
    the word counts with the documents: what ``update_item``/``remove_item``
    do for each, in bulk. Documents are created in the order of ``keys``, as
    they would be item by item (ties in search results are ordered by them)."""
    SearchDocument = models.get_model("advice", "SearchDocument")
    added, gone = Counter(), Counter()
    for chunk in _chunks(keys):
        items, documents = {}, {}
        for kind in {kind for kind, _ in chunk}:
            pks = [pk for chunk_kind, pk in chunk if chunk_kind == kind]
            model = models.get_model("advice", INDEXED[kind])
            items.update(((kind, item.pk), item) for item in model.objects.filter(pk__in=pks))
            documents.update(
                ((kind, document.item_id), document)
                for document in SearchDocument.objects.filter(kind=kind, item_id__in=pks)
            )
        created, changed, removed = [], [], []
        for key in chunk:
            kind, pk = key
            item, document = items.get(key), documents.get(key)
            if document is not None:
                gone.update(_vocabulary_of_document(document))
            if item is None or not item.published:
                if document is not None:
                    removed.append(document.pk)
                continue
            fields = document_fields(item)
            added.update(vocabulary_of(fields))
            if document is None:
                created.append(SearchDocument(kind=kind, item_id=pk, **fields))
            else:
                for name, value in fields.items():
                    setattr(document, name, value)
                changed.append(document)
        SearchDocument.objects.filter(pk__in=removed).delete()
        SearchDocument.objects.bulk_create(created)
        SearchDocument.objects.bulk_update(changed, fields=["slug", *TEXT_FIELDS])
        # Both databases return the primary keys of the rows bulk_create inserts.
        written = [document.pk for document in changed + created]
        if written:
            backend().after_write(SearchDocument.objects.filter(pk__in=written))
    _move_counts(models, added - gone, gone - added)


# Inside a batch, saves and deletes only note their item ((kind, pk) -> None,
# in the order the items were first saved or deleted); when the batch ends
# without an error, every noted item's document and words are written at once
# (``update_items``). Registered with ``content.batch``.
_NOTED = batch.Noted("search_index_pending", dict, update_items)
deferred = _NOTED.deferred


@transaction.atomic  # a search never sees the index emptied and half refilled
def rebuild():
    """Index every published item from scratch (``build_if_missing`` and
    ``manage.py rebuild_search_index``)."""
    SearchDocument = global_apps.get_model("advice", "SearchDocument")
    SearchTerm = global_apps.get_model("advice", "SearchTerm")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    documents, counts = [], {}
    for kind, name in INDEXED.items():
        for item in global_apps.get_model("advice", name).objects.filter(published=True):
            fields = document_fields(item)
            documents.append(SearchDocument(kind=kind, item_id=item.pk, **fields))
            for word in vocabulary_of(fields):
                counts[word] = counts.get(word, 0) + 1
    SearchDocument.objects.bulk_create(documents, batch_size=200)
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, documents=n) for word, n in sorted(counts.items())], batch_size=500
    )
    backend().after_write(SearchDocument.objects.all())
    return len(documents)


def build_if_missing(plan=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """After ``migrate`` (post_migrate): index the published content if the index is empty.

    A database that held content before the index existed gets its first
    build here, with today's models. A data migration would have run this
    code against the schema of its own point in history, which today's code
    no longer matches. Only after a migrate that changed something (not
    after a flush) and left the database at the latest schema (``migrate``
    also sends the signal after migrating backwards).
    """
    if not plan or using != DEFAULT_DB_ALIAS or not _fully_migrated(connections[using]):
        return
    if global_apps.get_model("advice", "SearchDocument").objects.exists():
        return
    if any(
        global_apps.get_model("advice", name).objects.filter(published=True).exists()
        for name in INDEXED.values()
    ):
        rebuild()


def _fully_migrated(connection):
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _on_save(sender, instance, raw=False, **kwargs):
    pending = _NOTED.current()
    if pending is None:
        update_item(instance)
    else:
        pending[(kind_of(sender), instance.pk)] = None


def _on_delete(sender, instance, **kwargs):
    pending = _NOTED.current()
    if pending is None:
        remove_item(instance)
    else:
        pending[(kind_of(sender), instance.pk)] = None


def connect_signals():
    for kind, name in INDEXED.items():
        model = global_apps.get_model("advice", name)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-index-{kind}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-unindex-{kind}")

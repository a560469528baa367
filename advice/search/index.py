"""The search index: one SearchDocument per published cause, remedy, article and FAQ.

Every save of an item (import, admin, shell) rewrites its document through
model signals, and every delete removes it, so search never needs a rebuild
to see an edit. The database keeps its own full-text index of the documents
(``backends``). Alongside, ``SearchTerm`` counts the documents using each
word: the site's own vocabulary, which spelling suggestions are chosen from.
"""

import re
from html.parser import HTMLParser

from django.apps import apps as global_apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save

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
    """Move the vocabulary's document counts from ``old`` words to ``new`` ones.

    Written as relative updates (and inserts that ignore a word already there),
    so two saves at once cannot lose a count.
    """
    SearchTerm = models.get_model("advice", "SearchTerm")
    gone, added = sorted(old - new), sorted(new - old)
    if gone:
        SearchTerm.objects.filter(word__in=gone).update(documents=F("documents") - 1)
        SearchTerm.objects.filter(word__in=gone, documents__lte=0).delete()
    if added:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, documents=0) for word in added], ignore_conflicts=True
        )
        SearchTerm.objects.filter(word__in=added).update(documents=F("documents") + 1)


def rebuild(models=global_apps):
    """Index every published item from scratch (used by a migration and
    ``manage.py rebuild_search_index``)."""
    SearchDocument = models.get_model("advice", "SearchDocument")
    SearchTerm = models.get_model("advice", "SearchTerm")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    documents, counts = [], {}
    for kind, name in INDEXED.items():
        for item in models.get_model("advice", name).objects.filter(published=True):
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


def _on_save(sender, instance, raw=False, **kwargs):
    update_item(instance)


def _on_delete(sender, instance, **kwargs):
    remove_item(instance)


def connect_signals():
    for kind, name in INDEXED.items():
        model = global_apps.get_model("advice", name)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-index-{kind}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-unindex-{kind}")

"""Bringing the content tree into the database.

The import is all-or-nothing: the tree is read and validated first, and only
a clean tree is written, in one transaction. An item whose database copy was
changed (in the admin) since its last import is left alone unless forced, so
an editor's work is never silently overwritten.

What to write is decided first, by comparing record hashes, and only then
written: when nothing changes (a re-import of the same tree), the gates do not
run, since the content they would compare is the content they saw last time.
"""

from collections import deque
from dataclasses import dataclass, field

from django.db import transaction

from . import batch, gates
from .history import Source, save_with_history
from .rendering import render_many
from .schema import (
    KIND_ORDER,
    KINDS,
    DatabaseLookup,
    matches_stored_hash,
    prefetch_for,
    record_from_instance,
    record_hash,
)
from .tree import read_tree

# Saved items read at a time when deciding what to write.
PLAN_CHUNK = 500


class ContentError(Exception):
    """The content tree has problems; ``problems`` lists them as path:line: message."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # no file, kept because --prune was not given
    kept_edits: list = field(default_factory=list)  # changed in the admin, not overwritten
    forced: list = field(default_factory=list)  # changed in the admin, overwritten by --force
    notices: list = field(default_factory=list)  # what the change does, from the gates
    dry_run: bool = False


def import_content(root, *, dry_run=False, prune=False, force=False):
    """Validate ``root`` and write it to the database; return an ImportReport."""
    tree = read_tree(root)
    if tree.problems:
        raise ContentError(tree.problems)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        writes = deque(
            write
            for kind_name in KIND_ORDER
            for write in _plan_kind(KINDS[kind_name], tree.of_kind(kind_name), report, force)
        )
        without_files = list(_labels_without_files(report))
        if not prune:
            report.missing = [label for label, _, _ in without_files]
        if writes or (prune and without_files):
            snapshots = gates.before_change(KIND_ORDER)
            lookups = {}  # one per kind, made when its first item is written, as before
            # New and changed bodies are rendered ahead, in parallel, in the
            # order they are written.
            rendered = render_many(
                [write[3]["body"] for write in writes if _renders_body(*write[:2], write[3])]
            )
            # What follows each save (the search index, the revisions, the
            # content version) is written in bulk, before the gates look.
            with batch.deferred():
                while writes:  # each written item let go at once: memory stays flat
                    kind, obj, slug, record, new_hash = writes.popleft()
                    lookup = lookups.setdefault(kind.name, DatabaseLookup())
                    renders = _renders_body(kind, obj, record)
                    if obj is None:
                        obj = kind.model(slug=slug)
                    if renders:
                        obj.use_rendered(record["body"], next(rendered))
                    _write(kind, obj, record, new_hash, lookup)
                if prune:
                    _prune(without_files, report, force)
            verdict = gates.after_change(snapshots)
            if verdict.refusals:  # raising inside the transaction undoes every write
                raise ContentError(verdict.refusals)
            report.notices = verdict.notices
        if dry_run:
            transaction.set_rollback(True)
    return report


def _plan_kind(kind, items, report, force):
    """(kind, obj, slug, record, hash) for each item of ``kind`` to write, in the files'
    order; ``obj`` is None for a new item."""
    new_hashes = {item.slug: record_hash(kind, item.record) for item in items}
    # The saved items are read a chunk at a time, and only those to write are
    # kept: a re-import of thousands of unchanged items holds none of them.
    to_write, verdicts, rehashed = {}, {}, {}
    saved = prefetch_for(kind, kind.model.objects.all()).iterator(chunk_size=PLAN_CHUNK)
    for obj in saved:
        new_hash = new_hashes.get(obj.slug)
        if new_hash is None:
            continue  # no file: see _labels_without_files
        current = record_from_instance(kind, obj)
        if record_hash(kind, current) == new_hash:
            verdicts[obj.slug] = report.unchanged
            if obj.imported_hash != new_hash:
                rehashed[obj.pk] = new_hash
            continue
        edited_in_admin = not matches_stored_hash(kind, current, obj.imported_hash)
        if edited_in_admin and not force:
            verdicts[obj.slug] = report.kept_edits
            continue
        verdicts[obj.slug] = report.forced if edited_in_admin else report.updated
        to_write[obj.slug] = obj
    for pk, new_hash in rehashed.items():
        # The file now matches an admin edit (after an export): remember that,
        # so the next change to the file is not mistaken for one.
        kind.model.objects.filter(pk=pk).update(imported_hash=new_hash)
    writes = []
    for item in items:
        label = f"{kind.name}/{item.slug}"
        verdicts.get(item.slug, report.created).append(label)
        if item.slug in to_write or item.slug not in verdicts:
            obj = to_write.get(item.slug)  # None for a new item
            writes.append((kind, obj, item.slug, item.record, new_hashes[item.slug]))
    return writes


def _renders_body(kind, obj, record):
    """Whether writing ``record`` to ``obj`` (None: a new item) renders its body."""
    return kind.body != "none" and (obj is None or obj.body != record["body"])


def _write(kind, obj, record, new_hash, lookup):
    obj.imported_hash = new_hash
    save_with_history(kind, obj, record, source=Source.IMPORT, lookup=lookup)


def _labels_without_files(report):
    """(label, kind, slug) for database items that no file matched, most dependent first."""
    in_files = set(
        report.created + report.updated + report.unchanged + report.kept_edits + report.forced
    )
    # Most dependent kinds first, so nothing is removed while still referenced.
    for kind_name in reversed(KIND_ORDER):
        kind = KINDS[kind_name]
        for slug in kind.model.objects.values_list("slug", flat=True):
            label = f"{kind.name}/{slug}"
            if label not in in_files:
                yield label, kind, slug


def _prune(without_files, report, force):
    for label, kind, slug in without_files:
        obj = prefetch_for(kind, kind.model.objects.filter(slug=slug)).get()
        edited = not matches_stored_hash(kind, record_from_instance(kind, obj), obj.imported_hash)
        if edited and not force:
            report.kept_edits.append(label)
            continue
        obj.delete()
        report.removed.append(label)

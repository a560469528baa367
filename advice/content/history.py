"""The history of every content item: who changed what, when and from where.

Built on django-reversion: every save through the admin, the import or a
revert is one reversion revision holding the item (and, for a cause, its
symptom weights), with its user and a ``ContentChange`` saying where it came
from and which keys changed. The saved states are read back as records, the
same plain data the files hold, so two versions compare key by key and the
body line by line (``comparison``), and a revert goes through the same rules
as any other edit.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.timezone import localtime
from reversion.models import Revision, Version

from advice.models import CauseSymptom, ContentChange

from . import batch, gates
from .catalogue import catalogue_after, incoming_links_broken_by
from .problems import BODY, Problems
from .rules import check_item, check_references
from .schema import (
    KINDS,
    DatabaseLookup,
    apply_record,
    comparable,
    kind_for_model,
    normalise_body,
    record_from_instance,
    record_value,
)

Source = ContentChange.Source
WEIGHT_LINKS = "symptom_links"  # where a cause's weights live (see schema.LiveItem.weights)


@dataclass(frozen=True)
class Registration:
    """What a version of a model holds: given to ``reversion.register``, and read
    by the batch writer (``_versions_of``), which reversion offers no public way
    to ask."""

    fields: tuple
    follow: tuple = ()
    format: str = "json"


_registrations = {}


def register_models():
    """Put every content kind (and the weights of causes) under version control."""
    for kind in KINDS.values():
        has_weights = any(key.type == "weights" for key in kind.keys)
        _register(kind.model, follow=(WEIGHT_LINKS,) if has_weights else ())
    _register(CauseSymptom)


def _register(model, follow=()):
    if model in _registrations:
        return
    fields = (*model._meta.local_fields, *_plain_links(model))
    registration = Registration(tuple(field.name for field in fields), tuple(follow))
    _registrations[model] = registration
    reversion.register(
        model, fields=registration.fields, follow=registration.follow, format=registration.format
    )


# --- Recording --------------------------------------------------------------------


@contextmanager
def recorded(source, changed, user=None, comment=""):
    """Record the saves inside the block as one revision from ``source``.

    The block adds what it saved itself (``reversion.add_to_revision``), once
    its relations are written: reversion's own signals would serialise the
    item again at every save and every change of its links.
    """
    # Inside a transaction already (an import, an admin save), a savepoint of its
    # own for each revision would add nothing: an error undoes the whole change.
    atomic = not transaction.get_connection().in_atomic_block
    with reversion.create_revision(manage_manually=True, atomic=atomic):
        yield
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment or describe(changed))
        reversion.add_meta(ContentChange, source=source, changed=list(changed))


def changed_keys(before, after):
    """The keys whose values differ between two ``schema.comparable`` states."""
    if before is None:
        return []
    return [name for name in after if after[name] != before.get(name)]


def save_with_history(kind, obj, record, *, source, user=None, lookup=None, comment=""):
    """``apply_record`` recorded as a revision; returns the changed keys ([] if new).

    A save that changes nothing (an admin form saved as it was) writes, but
    adds no revision: the history lists changes, not clicks.
    """
    lookup = lookup or DatabaseLookup()
    before = None
    if obj.pk:
        saved = type(obj).objects.get(pk=obj.pk)
        before = comparable(kind, record_from_instance(kind, saved), saved.slug)
    after = comparable(kind, record, obj.slug)
    changed = changed_keys(before, after)
    if before is not None and not changed:
        apply_record(kind, obj, record, lookup)
        return changed
    pending = _REVISIONS.current()
    if pending is not None:  # in a batch: kept, and written with the others
        apply_record(kind, obj, record, lookup)
        pending.append(_PendingRevision(obj, source, changed, user, comment, timezone.now()))
        if len(pending) >= REVISIONS_AT_ONCE:
            _save_revisions(pending)
        return changed
    with recorded(source, changed, user, comment):
        apply_record(kind, obj, record, lookup)
        # Again, now that the relations are written: the revision holds the
        # item as saved, with its symptom weights.
        with _links_read_at_once([obj]):
            reversion.add_to_revision(obj)
    return changed


@contextmanager
def _links_read_at_once(objs):
    """Inside the block, the links a version holds (many-to-many fields, a cause's
    weights) read for all of ``objs`` in one query per link and model.
    Serialising each item read its own: on PostgreSQL, in an import, a round
    trip per link of every item, a quarter of the import's time."""
    by_model = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        _forget_links(group)  # links written since an earlier read are read again
        prefetch_related_objects(group, *_links_of(model))
    try:
        yield
    finally:
        _forget_links(objs)


def _forget_links(objs):
    for obj in objs:
        getattr(obj, "_prefetched_objects_cache", {}).clear()


def _links_of(model):
    """The prefetches of what a version of ``model`` holds besides its own row: the
    keys of its many-to-many links (as the serializer reads them: not every
    linked item's body), and the weights its registration follows."""
    links = [
        Prefetch(field.name, queryset=field.related_model.objects.only("pk"))
        for field in _plain_links(model)
    ]
    if WEIGHT_LINKS in _registrations[model].follow:
        links.append(_weights_with_names())
    return links


def _plain_links(model):
    """``model``'s many-to-many fields whose links are bare pairs. Links with data
    of their own (a cause's weights) are rows of their own, followed instead."""
    return [
        field
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _weights_with_names():
    """A cause's symptom weights, with the symptom each one's name shows (the
    prefetch gives each link its cause, the instance itself: a join would load
    a copy of the cause, body and all, for every link)."""
    return Prefetch(WEIGHT_LINKS, queryset=CauseSymptom.objects.select_related("symptom"))


# --- Recording many revisions at once (an import) ----------------------------------

# Revisions kept in memory before they are written.
REVISIONS_AT_ONCE = 500


# A revision kept in a batch, to be written with the others: its item is
# serialised when the revisions are written.
@dataclass
class _PendingRevision:
    obj: object
    source: str
    changed: list
    user: object
    comment: str
    date_created: object


def _versions_of(obj):
    """reversion's Versions of ``obj`` and what its registration follows, as
    ``reversion.add_to_revision`` builds them."""
    registration = _registrations[type(obj)]
    db = router.db_for_write(type(obj), instance=obj)
    yield Version(
        content_type=ContentType.objects.db_manager(db).get_for_model(type(obj)),
        object_id=force_str(obj.pk),
        db=db,
        format=registration.format,
        serialized_data=serializers.serialize(
            registration.format, (obj,), fields=registration.fields
        ),
        object_repr=force_str(obj),
    )
    for name in registration.follow:
        for related in getattr(obj, name).all():
            yield from _versions_of(related)


def _save_revisions(pending):
    """Write the kept revisions, their versions and ContentChanges, in bulk, and
    forget them. Both databases return the primary keys bulk_create inserts."""
    revisions = Revision.objects.bulk_create(
        Revision(
            date_created=kept.date_created,
            user=kept.user if kept.user is not None and kept.user.is_authenticated else None,
            comment=kept.comment or describe(kept.changed),
        )
        for kept in pending
    )
    versions = []
    with _links_read_at_once([kept.obj for kept in pending]):
        for revision, kept in zip(revisions, pending, strict=True):
            for version in _versions_of(kept.obj):
                version.revision = revision
                versions.append(version)
    Version.objects.bulk_create(versions, batch_size=REVISIONS_AT_ONCE)
    changes = ContentChange.objects.bulk_create(
        ContentChange(revision=revision, source=kept.source, changed=list(kept.changed))
        for revision, kept in zip(revisions, pending, strict=True)
    )
    for change in changes:  # as saving each would (it bumps the content version)
        post_save.send(
            ContentChange,
            instance=change,
            created=True,
            raw=False,
            using=change._state.db,
            update_fields=None,
        )
    pending.clear()


# Inside a batch, ``save_with_history`` keeps each revision (the same versions,
# user, comment and ContentChange that ``recorded`` would write) and writes
# them in bulk, a few hundred at a time and when the batch ends without an
# error. Registered with ``content.batch``.
_REVISIONS = batch.Noted("pending_revisions", list, _save_revisions)
deferred = _REVISIONS.deferred


def describe(changed):
    if not changed:
        return "Created"
    return "Changed " + ", ".join(label(name) for name in changed)


def label(name):
    return "Body" if name == BODY else name.replace("_", " ").capitalize()


# --- Reading the history ----------------------------------------------------------


@dataclass
class Entry:
    """One version of an item, as the history page lists it."""

    version: Version
    source: str
    changed: list  # labels
    state: dict  # schema.comparable of the item at this version

    @property
    def revision(self):
        return self.version.revision


def history_of(obj):
    """The item's versions, newest first."""
    kind = kind_for_model(type(obj))
    versions = (
        Version.objects.get_for_object(obj)
        .select_related("revision__user", "revision__content_change")
        .order_by("-revision__date_created", "-pk")
    )
    slugs = _Slugs()
    entries = []
    for version in versions:
        change = getattr(version.revision, "content_change", None)
        entries.append(
            Entry(
                version=version,
                source=change.get_source_display() if change else "Unknown",
                changed=[label(name) for name in change.changed] if change else [],
                state=state_at(kind, version, slugs),
            )
        )
    return entries


def state_at(kind, version, slugs=None):
    """``schema.comparable`` of the item as saved in ``version``."""
    saved = SavedItem(version, slugs or _Slugs())
    record = {key.name: record_value(key, saved) for key in kind.keys}
    if kind.body != "none":
        record["body"] = normalise_body(saved.field("body"))
    return comparable(kind, record, saved.field("slug"))


class SavedItem:
    """An item as saved in one version of the history, as ``schema.record_value`` reads it."""

    def __init__(self, version, slugs):
        self.version, self.fields, self.slugs = version, version.field_dict, slugs

    def field(self, name):
        return self.fields[name]

    def ref_slug(self, key):
        return self.slugs(key.target, self.fields[f"{key.name}_id"])

    def ref_slugs(self, key):
        return [self.slugs(key.target, pk) for pk in self.fields.get(key.name, [])]

    def weights(self):
        return {
            self.slugs("symptoms", link["symptom_id"]): link["weight"]
            for link in _weight_links(self.version)
        }


def _weight_links(version):
    content_type = ContentType.objects.get_for_model(CauseSymptom)
    for link in version.revision.version_set.filter(content_type=content_type):
        values = link.field_dict
        if str(values["cause_id"]) == str(version.object_id):
            yield values


class _Slugs:
    """The slug of an item by kind and primary key, one query per kind."""

    def __init__(self):
        self._by_kind = {}

    def __call__(self, kind_name, pk):
        if kind_name not in self._by_kind:
            model = KINDS[kind_name].model
            self._by_kind[kind_name] = dict(model.objects.values_list("pk", "slug"))
        if pk not in self._by_kind[kind_name]:  # deleted since: its last version knows
            model = KINDS[kind_name].model
            last = Version.objects.get_for_object_reference(model, pk).first()
            self._by_kind[kind_name][pk] = last.field_dict["slug"] if last else f"deleted-{pk}"
        return self._by_kind[kind_name][pk]


# --- Revert -----------------------------------------------------------------------


def check_stored_state(kind, obj, slug, state):
    """(record, messages): a stored state of ``obj`` (an old version, a draft) as
    ``slug``, checked by the rules of any edit against the site as it is now."""
    problems = Problems(default_line=0)
    data = {key.name: state[key.name] for key in kind.keys}
    record = check_item(kind, slug, data, state.get(BODY, ""), problems)
    catalogue = catalogue_after(kind, obj, slug, record.get("published", True))
    check_references(kind, record, catalogue, problems)
    messages = [problem.message for problem in problems]
    if obj.pk:  # a new item has no links to it to break
        messages += incoming_links_broken_by(kind, obj, catalogue)
    return record, messages


def revert(obj, version, user, write):
    """Make ``obj`` what it was at ``version``, as a recorded edit.

    The old state is checked by the same rules as any edit, against the site
    as it is now (an item it links to may have gone since). The slug stays.
    ``write(kind, obj, record, user=, source=, comment=)`` writes it (the
    sign-off's ``submit``, so a clinical revert waits for approval). Returns
    (what ``write`` returned, or None; the problems that stopped the revert).
    """
    kind = kind_for_model(type(obj))
    record, messages = check_stored_state(kind, obj, obj.slug, state_at(kind, version))
    if messages:
        return None, messages
    when = localtime(version.revision.date_created)
    with transaction.atomic():
        snapshots = gates.before_change([kind.name])
        written = write(
            kind,
            obj,
            record,
            source=Source.REVERT,
            user=user,
            comment=f"Reverted to the version of {when:%d %b %Y %H:%M}",
        )
        refusals = gates.after_change(snapshots).refusals
        if refusals:  # undo the revert: it would make the checker unsafe
            transaction.set_rollback(True)
            return None, [refusal.message for refusal in refusals]
    return written, []

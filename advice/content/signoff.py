"""Clinical sign-off: a change to an item's clinical keys waits as a draft until approved.

Draft and publish, as Wagtail does: the live rows always hold the approved
version, so the public pages, search, the sitemap and the checker never show
a change nobody has signed off. Which keys are clinical is declared once, in
``schema`` (``Key.clinical``, ``Kind.clinical_keys``).

An edit (admin save or revert) goes through ``submit()``: if its clinical keys
differ from the live item (or it creates an item of a kind with clinical
keys), it is kept as the item's ``ContentDraft`` and the live row is left
alone; otherwise it is applied at once and any draft is dropped. A user with
the ``approve_clinical_change`` permission, who did not write the draft,
approves it with ``approve()``: the draft is checked again by the content
rules and the gates, then written through the history like any other change.
If the live item changed since the draft was made (an import, another
approval), approval is refused until the draft is ``rebase()``d onto it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.timezone import localtime

from advice.models import ContentDraft

from . import gates
from .history import Source, changed_keys, check_stored_state, label, save_with_history
from .schema import KINDS, comparable, kind_for_model, record_from_instance

APPROVE_PERMISSION = "advice.approve_clinical_change"
AS_DRAFT = "saved as a draft awaiting clinical review; readers still see the approved version"
DRAFT_SAVED = f"{AS_DRAFT[0].upper()}{AS_DRAFT[1:]}."
NOT_BY_AUTHOR = "A change must be approved by someone other than its author."
CHANGED_SINCE_READ = (
    "The draft was saved again since you opened it: read it again before you approve it."
)


# --- Drafts ------------------------------------------------------------------------


def draft_of(obj, *, lock=False):
    """The draft of saved item ``obj``, or None."""
    kind = kind_for_model(type(obj))
    if obj.pk is None or not kind.clinical_keys:
        return None
    drafts = ContentDraft.objects.select_related("author")
    if lock and transaction.get_connection().in_atomic_block:
        drafts = drafts.select_for_update(of=("self",))  # not the (nullable) author
    return drafts.filter(kind=kind.name, object_pk=obj.pk).first()


def new_item_draft(kind, slug):
    """The draft of a new item of ``kind`` with ``slug``, or None."""
    return (
        ContentDraft.objects.select_related("author")
        .filter(kind=kind.name, object_pk=None, slug=slug)
        .first()
    )


def draft_state(draft):
    """``schema.comparable`` of the item as the draft has it."""
    return {"slug": draft.slug, **draft.record}


def draft_record(draft):
    """The draft as a record ``schema.apply_record`` can write (dates as dates)."""
    kind = KINDS[draft.kind]
    record = dict(draft.record)
    for key in kind.keys:
        if key.type == "date" and isinstance(record.get(key.name), str):
            record[key.name] = date.fromisoformat(record[key.name])
    return record


def live_state(kind, obj):
    """``schema.comparable`` of the live item ``obj`` as saved (None if it is gone)."""
    saved = kind.model.objects.filter(pk=obj.pk).first() if obj.pk else None
    if saved is None:
        return None
    return comparable(kind, record_from_instance(kind, saved), saved.slug)


def clinical_changes(kind, live, state):
    """The clinical keys whose values differ between two comparable states
    (all of them for a new item, ``live`` None)."""
    if live is None:
        return list(kind.clinical_keys)
    return [name for name in kind.clinical_keys if state.get(name) != live.get(name)]


def is_contributor(draft, user):
    return draft.contributors.filter(pk=user.pk).exists()


def may_approve(user):
    return user.has_perm(APPROVE_PERMISSION)


def describe_draft(draft):
    """'started by edna, last saved 21 Nov 2026 15:40' for banners and messages."""
    author = draft.author.get_username() if draft.author else "a deleted user"
    return f"started by {author}, last saved {localtime(draft.updated_at):%d %b %Y %H:%M}"


# --- Submitting an edit ------------------------------------------------------------


@dataclass
class Outcome:
    draft: ContentDraft | None = None  # the edit waits as this draft
    changed: list = field(default_factory=list)  # keys changed (live or in the draft)


def submit(kind, obj, record, *, user, source=Source.ADMIN, comment=""):
    """Apply an edit of ``obj`` (``obj.slug`` its new slug), or keep it as a draft.

    The edit has passed the content rules and the gates already.
    """
    with transaction.atomic():
        live = live_state(kind, obj)
        state = comparable(kind, record, obj.slug)
        draft = draft_of(obj, lock=True) if obj.pk else new_item_draft(kind, obj.slug)
        waiting = clinical_changes(kind, live, state) if kind.clinical_keys else []
        if not waiting:
            if draft is not None:
                draft.delete()  # nothing clinical left to sign off
            changed = save_with_history(
                kind, obj, record, source=source, user=user, comment=comment
            )
            return Outcome(changed=changed)
        if draft is None:
            draft = ContentDraft(kind=kind.name, object_pk=obj.pk, base=live, author=user)
        draft.slug = obj.slug
        draft.record = {name: value for name, value in state.items() if name != "slug"}
        draft.changed = waiting
        draft.returned_note = ""
        draft.save()
        draft.contributors.add(user)
        return Outcome(draft=draft, changed=changed_keys(live, state))


# --- Approving ---------------------------------------------------------------------


@dataclass
class Verdict:
    """What ``approve()`` did: approved, or why not."""

    approved: bool = False
    problems: list = field(default_factory=list)  # messages
    conflict: list = field(default_factory=list)  # keys the live item changed since the draft
    notices: list = field(default_factory=list)  # what the change does to the checker
    obj: object = None  # the live item, once approved


def base_changes(draft):
    """The keys the live item changed since the draft was made ([] if none).

    ``None`` in the list means the item itself appeared or disappeared: it was
    deleted since, or (for a new item) one with the draft's slug was created.
    """
    kind = KINDS[draft.kind]
    if draft.object_pk is None:
        return [None] if kind.model.objects.filter(slug=draft.slug).exists() else []
    live = live_state(kind, kind.model(pk=draft.object_pk))
    if live is None:
        return [None]
    return changed_keys(draft.base, live)


def seen_token(draft):
    """What the review page was showing: any later save of the draft changes it."""
    return draft.updated_at.isoformat()


def approve(draft, user, seen):
    """Apply ``draft`` to the live item, recorded as an approval; returns a Verdict.

    ``seen`` is the ``seen_token()`` of the draft the reviewer read: if an
    editor saved it since, the reviewer has not read what would go live.
    """
    if not may_approve(user):
        return Verdict(problems=["You do not have permission to approve clinical changes."])
    with transaction.atomic():
        current = ContentDraft.objects.select_for_update(of=("self",)).filter(pk=draft.pk)
        draft = current.first()
        if draft is None or seen_token(draft) != seen:
            return Verdict(problems=[CHANGED_SINCE_READ])
        return _approve_locked(draft, user)


def _approve_locked(draft, user):
    if is_contributor(draft, user):
        return Verdict(problems=[NOT_BY_AUTHOR])
    conflict = base_changes(draft)
    if conflict:
        return Verdict(conflict=conflict)
    kind = KINDS[draft.kind]
    obj = (
        kind.model.objects.get(pk=draft.object_pk)
        if draft.object_pk
        else kind.model(slug=draft.slug)
    )
    record, problems = _checked(kind, obj, draft)
    if problems:
        return Verdict(problems=problems)
    authors = ", ".join(sorted(u.get_username() for u in draft.contributors.all()))
    obj.slug = draft.slug
    with transaction.atomic():
        snapshots = gates.before_change([kind.name])
        save_with_history(
            kind,
            obj,
            record,
            source=Source.APPROVAL,
            user=user,
            comment=f"Changed by {authors or 'a deleted user'}, approved by {user.get_username()}",
        )
        verdict = gates.after_change(snapshots)
        if verdict.refusals:  # the site changed since the draft passed the gates
            transaction.set_rollback(True)
            return Verdict(problems=[refusal.message for refusal in verdict.refusals])
        draft.delete()
    return Verdict(approved=True, notices=verdict.notices, obj=obj)


def _checked(kind, obj, draft):
    """The draft's record checked again by the content rules, against the site as it is."""
    return check_stored_state(kind, obj, draft.slug, draft_state(draft))


def rebase(draft):
    """Put ``draft``'s own changes on top of the live item as it is now.

    Returns the keys both the live item and the draft changed (the draft's
    version is kept for them, and the reviewer sees both in the diff).
    """
    kind = KINDS[draft.kind]
    if draft.object_pk is None:
        return []  # a new item has no live version to build on
    live = live_state(kind, kind.model(pk=draft.object_pk))
    if live is None:
        return []
    mine = changed_keys(draft.base, draft_state(draft))
    theirs = changed_keys(draft.base, live)
    state = {**live, **{name: draft_state(draft)[name] for name in mine}}
    draft.base = live
    draft.slug = state["slug"]
    draft.record = {name: value for name, value in state.items() if name != "slug"}
    draft.changed = clinical_changes(kind, live, state)
    draft.save()
    return [name for name in theirs if name in mine]


def return_to_editor(draft, note):
    draft.returned_note = note
    draft.save(update_fields=["returned_note", "updated_at"])


def labels(names):
    """Readable names of record keys (None: the item itself)."""
    return [label(name) if name else "the item itself (deleted or created since)" for name in names]


# --- Lists ---------------------------------------------------------------------------


def with_signoff(queryset):
    """``queryset`` of one kind's items, each with ``awaiting_signoff`` (has a draft)."""
    kind = kind_for_model(queryset.model)
    drafts = ContentDraft.objects.filter(kind=kind.name, object_pk=OuterRef("pk"))
    return queryset.annotate(awaiting_signoff=Exists(drafts))


def awaiting():
    """Every draft, oldest first, with its author."""
    return ContentDraft.objects.select_related("author").order_by("created_at", "pk")


def drop_draft(obj):
    """Forget the draft of ``obj`` (it is being deleted)."""
    kind = kind_for_model(type(obj))
    ContentDraft.objects.filter(kind=kind.name, object_pk=obj.pk).delete()

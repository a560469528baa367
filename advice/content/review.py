"""The review schedule: which items are overdue, due soon or awaiting sign-off, by owner.

Every item with review dates names its ``owner`` and ``clinical_reviewer``
(content keys, so the names come from the files). The admin's review
dashboard, its CSV download and ``manage.py review_due`` all show the rows
built here, so they always agree. A draft awaiting clinical sign-off is
listed under the owner its draft names.
"""

import csv
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db import models
from django.utils.timezone import localtime

from .schema import KIND_ORDER, KINDS
from .signoff import awaiting, draft_record, labels

DUE_SOON_DAYS = 30


class Status(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due-soon", f"Due within {DUE_SOON_DAYS} days"
    AWAITING = "awaiting-signoff", "Awaiting clinical sign-off"


# What a row shows of an item (for a draft, what the draft says).
REVIEW_FIELDS = ("title", "owner", "clinical_reviewer", "last_reviewed", "next_review", "published")


@dataclass(frozen=True)
class DueItem:
    kind: str  # the kind's folder name, e.g. "causes"
    obj: object  # for a draft, an unsaved item holding the draft's REVIEW_FIELDS
    status: Status
    draft: object = None  # the ContentDraft awaiting sign-off

    @property
    def owner(self):
        return self.obj.owner

    @property
    def kind_label(self):
        return KINDS[self.kind].model._meta.verbose_name.capitalize()


def reviewed_kinds():
    return [KINDS[name] for name in KIND_ORDER if _has_review_dates(KINDS[name].model)]


def _has_review_dates(model):
    return any(field.name == "next_review" for field in model._meta.get_fields())


def worklist(today):
    """What the dashboard lists: due_for_review(today), then awaiting_signoff(), by owner."""
    order = list(Status)
    return sorted(
        due_for_review(today) + awaiting_signoff(),
        key=lambda item: (item.owner.casefold(), order.index(item.status)),
    )


def awaiting_signoff():
    """Every draft awaiting clinical sign-off, oldest first."""
    items = []
    for draft in awaiting():
        kind = KINDS[draft.kind]
        record = draft_record(draft)
        obj = kind.model(
            pk=draft.object_pk,
            slug=draft.slug,
            **{name: record[name] for name in REVIEW_FIELDS},
        )
        items.append(DueItem(kind.name, obj, Status.AWAITING, draft))
    return items


def review_status(next_review, today):
    """OVERDUE (due today or before), DUE_SOON (within DUE_SOON_DAYS) or None."""
    if next_review <= today:
        return Status.OVERDUE
    if next_review <= today + timedelta(days=DUE_SOON_DAYS):
        return Status.DUE_SOON
    return None


def due_for_review(today):
    """Every item overdue (due today or before) or due within DUE_SOON_DAYS, by owner.

    Sorted by owner, then overdue before due soon, then by due date.
    """
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    items = [
        DueItem(kind.name, obj, review_status(obj.next_review, today))
        for kind in reviewed_kinds()
        for obj in kind.model.objects.due_for_review(horizon).order_by()
    ]
    order = list(Status)
    return sorted(
        items,
        key=lambda item: (
            item.owner.casefold(),
            order.index(item.status),
            item.obj.next_review,
            item.obj.title,
        ),
    )


def by_owner(items):
    """[(owner, [DueItem])] for items sorted as due_for_review sorts them."""
    return [(owner, list(group)) for owner, group in groupby(items, key=lambda item: item.owner)]


def count(items, status):
    return sum(1 for item in items if item.status == status)


COLUMNS = (
    "Owner",
    "Status",
    "Next review",
    "Kind",
    "Title",
    "Slug",
    "Clinical reviewer",
    "Last reviewed",
    "Published",
    "Draft by",
    "Draft since",
    "Clinical changes",
)


def row(item):
    """The plain values of one item, in the order of COLUMNS."""
    obj = item.obj
    return (
        item.owner,
        item.status.label,
        obj.next_review.isoformat(),
        item.kind_label,
        obj.title,
        obj.slug,
        obj.clinical_reviewer,
        obj.last_reviewed.isoformat(),
        "yes" if obj.published else "no",
        *(_draft_values(item.draft) if item.draft else ("", "", "")),
    )


def _draft_values(draft):
    author = draft.author.get_username() if draft.author else ""
    return (
        author,
        localtime(draft.updated_at).isoformat(timespec="minutes"),
        ", ".join(labels(draft.changed)),
    )


def write_csv(items, stream):
    """The items as CSV, one row each, with COLUMNS as the header."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows([_spreadsheet_safe(value) for value in row(item)] for item in items)


def _spreadsheet_safe(value):
    # A cell that starts like a formula is run by spreadsheets: keep it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

"""The review schedule: which items are overdue or due soon, by owner.

Every item with review dates names its ``owner`` and ``clinical_reviewer``
(content keys, so the names come from the files). The admin's review
dashboard, its CSV download and ``manage.py review_due`` all show the rows
built here, so they always agree.
"""

import csv
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db import models

from .schema import KIND_ORDER, KINDS

DUE_SOON_DAYS = 30


class Status(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due-soon", f"Due within {DUE_SOON_DAYS} days"


@dataclass(frozen=True)
class DueItem:
    kind: str  # the kind's folder name, e.g. "causes"
    obj: object
    status: Status

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


def due_for_review(today):
    """Every item overdue (due today or before) or due within DUE_SOON_DAYS, by owner.

    Sorted by owner, then overdue before due soon, then by due date.
    """
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    items = [
        DueItem(kind.name, obj, Status.OVERDUE if obj.next_review <= today else Status.DUE_SOON)
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
    )


def write_csv(items, stream):
    """The items as CSV, one row each, with COLUMNS as the header."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows([_spreadsheet_safe(value) for value in row(item)] for item in items)


def _spreadsheet_safe(value):
    # A cell that starts like a formula is run by spreadsheets: keep it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

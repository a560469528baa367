"""The admin's review dashboard: what is overdue, due soon or awaiting sign-off, by owner,
also as CSV."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .admin_signoff import review_url
from .content.review import (
    COLUMNS,
    DUE_SOON_DAYS,
    Status,
    by_owner,
    count,
    row,
    worklist,
    write_csv,
)


@require_safe
def review_dashboard(request):
    # It lists drafts awaiting sign-off, with their authors: for those who may see drafts.
    if not request.user.has_perm("advice.view_contentdraft"):
        raise PermissionDenied
    today = timezone.localdate()
    items = worklist(today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="review-due-{today}.csv"'
        write_csv(items, response)
        return response
    groups = [
        (owner, [(item, row(item), _change_url(item)) for item in owner_items])
        for owner, owner_items in by_owner(items)
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Reviews due",
        "today": today,
        "groups": groups,
        "columns": COLUMNS[1:],  # the owner heads each table
        "overdue": count(items, Status.OVERDUE),
        "due_soon": count(items, Status.DUE_SOON),
        "due_soon_label": Status.DUE_SOON.label,
        "due_soon_days": DUE_SOON_DAYS,
        "awaiting": count(items, Status.AWAITING),
        "awaiting_label": Status.AWAITING.label,
    }
    return TemplateResponse(request, "admin/advice/review_dashboard.html", context)


def _change_url(item):
    if item.draft:  # its "Review and approve" page
        return review_url(item.draft)
    opts = item.obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.obj.pk])

"""The admin's history pages: every version of an item, a diff of any two, and revert."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from .content.comparison import compare
from .content.history import history_of, revert
from .content.signoff import AS_DRAFT, draft_of, submit


class HistoryAdminMixin:
    """History with who, when, where from and what changed; compare; revert."""

    object_history_template = "admin/advice/object_history.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(require_POST(self.revert_view)),
                name=f"{prefix}_revert",
            ),
            *super().get_urls(),
        ]

    def _url(self, view, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}", args=args)

    def _history_object(self, request, object_id, permission):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such item.")
        if not permission(request, obj):
            raise PermissionDenied
        return obj, history_of(obj)

    def history_view(self, request, object_id, extra_context=None):
        obj, entries = self._history_object(request, object_id, self.has_view_or_change_permission)
        for entry in entries:
            entry.revert_url = self._url("revert", obj.pk, entry.version.pk)
        context = {
            "entries": entries,
            "compare_url": self._url("compare", obj.pk),
            "can_revert": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj, entries = self._history_object(request, object_id, self.has_view_or_change_permission)
        by_id = {str(entry.version.pk): entry for entry in entries}
        newer = by_id.get(request.GET.get("to", "")) or (entries[0] if entries else None)
        older = by_id.get(request.GET.get("from", ""))
        if older is None and newer is not None:
            position = entries.index(newer)
            older = entries[position + 1] if position + 1 < len(entries) else None
        if newer is None or older is None:
            self.message_user(request, "Choose two versions to compare.", messages.WARNING)
            return redirect(self._url("history", obj.pk))
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        fields, body = compare(older.state, newer.state)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": self.opts.verbose_name_plural.capitalize(),
            "older": older,
            "newer": newer,
            "fields": fields,
            "body": [(line[:1], line) for line in body],
            "history_url": self._url("history", obj.pk),
            "can_revert": self.has_change_permission(request, obj),
            "revert_url": self._url("revert", obj.pk, older.version.pk),
        }
        return TemplateResponse(request, "admin/advice/compare_versions.html", context)

    def revert_view(self, request, object_id, version_id):
        obj, entries = self._history_object(request, object_id, self.has_change_permission)
        entry = next((entry for entry in entries if entry.version.pk == version_id), None)
        if entry is None:
            raise Http404("No such version of this item.")
        if draft_of(obj) is not None:
            # A revert is compared with the live item, not the draft: saved, it
            # would replace or drop another editor's change awaiting sign-off.
            self.message_user(
                request,
                f"{obj} was not reverted: it has a change awaiting clinical review. "
                "Approve, return or discard that first, so that it is not lost.",
                messages.ERROR,
            )
            return redirect(self._url("history", obj.pk))
        outcome, problems = revert(obj, entry.version, request.user, write=submit)
        when = localtime(entry.revision.date_created)
        if problems:
            self.message_user(
                request,
                format_html_join(
                    "", "{}<br>", [("The item was not reverted:",)] + [(p,) for p in problems]
                ),
                messages.ERROR,
            )
            return redirect(self._url("history", obj.pk))
        version = f"the version of {when:%d %b %Y %H:%M}"
        if outcome.draft:  # a clinical change: it waits for sign-off like any other
            message = f"{obj}: {version} was {AS_DRAFT}."
        else:
            message = f"{obj} was reverted to {version}."
        self.message_user(request, message, messages.SUCCESS)
        return redirect(self._url("change", obj.pk))

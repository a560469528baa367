"""The admin's clinical sign-off: drafts awaiting review, and the page that approves them.

Views over ``content/signoff.py``. The "Review and approve" page shows the
difference between the live item and its draft (the history's own compare)
with Approve, Return to editor and Discard; when the live item changed since
the draft was made, it shows how, and offers to rebase the draft onto it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from .content.comparison import compare
from .content.forms import draft_initial
from .content.schema import KINDS, kind_for_model
from .content.signoff import (
    NOT_BY_AUTHOR,
    approve,
    base_changes,
    describe_draft,
    draft_of,
    draft_state,
    is_contributor,
    labels,
    live_state,
    may_approve,
    rebase,
    return_to_editor,
    seen_token,
)
from .models import ContentDraft

RETURNED_NOTE_MAX = 2000
MAX_ID_DIGITS = 18  # a larger number overflows a 64-bit id column


def review_url(draft):
    return reverse("admin:advice_contentdraft_change", args=[draft.pk])


def edit_url(draft):
    """Where the draft is edited: the item's change form, or for a new item the add form."""
    opts = KINDS[draft.kind].model._meta
    if draft.object_pk:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[draft.object_pk])
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_add") + f"?draft={draft.pk}"


def draft_banner(obj):
    """The message over a change form showing a draft, or None if the item has none."""
    draft = draft_of(obj)
    if draft is None:
        return None
    banner = format_html(
        "This form shows a draft awaiting clinical review ({}): readers still see the "
        'approved version. <a href="{}">Compare it with the live version</a>.',
        describe_draft(draft),
        review_url(draft),
    )
    if draft.returned_note:
        banner = format_html("{} Returned to the editor: {}", banner, draft.returned_note)
    return banner


def new_item_draft_initial(model_admin, request):
    """The add form's initial data for ``?draft=<id>``, a new item awaiting sign-off."""
    draft_id = request.GET.get("draft", "")
    if not (draft_id.isascii() and draft_id.isdigit() and len(draft_id) <= MAX_ID_DIGITS):
        return None  # not an id any draft can have: the plain add form
    kind = kind_for_model(model_admin.model)
    draft = ContentDraft.objects.filter(pk=draft_id, kind=kind.name, object_pk=None).first()
    if draft is None:
        return None
    return draft_initial(model_admin.get_form(request), None, draft)


class SignoffFilter(admin.SimpleListFilter):
    title = "sign-off"
    parameter_name = "signoff"
    AWAITING, APPROVED = "awaiting", "approved"
    LABELS = {AWAITING: "Awaiting clinical review", APPROVED: "Approved"}

    @classmethod
    def label(cls, awaiting):
        return cls.LABELS[cls.AWAITING if awaiting else cls.APPROVED]

    def lookups(self, request, model_admin):
        return list(self.LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in self.LABELS:
            return queryset.filter(awaiting_signoff=self.value() == self.AWAITING)
        return queryset


@admin.register(ContentDraft)
class ContentDraftAdmin(admin.ModelAdmin):
    """Drafts awaiting sign-off; each one's change page is its "Review and approve" page."""

    list_display = ["title", "kind", "author", "updated_at", "changes"]
    list_filter = ["kind"]
    list_select_related = ["author"]
    ordering = ["created_at"]

    @admin.display(description="Clinical changes")
    def changes(self, draft):
        return ", ".join(labels(draft.changed))

    def has_add_permission(self, request):
        return False  # drafts come from editing an item

    def has_delete_permission(self, request, obj=None):
        return False  # "Discard" below, which says who may

    def get_urls(self):
        views = {"approve": self.approve_view, "discard": self.discard_view}
        views |= {"return": self.return_view, "rebase": self.rebase_view}
        return [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(require_POST(view)),
                name=f"advice_contentdraft_{name}",
            )
            for name, view in views.items()
        ] + super().get_urls()

    def _draft(self, request, object_id):
        draft = self.get_object(request, object_id)
        if draft is None:
            raise Http404("No such draft: it may have been approved or discarded.")
        if not self.has_view_or_change_permission(request, draft):
            raise PermissionDenied
        return draft

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self._draft(request, object_id)
        kind = KINDS[draft.kind]
        live = live_state(kind, kind.model(pk=draft.object_pk)) if draft.object_pk else None
        fields, body = compare(live or {}, draft_state(draft))
        conflict = base_changes(draft)
        since = compare(draft.base, live) if conflict and live is not None else ([], [])
        contributor = is_contributor(draft, request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review and approve: {draft.title}",
            "subtitle": None,
            "opts": self.opts,
            "draft": draft,
            "kind": kind.model._meta.verbose_name,
            "is_new": draft.object_pk is None,
            "saved": describe_draft(draft),
            "changed": labels(draft.changed),
            "fields": fields,
            "body": [(line[:1], line) for line in body],
            "conflict": labels(conflict),
            "since_fields": since[0],
            "since_body": [(line[:1], line) for line in since[1]],
            "edit_url": edit_url(draft),
            "may_approve": may_approve(request.user),
            "is_contributor": contributor,
            "not_by_author": NOT_BY_AUTHOR,
            "may_discard": contributor or may_approve(request.user),
            "may_rebase": self.has_change_permission(request, draft),
            "returned_note_max": RETURNED_NOTE_MAX,
            "seen": seen_token(draft),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/advice/review_draft.html", context)

    def approve_view(self, request, object_id):
        draft = self._draft(request, object_id)
        if not may_approve(request.user):
            raise PermissionDenied
        verdict = approve(draft, request.user, seen=request.POST.get("seen", ""))
        if verdict.conflict and draft.object_pk is None:
            self.message_user(
                request,
                f"Not approved: an item with the slug {draft.slug} was created since this "
                "draft was made. Discard the draft, or add it again under another slug.",
                messages.ERROR,
            )
        elif verdict.conflict:
            self.message_user(
                request,
                "Not approved: the live item changed since this draft was made ("
                + ", ".join(labels(verdict.conflict))
                + "). Rebase the draft onto it, check the difference, then approve.",
                messages.ERROR,
            )
        elif verdict.problems:
            self.message_user(
                request,
                format_html_join(
                    "", "{}<br>", [("Not approved:",)] + [(p,) for p in verdict.problems]
                ),
                messages.ERROR,
            )
        if not verdict.approved:
            return redirect(review_url(draft))
        message = f"Approved: readers now see the new version of {verdict.obj}."
        self.message_user(request, message, messages.SUCCESS)
        for notice in verdict.notices:
            self.message_user(request, f"The checker's answers change: {notice}.", messages.INFO)
        return redirect(reverse("admin:advice_contentdraft_changelist"))

    def return_view(self, request, object_id):
        draft = self._draft(request, object_id)
        if not may_approve(request.user):
            raise PermissionDenied
        note = request.POST.get("note", "").strip()[:RETURNED_NOTE_MAX]
        if not note:
            self.message_user(request, "Say what the editor should change.", messages.ERROR)
            return redirect(review_url(draft))
        return_to_editor(draft, note)
        self.message_user(request, "Returned to the editor with your note.", messages.SUCCESS)
        return redirect(reverse("admin:advice_contentdraft_changelist"))

    def discard_view(self, request, object_id):
        draft = self._draft(request, object_id)
        if not (is_contributor(draft, request.user) or may_approve(request.user)):
            raise PermissionDenied
        draft.delete()
        self.message_user(request, f"The draft of {draft.title} was discarded.", messages.SUCCESS)
        return redirect(reverse("admin:advice_contentdraft_changelist"))

    def rebase_view(self, request, object_id):
        draft = self._draft(request, object_id)
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        both = rebase(draft)
        message = "The draft now builds on the live version; check the difference below."
        if both:
            message += (
                f" Both the live item and the draft changed {', '.join(labels(both))}: "
                "the draft's version is kept."
            )
        self.message_user(request, message, messages.WARNING if both else messages.SUCCESS)
        return redirect(review_url(draft))

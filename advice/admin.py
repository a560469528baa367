"""The editors' admin: every content type, with the checks the import makes."""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .admin_history import HistoryAdminMixin
from .admin_preview import PreviewAdminMixin
from .admin_signoff import SignoffFilter, draft_banner, new_item_draft_initial, review_url
from .content import gates
from .content.catalogue import links_broken_by_change
from .content.forms import (
    CauseForm,
    ContentItemForm,
    RemedyForm,
    RunningStageForm,
    TriageRuleForm,
)
from .content.history import label
from .content.review import DUE_SOON_DAYS, Status, review_status
from .content.schema import kind_for_model, record_from_instance
from .content.signoff import AS_DRAFT, DRAFT_SAVED, drop_draft, may_approve, submit, with_signoff
from .models import (
    FAQ,
    Article,
    Cause,
    Page,
    Remedy,
    RunningStage,
    Symptom,
    Synonym,
    Topic,
    TriageRule,
)

# For kinds with a page of their own: the body, and the page as readers will see it.
BODY_FIELDSET = ("Body", {"fields": ["body", "live_preview"]})
CHECKER_FIELDSET = ("Symptom checker", {"fields": ["confirm_changes"]})
REVIEW_FIELDSET = (
    "Review and sources",
    {
        "fields": [
            "owner",
            "clinical_reviewer",
            "last_reviewed",
            "next_review",
            "sources",
            "fact_origin",
            "source_check",
            "updated_at",
        ],
        "description": "Sources: one per line, written Title | Publisher | Year | https://address. "
        "Readers see them as the page's reference list. 'Fact origin' and 'Source check' are "
        "for editors only.",
    },
)


class RecordSavingAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Saves what the form's rules returned, through the import's own writer.

    The form has already checked the edit with the content rules and kept the
    resulting record; writing that record (fields and relations together)
    means the admin and the import store an item in exactly the same way.
    Each save is recorded in the item's history with the keys it changed.
    """

    form = ContentItemForm

    def get_fieldsets(self, request, obj=None):
        # The hidden version the form started from rides in the first fieldset.
        fieldsets = super().get_fieldsets(request, obj)
        (name, options), *rest = fieldsets
        fields = [field for field in options["fields"] if field != "edit_base"]
        return [(name, {**options, "fields": [*fields, "edit_base"]}), *rest]

    # An item's slug is its page's address and its file's name in content/, and
    # the import and export match files to items by it: renamed here, the old
    # file would bring the old item back on the next import. So it is fixed once
    # the item exists; to move a page, add the new item and unpublish the old.
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "slug"] if obj is not None else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        # A change to clinical keys waits as a draft for sign-off; the rest applies now.
        outcome = submit(kind_for_model(type(obj)), obj, form.record, user=request.user)
        form.changed_keys = outcome.changed
        obj.signoff_draft = outcome.draft

    def construct_change_message(self, request, form, formsets, add=False):
        # What the record says changed, not which form fields were touched.
        if add or not hasattr(form, "changed_keys"):
            return super().construct_change_message(request, form, formsets, add)
        return [{"changed": {"fields": [label(name) for name in form.changed_keys]}}]

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # relations were written with the record
            self.save_formset(request, form, formset, change)

    # A draft changed nothing readers see: the history records it when approved.
    def log_addition(self, request, obj, message):
        if not getattr(obj, "signoff_draft", None):
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not getattr(obj, "signoff_draft", None):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        draft = getattr(obj, "signoff_draft", None)
        if draft is None:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, DRAFT_SAVED, messages.SUCCESS)
        return redirect(review_url(draft))

    def response_change(self, request, obj):
        if getattr(obj, "signoff_draft", None) is None:
            return super().response_change(request, obj)
        self.message_user(request, DRAFT_SAVED, messages.SUCCESS)
        opts = self.opts
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":  # the form shows the draft: say so
            obj = self.get_object(request, unquote(object_id))
            banner = draft_banner(obj) if obj is not None else None
            if banner:
                self.message_user(request, banner, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        # A new item awaiting sign-off is edited in the add form (?draft=<its id>).
        initial = new_item_draft_initial(self, request)
        return initial if initial is not None else super().get_changeform_initial_data(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting an item readers rely on is a clinical change too.
        if not super().has_delete_permission(request, obj):
            return False
        return not kind_for_model(self.model).clinical_keys or may_approve(request.user)

    def delete_model(self, request, obj):
        drop_draft(obj)
        super().delete_model(request, obj)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", Status.OVERDUE.label), ("month", f"{Status.OVERDUE.label} or due soon")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.due_for_review(today)
        if self.value() == "month":
            return queryset.due_for_review(today + timedelta(days=DUE_SOON_DAYS))
        return queryset


class ContentAdmin(RecordSavingAdmin):
    """Shared set-up for everything with a markdown body and review dates."""

    list_display = ["title", "slug", "published", "last_reviewed", "next_review", "review_status"]
    list_filter = ["published", ReviewDueFilter]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered_preview", "updated_at"]
    actions = ["publish", "unpublish"]
    date_hierarchy = "next_review"
    save_on_top = True

    def get_queryset(self, request):
        return with_signoff(super().get_queryset(request))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "signoff_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), SignoffFilter]

    @admin.display(description="Sign-off", ordering="awaiting_signoff")
    def signoff_status(self, obj):
        return SignoffFilter.label(obj.awaiting_signoff)

    @admin.display(description="Review")
    def review_status(self, obj):
        status = review_status(obj.next_review, timezone.localdate())
        if status is Status.OVERDUE:
            return format_html("<strong>{}</strong>", status.label)
        return status.label if status else "Up to date"

    @admin.display(description="Preview of the saved body")
    def rendered_preview(self, obj):
        # body_html was sanitised by nh3 when it was saved.
        return mark_safe(obj.body_html) if obj.body_html else "(saved body appears here)"

    def get_actions(self, request):
        # Bulk delete would skip the check for links to the deleted items.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Publish selected items", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected items", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        changed = drafted = 0
        kind = kind_for_model(self.model)
        for obj in queryset:
            broken = links_broken_by_change(obj, obj.slug, published)
            if broken:
                self.message_user(
                    request, f"{obj} was not changed: {'; '.join(broken)}.", messages.ERROR
                )
                continue
            if obj.awaiting_signoff:
                self.message_user(
                    request,
                    f"{obj} was not changed: it has a draft awaiting clinical review; "
                    "change it in the draft.",
                    messages.ERROR,
                )
                continue
            record = {**record_from_instance(kind, obj), "published": published}
            outcome = submit(kind, obj, record, user=request.user)
            if outcome.draft:
                drafted += 1
            elif outcome.changed:
                changed += 1
        state = "published" if published else "unpublished"
        if changed or not drafted:
            self.message_user(request, f"{changed} item(s) {state}.", messages.SUCCESS)
        if drafted:
            self.message_user(request, f"{drafted} item(s) {AS_DRAFT}.", messages.SUCCESS)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        refusals = self._refusals_of_deleting(obj) if obj else []
        if refusals:
            for message in refusals:
                self.message_user(request, message, messages.ERROR)
            opts = self.opts
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def _refusals_of_deleting(self, obj):
        """Why ``obj`` must not be deleted: pages link to it, or a gate (the checker's
        safety vignettes) refuses the site without it. Asked with the deletion tried
        in a transaction that is undone."""
        broken = links_broken_by_change(obj, None, False)
        if broken:
            links = "; ".join(broken)
            return [
                f"{obj} cannot be deleted while other pages link to it: {links}. "
                "Change those links first."
            ]
        kind = kind_for_model(self.model)
        verdict = gates.trial([kind.name], type(obj).objects.filter(pk=obj.pk).delete)
        return [f"{obj} cannot be deleted: {refusal.message}." for refusal in verdict.refusals]


@admin.register(Topic)
class TopicAdmin(RecordSavingAdmin):
    # No list_editable: the changelist's own form would skip the content rules and
    # the edit-conflict check that every save goes through (the change form).
    list_display = ["title", "slug", "order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Synonym)
class SynonymAdmin(RecordSavingAdmin):
    list_display = ["slug", "words", "means"]
    search_fields = ["slug", "words", "means"]
    fields = ["slug", "words", "means"]


@admin.register(Symptom)
class SymptomAdmin(ContentAdmin):
    list_display = ["title", "slug", "group", "order", "care_level", "published", "next_review"]
    list_filter = ["group", "care_level", "published", ReviewDueFilter]
    search_fields = ["title", "slug", "hint", "summary"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "hint",
                    "group",
                    "order",
                    "care_level",
                    "published",
                ]
            },
        ),
        ("Body", {"fields": ["body", "rendered_preview"], "classes": ["collapse"]}),
        REVIEW_FIELDSET,
        CHECKER_FIELDSET,
    ]


@admin.register(Cause)
class CauseAdmin(PreviewAdminMixin, ContentAdmin):
    form = CauseForm
    autocomplete_fields = ["remedies"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "also_known_as",
                    "order",
                    "recovery_time",
                    "published",
                ]
            },
        ),
        BODY_FIELDSET,
        ("Symptoms", {"fields": ["symptom_weights"]}),
        (
            "Care cards",
            {
                "fields": [
                    "care_non_urgent",
                    "care_urgent",
                    "care_emergency",
                    "care_when_likely",
                    "acute_injury",
                    "ages",
                ]
            },
        ),
        ("Remedies", {"fields": ["remedies"]}),
        REVIEW_FIELDSET,
        CHECKER_FIELDSET,
    ]


@admin.register(Remedy)
class RemedyAdmin(PreviewAdminMixin, ContentAdmin):
    form = RemedyForm
    list_display = [
        "title",
        "slug",
        "kind",
        "published",
        "last_reviewed",
        "next_review",
        "review_status",
    ]
    list_filter = ["kind", "published", ReviewDueFilter]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "action",
                    "kind",
                    "order",
                    "phases",
                    "avoid_phases",
                    "cautions",
                    "published",
                ]
            },
        ),
        ("Illustration", {"fields": ["illustration", "illustration_alt"]}),
        BODY_FIELDSET,
        REVIEW_FIELDSET,
    ]


@admin.register(Article)
class ArticleAdmin(PreviewAdminMixin, ContentAdmin):
    list_display = [
        "title",
        "slug",
        "topic",
        "featured",
        "published",
        "next_review",
        "review_status",
    ]
    list_filter = ["topic", "featured", "published", ReviewDueFilter]
    list_select_related = ["topic"]
    autocomplete_fields = ["topic", "causes", "remedies"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "featured", "published"]}),
        BODY_FIELDSET,
        ("Discusses", {"fields": ["causes", "remedies"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(FAQ)
class FAQAdmin(ContentAdmin):
    list_display = [
        "title",
        "slug",
        "topic",
        "order",
        "popular",
        "published",
        "next_review",
        "review_status",
    ]
    list_filter = ["topic", "popular", "published", ReviewDueFilter]
    list_select_related = ["topic"]
    autocomplete_fields = ["topic", "causes"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "order", "popular", "published"]}),
        ("Answer", {"fields": ["body", "rendered_preview"]}),
        ("Related causes", {"fields": ["causes"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, ContentAdmin):
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "published"]}),
        BODY_FIELDSET,
        REVIEW_FIELDSET,
    ]


@admin.register(RunningStage)
class RunningStageAdmin(ContentAdmin):
    form = RunningStageForm
    list_display = ["title", "order", "published", "next_review", "review_status"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "order", "aim", "pain_rule", "published"]}),
        ("Checks to move on", {"fields": ["checks"]}),
        ("Exercises", {"fields": ["exercises"]}),
        ("Body", {"fields": ["body", "rendered_preview"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(TriageRule)
class TriageRuleAdmin(ContentAdmin):
    form = TriageRuleForm
    list_display = ["title", "level", "order", "published", "next_review", "review_status"]
    list_filter = ["level", "published", ReviewDueFilter]
    search_fields = ["title", "slug", "reason", "summary"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "level", "reason", "when", "order"]}),
        ("Why this rule exists", {"fields": ["body", "rendered_preview", "published"]}),
        REVIEW_FIELDSET,
        CHECKER_FIELDSET,
    ]

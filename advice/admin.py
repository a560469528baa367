"""The editors' admin: every content type, with the checks the import makes."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .content.forms import ContentItemForm, RemedyForm
from .models import FAQ, Article, Cause, CauseSymptom, Page, Remedy, Symptom, Topic

BODY_FIELDSET = ("Body", {"fields": ["body", "rendered_preview"]})
REVIEW_FIELDSET = ("Review", {"fields": ["last_reviewed", "next_review", "sources", "updated_at"]})


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due or overdue"), ("month", "Due within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.due_for_review(today)
        if self.value() == "month":
            return queryset.due_for_review(today + timezone.timedelta(days=30))
        return queryset


class ContentAdmin(admin.ModelAdmin):
    """Shared set-up for everything with a markdown body and review dates."""

    form = ContentItemForm
    list_display = ["title", "slug", "published", "last_reviewed", "next_review", "review_status"]
    list_filter = ["published", ReviewDueFilter]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered_preview", "updated_at"]
    actions = ["publish", "unpublish"]
    date_hierarchy = "next_review"
    save_on_top = True

    @admin.display(description="Review")
    def review_status(self, obj):
        if obj.next_review <= timezone.localdate():
            return format_html("<strong>{}</strong>", "Overdue")
        return "Up to date"

    @admin.display(description="Preview of the saved body")
    def rendered_preview(self, obj):
        # body_html was sanitised by nh3 when it was saved.
        return mark_safe(obj.body_html) if obj.body_html else "(saved body appears here)"

    @admin.action(description="Publish selected items")
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected items")
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        # Save one by one (not .update()) so save() and its signals run.
        for obj in queryset:
            obj.published = published
            obj.save(update_fields=["published", "updated_at"])
        state = "published" if published else "unpublished"
        self.message_user(request, f"{queryset.count()} item(s) {state}.", messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


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
    ]


class CauseSymptomInline(admin.TabularInline):
    model = CauseSymptom
    extra = 1
    autocomplete_fields = ["symptom"]
    verbose_name = "symptom weight"
    verbose_name_plural = "symptoms and their weights (1 = can happen, 3 = typical and telling)"


@admin.register(Cause)
class CauseAdmin(ContentAdmin):
    inlines = [CauseSymptomInline]
    autocomplete_fields = ["remedies"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "also_known_as", "recovery_time", "published"]},
        ),
        BODY_FIELDSET,
        ("Care cards", {"fields": ["care_non_urgent", "care_urgent", "care_emergency"]}),
        ("Remedies", {"fields": ["remedies"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Remedy)
class RemedyAdmin(ContentAdmin):
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
                    "kind",
                    "phases",
                    "avoid_phases",
                    "cautions",
                    "published",
                ]
            },
        ),
        BODY_FIELDSET,
        REVIEW_FIELDSET,
    ]


@admin.register(Article)
class ArticleAdmin(ContentAdmin):
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
class PageAdmin(ContentAdmin):
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "published"]}),
        BODY_FIELDSET,
        REVIEW_FIELDSET,
    ]

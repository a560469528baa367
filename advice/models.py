"""The content model: what the library, the checker and the FAQ are made of.

Every item is imported from a markdown file in ``content/`` (its slug is the
file name) and can be edited in the admin. The body is rendered to sanitised
HTML when the item is saved, never per request.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import get_script_prefix, reverse

from .care import CARDS, CareLevel
from .content.rendering import render_markdown
from .memo import per_process
from .triage import split_card_line


def item_url(url_name, *args):
    """``reverse(url_name, args=args)``, worked out once per process for each URL.

    Lists and related lists link every item they show (a sitemap, every
    item), and reverse() costs more than the rest of a link; the URLconf
    does not change while the process runs. Keyed on the script prefix too,
    which reverse() reads.
    """
    return _reverse(url_name, args, get_script_prefix())


def item_urls(url_name, args_each):
    """``item_url(url_name, *args)`` for each ``args`` in ``args_each``, reading the
    script prefix (a context-local lookup, dearer than a kept URL) once."""
    prefix = get_script_prefix()
    return [_reverse(url_name, tuple(args), prefix) for args in args_each]


@per_process
def _reverse(url_name, args, prefix):
    return reverse(url_name, args=args)


class SymptomGroup(models.TextChoices):
    ONSET = "onset", "How it started"
    FEEL = "feel", "What it feels like"
    FUNCTION = "function", "What you can't do"
    VISIBLE = "visible", "What you can see or feel"
    OTHER = "other", "Other symptoms"
    RISK = "risk", "Things that affect your risk"


class RemedyKind(models.TextChoices):
    SELF_CARE = "self-care", "Self-care"
    EXERCISE = "exercise", "Exercise"
    PROFESSIONAL = "professional", "Professional care"
    MEDICAL = "medical", "Medicines and surgery"


class Phase(models.TextChoices):
    FIRST_72_HOURS = "first-72-hours", "First 72 hours"
    RECOVERY = "recovery", "Recovery"
    PREVENTION = "prevention", "Prevention"


CARD_LINE_HELP = (
    " To let the checker apply a line, end it with a condition, e.g. "
    "'The pain is severe | if severity_at_least: 8' or "
    "'You felt a pop | if any_of: pop-at-injury'."
)


def split_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def due_for_review(self, on_date):
        return self.filter(next_review__lte=on_date)


class ImportTracked(models.Model):
    """Remembers what the item looked like when it last matched its file.

    ``imported_hash`` is the hash of the item's content record at its last
    import. If the current record hashes differently, an editor changed the
    item in the admin since, and the import must not overwrite it silently.
    """

    slug = models.SlugField(max_length=100, unique=True)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Topic(ImportTracked):
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class ContentItem(ImportTracked):
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One sentence, shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    # The body's headings ({"level", "id", "name"}), from Python-Markdown's toc_tokens.
    body_toc = models.JSONField(default=list, blank=True, editable=False)
    published = models.BooleanField(default=True)
    last_reviewed = models.DateField()
    next_review = models.DateField()
    owner = models.CharField(
        max_length=100, help_text="Who keeps this item up to date: a person or a team."
    )
    clinical_reviewer = models.CharField(
        max_length=100,
        help_text="Who checks the clinical content at each review; readers see the name.",
    )
    # [{"title", "publisher", "year"?, "url"?}], shown to readers as the reference list.
    sources = models.JSONField(default=list)
    fact_origin = models.TextField(
        blank=True, help_text="Editors only: the source articles the facts came from, one per line."
    )
    source_check = models.CharField(
        max_length=300,
        blank=True,
        help_text="Editors only: what has not yet been checked against the sources.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered unless the item still holds the HTML rendered from this very
        # body: a save that keeps the body (an edit of other fields) keeps the
        # stored HTML. (A change of the renderer re-renders in a migration.)
        rendered = getattr(self, "_rendered", None)
        if rendered is None or rendered != (self.body, self.body_html):
            self.body_html, self.body_toc = render_markdown(self.body)
        super().save(*args, **kwargs)
        self._rendered = (self.body, self.body_html)

    def use_rendered(self, body, rendered):
        """Take ``rendered``, ``render_markdown(body)`` done elsewhere (an import
        renders many bodies at once), as this item's HTML: a save keeps it while
        the body is ``body``."""
        self.body_html, self.body_toc = rendered
        self._rendered = (body, self.body_html)

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        if {"body", "body_html", "body_toc"} <= set(field_names):
            item._rendered = (item.body, item.body_html)
        return item


def sitemap_index(model_name):
    """The index a sitemap reads a model's rows from: its published slugs in order,
    with their last change, without touching the rows (whose bodies are large)."""
    return models.Index(
        fields=["published", "slug", "updated_at"], name=f"{model_name}_sitemap_order"
    )


class OwnPage:
    """A content item with a page of its own, at ``advice:<detail_url_name>`` + its slug.

    The URL comes from the slug alone, so lists that read only columns (the
    sitemap, the checker's data) link items without building instances.
    """

    detail_url_name = ""

    @classmethod
    def url_for_slug(cls, slug):
        (url,) = cls.urls_for_slugs([slug])
        return url

    @classmethod
    def urls_for_slugs(cls, slugs):
        """The URLs of the items with ``slugs``: the one home of a model's URL shape
        (``url_for_slug`` is its form for one slug)."""
        return item_urls(cls._detail_route(), ((slug,) for slug in slugs))

    @classmethod
    def _detail_route(cls):
        return f"advice:{cls.detail_url_name}"

    def get_absolute_url(self):
        return self.url_for_slug(self.slug)


class Symptom(ContentItem):
    hint = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=20, choices=SymptomGroup)
    order = models.PositiveSmallIntegerField(default=0)
    care_level = models.CharField(max_length=20, choices=CareLevel, default=CareLevel.SELF_CARE)

    class Meta(ContentItem.Meta):
        ordering = ["group", "order", "title"]


class Remedy(OwnPage, ContentItem):
    detail_url_name = "remedy_detail"
    kind = models.CharField(max_length=20, choices=RemedyKind)
    action = models.CharField(
        max_length=160,
        blank=True,
        help_text="What to do, as one short sentence starting with a verb "
        "('Rest, ice and raise the leg for 2 to 3 days.'). The checker's 'What to do now' "
        "shows it, linked to this page.",
    )
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Position in lists within a phase or kind: lower comes first. Put what a "
        "reader needs first (first aid) before what can wait.",
    )
    phases = models.JSONField(default=list, help_text="When it helps.")
    avoid_phases = models.JSONField(default=list, blank=True, help_text="When not to use it.")
    cautions = models.TextField(help_text="One caution per line.")
    illustration = models.CharField(
        max_length=200, blank=True, help_text="A drawing under static/, e.g. img/exercises/x.svg."
    )
    illustration_alt = models.CharField(
        max_length=300, blank=True, help_text="What the drawing shows, for screen readers."
    )

    class Meta(ContentItem.Meta):
        verbose_name_plural = "remedies"
        ordering = ["order", "title"]
        # The remedies list sorts by kind, order and title, and filters by phase.
        indexes = [
            models.Index(
                fields=["published", "kind", "order", "title", "phases"], name="remedy_list_order"
            ),
            sitemap_index("remedy"),
        ]

    @property
    def caution_list(self):
        return split_lines(self.cautions)

    def phase_labels(self):
        return [Phase(code).label for code in self.phases]

    def avoid_phase_labels(self):
        return [Phase(code).label for code in self.avoid_phases]


class Cause(OwnPage, ContentItem):
    detail_url_name = "cause_detail"
    also_known_as = models.TextField(blank=True, help_text="One name per line.")
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Position in lists of causes: lower comes first. Common causes first, "
        "rare look-alikes later.",
    )
    recovery_time = models.CharField(max_length=300)
    care_non_urgent = models.TextField(
        blank=True, help_text=f"When to see a GP or physio; one per line.{CARD_LINE_HELP}"
    )
    care_urgent = models.TextField(
        blank=True, help_text=f"When to get seen today; one per line.{CARD_LINE_HELP}"
    )
    care_emergency = models.TextField(
        blank=True, help_text=f"When to call 999 or go to A&E; one per line.{CARD_LINE_HELP}"
    )
    care_when_likely = models.CharField(
        max_length=20,
        choices=CareLevel,
        default=CareLevel.SELF_CARE,
        help_text="The checker's result is at least this urgent when this cause is the best "
        "or a strong match.",
    )
    ages = models.JSONField(
        default=list,
        blank=True,
        help_text="The age bands it is usual in; empty means any age. The checker ranks it "
        "lower for a reader of another age.",
    )
    acute_injury = models.BooleanField(
        default=False,
        help_text="A fresh injury: first-aid advice (and what to avoid in the first 72 hours) "
        "applies when the checker finds it likely.",
    )
    symptoms = models.ManyToManyField(Symptom, through="CauseSymptom", related_name="causes")
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="causes")

    class Meta(ContentItem.Meta):
        ordering = ["order", "title"]
        indexes = [
            models.Index(fields=["published", "order", "title"], name="cause_list_order"),
            sitemap_index("cause"),
        ]

    @property
    def alias_list(self):
        return split_lines(self.also_known_as)

    def care_cards(self):
        """(CareWording, texts) pairs, least to most urgent, skipping empty cards.

        Each text is what readers see; any condition an editor attached for the
        checker (``text | if ...``) is left out here.
        """
        cards = [
            (
                card,
                [split_card_line(line)[0] for line in split_lines(getattr(self, card.card_field))],
            )
            for card in CARDS
        ]
        return [(card, texts) for card, texts in cards if texts]


class TriageRule(ContentItem):
    """A combination of answers that needs a given level of care, whatever else was said.

    ``when`` is a condition (see ``advice/triage.py``); ``reason`` is shown to
    the reader under "This is because you told us".
    """

    level = models.CharField(max_length=20, choices=CareLevel)
    reason = models.CharField(max_length=300, help_text="Shown to the reader: 'because ...'.")
    when = models.JSONField(help_text="The condition, e.g. any_of: [pop-at-injury].")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(ContentItem.Meta):
        ordering = ["order", "title"]


class RunningStage(ContentItem):
    """One stage of the return-to-running plan; the planner shows them in ``order``.

    ``checks`` are what a reader must be able to do to move on (``[{"id", "text"}]``);
    ``exercises`` are what to do in the stage (``[{"remedy", "sets", "reps",
    "progress"}]``, each naming a remedy page). The body says what else to do.
    """

    order = models.PositiveSmallIntegerField(default=0, help_text="The stage's number.")
    aim = models.CharField(max_length=300, help_text="What the stage is for, in one sentence.")
    pain_rule = models.CharField(
        max_length=300,
        help_text="How much pain is acceptable in this stage, and for how long afterwards.",
    )
    checks = models.JSONField(default=list, help_text="What the reader must pass to move on.")
    exercises = models.JSONField(default=list, blank=True, help_text="The stage's exercises.")

    class Meta(ContentItem.Meta):
        ordering = ["order", "title"]


class CauseSymptom(models.Model):
    """How strongly a symptom points to a cause: 1 can happen, 3 typical and telling."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="symptom_links")
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE, related_name="cause_links")
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="1 = can happen, 2 = common, 3 = typical and telling.",
    )

    class Meta:
        ordering = ["-weight", "symptom__title"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "symptom"], name="unique_cause_symptom"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=3), name="cause_symptom_weight_1_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.cause} <- {self.symptom} ({self.weight})"


class Article(OwnPage, ContentItem):
    detail_url_name = "article_detail"
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    causes = models.ManyToManyField(Cause, blank=True, related_name="articles")
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="articles")
    featured = models.BooleanField(default=False)

    class Meta(ContentItem.Meta):
        # The library sorts by topic, then title.
        indexes = [
            models.Index(fields=["published", "topic", "title"], name="article_list_order"),
            sitemap_index("article"),
        ]


class FAQ(OwnPage, ContentItem):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="faqs")
    order = models.PositiveSmallIntegerField(default=0)
    popular = models.BooleanField(default=False)
    causes = models.ManyToManyField(Cause, blank=True, related_name="faqs")

    class Meta(ContentItem.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        ordering = ["topic__order", "order", "title"]
        indexes = [
            models.Index(fields=["published", "topic", "order", "title"], name="faq_list_order")
        ]

    detail_url_name = "faq"

    @classmethod
    def urls_for_slugs(cls, slugs):
        """Each question's link, which finds the FAQ page holding it (the FAQ is
        paginated) and opens it at the answer. Editors may also link ``/faq/#<slug>``."""
        page = item_url(cls._detail_route())
        return [f"{page}?{urlencode({'question': slug})}" for slug in slugs]


class Page(OwnPage, ContentItem):
    """A site page such as About or Editorial policy, served at /<slug>/."""

    detail_url_name = "page"


class Synonym(ImportTracked):
    """Words readers type, and the site's words for the same thing: search looks for both."""

    words = models.TextField(help_text="How readers say it: one word or phrase per line.")
    means = models.TextField(
        help_text="The site's words for it, searched for as well: one word or phrase per line."
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return f"{', '.join(self.word_list)} → {', '.join(self.means_list)}"

    @property
    def word_list(self):
        return split_lines(self.words)

    @property
    def means_list(self):
        return split_lines(self.means)


class SearchKind(models.TextChoices):
    """What search finds; the label names one result, ``plural`` the filter."""

    CAUSE = "cause", "Cause"
    REMEDY = "remedy", "Remedy"
    ARTICLE = "article", "Article"
    FAQ = "faq", "Question"

    @property
    def plural(self):
        return {"cause": "Causes", "remedy": "Remedies", "article": "Articles", "faq": "Questions"}[
            self.value
        ]


class DerivedFromContent(models.Model):
    """A table rebuilt from the content (the search index): writing it is not a
    change of content, so it does not bump the content version."""

    class Meta:
        abstract = True


class SearchDocument(DerivedFromContent):
    """One published item as search sees it, rewritten whenever the item is saved.

    ``body`` is the rendered body as plain text, one block (a heading, a
    paragraph, a list item) per line, so snippets can stop at block edges.
    On PostgreSQL ``search_vector`` holds the weighted tsvector (A: title and
    aliases, B: summary, C: body) under a GIN index; on SQLite an FTS5 table
    over these columns is kept in step by triggers (see the migrations).
    """

    kind = models.CharField(max_length=10, choices=SearchKind)
    item_id = models.PositiveBigIntegerField()  # the pk of the item, in its kind's model
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    aliases = models.TextField(blank=True)
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_id"], name="unique_search_document")
        ]

    def __str__(self):
        return f"{self.kind}/{self.slug}"


class SearchTerm(DerivedFromContent):
    """A word of the site's own vocabulary, and how many documents use it: what
    spelling suggestions are chosen from (trigram-indexed on both databases)."""

    word = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.word


class ContentChange(models.Model):
    """Where one saved revision of a content item came from, and what it changed.

    The revisions themselves (who, when, and the item's saved state) are
    django-reversion's; this is the meta data each one carries.
    """

    class Source(models.TextChoices):
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"
        REVERT = "revert", "Revert"
        APPROVAL = "approval", "Clinical approval"

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="content_change"
    )
    source = models.CharField(max_length=20, choices=Source)
    # The record keys (front-matter keys, "slug", "body") that changed; empty for a new item.
    changed = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.get_source_display()}: {', '.join(self.changed) or 'created'}"


class ContentDraft(models.Model):
    """A change to an item's clinical keys, waiting for clinical sign-off.

    The live rows always hold the approved version: readers, search and the
    checker never see a draft. ``record`` is the plain-data record the admin
    form produced (dates as ISO strings); ``base`` is the live item as it was
    when the draft was made (``schema.comparable``), so an approval can tell
    whether the live item changed since, and show how. One draft per item.
    """

    kind = models.CharField(max_length=30)  # the kind's folder name, e.g. "causes"
    slug = models.SlugField(max_length=100)  # the item's slug in the draft
    object_pk = models.PositiveBigIntegerField(null=True, blank=True)  # null: a new item
    record = models.JSONField()
    base = models.JSONField(null=True, blank=True)  # null: a new item
    changed = models.JSONField(default=list)  # the clinical keys it changes
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Everyone who saved the draft, its author included: none of them may approve it.
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a reviewer returns the draft to its editor: what to change.
    returned_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        permissions = [("approve_clinical_change", "Can approve clinical changes")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_pk"],
                condition=models.Q(object_pk__isnull=False),
                name="one_draft_per_item",
            ),
            models.UniqueConstraint(
                fields=["kind", "slug"],
                condition=models.Q(object_pk__isnull=True),
                name="one_draft_per_new_slug",
            ),
        ]

    def __str__(self):
        return f"Draft of {self.kind}/{self.slug}"

    @property
    def title(self):
        return self.record.get("title") or self.slug


class ContentVersion(models.Model):
    """A counter bumped whenever any content changes.

    Cached pages are keyed by it, so an import or an admin save makes every
    app server stop serving the old pages at once: the counter lives in the
    database that they all share, not in any one server's memory.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"content version {self.version}"

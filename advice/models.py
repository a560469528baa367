"""The content model: what the library, the checker and the FAQ are made of.

Every item is imported from a markdown file in ``content/`` (its slug is the
file name) and can be edited in the admin. The body is rendered to sanitised
HTML when the item is saved, never per request.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from .care import CARDS, CareLevel
from .content.rendering import render_markdown


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
        self.body_html, self.body_toc = render_markdown(self.body)
        super().save(*args, **kwargs)


class Symptom(ContentItem):
    hint = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=20, choices=SymptomGroup)
    order = models.PositiveSmallIntegerField(default=0)
    care_level = models.CharField(max_length=20, choices=CareLevel, default=CareLevel.SELF_CARE)

    class Meta(ContentItem.Meta):
        ordering = ["group", "order", "title"]


class Remedy(ContentItem):
    kind = models.CharField(max_length=20, choices=RemedyKind)
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

    def get_absolute_url(self):
        return reverse("advice:remedy_detail", args=[self.slug])

    @property
    def caution_list(self):
        return split_lines(self.cautions)

    def phase_labels(self):
        return [Phase(code).label for code in self.phases]

    def avoid_phase_labels(self):
        return [Phase(code).label for code in self.avoid_phases]


class Cause(ContentItem):
    also_known_as = models.TextField(blank=True, help_text="One name per line.")
    recovery_time = models.CharField(max_length=300)
    care_non_urgent = models.TextField(
        blank=True, help_text="When to see a GP or physio; one per line."
    )
    care_urgent = models.TextField(blank=True, help_text="When to get seen today; one per line.")
    care_emergency = models.TextField(
        blank=True, help_text="When to call an emergency number; one per line."
    )
    symptoms = models.ManyToManyField(Symptom, through="CauseSymptom", related_name="causes")
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="causes")

    def get_absolute_url(self):
        return reverse("advice:cause_detail", args=[self.slug])

    @property
    def alias_list(self):
        return split_lines(self.also_known_as)

    def care_cards(self):
        """(CareWording, conditions) pairs, least to most urgent, skipping empty cards."""
        cards = [(card, split_lines(getattr(self, card.card_field))) for card in CARDS]
        return [(card, conditions) for card, conditions in cards if conditions]


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


class Article(ContentItem):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    causes = models.ManyToManyField(Cause, blank=True, related_name="articles")
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="articles")
    featured = models.BooleanField(default=False)

    def get_absolute_url(self):
        return reverse("advice:article_detail", args=[self.slug])


class FAQ(ContentItem):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="faqs")
    order = models.PositiveSmallIntegerField(default=0)
    popular = models.BooleanField(default=False)
    causes = models.ManyToManyField(Cause, blank=True, related_name="faqs")

    class Meta(ContentItem.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        ordering = ["topic__order", "order", "title"]

    def get_absolute_url(self):
        return reverse("advice:faq") + f"#{self.slug}"


class Page(ContentItem):
    """A site page such as About or Editorial policy, served at /<slug>/."""

    def get_absolute_url(self):
        return reverse("advice:page", args=[self.slug])


class ContentChange(models.Model):
    """Where one saved revision of a content item came from, and what it changed.

    The revisions themselves (who, when, and the item's saved state) are
    django-reversion's; this is the meta data each one carries.
    """

    class Source(models.TextChoices):
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"
        REVERT = "revert", "Revert"

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="content_change"
    )
    source = models.CharField(max_length=20, choices=Source)
    # The record keys (front-matter keys, "slug", "body") that changed; empty for a new item.
    changed = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.get_source_display()}: {', '.join(self.changed) or 'created'}"


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

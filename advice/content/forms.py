"""The editors' forms: the admin's way into the content rules.

Each form gathers what the editor typed into the plain data a content file
holds, and runs the same rules over it (``rules.check_item`` and
``rules.check_references``), so the admin refuses exactly what the import
would refuse, with the same message, on the field it is about. The record the
rules return is what gets saved (``schema.apply_record``, the import's own
writer), so anything the admin saves exports to a file that imports cleanly.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from advice.care import CARDS
from advice.models import Phase, Symptom, split_lines
from advice.triage import AgeBand, format_condition, parse_condition

from . import gates
from .links import item_path
from .problems import BODY, Problems
from .rules import check_item, check_references, links_that_would_break
from .schema import (
    KIND_ORDER,
    KINDS,
    DatabaseLookup,
    apply_record,
    card_entry,
    kind_for_model,
    record_from_instance,
)

WEIGHT_CHOICES = [
    ("", "Not linked"),
    ("1", "1: sometimes"),
    ("2", "2: often"),
    ("3", "3: typical and telling"),
]
SOURCE_FORMAT = "Title | Publisher | Year | https://address"


# --- Fields that show structured content as editors think of it ---------------


class WeightsWidget(forms.Widget):
    """One row per symptom: its full label and a weight to choose."""

    template_name = "admin/advice/weights_widget.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.symptoms = []  # (slug, title, care level label), set by the form

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        context["rows"] = [
            {
                "name": f"{name}__{slug}",
                "id": f"id_{name}__{slug}",
                "title": title,
                "care": care,
                "value": str(value.get(slug, "")),
                "choices": WEIGHT_CHOICES,
            }
            for slug, title, care in self.symptoms
        ]
        return context

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}__"
        return {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix)}

    def value_omitted_from_data(self, data, files, name):
        return False


class WeightsField(forms.Field):
    widget = WeightsWidget

    def to_python(self, value):
        weights = {}
        for slug, weight in (value or {}).items():
            if weight in ("", None):
                continue
            if str(weight) not in {"1", "2", "3"}:
                raise ValidationError(f"The weight for {slug!r} must be 1, 2 or 3.")
            weights[slug] = int(weight)
        return weights


class SourcesField(forms.CharField):
    """Sources as lines of ``Title | Publisher | Year | URL`` (year and URL optional)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(
                    str(source.get(part, "")) for part in ("title", "publisher", "year", "url")
                ).rstrip(" |")
                for source in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value)
        sources = []
        for number, line in enumerate(split_lines(text), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or len(parts) > 4:
                raise ValidationError(f"Line {number}: write each source as {SOURCE_FORMAT}.")
            source = dict(zip(("title", "publisher", "year", "url"), parts, strict=False))
            year = source.get("year")
            source["year"] = int(year) if year and year.isdigit() else (year or None)
            sources.append({name: value for name, value in source.items() if value})
        return sources


class RowsField(forms.CharField):
    """A list of mappings as lines of ``a | b | ...`` (``parts`` names the columns).

    The content rules check the values, as for a file; this only splits lines.
    Whole numbers are read as numbers, so a count is checked as one.
    """

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, parts, **kwargs):
        self.parts = parts
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(str(row.get(part, "")) for part in self.parts) for row in value
            )
        return value

    def to_python(self, value):
        rows = []
        for number, line in enumerate(split_lines(super().to_python(value)), start=1):
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) != len(self.parts):
                raise ValidationError(f"Line {number}: write {' | '.join(self.parts)}.")
            rows.append(
                {
                    part: int(cell) if cell.isdigit() else cell
                    for part, cell in zip(self.parts, cells, strict=True)
                }
            )
        return rows


class ConditionField(forms.CharField):
    """A triage condition as one line: ``any_of: pop-at-injury; severity_at_least: 8``."""

    def prepare_value(self, value):
        return format_condition(value) if isinstance(value, dict | list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return parse_condition(text) if text else None


# --- The forms ----------------------------------------------------------------------


class ContentItemForm(forms.ModelForm):
    """Checks an admin edit with the import's own rules; keeps the record they return."""

    record = None
    confirm_changes = forms.BooleanField(
        required=False,
        label="I have reviewed how this changes the checker's answers",
        help_text="Needed only when saving would change the likely causes the checker "
        "gives for one of its clinical test cases.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # types first: the rules need well-formed values
            return cleaned
        kind = kind_for_model(self._meta.model)
        problems = Problems(default_line=0)
        slug = cleaned.get("slug", self.instance.slug)
        record = check_item(
            kind, slug, self.front_matter(kind, cleaned), cleaned.get("body", ""), problems
        )
        catalogue = catalogue_after(kind, self.instance, slug, record.get("published", True))
        check_references(kind, record, catalogue, problems)
        for message in incoming_links_broken_by(kind, self.instance, catalogue):
            problems.add(f"This change would break a link: {message}.", "slug")
        for problem in problems:
            self._show(problem)
        self.record = record
        if not self.errors:
            self._run_gates(kind, record, slug)
        return cleaned

    def _run_gates(self, kind, record, slug):
        """Try the change in a transaction that is always undone, and ask the gates.

        A refusal is an error; a notice (the checker's answers would change)
        must be confirmed by ticking ``confirm_changes`` and saving again.
        """
        with transaction.atomic():
            snapshots = gates.before_change([kind.name])
            if not snapshots:
                return
            trial = (
                type(self.instance).objects.get(pk=self.instance.pk) if self.instance.pk else None
            )
            trial = trial or kind.model(slug=slug)
            trial.slug = slug
            apply_record(kind, trial, record, DatabaseLookup())
            verdict = gates.after_change(snapshots)
            transaction.set_rollback(True)
        for refusal in verdict.refusals:
            self.add_error(None, f"This change is refused: {refusal.message}.")
        if verdict.notices and not self.cleaned_data.get("confirm_changes"):
            self.add_error(
                "confirm_changes",
                "This change alters the symptom checker's answers: "
                + "; ".join(verdict.notices)
                + ". Tick the box to confirm, then save again.",
            )

    def front_matter(self, kind, cleaned):
        """The plain data a content file would hold for this form's values."""
        return {key.name: self._value(key, cleaned) for key in kind.keys}

    def _value(self, key, cleaned):
        value = cleaned.get(key.name, getattr(self.instance, key.name, None))
        if key.type == "care":
            return {
                card.card_key: [
                    card_entry(line) for line in split_lines(cleaned.get(card.card_field, ""))
                ]
                for card in CARDS
                if cleaned.get(card.card_field, "").strip()
            }
        if key.type == "weights":
            return cleaned.get("symptom_weights") or {}
        if key.type == "ref":
            return value.slug if value else None
        if key.type == "ref_list":
            return [item.slug for item in value] if value is not None else []
        if key.type == "text_list":
            return split_lines(value or "")
        return value

    def _show(self, problem):
        field = {"care": None, "symptoms": "symptom_weights"}.get(problem.key, problem.key)
        message = problem.message
        if problem.key == BODY and problem.line:
            message = f"Line {problem.line}: {message}"
        if field not in self.fields:
            field = None
            message = (
                f"{problem.key.replace('_', ' ').capitalize()}: {message}"
                if problem.key
                else message
            )
        self.add_error(field, message)


class RemedyForm(ContentItemForm):
    phases = forms.MultipleChoiceField(
        choices=Phase.choices, widget=forms.CheckboxSelectMultiple, help_text="When it helps."
    )
    avoid_phases = forms.MultipleChoiceField(
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="When not to use it.",
    )


class TriageRuleForm(ContentItemForm):
    when = ConditionField(
        help_text="When the rule applies, e.g. 'all_of: blood-thinners; any_of: bruising, "
        "swelling'. Keys: any_of, all_of, none_of (symptom slugs), severity_at_least (0 to 10), "
        "durations, ages; join alternatives with ' or '.",
        widget=forms.TextInput(attrs={"size": 100}),
    )


class RunningStageForm(ContentItemForm):
    checks = RowsField(
        parts=("id", "text"),
        help_text="What the reader must be able to do to move on, one per line: "
        "id | text, e.g. 'walk | you can walk at a normal pace without pain'. The id is "
        "kept in readers' bookmarked plans: change it only with care.",
    )
    exercises = RowsField(
        parts=("remedy", "sets", "reps", "progress"),
        required=False,
        help_text="One per line: remedy slug | sets | reps | how to progress, e.g. "
        "'bridges | 3 | 10 slow lifts | move on to one leg when easy'.",
    )


class CauseForm(ContentItemForm):
    ages = forms.MultipleChoiceField(
        choices=AgeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The age bands it is usual in; none ticked means any age.",
    )
    symptom_weights = WeightsField(
        required=False,
        label="Symptoms and their weights",
        help_text="How strongly each symptom points to this cause. Leave a symptom "
        "'Not linked' if it does not.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptom_weights"].widget.symptoms = [
            (slug, title, care)
            for slug, title, care in Symptom.objects.order_by(
                "group", "order", "title"
            ).values_list("slug", "title", "care_level")
        ]
        if self.instance.pk:
            self.initial.setdefault(
                "symptom_weights",
                {
                    link.symptom.slug: link.weight
                    for link in self.instance.symptom_links.select_related("symptom")
                },
            )


# --- The site as it would be after a change -----------------------------------------


def catalogue_after(kind, instance, slug, published):
    """kind -> {slug: published} for the whole site, with this item changed."""
    catalogue = {}
    for name in KIND_ORDER:
        model = KINDS[name].model
        fields = ["slug", "published"] if hasattr(model, "published") else ["slug"]
        rows = model.objects.values_list(*fields)
        catalogue[name] = {row[0]: row[1] if len(row) > 1 else True for row in rows}
    if instance.pk:
        catalogue[kind.name].pop(_saved(instance, "slug"), None)
    if slug is not None:
        catalogue[kind.name][slug] = published
    return catalogue


def incoming_links_broken_by(kind, instance, catalogue):
    """Messages for the items whose links to ``instance`` would break under ``catalogue``."""
    if not instance.pk or not kind.url_name:
        return []
    old_slug = _saved(instance, "slug")
    return links_that_would_break(kind, old_slug, catalogue, _bodies_linking_to(kind, old_slug))


def links_broken_by_change(obj, slug, published):
    """What would break if saved ``obj`` took ``slug`` (None: deleted) and ``published``.

    For the admin's actions that skip the form (publish, unpublish, delete):
    links from other items to this one, and, when publishing, its own links.
    """
    kind = kind_for_model(type(obj))
    catalogue = catalogue_after(kind, obj, slug, published)
    broken = incoming_links_broken_by(kind, obj, catalogue)
    if published:
        problems = Problems()
        record = {**record_from_instance(kind, obj), "published": True}
        check_references(kind, record, catalogue, problems)
        broken += [problem.message for problem in problems]
    return broken


def _saved(instance, field):
    return type(instance).objects.filter(pk=instance.pk).values_list(field, flat=True).first()


def _bodies_linking_to(kind, slug):
    path = item_path(kind, slug).rstrip("/")
    for name in KIND_ORDER:
        other = KINDS[name]
        if other.body == "none":
            continue
        rows = other.model.objects.filter(body__contains=path).values_list(
            "slug", "title", "published", "body"
        )
        for other_slug, title, published, body in rows:
            yield name, other_slug, title, published, body

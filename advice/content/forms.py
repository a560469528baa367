"""The editors' forms: the admin's way into the content rules.

Each form gathers what the editor typed into the plain data a content file
holds, and runs the same rules over it (``rules.check_item`` and
``rules.check_references``), so the admin refuses exactly what the import
would refuse, with the same message, on the field it is about. The record the
rules return is what gets saved (``schema.apply_record``, the import's own
writer), so anything the admin saves exports to a file that imports cleanly.

Every form also carries the item as it was when the editor opened it (the
``edit_base`` hidden field, signed). If someone else saved the item since,
the save is refused: the form comes back showing their version with the
editor's own changes applied on top, and a message saying what they changed.
"""

from datetime import date

from django import forms
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from advice.care import CARDS
from advice.models import Phase, Symptom, split_lines
from advice.triage import AgeBand

from . import gates, signoff
from .catalogue import catalogue_after, incoming_links_broken_by
from .form_fields import ConditionField, RowsField, SourcesField, WeightsField
from .problems import BODY, Problems, shown
from .rules import check_item, check_references
from .schema import (
    KINDS,
    DatabaseLookup,
    apply_record,
    card_entry,
    comparable,
    count_leading_blank_lines,
    kind_for_model,
    record_from_instance,
)

# The form fields that show a record key, where they are not named like it.
FORM_FIELDS = {
    "care": [card.card_field for card in CARDS],
    "symptoms": ["symptom_weights"],
}
EDIT_BASE_SALT = "advice.content.forms.edit-base"
# A constant written here, so safe to show as HTML.
BODY_HELP = mark_safe(
    "Markdown. <code>## Heading</code> and <code>### Subheading</code> (never a single "
    "<code>#</code>: the title is the page's heading); a blank line between paragraphs; "
    "<code>- item</code> or <code>1. item</code> for lists; <code>**bold**</code>; "
    "links as <code>[words](/causes/hamstring-strain/)</code> to our pages or "
    "<code>[words](https://www.nhs.uk/...)</code> elsewhere. Raw HTML is removed. "
    "Messages give line numbers of this box."
)


# --- The forms ----------------------------------------------------------------------


class ContentItemForm(forms.ModelForm):
    """Checks an admin edit with the import's own rules; keeps the record they return."""

    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)
    record = None
    sources = SourcesField(
        required=False,  # the content rules say when sources are required, and how
        help_text="One source a line: Title | Publisher | Year | https://address "
        "(year and address optional; at least one source needs an address).",
    )
    confirm_changes = forms.BooleanField(
        required=False,
        label="I have reviewed how this changes the checker's answers",
        help_text="Needed only when saving would change the likely causes the checker "
        "gives for one of its clinical test cases.",
    )

    def __init__(self, *args, show_draft=True, **kwargs):
        super().__init__(*args, **kwargs)
        # An item awaiting clinical sign-off is edited as its draft.
        self.draft = signoff.draft_of(self.instance) if show_draft else None
        if self.instance.pk and not self.is_bound:
            if self.draft:
                self.initial.update(draft_initial(type(self), self.instance, self.draft))
            else:
                self.initial["edit_base"] = edit_base_token(self.instance)
        for card in CARDS:
            if card.card_field in self.fields:  # the heading readers see on the card
                self.fields[card.card_field].label = f"Care card: {card.card_heading}"
        if "body" in self.fields:
            # Kept as typed, so "Line N" in a message is line N of the text box
            # (the rules normalise the body for saving).
            self.fields["body"].strip = False
            self.fields["body"].help_text = BODY_HELP

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
        self.record = record
        if self._conflict(kind, slug, record):
            return cleaned
        catalogue = catalogue_after(kind, self.instance, slug, record.get("published", True))
        # Lines of the body as the editor sees it in the text box, blank lines above included.
        body_line = 1 + count_leading_blank_lines(cleaned.get("body", ""))
        check_references(kind, record, catalogue, problems, body_line)
        for message in incoming_links_broken_by(kind, self.instance, catalogue):
            problems.add(f"This change would break a link: {message}.", "slug")
        for problem in problems:
            self._show(problem)
        if not self.errors:
            self._run_gates(kind, record, slug)
        return cleaned

    def _run_gates(self, kind, record, slug):
        """Try the change in a transaction that is always undone, and ask the gates.

        A refusal is an error; a notice (the checker's answers would change)
        must be confirmed by ticking ``confirm_changes`` and saving again.
        """

        def apply_edit():
            saved = self.instance.pk and type(self.instance).objects.get(pk=self.instance.pk)
            trial = saved or kind.model(slug=slug)
            trial.slug = slug
            apply_record(kind, trial, record, DatabaseLookup())

        verdict = gates.trial([kind.name], apply_edit)
        for refusal in verdict.refusals:
            self.add_error(None, f"This change is refused: {refusal.message}.")
        if verdict.notices and not self.cleaned_data.get("confirm_changes"):
            self.add_error(
                "confirm_changes",
                "This change alters the symptom checker's answers: "
                + "; ".join(verdict.notices)
                + ". Tick the box to confirm, then save again.",
            )

    # --- No lost updates ------------------------------------------------------

    def _conflict(self, kind, slug, record):
        """Whether someone else saved the item (or its draft) since this form was opened.

        If so, the form's data becomes their version with this editor's
        changes on top, and a message says what they changed.
        """
        if not self.instance.pk:
            return self._new_item_conflict(kind, slug)
        base = self._edit_base()
        if base is None:
            return True
        objects = type(self.instance).objects
        if transaction.get_connection().in_atomic_block:
            # Hold the row until this save commits, so two saves cannot interleave.
            objects = objects.select_for_update()
        current_obj = objects.get(pk=self.instance.pk)
        draft = signoff.draft_of(current_obj, lock=True)
        current = signoff.draft_state(draft) if draft else comparable_item(kind, current_obj)
        if current == base:
            return False
        mine = comparable_item(kind, self.instance, record, slug)
        theirs = [name for name in current if current[name] != base.get(name)]
        own = [name for name in mine if mine[name] != base.get(name)]
        self.data = merged_form_data(self, current_obj, own)
        self.add_error(None, _conflict_message(self, current, theirs, own))
        return True

    def _new_item_conflict(self, kind, slug):
        """A new item's slug is taken by another new item awaiting sign-off, unless this
        form was opened from that draft as it is now."""
        draft = signoff.new_item_draft(kind, slug)
        if draft is None:
            return False
        if self.cleaned_data.get("edit_base"):  # opened from a draft
            base = self._edit_base()
            if base is None:
                return True
            if base == signoff.draft_state(draft):
                return False
        self.add_error(
            "slug",
            f"A new item with this slug is awaiting clinical review "
            f"({signoff.describe_draft(draft)}). Open it from the review dashboard, or "
            "choose another slug.",
        )
        return True

    def _edit_base(self):
        try:
            return signing.loads(self.cleaned_data.get("edit_base") or "", salt=EDIT_BASE_SALT)
        except signing.BadSignature:
            self.add_error(None, "This form is too old to save; open the item again.")
            return None

    def label_of(self, name):
        field = self.fields.get((FORM_FIELDS.get(name) or [name])[0])
        return str(field.label) if field and field.label else name.replace("_", " ").capitalize()

    def front_matter(self, kind, cleaned):
        """The plain data a content file would hold for this form's values."""
        return {key.name: self._value(key, cleaned) for key in kind.keys}

    def _value(self, key, cleaned):
        if key.name in cleaned:
            value = cleaned[key.name]
        elif self.instance.pk is None and key.is_relation:
            value = None  # Django refuses to read an unsaved item's many-to-many relations
        else:
            value = getattr(self.instance, key.name, None)
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


# --- The version an edit started from ------------------------------------------------


def comparable_item(kind, obj, record=None, slug=None):
    """``schema.comparable`` of saved ``obj``, or of ``record`` and ``slug`` about to be saved."""
    record = record_from_instance(kind, obj) if record is None else record
    return comparable(kind, record, obj.slug if slug is None else slug)


def edit_base_token(obj):
    """The signed state of saved ``obj``, for a form to say what it started from."""
    kind = kind_for_model(type(obj))
    return state_token(comparable_item(kind, obj))


def state_token(state):
    return signing.dumps(state, salt=EDIT_BASE_SALT, compress=True)


def draft_initial(form_class, obj, draft):
    """The initial data of ``form_class`` showing ``draft`` (of saved ``obj``, or of a
    new item if ``obj`` is None), with the draft as the version the edit starts from.

    The draft is written to a copy of the item in a transaction that is always
    undone, and the form reads its values from that copy, so every widget
    (relations, weights, care cards) shows the draft as it shows a saved item.
    """
    kind = KINDS[draft.kind]
    initial = {}
    with transaction.atomic():
        trial = type(obj).objects.get(pk=obj.pk) if obj is not None else kind.model()
        trial.slug = draft.slug
        try:
            apply_record(kind, trial, signoff.draft_record(draft), DatabaseLookup())
        except (KeyError, IntegrityError):  # it names an item deleted since, or a new
            pass  # item's slug was taken since: the form shows the saved version
        else:
            form = form_class(instance=trial, show_draft=False)
            initial = {name: form[name].value() for name in form.fields}
        transaction.set_rollback(True)
    initial["edit_base"] = state_token(signoff.draft_state(draft))
    return initial


def merged_form_data(form, current_obj, own):
    """The data of a form for ``current_obj``, with the fields of record keys ``own``
    taken from what ``form``'s editor posted."""
    fresh = type(form)(instance=current_obj)
    data = QueryDict(mutable=True)
    for name in fresh.fields:
        for key, values in form_values(name, fresh[name].value()).items():
            data.setlist(key, values)
    for key in own:
        for name in FORM_FIELDS.get(key, [key]):
            for posted in [k for k in data if k == name or k.startswith(f"{name}__")]:
                del data[posted]
            for posted in [k for k in form.data if k == name or k.startswith(f"{name}__")]:
                data.setlist(posted, form.data.getlist(posted))
    return data


def form_values(name, value):
    """What a browser posts for field ``name`` showing ``value`` (name -> list of strings)."""
    if isinstance(value, bool):
        return {name: ["on"]} if value else {}
    if isinstance(value, dict):  # symptom weights: one select per symptom
        return {f"{name}__{slug}": [str(weight)] for slug, weight in value.items()}
    if isinstance(value, list | tuple):
        return {name: [str(item) for item in value]}
    if value is None:
        return {name: [""]}
    if isinstance(value, date):
        return {name: [value.isoformat()]}
    return {name: [str(value)]}


def _conflict_message(form, current, theirs, own):
    both = [name for name in theirs if name in own]
    changes = format_html_join(
        "",
        "<li>{}: now {}</li>",
        (
            (
                form.label_of(name),
                "changed (see the history)" if name == BODY else shown(current[name], 120),
            )
            for name in theirs
        ),
    )
    mine = ", ".join(form.label_of(name) for name in own) or "nothing yet"
    message = format_html(
        "Someone else saved this item after you opened it. They changed:<ul>{}</ul>"
        "The form now shows their version with your changes ({}) applied on top. "
        "Check it and save again.",
        changes,
        mine,
    )
    if both:
        message = format_html(
            "{} You both changed {}: the form shows your version of it.",
            message,
            ", ".join(form.label_of(name) for name in both),
        )
    return message

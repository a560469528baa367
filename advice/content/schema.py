"""What each kind of content file holds, and how it maps onto the models.

A *record* is the plain-data form of one item: exactly the front-matter keys
(with defaults filled in) plus the body. Files are parsed into records, the
database is read into records, and the two are compared by hash. The same
record shape is written back out by the export, which is what makes the
import/export round trip exact.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from django.db.models import Prefetch

from advice import models
from advice.care import CARDS, CareLevel
from advice.models import Phase, RemedyKind, SymptomGroup
from advice.triage import AgeBand, card_line, split_card_line

from .problems import BODY


@dataclass(frozen=True)
class Key:
    """One front-matter key."""

    name: str
    # text, bool, date, int, text_list, choice, choice_list, ref, ref_list, weights, care,
    # sources, condition, checks, exercises (the last two stored as JSON, like sources)
    type: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    target: str = ""  # the kind a ref/ref_list/weights key points at
    max_length: int | None = None  # text: the model field's limit (filled in by Kind)
    # A change to it changes what readers are told to do, or what the checker
    # answers: it waits for clinical sign-off (content/signoff.py).
    clinical: bool = False

    def default_value(self):
        return list(self.default) if isinstance(self.default, list | tuple) else self.default

    @property
    def is_relation(self):
        """Stored as links to other items, which a saved item alone can hold."""
        return self.type in ("ref_list", "weights")


@dataclass(frozen=True)
class Kind:
    name: str  # the folder name, e.g. "causes"
    model: type
    keys: tuple
    body: str = "required"  # required, optional or none
    slug_in_fragment: bool = False  # items are anchors on one page: /faq/#<slug>
    all_clinical: bool = False  # every key waits for sign-off (triage rules)

    def __post_init__(self):
        # Text limits come from the model, so the import refuses what the
        # database would (PostgreSQL enforces them; SQLite does not).
        keys = tuple(self._with_limit(key) for key in self.keys)
        if self.all_clinical:
            keys = tuple(replace(key, clinical=True) for key in keys)
        object.__setattr__(self, "keys", keys)

    @cached_property
    def defaults(self):
        """The optional keys' defaults, by name."""
        return {key.name: key.default_value() for key in self.keys if not key.required}

    def _with_limit(self, key):
        if key.type != "text":
            return key
        field = self.model._meta.get_field(key.name)
        return replace(key, max_length=getattr(field, "max_length", None))

    @property
    def url_name(self):
        """The route that shows one item (advice:<url_name>), or "" if none: the
        model's own (``models.OwnPage``)."""
        return getattr(self.model, "detail_url_name", "")

    @property
    def slug_max_length(self):
        return self.model._meta.get_field("slug").max_length

    @property
    def clinical_keys(self):
        """The record keys whose changes wait for clinical sign-off: the flagged keys
        and the body (every body tells readers something about their health)."""
        names = [key.name for key in self.keys if key.clinical]
        if names and self.body != "none":
            names.append(BODY)
        return tuple(names)


def _common_keys():
    return (
        Key("title", "text", required=True),
        Key("summary", "text", required=True),
        # Putting a page up, or taking a red flag down, changes what readers are told.
        Key("published", "bool", default=True, clinical=True),
        Key("last_reviewed", "date", required=True),
        Key("next_review", "date", required=True),
        Key("owner", "text", required=True),
        Key("clinical_reviewer", "text", required=True),
        Key("sources", "sources", required=True),
        Key("fact_origin", "text_list", default=[]),
        Key("source_check", "text", default=""),
    )


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "topics",
            models.Topic,
            (
                Key("title", "text", required=True),
                Key("summary", "text", required=True),
                Key("order", "int", default=0),
            ),
            body="none",
        ),
        Kind(
            "synonyms",
            models.Synonym,
            (
                Key("words", "text_list", required=True),
                Key("means", "text_list", required=True),
            ),
            body="none",
        ),
        Kind("pages", models.Page, _common_keys()),
        Kind(
            "symptoms",
            models.Symptom,
            (
                *_common_keys(),
                # The hint and the group change what the checker asks.
                Key("hint", "text", default="", clinical=True),
                Key(
                    "group",
                    "choice",
                    required=True,
                    choices=tuple(SymptomGroup.values),
                    clinical=True,
                ),
                Key("order", "int", default=0),
                Key(
                    "care_level",
                    "choice",
                    required=True,
                    choices=tuple(CareLevel.values),
                    clinical=True,
                ),
            ),
            body="optional",
        ),
        Kind(
            "triage-rules",
            models.TriageRule,
            (
                *_common_keys(),
                Key("level", "choice", required=True, choices=tuple(CareLevel.values)),
                Key("reason", "text", required=True),
                Key("when", "condition", required=True, target="symptoms"),
                Key("order", "int", default=0),
            ),
            body="optional",
            all_clinical=True,
        ),
        Kind(
            "remedies",
            models.Remedy,
            (
                *_common_keys(),
                Key("kind", "choice", required=True, choices=tuple(RemedyKind.values)),
                Key("action", "text", default="", clinical=True),
                Key("order", "int", default=0),
                Key(
                    "phases",
                    "choice_list",
                    required=True,
                    choices=tuple(Phase.values),
                    clinical=True,
                ),
                Key(
                    "avoid_phases",
                    "choice_list",
                    default=[],
                    choices=tuple(Phase.values),
                    clinical=True,
                ),
                Key("cautions", "text_list", required=True, clinical=True),
                Key("illustration", "text", default=""),
                Key("illustration_alt", "text", default=""),
            ),
        ),
        Kind(
            "running-stages",
            models.RunningStage,
            (
                *_common_keys(),
                Key("order", "int", required=True),
                Key("aim", "text", required=True),
                Key("pain_rule", "text", required=True, clinical=True),
                Key("checks", "checks", required=True, clinical=True),
                Key("exercises", "exercises", default=[], target="remedies", clinical=True),
            ),
        ),
        Kind(
            "causes",
            models.Cause,
            (
                *_common_keys(),
                Key("also_known_as", "text_list", default=[]),
                Key("order", "int", default=0),
                Key("recovery_time", "text", required=True, clinical=True),
                Key("symptoms", "weights", required=True, target="symptoms", clinical=True),
                # The remedies the checker suggests when this cause is likely.
                Key("remedies", "ref_list", default=[], target="remedies", clinical=True),
                Key("care", "care", required=True, target="symptoms", clinical=True),
                Key(
                    "care_when_likely",
                    "choice",
                    default=CareLevel.SELF_CARE.value,
                    choices=tuple(CareLevel.values),
                    clinical=True,
                ),
                Key("acute_injury", "bool", default=False, clinical=True),
                Key(
                    "ages",
                    "choice_list",
                    default=[],
                    choices=tuple(AgeBand.values),
                    clinical=True,
                ),
            ),
        ),
        Kind(
            "articles",
            models.Article,
            (
                *_common_keys(),
                Key("topic", "ref", required=True, target="topics"),
                Key("causes", "ref_list", default=[], target="causes"),
                Key("remedies", "ref_list", default=[], target="remedies"),
                Key("featured", "bool", default=False),
            ),
        ),
        Kind(
            "faqs",
            models.FAQ,
            (
                *_common_keys(),
                Key("topic", "ref", required=True, target="topics"),
                Key("order", "int", default=0),
                Key("popular", "bool", default=False),
                Key("causes", "ref_list", default=[], target="causes"),
            ),
            slug_in_fragment=True,
        ),
    )
}
# Dependency order: a kind only refers to kinds before it.
KIND_ORDER = list(KINDS)


def kind_for_model(model):
    return next(kind for kind in KINDS.values() if kind.model is model)


KIND_BY_URL_NAME = {kind.url_name: kind for kind in KINDS.values() if kind.url_name}


# --- Records from the database ---------------------------------------------


def record_from_instance(kind, obj):
    """The record of a saved item (relations read through prefetches when present)."""
    stored = LiveItem(obj)
    record = {key.name: record_value(key, stored) for key in kind.keys}
    if kind.body != "none":
        record["body"] = normalise_body(obj.body)
    return record


def record_value(key, stored):
    """A key's value as a record holds it, from the way the database stores it.

    ``stored`` reads one stored item: a live instance (``LiveItem``) or a
    version in the history (``history.SavedItem``), so that the pages that
    compare the two can never read a value two different ways.
    """
    if key.type == "text_list":
        return models.split_lines(stored.field(key.name))
    if key.type == "choice_list":
        return list(stored.field(key.name))
    if key.type == "ref":
        return stored.ref_slug(key)
    if key.type == "ref_list":
        return sorted(stored.ref_slugs(key))
    if key.type == "weights":
        return stored.weights()
    if key.type == "care":
        return {
            card.card_key: [
                card_entry(line) for line in models.split_lines(stored.field(card.card_field))
            ]
            for card in CARDS
            if stored.field(card.card_field).strip()
        }
    return stored.field(key.name)


class LiveItem:
    """A saved instance, as record_value reads it."""

    def __init__(self, obj):
        self.obj = obj

    def field(self, name):
        return getattr(self.obj, name)

    def ref_slug(self, key):
        return getattr(self.obj, key.name).slug

    def ref_slugs(self, key):
        return [item.slug for item in getattr(self.obj, key.name).all()]

    def weights(self):
        return {link.symptom.slug: link.weight for link in self.obj.symptom_links.all()}


def card_entry(line):
    """A stored card line as a file writes it: text, or {text, when}."""
    text, when = split_card_line(line)
    return {"text": text, "when": when} if when else text


def _card_line(entry):
    return card_line(entry["text"], entry["when"]) if isinstance(entry, dict) else entry


def prefetch_for(kind, queryset):
    """``queryset`` with the relations that record_from_instance reads: of a linked
    item, its slug only (not its body, once for every item linking to it)."""
    related = [key.name for key in kind.keys if key.type == "ref"]
    many = [
        Prefetch(key.name, queryset=KINDS[key.target].model.objects.only("slug"))
        for key in kind.keys
        if key.type == "ref_list"
    ]
    if any(key.type == "weights" for key in kind.keys):
        links = models.CauseSymptom.objects.select_related("symptom")
        many.append(Prefetch("symptom_links", links.only("cause", "weight", "symptom__slug")))
    return queryset.select_related(*related).prefetch_related(*many)


# --- Writing records to the database ---------------------------------------


class DatabaseLookup:
    """Finds saved items by kind and slug for relations, one query per kind."""

    def __init__(self):
        self._by_kind = {}

    def __call__(self, kind_name, slug):
        if kind_name not in self._by_kind:
            model = KINDS[kind_name].model
            # A relation needs the key only: not every linked item's body.
            self._by_kind[kind_name] = {obj.slug: obj for obj in model.objects.only("slug")}
        return self._by_kind[kind_name][slug]


def apply_record(kind, obj, record, lookup):
    """Set ``obj``'s fields from ``record`` and save it with its relations.

    ``lookup(kind_name, slug)`` returns the saved instance a reference means.
    """
    for key in kind.keys:
        _write_simple_value(key, obj, record[key.name], lookup)
    if kind.body != "none":
        obj.body = record["body"]
    new = obj._state.adding
    obj.save()
    for key in kind.keys:
        _write_relation(key, obj, record[key.name], lookup, new)


def _write_simple_value(key, obj, value, lookup):
    if key.type == "text_list":
        setattr(obj, key.name, "\n".join(value))
    elif key.type == "ref":
        setattr(obj, key.name, lookup(key.target, value))
    elif key.type == "care":
        for card in CARDS:
            lines = [_card_line(entry) for entry in value.get(card.card_key, [])]
            setattr(obj, card.card_field, "\n".join(lines))
    elif not key.is_relation:
        setattr(obj, key.name, value)


def _write_relation(key, obj, value, lookup, new):
    """Write a relation of ``obj``; a ``new`` item has no links yet to replace."""
    if key.type == "ref_list":
        linked = [lookup(key.target, slug) for slug in value]
        if new:
            getattr(obj, key.name).add(*linked)
        else:
            getattr(obj, key.name).set(linked)
    elif key.type == "weights":
        if not new:
            obj.symptom_links.all().delete()
        models.CauseSymptom.objects.bulk_create(
            models.CauseSymptom(cause=obj, symptom=lookup("symptoms", slug), weight=weight)
            for slug, weight in value.items()
        )


# --- Hashing ----------------------------------------------------------------


def normalise_body(body):
    """Bodies compare equal whatever their trailing whitespace or line endings."""
    lines = body.replace("\r\n", "\n").strip("\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def count_leading_blank_lines(body):
    """How many lines ``normalise_body`` drops from the top of ``body``: the offset of
    line numbers in the normalised body from the lines the editor wrote."""
    for count, line in enumerate(body.split("\n")):
        if line.strip():
            return count
    return 0


def record_hash(kind, record):
    """The fingerprint of a record that ``imported_hash`` stores.

    Keys at their default are left out, so that a key added to a kind (or
    retired while nobody set it) leaves every saved item's fingerprint as it
    was: otherwise the next import would take each changed file's item for
    one edited in the admin, and keep it.
    """
    defaults = kind.defaults
    return _fingerprint(
        kind,
        {
            name: value
            for name, value in record.items()
            if name not in defaults or value != defaults[name]
        },
    )


def matches_stored_hash(kind, record, stored_hash):
    """Whether ``stored_hash`` (an item's ``imported_hash``) was taken of ``record``.

    Hashes stored before keys at their default were left out took in every
    key. They still match, so that upgrading mistakes no item for an admin
    edit; the next import or export of the item stores the new form.
    """
    return stored_hash == record_hash(kind, record) or stored_hash == _fingerprint(kind, record)


def _fingerprint(kind, record):
    payload = json.dumps(
        _links_as_sets(kind, record), sort_keys=True, default=_iso, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _links_as_sets(kind, data):
    """``data`` with each list of links to other items sorted: they are stored as
    sets, so their order is not content."""
    data = dict(data)
    for key in kind.keys:
        if key.type == "ref_list" and key.name in data:
            data[key.name] = sorted(data[key.name])
    return data


def comparable(kind, record, slug):
    """An item's slug and record as plain JSON data, linked items as sorted sets.

    Two of these are equal exactly when the items hold the same content; the
    admin compares them to find conflicting saves, the history to list what
    changed.
    """
    data = _links_as_sets(kind, {"slug": slug, **record})
    return json.loads(json.dumps(data, default=_iso, ensure_ascii=False))


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")

"""Loads the published checker content into the engine's plain data, in six queries.

Only published symptoms, causes and remedies take part, and only links between
published items. The number of queries does not grow with the content. URLs are
reversed here, once per content version, not every time a result shows them.

``checker_data()`` keeps the loaded data in the process for as long as the
content version (a database row every app server shares) stays the same, so a
checker request costs one query, and a change to the content is seen at once.
Only published content is kept: nothing a reader enters.
"""

from types import MappingProxyType

from advice.care import CARDS
from advice.content.version import per_content_version
from advice.models import Cause, CauseSymptom, Remedy, Symptom, TriageRule, split_lines
from advice.triage import When, split_card_line

from .engine.inputs import CardEntry, CauseInfo, CheckerData, RemedyInfo, RuleInfo, SymptomInfo
from .vignettes import run


@per_content_version
def checker_data():
    """The checker's data for the current content version."""
    return load_checker_data()


@per_content_version
def current_scorecard():
    """The vignettes' scorecard for the current content version."""
    return run(checker_data())


def load_checker_data():
    symptoms = tuple(
        SymptomInfo(**row)
        for row in Symptom.objects.published().values(
            "slug", "title", "hint", "group", "order", "care_level", "summary"
        )
    )
    remedies = {
        row["slug"]: RemedyInfo(
            slug=row["slug"],
            title=row["title"],
            kind=row["kind"],
            phases=tuple(row["phases"]),
            avoid_phases=tuple(row["avoid_phases"]),
            url=Remedy.url_for_slug(row["slug"]),
            action=row["action"],
            order=row["order"],
        )
        for row in Remedy.objects.published().values(
            "slug", "title", "kind", "phases", "avoid_phases", "action", "order"
        )
    }
    weights = {}
    for cause_id, symptom, weight in CauseSymptom.objects.filter(
        cause__published=True, symptom__published=True
    ).values_list("cause_id", "symptom__slug", "weight"):
        weights.setdefault(cause_id, {})[symptom] = weight
    cause_remedies = {}
    for cause_id, remedy in (
        Cause.remedies.through.objects.filter(cause__published=True, remedy__published=True)
        .order_by("remedy__title", "remedy__slug")
        .values_list("cause_id", "remedy__slug")
    ):
        cause_remedies.setdefault(cause_id, []).append(remedy)
    card_fields = [card.card_field for card in CARDS]
    causes = tuple(
        CauseInfo(
            slug=row["slug"],
            title=row["title"],
            url=Cause.url_for_slug(row["slug"]),
            weights=MappingProxyType(weights[row["pk"]]),
            remedies=tuple(cause_remedies.get(row["pk"], ())),
            card_entries=_card_entries(row),
            care_when_likely=row["care_when_likely"],
            acute_injury=row["acute_injury"],
            ages=frozenset(row["ages"]),
        )
        for row in Cause.objects.published().values(
            "pk", "slug", "title", "care_when_likely", "acute_injury", "ages", *card_fields
        )
        if row["pk"] in weights
    )
    rules = tuple(
        RuleInfo(
            slug=row["slug"],
            title=row["title"],
            level=row["level"],
            reason=row["reason"],
            condition=When.from_value(row["when"]),
        )
        for row in TriageRule.objects.published().values("slug", "title", "level", "reason", "when")
    )
    return CheckerData(
        symptoms=symptoms, causes=causes, remedies=MappingProxyType(remedies), rules=rules
    )


def _card_entries(row):
    return tuple(
        CardEntry(card.level, text, When.from_value(when) if when else None)
        for card in CARDS
        for text, when in map(split_card_line, split_lines(row[card.card_field]))
    )

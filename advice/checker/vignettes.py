"""Clinical vignettes: the checker's test cases, kept as data, and its scorecard.

``vignettes.yaml`` holds cases written from clinical guidance (not from the
weights), each with the care level a triage nurse would give and the causes a
clinician would accept as the first answer. ``scorecard()`` runs them all
against some ``CheckerData``; the safety gate (``safety_gate``) compares two
runs so that no content change can make a safety-critical case less urgent
than it should be.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from advice.care import CareLevel
from advice.memo import per_process

from .engine import check
from .engine.inputs import Answers

VIGNETTES_PATH = Path(__file__).with_name("vignettes.yaml")


@dataclass(frozen=True)
class Vignette:
    id: str
    case: str
    answers: Answers
    care: str  # the expected level
    safety_critical: bool
    causes: tuple[str, ...]  # acceptable first answers
    source: str
    line: int  # where it starts in vignettes.yaml


@dataclass(frozen=True)
class Outcome:
    vignette: Vignette
    care: str  # the checker's level
    causes: tuple[str, ...]  # the checker's causes, best first

    @property
    def safe(self):
        return CareLevel.rank(self.care) >= CareLevel.rank(self.vignette.care)

    @property
    def exact(self):
        return self.care == self.vignette.care

    @property
    def over_triaged(self):
        return CareLevel.rank(self.care) > CareLevel.rank(self.vignette.care)

    @property
    def top1(self):
        return bool(self.causes) and self.causes[0] in self.vignette.causes

    @property
    def top3(self):
        return bool(set(self.causes[:3]) & set(self.vignette.causes))


@dataclass(frozen=True)
class Scorecard:
    outcomes: tuple[Outcome, ...]

    def _share(self, outcomes, test):
        # No cases, no claim: an empty scorecard reports 0%, never 100%.
        return sum(1 for o in outcomes if test(o)) / len(outcomes) if outcomes else 0.0

    @property
    def total(self):
        return len(self.outcomes)

    @property
    def safety_critical(self):
        return tuple(o for o in self.outcomes if o.vignette.safety_critical)

    @property
    def self_care(self):
        return tuple(o for o in self.outcomes if o.vignette.care == CareLevel.SELF_CARE)

    @property
    def under_triaged(self):
        return tuple(o for o in self.outcomes if not o.safe)

    @property
    def over_triaged(self):
        return tuple(o for o in self.outcomes if o.over_triaged)

    @property
    def top1_rate(self):
        return self._share(self.outcomes, lambda o: o.top1)

    @property
    def top3_rate(self):
        return self._share(self.outcomes, lambda o: o.top3)

    @property
    def exact_rate(self):
        return self._share(self.outcomes, lambda o: o.exact)

    @property
    def safe_rate(self):
        return self._share(self.outcomes, lambda o: o.safe)

    @property
    def safety_critical_safe_rate(self):
        return self._share(self.safety_critical, lambda o: o.safe)

    @property
    def self_care_over_triage_rate(self):
        return self._share(self.self_care, lambda o: o.over_triaged)

    def lines(self):
        """The scorecard as the command and the public page print it."""
        return [
            f"Vignettes: {self.total} ({len(self.safety_critical)} safety-critical)",
            f"Top-1 cause acceptable: {self.top1_rate:.0%}",
            f"Top-3 causes include an acceptable one: {self.top3_rate:.0%}",
            f"Exact care level: {self.exact_rate:.0%}",
            f"Safe care level (right or more urgent): {self.safe_rate:.0%}",
            f"Safety-critical cases at a safe level: {self.safety_critical_safe_rate:.0%}",
            f"Under-triaged: {len(self.under_triaged)}",
            f"Over-triaged: {len(self.over_triaged)} "
            f"(self-care cases over-triaged: {self.self_care_over_triage_rate:.0%})",
        ]


@per_process
def load_vignettes(path=VIGNETTES_PATH):
    """Every vignette in ``path``, in file order."""
    text = Path(path).read_text(encoding="utf-8")
    nodes = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    return tuple(
        _vignette(entry, node.start_mark.line + 1)
        for entry, node in zip(data, nodes.value, strict=True)
    )


def _vignette(entry, line):
    answers = entry["answers"]
    expect = entry["expect"]
    return Vignette(
        id=entry["id"],
        case=entry["case"],
        answers=Answers(
            symptoms=tuple(dict.fromkeys(answers["symptoms"])),
            duration=answers.get("duration"),
            severity=answers.get("severity"),
            age=answers.get("age"),
        ),
        care=expect["care"],
        safety_critical=bool(expect.get("safety_critical")),
        causes=tuple(expect["causes"]),
        source=entry["source"],
        line=line,
    )


def run(data, vignettes=None):
    """The checker's answer to every vignette whose symptoms are all published."""
    outcomes = []
    for vignette in vignettes if vignettes is not None else load_vignettes():
        if not all(slug in data.symptoms_by_slug for slug in vignette.answers.symptoms):
            continue  # a draft symptom: the public checker cannot be asked this case
        result = check(data, vignette.answers)
        causes = tuple(match.cause.slug for match in result.causes)
        outcomes.append(Outcome(vignette, result.care.code, causes))
    return Scorecard(tuple(outcomes))


@dataclass(frozen=True)
class GateReport:
    """What a content change does to the vignettes."""

    less_safe: tuple[tuple[Outcome, Outcome], ...]  # (before, after): refuse the change
    ranking_changed: tuple[tuple[Outcome, Outcome], ...]  # (before, after): show the editor
    # Safety vignettes the checker could answer before but not after: a symptom
    # they need would no longer be published (unpublished or deleted).
    unanswerable: tuple[Outcome, ...] = ()

    def refusals(self):
        """(vignette, message) for each reason to refuse the change."""
        lowered = [
            (
                after.vignette,
                f"safety vignette {after.vignette.id!r} ({after.vignette.case}) would get "
                f"{after.care} instead of {before.care}; it needs at least {after.vignette.care}",
            )
            for before, after in self.less_safe
        ]
        lost = [
            (
                before.vignette,
                f"safety vignette {before.vignette.id!r} ({before.vignette.case}) could no "
                f"longer be answered: a symptom it needs "
                f"({', '.join(before.vignette.answers.symptoms)}) would not be published",
            )
            for before in self.unanswerable
        ]
        return lowered + lost

    def ranking_messages(self):
        return [
            f"vignette {after.vignette.id!r}: causes {', '.join(before.causes[:3]) or 'none'} "
            f"would become {', '.join(after.causes[:3]) or 'none'}"
            for before, after in self.ranking_changed
        ]


def safety_gate(before, after):
    """Compare two scorecards of the same vignettes (before and after a change).

    A safety-critical vignette whose level drops, to below what it needs, is a
    change to refuse, and so is one that could be answered before and cannot
    after (a red flag it needs unpublished or deleted); one whose top three
    causes change is shown to the editor.
    """
    previous = {o.vignette.id: o for o in before.outcomes}
    answered = {o.vignette.id for o in after.outcomes}
    unanswerable = tuple(
        o for o in before.outcomes if o.vignette.safety_critical and o.vignette.id not in answered
    )
    less_safe, ranking_changed = [], []
    for outcome in after.outcomes:
        old = previous.get(outcome.vignette.id)
        if old is None:
            continue
        lowered = CareLevel.rank(outcome.care) < CareLevel.rank(old.care)
        if outcome.vignette.safety_critical and lowered and not outcome.safe:
            less_safe.append((old, outcome))
        elif old.causes[:3] != outcome.causes[:3]:
            ranking_changed.append((old, outcome))
    return GateReport(tuple(less_safe), tuple(ranking_changed), unanswerable)

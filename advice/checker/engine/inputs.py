"""What the engine works on: the published content as frozen data, and a reader's answers.

``checker/data.py`` builds ``CheckerData`` from the database once per content
version; the forms build ``Answers`` from the query string.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from advice.care import WORDING, CareLevel
from advice.triage import When
from advice.wording import in_sentence


@dataclass(frozen=True)
class SymptomInfo:
    slug: str
    title: str
    hint: str
    group: str
    order: int
    care_level: str
    summary: str = ""

    @property
    def is_red_flag(self):
        return self.care_level != CareLevel.SELF_CARE


@dataclass(frozen=True)
class RemedyInfo:
    slug: str
    title: str
    kind: str
    phases: tuple[str, ...]
    avoid_phases: tuple[str, ...]
    url: str
    action: str = ""  # one imperative sentence, for "What to do now"
    order: int = 0  # editors' reading order within a phase (lower first)


@dataclass(frozen=True)
class CardEntry:
    """One line of a cause's care card, and the condition under which it applies."""

    level: str  # a CareLevel
    text: str
    condition: When | None = None


@dataclass(frozen=True)
class CauseInfo:
    slug: str
    title: str
    url: str
    weights: Mapping[str, int]  # symptom slug -> 1..3
    remedies: tuple[str, ...]  # remedy slugs
    card_entries: tuple[CardEntry, ...] = ()  # least urgent card first, in card order
    care_when_likely: str = CareLevel.SELF_CARE
    acute_injury: bool = False
    ages: frozenset = frozenset()  # usual age bands; empty means any


@dataclass(frozen=True)
class RuleInfo:
    """A triage rule: answers meeting ``condition`` need at least ``level``."""

    slug: str
    title: str
    level: str
    reason: str
    condition: When

    @property
    def level_label(self):
        return in_sentence(WORDING[self.level].headline)


@dataclass(frozen=True)
class CheckerData:
    symptoms: tuple[SymptomInfo, ...]
    causes: tuple[CauseInfo, ...]
    remedies: Mapping[str, RemedyInfo]
    rules: tuple[RuleInfo, ...] = ()
    symptoms_by_slug: Mapping[str, SymptomInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "symptoms_by_slug", {s.slug: s for s in self.symptoms})


@dataclass(frozen=True)
class Answers:
    symptoms: tuple[str, ...]  # published symptom slugs, no repeats
    duration: str | None = None
    severity: int | None = None
    age: str | None = None

    @cached_property
    def ticked(self):
        return frozenset(self.symptoms)

    def meet(self, condition):
        return condition.met_by(self.ticked, self.severity, self.duration, self.age)

    def signs_meeting(self, condition):
        """The ticked symptoms by which these answers meet ``condition`` (see ``When``)."""
        return condition.signs_meeting(self.ticked, self.severity, self.duration, self.age)

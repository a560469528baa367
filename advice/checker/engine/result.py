"""What the engine returns, and its JSON shape (documented in docs/checker.md)."""

from dataclasses import dataclass

from advice.care import WORDING
from advice.models import Phase

from .inputs import Answers, CauseInfo, RemedyInfo, SymptomInfo

DISCLAIMER = (
    "This checker gives general information, not a diagnosis. It cannot examine you. "
    "If you are worried, or your symptoms get worse, contact a doctor, a physiotherapist "
    "or NHS 111."
)

# What not to do in the first 72 hours (the NHS "HARM" list), besides any
# remedies whose content says to avoid them in that phase.
HARM = (
    "Heat, such as hot baths, saunas or heat packs",
    "Alcohol",
    "Running or other hard exercise",
    "Massage",
)


@dataclass(frozen=True)
class Reason:
    """One thing the reader told us that sets how urgent their care is."""

    level: str
    text: str


@dataclass(frozen=True)
class CareResult:
    code: str
    because: tuple[Reason, ...]  # the reasons at the result's level

    @property
    def wording(self):
        return WORDING[self.code]

    @property
    def title(self):
        return self.wording.headline

    @property
    def advice(self):
        return self.wording.advice


@dataclass(frozen=True)
class CauseMatch:
    cause: CauseInfo
    score: float
    strength: str
    matched: tuple[SymptomInfo, ...]  # strongest link first
    evidence: int  # matched evidence (squared weights), the first tie-breaker


@dataclass(frozen=True)
class RemedyPick:
    remedy: RemedyInfo
    phase: str

    @property
    def phase_label(self):
        return Phase(self.phase).label


@dataclass(frozen=True)
class SafetyNet:
    """What would make this result more urgent: "get help now if you notice..."."""

    wording: object  # the CareWording of the level these signs call for
    signs: tuple[str, ...]


@dataclass(frozen=True)
class CheckerResult:
    answers: Answers
    selected: tuple[SymptomInfo, ...]
    care: CareResult
    causes: tuple[CauseMatch, ...]
    remedies: tuple[RemedyPick, ...]
    avoid_now: tuple[RemedyInfo, ...]  # remedies to hold off while first aid applies
    first_aid_phase: bool  # an injury's first-72-hours advice leads (and HARM applies)
    duration_unknown: bool
    safety_net: tuple[SafetyNet, ...] = ()

    @property
    def harm(self):
        return HARM if self.first_aid_phase else ()


def result_as_json(result):
    """The documented JSON shape of a result (see docs/checker.md)."""
    care = result.care
    return {
        "care_level": {
            "code": care.code,
            "title": care.title,
            "advice": care.advice,
            "because": [reason.text for reason in care.because],
        },
        "causes": [
            {
                "slug": m.cause.slug,
                "title": m.cause.title,
                "score": round(m.score, 3),
                "strength": m.strength,
                "matched": [s.slug for s in m.matched],
                "url": m.cause.url,
            }
            for m in result.causes
        ],
        "remedies": [
            {"slug": p.remedy.slug, "title": p.remedy.title, "phase": p.phase, "url": p.remedy.url}
            for p in result.remedies
        ],
        "disclaimer": DISCLAIMER,
    }

"""The symptom-checker engine: pure functions over plain, already-loaded data.

Nothing here touches the request or writes to the database. ``checker_data``
loads the published content into the frozen dataclasses below; ``check()``
turns a person's answers into a ``CheckerResult``; the views render that
result as HTML or as JSON (``result_as_json``). The scoring is explained in
``docs/checker.md``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import TextChoices

from advice.care import CARD_BY_KEY, WORDING, CareLevel
from advice.models import Phase, RemedyKind

DISCLAIMER = (
    "This checker gives general information, not a diagnosis. It cannot examine you. "
    "If you are worried, or your symptoms get worse, contact a doctor, a physiotherapist "
    "or NHS 111."
)


class Duration(TextChoices):
    UNDER_3_DAYS = "under-3-days", "Less than 3 days"
    DAYS_3_TO_14 = "3-to-14-days", "3 to 14 days"
    WEEKS_2_TO_6 = "2-to-6-weeks", "2 to 6 weeks"
    OVER_6_WEEKS = "over-6-weeks", "More than 6 weeks"


SEVERITY_MIN, SEVERITY_MAX = 0, 10

# Care-level floors: pain that has not settled within two weeks, or that is
# severe now, deserves a professional look whatever the other answers are.
LONG_DURATIONS = frozenset({Duration.WEEKS_2_TO_6, Duration.OVER_6_WEEKS})
SEVERE_FROM = 8

# Cause scoring (see docs/checker.md). A link's weight on the 1-3 scale is
# turned into evidence by squaring it, so that "typical and telling" (3) counts
# nine times "can happen" (1): a pile of weak links cannot outvote a telling one.
MAX_WEIGHT = 3
BETA = 0.4  # F-beta: coverage of the answers weighs 1/BETA² (over 6x) as much as profile fit.
MIN_SCORE = 0.2
RELATIVE_CUT = 0.5  # a cause scoring under half the best one would only distract
MAX_CAUSES = 4
STRENGTHS = ((0.6, "strong match"), (0.35, "possible match"), (MIN_SCORE, "weaker match"))

# Remedies: which phase fits each duration, most fitting first. Past the first
# three days, first-aid-only remedies no longer fit and are left out.
PHASE_ORDER = {
    None: (Phase.FIRST_72_HOURS, Phase.RECOVERY, Phase.PREVENTION),
    Duration.UNDER_3_DAYS: (Phase.FIRST_72_HOURS, Phase.RECOVERY, Phase.PREVENTION),
    Duration.DAYS_3_TO_14: (Phase.RECOVERY, Phase.PREVENTION),
    Duration.WEEKS_2_TO_6: (Phase.RECOVERY, Phase.PREVENTION),
    Duration.OVER_6_WEEKS: (Phase.RECOVERY, Phase.PREVENTION),
}
KIND_ORDER = tuple(RemedyKind.values)
MAX_REMEDIES = 8
# What not to do in the first 72 hours (the NHS "HARM" list), besides any
# remedies whose content says to avoid them in that phase.
HARM = (
    "Heat, such as hot baths, saunas or heat packs",
    "Alcohol",
    "Running or other hard exercise",
    "Massage",
)


# --- The data the engine works on -------------------------------------------


@dataclass(frozen=True)
class SymptomInfo:
    slug: str
    title: str
    hint: str
    group: str
    order: int
    care_level: str

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


@dataclass(frozen=True)
class CauseInfo:
    slug: str
    title: str
    url: str
    weights: Mapping[str, int]  # symptom slug -> 1..3
    remedies: tuple[str, ...]  # remedy slugs
    care_cards: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("urgent", (condition, ...))


@dataclass(frozen=True)
class CheckerData:
    symptoms: tuple[SymptomInfo, ...]
    causes: tuple[CauseInfo, ...]
    remedies: Mapping[str, RemedyInfo]
    symptoms_by_slug: Mapping[str, SymptomInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "symptoms_by_slug", {s.slug: s for s in self.symptoms})


@dataclass(frozen=True)
class Answers:
    symptoms: tuple[str, ...]  # published symptom slugs, no repeats
    duration: str | None = None
    severity: int | None = None

    @property
    def duration_label(self):
        return Duration(self.duration).label if self.duration else ""


# --- The result -------------------------------------------------------------


@dataclass(frozen=True)
class CareResult:
    code: str
    because: tuple[SymptomInfo, ...]  # the selected red flags at the result's level
    raised_by_duration: bool = False
    raised_by_severity: bool = False

    @property
    def wording(self):
        return WORDING[self.code]

    @property
    def title(self):
        return self.wording.headline

    @property
    def advice(self):
        return self.wording.advice

    @property
    def is_urgent(self):
        return self.code in (CareLevel.URGENT, CareLevel.EMERGENCY)


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
class CheckerResult:
    answers: Answers
    selected: tuple[SymptomInfo, ...]
    care: CareResult
    causes: tuple[CauseMatch, ...]
    remedies: tuple[RemedyPick, ...]
    avoid_now: tuple[RemedyInfo, ...]  # remedies to hold off while first aid applies
    first_aid_phase: bool  # the first-72-hours advice leads (and HARM applies)
    duration_unknown: bool

    @property
    def harm(self):
        return HARM if self.first_aid_phase else ()

    @property
    def safety_net(self):
        """The likeliest cause's care cards that are more urgent than this result."""
        if not self.causes:
            return ()
        rank = CareLevel.rank(self.care.code)
        return tuple(
            (CARD_BY_KEY[key], conditions)
            for key, conditions in self.causes[0].cause.care_cards
            if CareLevel.rank(CARD_BY_KEY[key].level) > rank
        )


# --- The engine -------------------------------------------------------------


def check(data, answers):
    """The whole result for one set of answers: care level, causes, remedies."""
    selected = tuple(data.symptoms_by_slug[slug] for slug in answers.symptoms)
    care = care_level(selected, answers.duration, answers.severity)
    causes = rank_causes(data.causes, selected)
    remedies, avoid_now, first_aid = pick_remedies(
        data.remedies, causes, answers.duration, care.code
    )
    return CheckerResult(
        answers=answers,
        selected=selected,
        care=care,
        causes=causes,
        remedies=remedies,
        avoid_now=avoid_now,
        first_aid_phase=first_aid,
        duration_unknown=answers.duration is None,
    )


def care_level(selected, duration=None, severity=None):
    """The most urgent level among the symptoms, raised by long or severe pain."""
    level = max((s.care_level for s in selected), key=CareLevel.rank, default=CareLevel.SELF_CARE)
    long_pain = duration in LONG_DURATIONS
    severe = severity is not None and severity >= SEVERE_FROM
    if (long_pain or severe) and CareLevel.rank(level) < CareLevel.rank(CareLevel.SOON):
        level = CareLevel.SOON
    at_soon = level == CareLevel.SOON
    return CareResult(
        code=level,
        because=tuple(s for s in selected if s.is_red_flag and s.care_level == level),
        raised_by_duration=at_soon and long_pain,
        raised_by_severity=at_soon and severe,
    )


def evidence(weight):
    return weight * weight


def score_cause(cause, selected_slugs):
    """(score, matched slugs, matched evidence) for one cause; score 0 when nothing matches.

    The score is an F-beta measure of two fractions of evidence:
    - fit: how much of the cause's whole profile the answers show (so a cause
      with many links does not win by size alone), and
    - coverage: how much of what the person told us the cause explains (so a
      narrow risk factor does not beat the injury that explains the rest).
    """
    matched = [slug for slug in selected_slugs if slug in cause.weights]
    if not matched:
        return 0.0, (), 0
    got = sum(evidence(cause.weights[slug]) for slug in matched)
    fit = got / sum(evidence(w) for w in cause.weights.values())
    coverage = got / (evidence(MAX_WEIGHT) * len(selected_slugs))
    b2 = BETA * BETA
    score = (1 + b2) * fit * coverage / (b2 * coverage + fit)
    matched.sort(key=lambda slug: -cause.weights[slug])  # stable: answer order within a weight
    return score, tuple(matched), got


def strength(score):
    return next(label for floor, label in STRENGTHS if score >= floor)


def rank_causes(causes, selected):
    """The best few causes for the selected symptoms, best first.

    Ties go to the cause with more matched evidence, then to the title (then
    the slug), so the order never depends on the database.
    """
    by_slug = {s.slug: s for s in selected}
    scored = []
    for cause in causes:
        score, matched, got = score_cause(cause, tuple(by_slug))
        if score >= MIN_SCORE:
            symptoms = tuple(by_slug[slug] for slug in matched)
            scored.append(CauseMatch(cause, score, strength(score), symptoms, got))
    scored.sort(key=lambda m: (-m.score, -m.evidence, m.cause.title, m.cause.slug))
    if scored:
        floor = scored[0].score * RELATIVE_CUT
        scored = [m for m in scored if m.score >= floor]
    return tuple(scored[:MAX_CAUSES])


def pick_remedies(remedies, cause_matches, duration, care_code):
    """(picks, avoid_now, first_aid_phase) from the remedies of the likely causes.

    Each remedy is placed in the first phase, in the order that fits the
    duration, that it helps with and is safe in. Emergencies get no remedies
    (the only advice is to get help now); for urgent care, only first aid
    until the person has been seen.
    """
    if care_code == CareLevel.EMERGENCY:
        return (), (), False
    urgent = care_code == CareLevel.URGENT
    phases = (Phase.FIRST_72_HOURS,) if urgent else PHASE_ORDER[duration]
    first_aid = phases[0] == Phase.FIRST_72_HOURS

    relevance = {}  # remedy slug -> summed score of the causes that list it
    for match in cause_matches:
        for slug in match.cause.remedies:
            if slug in remedies:
                relevance[slug] = relevance.get(slug, 0.0) + match.score

    picks, avoid_now = [], []
    for slug, weight in relevance.items():
        remedy = remedies[slug]
        if first_aid and Phase.FIRST_72_HOURS in remedy.avoid_phases:
            avoid_now.append(remedy)
        phase = next(
            (p for p in phases if p in remedy.phases and p not in remedy.avoid_phases), None
        )
        if phase is not None:
            order = (phases.index(phase), -weight, _kind_rank(remedy), remedy.title, slug)
            picks.append((order, RemedyPick(remedy, phase)))
    picks.sort(key=lambda pair: pair[0])
    avoid_now.sort(key=lambda r: (r.title, r.slug))
    return tuple(pick for _, pick in picks[:MAX_REMEDIES]), tuple(avoid_now), first_aid


def _kind_rank(remedy):
    return KIND_ORDER.index(remedy.kind) if remedy.kind in KIND_ORDER else len(KIND_ORDER)


def result_as_json(result):
    """The documented JSON shape of a result (see docs/checker.md)."""
    care = result.care
    return {
        "care_level": {
            "code": care.code,
            "title": care.title,
            "advice": care.advice,
            "because": [s.slug for s in care.because],
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


def appointment_summary(result):
    """Plain text of the answers and the result, to copy or print for an appointment."""
    answers = result.answers
    lines = ["Hamstring pain: summary from the symptom checker", "", "What I noticed:"]
    lines += [f"- {s.title}" for s in result.selected]
    if answers.duration:
        lines.append(f"How long I have had it: {answers.duration_label.lower()}")
    if answers.severity is not None:
        lines.append(f"How bad it is now: {answers.severity} out of 10")
    lines += ["", f"Suggested care: {result.care.title}"]
    if result.causes:
        lines.append("Possible causes suggested:")
        lines += [f"- {m.cause.title} ({m.strength})" for m in result.causes]
    lines += ["", DISCLAIMER]
    return "\n".join(lines)

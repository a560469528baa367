"""The symptom-checker engine: pure functions over plain, already-loaded data.

Nothing here touches the request or writes to the database. ``checker_data``
loads the published content into the frozen dataclasses below; ``check()``
turns a person's answers into a ``CheckerResult``; the views render that
result as HTML or as JSON (``result_as_json``). The scoring is explained in
``docs/checker.md``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from advice.care import WORDING, CareLevel
from advice.models import Phase, RemedyKind
from advice.triage import AgeBand, Duration, When
from advice.wording import in_sentence

DISCLAIMER = (
    "This checker gives general information, not a diagnosis. It cannot examine you. "
    "If you are worried, or your symptoms get worse, contact a doctor, a physiotherapist "
    "or NHS 111."
)


# Cause scoring (see docs/checker.md). A link's weight on the 1-3 scale is
# turned into evidence by squaring it, so that "typical and telling" (3) counts
# nine times "can happen" (1): a pile of weak links cannot outvote a telling one.
MAX_WEIGHT = 3
BETA = 0.4  # F-beta: coverage of the answers weighs 1/BETA² (over 6x) as much as profile fit.
MIN_SCORE = 0.2
AGE_MISMATCH = 0.5  # a cause unusual at the reader's age counts half
RELATIVE_CUT = 0.5  # a cause scoring under half the best one would only distract
MAX_CAUSES = 4
STRONG, POSSIBLE = 0.6, 0.35
STRENGTHS = ((STRONG, "strong match"), (POSSIBLE, "possible match"), (MIN_SCORE, "weaker match"))

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

    @property
    def duration_label(self):
        return Duration(self.duration).label if self.duration else ""

    @property
    def age_label(self):
        return AgeBand(self.age).label if self.age else ""

    def meet(self, condition):
        return condition.met_by(set(self.symptoms), self.severity, self.duration, self.age)


# --- The result -------------------------------------------------------------


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


# --- The engine -------------------------------------------------------------


def check(data, answers):
    """The whole result for one set of answers: care level, causes, remedies."""
    selected = tuple(data.symptoms_by_slug[slug] for slug in answers.symptoms)
    causes = rank_causes(data.causes, selected, answers.age)
    likely_causes = likely(causes)
    care = care_level(data, answers, selected, likely_causes)
    injury = any(match.cause.acute_injury for match in likely_causes)
    remedies, avoid_now, first_aid = pick_remedies(
        data.remedies, causes, answers.duration, care.code, injury
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
        safety_net=safety_net(data, answers, care.code, likely_causes),
    )


def likely(causes):
    """The causes the result treats as likely: strong matches, and the best one if it is
    at least a possible match. Their care cards and floors apply to the result."""
    return tuple(
        match
        for index, match in enumerate(causes)
        if match.score >= STRONG or (index == 0 and match.score >= POSSIBLE)
    )


def care_level(data, answers, selected, likely_causes):
    """The most urgent level any reason calls for; self-care when none does.

    The reasons: a ticked symptom that is urgent on its own, a triage rule
    the answers meet, a line on a likely cause's care card whose condition the
    answers meet (so the checker never says less than the cause's own page
    for the same answers), and a likely cause that always needs care.
    """
    reasons = [Reason(s.care_level, s.title) for s in selected if s.is_red_flag]
    reasons += [
        Reason(rule.level, rule.reason) for rule in data.rules if answers.meet(rule.condition)
    ]
    for match in likely_causes:
        cause = match.cause
        reasons += [
            Reason(entry.level, f"{entry.text} (our advice for {in_sentence(cause.title)})")
            for entry in cause.card_entries
            if entry.condition is not None
            and answers.meet(entry.condition)
            and not _said_already(entry, selected)
        ]
        if cause.care_when_likely != CareLevel.SELF_CARE and _telling(match):
            reasons.append(
                Reason(cause.care_when_likely, f"Your answers fit {in_sentence(cause.title)}, "
                                               "which needs a professional to check it")
            )  # fmt: skip
    level = max((r.level for r in reasons), key=CareLevel.rank, default=CareLevel.SELF_CARE)
    because = tuple(dict.fromkeys(r for r in reasons if r.level == level))
    return CareResult(code=level, because=because)


def _said_already(entry, selected):
    """Whether a ticked symptom the card line names is itself as urgent as the line.

    Then the symptom is the reason, and the card line would only repeat it.
    """
    named = entry.condition.symptoms()
    rank = CareLevel.rank(entry.level)
    return any(s.slug in named and CareLevel.rank(s.care_level) >= rank for s in selected)


def _telling(match):
    """Whether the answers include a sign typical and telling of the cause (weight 3).

    A cause's own floor (``care_when_likely``) needs one: soreness after a new
    class fits rhabdomyolysis's profile in part, but without its telling sign
    (dark urine) it is ordinary soreness, and must not be sent to urgent care.
    """
    return any(match.cause.weights[s.slug] == MAX_WEIGHT for s in match.matched)


def safety_net(data, answers, level, likely_causes):
    """Signs the reader did not tell us about that would make their care more urgent.

    From the data: the red-flag symptoms not ticked, and the card lines of the
    likely causes, grouped by the level each calls for, most urgent first.
    """
    rank = CareLevel.rank(level)
    ticked = set(answers.symptoms)
    signs = {}
    for symptom in data.symptoms:
        if symptom.slug not in ticked and CareLevel.rank(symptom.care_level) > rank:
            signs.setdefault(symptom.care_level, []).append(symptom.summary or symptom.title)
    for match in likely_causes:
        for entry in match.cause.card_entries:
            if CareLevel.rank(entry.level) > rank and not (
                entry.condition and answers.meet(entry.condition)
            ):
                signs.setdefault(entry.level, []).append(entry.text)
    return tuple(
        SafetyNet(WORDING[level], tuple(dict.fromkeys(signs[level])))
        for level in sorted(signs, key=CareLevel.rank, reverse=True)
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


def rank_causes(causes, selected, age=None):
    """The best few causes for the selected symptoms, best first.

    Causes that explain the most urgent warning sign the reader ticked come
    first: the care advice leads with that sign, so the first cause named
    must be one that accounts for it (dark urine after exercise points to
    rhabdomyolysis before the soreness that also fits DOMS). A cause that is
    unusual at the reader's age (when they said it) counts for less. Ties go
    to the cause with more matched evidence, then to the title (then the
    slug), so the order never depends on the database.
    """
    by_slug = {s.slug: s for s in selected}
    scored = []
    for cause in causes:
        score, matched, got = score_cause(cause, tuple(by_slug))
        if age and cause.ages and age not in cause.ages:
            score *= AGE_MISMATCH
        if score >= MIN_SCORE:
            symptoms = tuple(by_slug[slug] for slug in matched)
            scored.append(CauseMatch(cause, score, strength(score), symptoms, got))
    flags = _most_urgent_warning_signs(selected)
    scored.sort(
        key=lambda m: (
            flags.isdisjoint(m.cause.weights),
            -m.score,
            -m.evidence,
            m.cause.title,
            m.cause.slug,
        )
    )
    if scored:
        floor = max(m.score for m in scored) * RELATIVE_CUT
        scored = [m for m in scored if m.score >= floor]
    return tuple(scored[:MAX_CAUSES])


def _most_urgent_warning_signs(selected):
    """The slugs of the ticked warning signs at the most urgent level among them."""
    signs = [s for s in selected if s.is_red_flag]
    if not signs:
        return frozenset()
    top = max(CareLevel.rank(s.care_level) for s in signs)
    return frozenset(s.slug for s in signs if CareLevel.rank(s.care_level) == top)


def pick_remedies(remedies, cause_matches, duration, care_code, injury=True):
    """(picks, avoid_now, first_aid_phase) from the remedies of the likely causes.

    Each remedy is placed in the first phase, in the order that fits the
    duration, that it helps with and is safe in. Emergencies get no remedies
    (the only advice is to get help now); for urgent care, only first aid
    until the person has been seen. The first-72-hours phase (first aid, and
    what to avoid) is an injury's: it never applies to soreness or cramp.
    """
    if care_code == CareLevel.EMERGENCY:
        return (), (), False
    urgent = care_code == CareLevel.URGENT
    phases = (Phase.FIRST_72_HOURS,) if urgent else PHASE_ORDER[duration]
    if not injury:
        phases = tuple(phase for phase in phases if phase != Phase.FIRST_72_HOURS)
    first_aid = bool(phases) and phases[0] == Phase.FIRST_72_HOURS

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

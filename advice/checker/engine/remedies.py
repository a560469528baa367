"""Which remedies to suggest, in which phase, and what to avoid for now."""

from advice.care import CareLevel
from advice.models import Phase, RemedyKind
from advice.triage import Duration

from .result import RemedyPick

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

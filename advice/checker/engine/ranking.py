"""Which causes fit the answers, how well, and in what order (see docs/checker.md)."""

from .result import CauseMatch

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


def evidence(weight):
    return weight * weight


def unusual_at(cause, age):
    """Whether the reader said an age outside the cause's usual ages (none means any)."""
    return bool(age and cause.ages and age not in cause.ages)


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


def rank_causes(causes, selected, age=None, leading=frozenset()):
    """The best few causes for the selected symptoms, best first.

    The first cause named is the best one that explains a ``leading`` sign:
    those are the signs that set how urgent care is (see
    ``urgency.leading_signs``), and the care advice leads with them, so the
    first cause must account for them (dark urine after exercise points to
    rhabdomyolysis before the soreness that also fits DOMS), if one is usual
    at the reader's age. Only the first place is taken this way, so the best
    fit is never crowded off the list.

    A cause that is unusual at the reader's age (when they said it) counts for
    less. Ties go to the cause with more matched evidence, then to the title
    (then the slug), so the order never depends on the database.
    """
    by_slug = {s.slug: s for s in selected}
    scored = []
    for cause in causes:
        score, matched, got = score_cause(cause, tuple(by_slug))
        if unusual_at(cause, age):
            score *= AGE_MISMATCH
        if score >= MIN_SCORE:
            symptoms = tuple(by_slug[slug] for slug in matched)
            scored.append(CauseMatch(cause, score, strength(score), symptoms, got))
    scored.sort(key=lambda m: (-m.score, -m.evidence, m.cause.title, m.cause.slug))
    if scored:
        floor = scored[0].score * RELATIVE_CUT
        scored = [m for m in scored if m.score >= floor]
        first = _first(scored, leading, age)
        scored = [first, *(m for m in scored if m is not first)]
    return tuple(scored[:MAX_CAUSES])


def _first(scored, leading, age):
    """The best match that explains a leading sign and is usual at the reader's age;
    the best match overall when there is none (claudication explains pain on walking,
    but must not be named first for a 13-year-old)."""
    fitting = (m for m in scored if not unusual_at(m.cause, age))
    return next((m for m in fitting if not leading.isdisjoint(m.cause.weights)), scored[0])


def likely(causes):
    """The causes the result treats as likely: strong matches, and, if they are at least
    possible matches, the one named first and the best fit (they differ when a more
    urgent sign puts another cause first). Their care cards and floors apply."""
    best = max(causes, key=lambda match: match.score, default=None)
    return tuple(
        match
        for index, match in enumerate(causes)
        if match.score >= STRONG or ((index == 0 or match is best) and match.score >= POSSIBLE)
    )

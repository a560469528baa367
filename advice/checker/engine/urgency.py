"""How soon to get care: the most urgent level any answer calls for, and the safety net.

An under-triaged warning sign is the worst error the site can make, so every
reason is collected and the most urgent one wins.
"""

from advice.care import WORDING, CareLevel
from advice.wording import in_sentence

from .ranking import MAX_WEIGHT
from .result import CareResult, Reason, SafetyNet


def leading_signs(answers, selected, rules_met):
    """The ticked signs that set how urgent care is, before any cause is weighed.

    They come from the most urgent of the ticked warning signs and of the
    triage rules the answers meet (``rules_met``); for a rule, the symptoms it
    asks for that the reader ticked (the swelling, for the rule that sends a
    swollen leg with no injury to be checked for a clot). A cause that
    explains one is named first.
    """
    sources = [(s.care_level, {s.slug}) for s in selected if s.is_red_flag]
    sources += [(rule.level, answers.signs_meeting(rule.condition)) for rule in rules_met]
    if not sources:
        return frozenset()
    top = max(CareLevel.rank(level) for level, _ in sources)
    return frozenset().union(*(signs for level, signs in sources if CareLevel.rank(level) == top))


def care_level(answers, selected, rules_met, likely_causes):
    """The most urgent level any reason calls for; self-care when none does.

    The reasons: a ticked symptom that is urgent on its own, a triage rule
    the answers meet (``rules_met``), a line on a likely cause's care card
    whose condition the answers meet (so the checker never says less than the
    cause's own page for the same answers), and a likely cause that always
    needs care.
    """
    reasons = [Reason(s.care_level, s.title) for s in selected if s.is_red_flag]
    reasons += [Reason(rule.level, rule.reason) for rule in rules_met]
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
    ticked = answers.ticked
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

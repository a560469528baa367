"""The symptom-checker engine: pure functions over plain, already-loaded data.

Nothing here touches the request or writes to the database. ``checker_data``
loads the published content into the frozen dataclasses of ``inputs``;
``check()`` turns a person's answers into a ``result.CheckerResult`` in three
steps, each a module of its own: ``ranking`` (the likely causes), ``urgency``
(how soon to get care, and the safety net) and ``remedies`` (what to do). The
views render the result as HTML or as JSON (``result.result_as_json``). The
scoring is explained in ``docs/checker.md``.
"""

from .ranking import likely, rank_causes
from .remedies import pick_remedies
from .result import CheckerResult
from .urgency import care_level, leading_signs, safety_net


def check(data, answers):
    """The whole result for one set of answers: care level, causes, remedies."""
    selected = tuple(data.symptoms_by_slug[slug] for slug in answers.symptoms)
    rules_met = tuple(rule for rule in data.rules if answers.meet(rule.condition))
    leading = leading_signs(answers, selected, rules_met)
    causes = rank_causes(data.causes, selected, answers.age, leading)
    likely_causes = likely(causes)
    care = care_level(answers, selected, rules_met, likely_causes)
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

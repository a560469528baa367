"""The checker against clinical vignettes and against the site's own cause pages.

The vignettes (advice/checker/vignettes.yaml) were written from NHS, NICE and
sports-medicine guidance, not from the weights; each names the level a triage
nurse would give and the causes a clinician would accept first.
"""

import pytest
from django.conf import settings

from advice.care import CareLevel
from advice.checker.data import load_checker_data
from advice.checker.engine import check, likely
from advice.checker.engine.inputs import Answers
from advice.checker.vignettes import load_vignettes, run
from advice.triage import AgeBand

VIGNETTES = load_vignettes()
SAFETY = [v for v in VIGNETTES if v.safety_critical]


def test_the_vignette_set_is_big_enough_and_well_formed():
    assert len(VIGNETTES) >= 60
    assert len(SAFETY) >= 25
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)
    for vignette in VIGNETTES:
        assert vignette.case and vignette.source and vignette.causes, vignette.id
        assert vignette.care in CareLevel.values, vignette.id


def test_every_vignette_uses_only_real_symptoms_and_causes(real_content):
    data = load_checker_data()
    causes = {cause.slug for cause in data.causes}
    for vignette in VIGNETTES:
        assert set(vignette.answers.symptoms) <= set(data.symptoms_by_slug), vignette.id
        assert set(vignette.causes) <= causes, vignette.id


@pytest.mark.parametrize("vignette", SAFETY, ids=[v.id for v in SAFETY])
def test_no_safety_critical_case_is_under_triaged(real_content, vignette):
    result = check(load_checker_data(), vignette.answers)
    assert CareLevel.rank(result.care.code) >= CareLevel.rank(vignette.care), vignette.case


def test_the_scorecard_meets_its_targets(real_content):
    scorecard = run(load_checker_data())
    print("\n".join(scorecard.lines()))  # shown with -s, and in the CI log on failure
    assert scorecard.total == len(VIGNETTES)
    assert scorecard.under_triaged == ()
    assert scorecard.top1_rate >= 0.9
    assert scorecard.top3_rate >= 0.95
    assert scorecard.self_care_over_triage_rate <= 0.2


# --- The checker never says less than a cause page for the same answers -------------


def answers_meeting(entry, cause, age):
    """Answers that meet a card line's condition and make its cause likely."""
    condition = entry.condition.conditions[0]
    telling = [slug for slug, weight in cause.weights.items() if weight == 3]
    symptoms = [*condition.all_of, *sorted(condition.any_of)[:1], *telling]
    symptoms = [s for s in dict.fromkeys(symptoms) if s not in condition.none_of]
    return Answers(
        tuple(symptoms),
        duration=sorted(condition.durations)[0] if condition.durations else None,
        severity=condition.severity_at_least,
        age=sorted(condition.ages)[0] if condition.ages else age,
    )


def test_every_cause_card_line_the_checker_can_check_is_never_contradicted(real_content):
    """For each line on a cause page's care cards that carries a condition: answers that
    meet it, with the cause likely, get a result at least as urgent as the card."""
    data = load_checker_data()
    checked = 0
    for cause in data.causes:
        age = next(iter(sorted(cause.ages)), AgeBand.FROM_25_TO_64) if cause.ages else None
        for entry in cause.card_entries:
            if entry.condition is None:
                continue
            answers = answers_meeting(entry, cause, age)
            result = check(data, answers)
            if cause.slug not in {match.cause.slug for match in likely(result.causes)}:
                continue  # not likely for these answers: the card is not the reader's
            checked += 1
            assert CareLevel.rank(result.care.code) >= CareLevel.rank(entry.level), (
                cause.slug,
                entry.text,
                answers,
                result.care.code,
            )
    assert checked >= 40


def test_a_likely_cause_card_line_the_reader_has_not_told_us_about_is_in_the_safety_net(
    real_content,
):
    data = load_checker_data()
    result = check(data, Answers(("sudden-onset", "sharp-pain-on-movement"), "under-3-days", 4))
    assert result.care.code == "self-care"
    signs = {sign for net in result.safety_net for sign in net.signs}
    strain = next(c for c in data.causes if c.slug == "hamstring-strain")
    urgent_lines = {e.text for e in strain.card_entries if e.level in ("urgent", "emergency")}
    assert urgent_lines <= signs


def test_vignettes_file_lives_in_the_repository():
    assert (settings.BASE_DIR / "advice" / "checker" / "vignettes.yaml").is_file()

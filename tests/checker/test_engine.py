"""The checker engine on hand-built data: no database, no request."""

import pytest

from advice.checker.engine import check
from advice.checker.engine.inputs import (
    Answers,
    CardEntry,
    CauseInfo,
    CheckerData,
    RemedyInfo,
    RuleInfo,
    SymptomInfo,
)
from advice.checker.engine.ranking import (
    MAX_CAUSES,
    MIN_SCORE,
    POSSIBLE,
    STRONG,
    rank_causes,
    score_cause,
)
from advice.checker.engine.remedies import MAX_REMEDIES
from advice.checker.engine.result import DISCLAIMER, HARM, result_as_json
from advice.triage import When


def symptom(slug, care_level="self-care", group="feel"):
    return SymptomInfo(slug, slug.replace("-", " ").capitalize(), "", group, 0, care_level)


def cause(slug, weights, remedies=(), title=None, cards=(), **kwargs):
    title = title or slug.replace("-", " ").capitalize()
    return CauseInfo(
        slug, title, f"/causes/{slug}/", dict(weights), tuple(remedies), tuple(cards), **kwargs
    )


def remedy(slug, phases=("recovery",), avoid=(), kind="self-care", title=None):
    title = title or slug.replace("-", " ").capitalize()
    return RemedyInfo(slug, title, kind, tuple(phases), tuple(avoid), f"/remedies/{slug}/")


def data(symptoms, causes=(), remedies=()):
    return CheckerData(tuple(symptoms), tuple(causes), {r.slug: r for r in remedies})


S = {
    s.slug: s
    for s in [
        symptom("ache"),
        symptom("tight"),
        symptom("sudden"),
        symptom("sharp"),
        symptom("new-workout", group="onset"),
        symptom("swollen", group="visible"),
        symptom("numb", care_level="soon"),
        symptom("pop", care_level="urgent"),
        symptom("cannot-walk", care_level="urgent", group="function"),
        symptom("breathless", care_level="emergency", group="other"),
    ]
}


def pick(*slugs):
    return tuple(S[slug] for slug in slugs)


# --- Care level ---------------------------------------------------------------


def rule(slug, level, reason, **when):
    return RuleInfo(slug, slug, level, reason, When.from_value(when))


def care(symptoms, duration=None, severity=None, age=None, rules=(), causes=()):
    checker_data = CheckerData(tuple(S.values()), tuple(causes), {}, tuple(rules))
    return check(checker_data, Answers(tuple(symptoms), duration, severity, age)).care


def test_no_red_flags_is_self_care_with_no_reason():
    result = care(["ache", "tight"])
    assert result.code == "self-care"
    assert result.because == ()


@pytest.mark.parametrize(
    ("symptoms", "expected", "because"),
    [
        (("ache", "numb"), "soon", ("Numb",)),
        (("numb", "pop"), "urgent", ("Pop",)),
        (("pop", "numb", "cannot-walk"), "urgent", ("Pop", "Cannot walk")),
        (("pop", "breathless", "numb"), "emergency", ("Breathless",)),
    ],
)
def test_most_urgent_symptom_sets_the_level_and_is_the_reason(symptoms, expected, because):
    result = care(symptoms)
    assert result.code == expected
    assert tuple(reason.text for reason in result.because) == because


SEVERE_INJURY = rule(
    "severe-injury", "urgent", "Severe pain after an injury", any_of=["sudden"],
    severity_at_least=8,
)  # fmt: skip


@pytest.mark.parametrize(
    ("severity", "expected"), [(None, "self-care"), (7, "self-care"), (8, "urgent"), (10, "urgent")]
)
def test_a_rule_raises_the_level_only_when_all_its_conditions_hold(severity, expected):
    result = care(["sudden", "sharp"], severity=severity, rules=[SEVERE_INJURY])
    assert result.code == expected
    if expected == "urgent":
        assert [reason.text for reason in result.because] == ["Severe pain after an injury"]
    assert care(["ache"], severity=severity, rules=[SEVERE_INJURY]).code == "self-care"


def test_a_rule_never_lowers_the_level_and_levels_tie_into_one_list_of_reasons():
    result = care(["sudden", "pop"], severity=9, rules=[SEVERE_INJURY])
    assert result.code == "urgent"
    assert [reason.text for reason in result.because] == ["Pop", "Severe pain after an injury"]
    assert care(["sudden", "breathless"], severity=9, rules=[SEVERE_INJURY]).code == "emergency"


def test_rules_on_age_and_duration_need_the_reader_to_have_said_them():
    teen = rule("teen", "urgent", "Young and sudden", all_of=["sudden"], ages=["under-16"])
    long = rule("long", "soon", "Over 2 weeks", durations=["over-6-weeks"])
    assert care(["sudden"], rules=[teen]).code == "self-care"
    assert care(["sudden"], age="25-to-64", rules=[teen]).code == "self-care"
    assert care(["sudden"], age="under-16", rules=[teen]).code == "urgent"
    assert care(["ache"], rules=[long]).code == "self-care"
    assert care(["ache"], duration="over-6-weeks", rules=[long]).code == "soon"


def test_none_of_excludes_and_alternatives_are_any_of_them():
    no_injury = RuleInfo(
        "swelling", "swelling", "soon", "Swollen with no injury",
        When.from_value([{"any_of": ["tight"], "none_of": ["sudden"]}, {"all_of": ["numb"]}]),
    )  # fmt: skip
    assert care(["tight"], rules=[no_injury]).code == "soon"
    assert care(["tight", "sudden"], rules=[no_injury]).code == "self-care"
    assert care(["numb", "sudden"], rules=[no_injury]).code == "soon"


def test_the_signs_meeting_a_condition_are_the_ticked_ones_its_met_alternatives_ask_for():
    when = When.from_value(
        [{"any_of": ["tight", "ache"], "none_of": ["sudden"]}, {"all_of": ["numb", "sharp"]}]
    )
    assert when.signs_meeting(frozenset({"tight", "swollen"})) == {"tight"}
    assert when.signs_meeting(frozenset({"tight", "numb", "sharp"})) == {"tight", "numb", "sharp"}
    assert when.signs_meeting(frozenset({"tight", "sudden", "numb"})) == frozenset()
    assert When.from_value({"severity_at_least": 8}).signs_meeting(frozenset({"ache"}), 9) == (
        frozenset()
    )


def card(level, text, **when):
    return CardEntry(level, text, When.from_value(when) if when else None)


STRAIN_WITH_CARDS = cause(
    "strain",
    {"sudden": 3, "sharp": 3, "tight": 1},
    cards=(
        card("urgent", "The pain is severe", severity_at_least=8),
        card("emergency", "Your thigh is tense and hard"),
    ),
    acute_injury=True,
)


def test_a_likely_cause_card_sets_at_least_its_level_when_its_condition_holds():
    result = care(["sudden", "sharp"], severity=9, causes=[STRAIN_WITH_CARDS])
    assert result.code == "urgent"
    assert result.because[0].text == "The pain is severe (our advice for strain)"
    assert care(["sudden", "sharp"], severity=5, causes=[STRAIN_WITH_CARDS]).code == "self-care"


def test_a_card_of_a_cause_that_is_not_likely_does_not_apply():
    # "tight" alone is a weak match for the strain: its cards are not the reader's.
    assert care(["tight", "ache"], severity=9, causes=[STRAIN_WITH_CARDS]).code == "self-care"


def test_a_cause_that_always_needs_care_sets_the_level_only_with_its_telling_sign():
    clot = cause("clot", {"swollen": 3, "ache": 2, "tight": 1}, care_when_likely="urgent")
    with_telling = care(["swollen", "ache"], causes=[clot])
    assert with_telling.code == "urgent"
    assert "fit clot" in with_telling.because[0].text
    assert care(["ache", "tight"], causes=[clot]).code == "self-care"


def test_care_text_says_what_to_do():
    assert "999" in care(["breathless"]).advice
    assert "A&E" in care(["breathless"]).advice
    assert "111" in care(["pop"]).advice
    assert "today" in care(["pop"]).advice
    assert "GP or physiotherapist" in care(["numb"]).advice


# --- Safety-netting ---------------------------------------------------------------


def test_safety_net_lists_unticked_signs_that_would_raise_the_level_most_urgent_first():
    data_ = CheckerData(tuple(S.values()), (STRAIN_WITH_CARDS,), {})
    result = check(data_, Answers(("sudden", "sharp", "numb")))
    assert result.care.code == "soon"
    levels = [net.wording.level for net in result.safety_net]
    assert levels == ["emergency", "urgent"]
    emergency, urgent = result.safety_net
    assert "Breathless" in emergency.signs
    assert "Your thigh is tense and hard" in emergency.signs  # the likely cause's card
    assert {"Pop", "Cannot walk", "The pain is severe"} <= set(urgent.signs)
    assert all("Numb" not in net.signs for net in result.safety_net)  # already ticked


def test_an_emergency_result_has_nothing_more_urgent_to_watch_for():
    result = check(DATA, Answers(("breathless",)))
    assert result.safety_net == ()


# --- Cause scoring --------------------------------------------------------------


def test_a_cause_scores_nothing_when_nothing_selected_points_to_it():
    assert score_cause(cause("x", {"ache": 3}), ("tight",)) == (0.0, (), 0)
    assert rank_causes([cause("x", {"ache": 3})], pick("tight")) == ()


def test_a_cause_with_many_links_does_not_win_by_size_alone():
    # Both explain "ache" equally well; the big cause merely lists more signs.
    big = cause("big", {"ache": 2, "tight": 2, "sudden": 2, "sharp": 2, "pop": 2, "numb": 2})
    small = cause("small", {"ache": 2, "tight": 1})
    ranked = rank_causes([big, small], pick("ache"))
    assert [m.cause.slug for m in ranked] == ["small", "big"][: len(ranked)]
    assert ranked[0].cause.slug == "small"


def test_a_narrow_risk_factor_does_not_beat_the_injury_that_explains_the_rest():
    # Mirrors "sudden sharp pain while sprinting, after a long break".
    injury = cause(
        "strain",
        {"sudden": 3, "sharp": 3, "tight": 2, "ache": 2, "pop": 1, "cannot-walk": 1},
    )
    risk_factor = cause("deconditioning", {"new-workout": 3, "sudden": 1, "tight": 1})
    ranked = rank_causes([risk_factor, injury], pick("sudden", "sharp", "new-workout"))
    assert [m.cause.slug for m in ranked][:2] == ["strain", "deconditioning"]
    # ...but on its own tick-box the risk factor is the best explanation.
    assert rank_causes([risk_factor, injury], pick("new-workout"))[0].cause.slug == (
        "deconditioning"
    )


def test_a_telling_link_outweighs_several_weak_ones():
    telling = cause("telling", {"sharp": 3, "ache": 1, "tight": 1, "sudden": 1})
    vague = cause("vague", {"ache": 1, "tight": 1, "sudden": 1})
    ranked = rank_causes([vague, telling], pick("sharp", "ache"))
    assert ranked[0].cause.slug == "telling"


def test_matches_list_matched_symptoms_strongest_first_with_a_strength():
    c = cause("c", {"ache": 1, "tight": 3, "sharp": 2})
    (match,) = rank_causes([c], pick("ache", "sharp", "tight"))
    assert [s.slug for s in match.matched] == ["tight", "sharp", "ache"]


def test_a_perfect_match_on_telling_links_scores_one():
    c = cause("c", {"ache": 3, "tight": 3})
    (match,) = rank_causes([c], pick("ache", "tight"))
    assert match.score == pytest.approx(1.0)


def test_strength_follows_the_score():
    c = cause("c", {"ache": 3, "tight": 3, "sudden": 3, "sharp": 3, "numb": 3})
    assert rank_causes([c], pick("ache", "tight", "sudden"))[0].strength == "strong match"
    assert rank_causes([c], pick("ache", "pop"))[0].strength == "possible match"
    weak = cause("weak", {"ache": 1, "tight": 2})
    assert rank_causes([weak], pick("ache", "tight"))[0].strength == "weaker match"


def test_very_weak_matches_are_hidden():
    hidden = cause("h", {"ache": 1, **{f"x{i}": 3 for i in range(6)}})
    assert rank_causes([hidden], pick("ache", "tight", "sudden")) == ()


def test_ties_break_on_evidence_then_title_never_on_input_order():
    alpha = cause("zz-alpha", {"ache": 2}, title="Alpha")
    beta = cause("aa-beta", {"ache": 2}, title="Beta")
    for order in ([alpha, beta], [beta, alpha]):
        assert [m.cause.title for m in rank_causes(order, pick("ache"))] == ["Alpha", "Beta"]


def test_causes_far_behind_the_best_are_not_shown():
    best = cause("best", {"ache": 3, "tight": 3})
    far = cause("far", {"ache": 3, "sudden": 3, "sharp": 3, "numb": 3})
    assert score_cause(far, ("ache", "tight"))[0] >= MIN_SCORE  # shown if it were alone
    assert [m.cause.slug for m in rank_causes([best, far], pick("ache", "tight"))] == ["best"]


def first_causes(symptoms, causes, rules=(), severity=None):
    checker_data = CheckerData(tuple(S.values()), tuple(causes), {}, tuple(rules))
    result = check(checker_data, Answers(tuple(symptoms), severity=severity))
    return [match.cause.slug for match in result.causes]


def test_a_cause_explaining_the_most_urgent_warning_sign_comes_first():
    # Mirrors dark urine with soreness after a hard new workout: DOMS fits the
    # soreness better, but only rhabdomyolysis explains the warning sign.
    soreness = cause("soreness", {"ache": 3, "new-workout": 3})
    serious = cause("serious", {"pop": 3, "new-workout": 1, "ache": 1})
    answers = ("ache", "new-workout", "pop")
    assert score_cause(soreness, answers)[0] > score_cause(serious, answers)[0]
    assert first_causes(answers, [soreness, serious]) == ["serious", "soreness"]
    # Without the warning sign, the better fit leads again.
    assert first_causes(("ache", "new-workout"), [soreness, serious])[0] == "soreness"


def test_only_the_more_urgent_warning_sign_decides_which_cause_comes_first():
    nerve = cause("nerve", {"numb": 3, "ache": 2})
    clot = cause("clot", {"breathless": 3})
    assert first_causes(("numb", "ache", "breathless"), [nerve, clot])[0] == "clot"


def test_a_cause_explaining_what_a_rule_made_urgent_comes_first():
    # Mirrors a swollen thigh with no injury: swelling is no warning sign by
    # itself, but the rule sends it to be checked for a clot, so the clot leads.
    tight = cause("tight-muscles", {"tight": 3, "ache": 3})
    clot = cause("clot", {"swollen": 3, "ache": 1})
    swelling = rule("swelling", "urgent", "Swollen with no injury", any_of=["swollen"])
    answers = ("swollen", "tight", "ache")
    assert score_cause(tight, answers)[0] > score_cause(clot, answers)[0]
    assert first_causes(answers, [tight, clot], [swelling]) == ["clot", "tight-muscles"]
    assert first_causes(answers, [tight, clot]) == ["tight-muscles", "clot"]


def test_a_rule_that_names_no_symptom_leaves_the_order_to_the_scores():
    tight = cause("tight-muscles", {"tight": 3, "ache": 3})
    nerve = cause("nerve", {"numb": 3, "ache": 1})
    severe = rule("severe", "urgent", "Severe pain", severity_at_least=8)
    # The rule is more urgent than the numbness, so the numbness does not lead either.
    answers = ("tight", "ache", "numb")
    assert first_causes(answers, [tight, nerve], [severe], severity=9)[0] == "tight-muscles"
    assert first_causes(answers, [tight, nerve], [severe], severity=5)[0] == "nerve"


def test_a_cause_unusual_at_the_readers_age_is_not_named_first_for_a_leading_sign():
    # Mirrors a 13-year-old limping after a cramp: claudication explains the
    # pain on walking the rule leads with, but not at that age.
    older = frozenset({"65-or-over"})
    vascular = cause("vascular", {"sharp": 3, "ache": 2, "tight": 1}, ages=older)
    cramp = cause("cramp", {"tight": 3, "ache": 2})
    limp = rule("limp", "urgent", "Pain on walking", any_of=["sharp"])
    answers = Answers(("sharp", "tight", "ache"), age="under-16")
    checker_data = CheckerData(tuple(S.values()), (vascular, cramp), {}, (limp,))
    assert [m.cause.slug for m in check(checker_data, answers).causes] == ["cramp", "vascular"]
    adult = Answers(("sharp", "tight", "ache"), age="65-or-over")
    assert check(checker_data, adult).causes[0].cause.slug == "vascular"


def test_only_the_first_place_goes_to_a_cause_that_explains_the_leading_sign():
    # Causes explaining the warning sign must not crowd the best fit off the list.
    best = cause("best", {"ache": 3, "tight": 3})
    explainers = [cause(f"nerve-{i}", {"numb": 3, "ache": 2, "sharp": 3}) for i in range(6)]
    ranked = first_causes(("ache", "tight", "numb"), [*explainers, best])
    assert ranked[0].startswith("nerve-")
    assert ranked[1] == "best"


def test_the_best_fit_stays_likely_when_a_warning_sign_puts_another_cause_first():
    # Ticking numbness as well must not make severe pain less urgent than the
    # strain's own page says: the strain is still the best fit.
    nerve = cause("nerve", {"numb": 3, "sharp": 1})
    answers = ("sudden", "sharp", "numb", "ache")
    strain_score = score_cause(STRAIN_WITH_CARDS, answers)[0]
    assert POSSIBLE <= strain_score < STRONG  # likely only as the best fit
    assert first_causes(answers, [STRAIN_WITH_CARDS, nerve], severity=9)[0] == "nerve"
    result = care(answers, severity=9, causes=[STRAIN_WITH_CARDS, nerve])
    assert result.code == "urgent"
    assert result.because[0].text == "The pain is severe (our advice for strain)"


def test_only_the_top_few_causes_are_shown():
    many = [cause(f"c{i}", {"ache": 2, "tight": 1}) for i in range(10)]
    assert len(rank_causes(many, pick("ache"))) == MAX_CAUSES


# --- Remedies -------------------------------------------------------------------

REMEDIES = [
    remedy("first-aid", phases=["first-72-hours"]),
    remedy("rest", phases=["first-72-hours", "recovery"]),
    remedy("heat", phases=["recovery"], avoid=["first-72-hours"]),
    remedy(
        "strength", phases=["recovery", "prevention"], avoid=["first-72-hours"], kind="exercise"
    ),
    remedy("shoes", phases=["prevention"]),
    remedy("physio", phases=["recovery"], kind="professional"),
]
STRAIN = cause("strain", {"sudden": 3, "sharp": 3}, [r.slug for r in REMEDIES], acute_injury=True)
OTHER = cause("other", {"sharp": 1, "tight": 3}, ["rest", "physio", "heat"])
DATA = data(S.values(), [STRAIN, OTHER], REMEDIES)


def remedies_for(duration, symptoms=("sudden", "sharp")):
    result = check(DATA, Answers(symptoms, duration))
    return [(p.remedy.slug, p.phase) for p in result.remedies], result


def test_first_days_lead_with_first_aid_and_list_what_to_avoid():
    picks, result = remedies_for("under-3-days")
    assert picks[:2] == [("first-aid", "first-72-hours"), ("rest", "first-72-hours")]
    assert [p for _, p in picks] == sorted(
        (p for _, p in picks), key=["first-72-hours", "recovery", "prevention"].index
    )
    assert ("heat", "recovery") in picks
    assert [r.slug for r in result.avoid_now] == ["heat", "strength"]
    assert result.first_aid_phase
    assert result.harm == HARM


@pytest.mark.parametrize("duration", ["3-to-14-days", "2-to-6-weeks", "over-6-weeks"])
def test_later_durations_lead_with_recovery_and_drop_first_aid_only(duration):
    picks, result = remedies_for(duration)
    assert picks[0][1] == "recovery"
    assert "first-aid" not in [slug for slug, _ in picks]
    assert picks[-1] == ("shoes", "prevention")
    assert result.avoid_now == ()
    assert result.harm == ()


def test_no_duration_is_treated_as_possibly_new_and_says_so():
    picks, result = remedies_for(None)
    assert picks[0] == ("first-aid", "first-72-hours")
    assert result.duration_unknown
    assert result.avoid_now


def test_remedies_shared_by_causes_appear_once_and_rank_higher():
    picks, _ = remedies_for("3-to-14-days", symptoms=("sudden", "sharp", "tight"))
    slugs = [slug for slug, _ in picks]
    assert len(slugs) == len(set(slugs))
    # rest, physio and heat help both likely causes, so they lead the recovery phase.
    assert set(slugs[:3]) == {"rest", "physio", "heat"}


def test_remedy_list_is_capped():
    many = [remedy(f"r{i}") for i in range(20)]
    big = cause("big", {"ache": 3}, [r.slug for r in many])
    result = check(data(S.values(), [big], many), Answers(("ache",), "3-to-14-days"))
    assert len(result.remedies) == MAX_REMEDIES


def test_soreness_without_an_injury_gets_no_first_aid_phase_and_no_harm_list():
    soreness = cause("soreness", {"new-workout": 3, "ache": 3}, [r.slug for r in REMEDIES])
    result = check(data(S.values(), [soreness], REMEDIES), Answers(("new-workout", "ache")))
    assert not result.first_aid_phase
    assert result.harm == ()
    assert result.avoid_now == ()
    assert {p.phase for p in result.remedies} <= {"recovery", "prevention"}
    assert "heat" in [p.remedy.slug for p in result.remedies]


def test_age_outside_a_cause_usual_ages_ranks_it_lower():
    young = cause("young", {"sudden": 3, "sharp": 3}, ages=frozenset({"under-16"}))
    adult = cause("adult", {"sudden": 3, "sharp": 3, "tight": 1})
    symptoms = pick("sudden", "sharp")
    assert rank_causes([young, adult], symptoms, "under-16")[0].cause.slug == "young"
    assert rank_causes([young, adult], symptoms, "25-to-64")[0].cause.slug == "adult"


def test_urgent_results_offer_only_first_aid_until_seen():
    result = check(DATA, Answers(("sudden", "pop"), "over-6-weeks"))
    assert result.care.code == "urgent"
    assert {p.phase for p in result.remedies} == {"first-72-hours"}
    assert [r.slug for r in result.avoid_now] == ["heat", "strength"]


def test_emergencies_offer_no_remedies():
    result = check(DATA, Answers(("sudden", "breathless"), "under-3-days"))
    assert result.care.code == "emergency"
    assert result.remedies == ()
    assert result.causes  # the likely causes are still explained


# --- The whole result -------------------------------------------------------------


def test_json_shape():
    result = check(DATA, Answers(("sudden", "sharp", "pop"), "under-3-days", 6))
    body = result_as_json(result)
    assert set(body) == {"care_level", "causes", "remedies", "disclaimer"}
    assert body["care_level"] == {
        "code": "urgent",
        "title": "Get seen today",
        "advice": result.care.advice,
        "because": ["Pop"],
    }
    top = body["causes"][0]
    assert set(top) == {"slug", "title", "score", "strength", "matched", "url"}
    assert top["slug"] == "strain"
    assert top["matched"] == ["sudden", "sharp"]
    assert top["url"] == "/causes/strain/"
    assert set(body["remedies"][0]) == {"slug", "title", "phase", "url"}
    assert body["disclaimer"] == DISCLAIMER


def test_reasons_keep_the_capitals_of_a_cause_title():
    dvt = cause(
        "dvt",
        {"swollen": 3},
        title="Deep vein thrombosis (DVT)",
        cards=(
            CardEntry("urgent", "Your leg is swollen", When.from_value({"any_of": ["swollen"]})),
        ),
    )
    result = check(data(S.values(), [dvt]), Answers(("swollen",)))
    reasons = [reason.text for reason in result.care.because]
    assert "Your leg is swollen (our advice for deep vein thrombosis (DVT))" in reasons

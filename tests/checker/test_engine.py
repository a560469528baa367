"""The checker engine on hand-built data: no database, no request."""

import pytest

from advice.checker.engine import (
    DISCLAIMER,
    HARM,
    MAX_CAUSES,
    MAX_REMEDIES,
    MIN_SCORE,
    Answers,
    CauseInfo,
    CheckerData,
    RemedyInfo,
    SymptomInfo,
    appointment_summary,
    care_level,
    check,
    rank_causes,
    result_as_json,
    score_cause,
)


def symptom(slug, care_level="self-care", group="feel"):
    return SymptomInfo(slug, slug.replace("-", " ").capitalize(), "", group, 0, care_level)


def cause(slug, weights, remedies=(), title=None):
    title = title or slug.replace("-", " ").capitalize()
    return CauseInfo(slug, title, f"/causes/{slug}/", dict(weights), tuple(remedies))


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
        symptom("numb", care_level="soon"),
        symptom("pop", care_level="urgent"),
        symptom("cannot-walk", care_level="urgent", group="function"),
        symptom("breathless", care_level="emergency", group="other"),
    ]
}


def pick(*slugs):
    return tuple(S[slug] for slug in slugs)


# --- Care level ---------------------------------------------------------------


def test_no_red_flags_is_self_care_with_no_reason():
    care = care_level(pick("ache", "tight"))
    assert care.code == "self-care"
    assert care.because == ()
    assert not care.is_urgent


@pytest.mark.parametrize(
    ("symptoms", "expected", "because"),
    [
        (("ache", "numb"), "soon", ("numb",)),
        (("numb", "pop"), "urgent", ("pop",)),
        (("pop", "numb", "cannot-walk"), "urgent", ("pop", "cannot-walk")),
        (("pop", "breathless", "numb"), "emergency", ("breathless",)),
    ],
)
def test_most_urgent_symptom_sets_the_level_and_is_the_reason(symptoms, expected, because):
    care = care_level(pick(*symptoms))
    assert care.code == expected
    assert tuple(s.slug for s in care.because) == because


@pytest.mark.parametrize("duration", ["2-to-6-weeks", "over-6-weeks"])
def test_long_duration_raises_self_care_to_soon(duration):
    care = care_level(pick("ache"), duration=duration)
    assert care.code == "soon"
    assert care.raised_by_duration
    assert not care.raised_by_severity
    assert care.because == ()


@pytest.mark.parametrize("duration", [None, "under-3-days", "3-to-14-days"])
def test_short_duration_does_not_raise(duration):
    assert care_level(pick("ache"), duration=duration).code == "self-care"


@pytest.mark.parametrize(
    ("severity", "expected"), [(0, "self-care"), (7, "self-care"), (8, "soon")]
)
def test_severe_pain_raises_to_soon(severity, expected):
    care = care_level(pick("ache"), severity=severity)
    assert care.code == expected
    assert care.raised_by_severity == (expected == "soon")


def test_floors_never_lower_an_urgent_level_nor_claim_the_reason():
    care = care_level(pick("pop"), duration="over-6-weeks", severity=10)
    assert care.code == "urgent"
    assert not care.raised_by_duration
    assert not care.raised_by_severity


def test_a_soon_symptom_and_a_floor_are_both_reasons():
    care = care_level(pick("numb"), duration="over-6-weeks", severity=9)
    assert care.code == "soon"
    assert [s.slug for s in care.because] == ["numb"]
    assert care.raised_by_duration
    assert care.raised_by_severity


def test_care_text_says_what_to_do():
    assert "999" in care_level(pick("breathless")).advice
    assert "A&E" in care_level(pick("breathless")).advice
    assert "111" in care_level(pick("pop")).advice
    assert "today" in care_level(pick("pop")).advice
    assert "GP or physiotherapist" in care_level(pick("numb")).advice


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
STRAIN = cause("strain", {"sudden": 3, "sharp": 3}, [r.slug for r in REMEDIES])
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
        "because": ["pop"],
    }
    top = body["causes"][0]
    assert set(top) == {"slug", "title", "score", "strength", "matched", "url"}
    assert top["slug"] == "strain"
    assert top["matched"] == ["sudden", "sharp"]
    assert top["url"] == "/causes/strain/"
    assert set(body["remedies"][0]) == {"slug", "title", "phase", "url"}
    assert body["disclaimer"] == DISCLAIMER


def test_appointment_summary_lists_answers_level_and_causes():
    result = check(DATA, Answers(("sudden", "pop"), "2-to-6-weeks", 7))
    text = appointment_summary(result)
    assert "- Sudden" in text
    assert "- Pop" in text
    assert "2 to 6 weeks" in text
    assert "7 out of 10" in text
    assert "Suggested care: Get seen today" in text
    assert "- Strain (" in text
    assert "not a diagnosis" in text

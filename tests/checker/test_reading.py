"""The reading order of a result's remedies, on hand-built data."""

from dataclasses import replace

from advice.checker.engine import check
from advice.checker.engine.inputs import Answers, CauseInfo, CheckerData, RemedyInfo, SymptomInfo
from advice.checker.reading import in_reading_order


def remedy(slug, phases, order):
    return RemedyInfo(slug, slug.title(), "self-care", phases, (), f"/remedies/{slug}/", "", order)


def test_within_a_phase_the_editors_order_wins_and_phases_keep_their_order():
    ache = SymptomInfo("ache", "Ache", "", "feel", 0, "self-care")
    remedies = {
        r.slug: r
        for r in [
            remedy("tape", ("first-72-hours",), 30),
            remedy("price", ("first-72-hours",), 1),
            remedy("rest", ("first-72-hours", "recovery"), 3),
            remedy("bridges", ("recovery",), 14),
            remedy("stretch", ("recovery",), 2),
        ]
    }
    # The tape is listed by two causes, so the engine's relevance puts it first.
    strain = CauseInfo("strain", "Strain", "/", {"ache": 3}, tuple(remedies), acute_injury=True)
    taped = CauseInfo("taped", "Taped", "/", {"ache": 3}, ("tape",), acute_injury=True)
    data = CheckerData((ache,), (strain, taped), remedies)
    result = check(data, Answers(("ache",), "under-3-days"))
    assert result.remedies[0].remedy.slug == "tape"

    ordered = in_reading_order(result)
    assert [(p.phase, p.remedy.slug) for p in ordered.remedies] == [
        ("first-72-hours", "price"),
        ("first-72-hours", "rest"),
        ("first-72-hours", "tape"),
        ("recovery", "stretch"),
        ("recovery", "bridges"),
    ]
    # Nothing else about the result changes.
    assert replace(ordered, remedies=result.remedies) == result

"""Clinically realistic presentations against the real content.

Each case is a picture a GP, physiotherapist or NHS 111 adviser would
recognise, written from the references named (NHS conditions pages, NICE CKS,
physiotherapy texts), not from the cause weights. ``top`` lists the causes a
clinician would accept as the checker's first answer; ``shown`` lists causes
that must also appear in the result (as a differential), when there are any.
"""

import pytest
from django.urls import reverse

API = reverse("advice:checker_api")

CASES = [
    # NHS Hamstring injury: sudden pain while running, tender, can walk. Grade 1.
    dict(
        id="grade-1-strain-while-sprinting",
        symptoms=["sudden-onset", "sharp-pain-on-movement", "tightness", "pain-walking"],
        duration="under-3-days",
        severity=4,
        care="self-care",
        top={"hamstring-strain"},
    ),
    # Grade 2: bruising and swelling after a day or two, weak, knee held bent.
    dict(
        id="grade-2-strain-with-bruising",
        symptoms=[
            "sudden-onset",
            "sharp-pain-on-movement",
            "bruising",
            "swelling",
            "hard-to-straighten-leg",
            "weakness",
        ],
        duration="3-to-14-days",
        severity=6,
        care="self-care",
        top={"hamstring-strain"},
        shown={"hamstring-tear"},
    ),
    # Proximal avulsion: pop, unable to walk, large bruise tracking down, palpable gap.
    dict(
        id="proximal-avulsion",
        symptoms=[
            "pop-at-injury",
            "sudden-onset",
            "large-bruise",
            "lump-or-gap",
            "cannot-bear-weight",
        ],
        duration="under-3-days",
        severity=8,
        care="urgent",
        top={"hamstring-tear"},
    ),
    # The example: pop, large bruise, cannot bear weight.
    dict(
        id="pop-large-bruise-cannot-bear-weight",
        symptoms=["pop-at-injury", "large-bruise", "cannot-bear-weight"],
        care="urgent",
        top={"hamstring-tear"},
    ),
    # A pop with ordinary bruising but walking: a grade 2 strain or a tear; seen today.
    dict(
        id="pop-but-walking",
        symptoms=["pop-at-injury", "bruising", "sharp-pain-on-movement", "pain-walking"],
        duration="under-3-days",
        care="urgent",
        top={"hamstring-tear", "hamstring-strain"},
        shown={"hamstring-tear", "hamstring-strain"},
    ),
    # DOMS: sore and stiff a day or two after a new class, worst on day 2.
    dict(
        id="doms-after-new-class",
        symptoms=["soreness-24-72h", "unaccustomed-exercise", "tightness"],
        duration="under-3-days",
        severity=3,
        care="self-care",
        top={"delayed-onset-muscle-soreness"},
    ),
    dict(
        id="doms-issue-example",
        symptoms=["soreness-24-72h", "unaccustomed-exercise"],
        care="self-care",
        top={"delayed-onset-muscle-soreness"},
    ),
    # DOMS after a longer or faster run than usual (eccentric load, downhill).
    dict(
        id="doms-after-a-long-run",
        symptoms=["soreness-24-72h", "after-training-increase", "dull-ache"],
        duration="under-3-days",
        care="self-care",
        top={"delayed-onset-muscle-soreness"},
    ),
    # NICE CKS Sciatica: back pain with leg pain below the knee and paraesthesia.
    dict(
        id="sciatica",
        symptoms=["lower-back-pain", "pain-spreading-down-leg", "numbness-or-tingling"],
        duration="2-to-6-weeks",
        severity=6,
        care="soon",
        top={"referred-back-pain"},
    ),
    dict(
        id="sciatica-without-back-pain",
        symptoms=["pain-spreading-down-leg", "numbness-or-tingling", "pain-sitting"],
        duration="3-to-14-days",
        care="soon",
        top={"referred-back-pain"},
    ),
    # NHS Cauda equina syndrome: saddle numbness, bladder change, with sciatica.
    dict(
        id="cauda-equina",
        symptoms=[
            "saddle-numbness-or-bladder-changes",
            "lower-back-pain",
            "pain-spreading-down-leg",
        ],
        care="emergency",
        top={"referred-back-pain"},
    ),
    # Radiculopathy with motor loss (foot drop): seen the same day.
    dict(
        id="foot-drop-with-sciatica",
        symptoms=["foot-drop", "lower-back-pain", "pain-spreading-down-leg", "weakness"],
        care="urgent",
        top={"referred-back-pain"},
    ),
    # NHS DVT: one leg swollen, warm, red or darker, throbbing; no injury.
    dict(
        id="dvt",
        symptoms=["calf-swelling-warmth", "swelling", "dull-ache"],
        duration="3-to-14-days",
        care="urgent",
        top={"deep-vein-thrombosis"},
    ),
    # DVT can feel like cramp that does not let go.
    dict(
        id="dvt-mistaken-for-cramp",
        symptoms=["calf-swelling-warmth", "cramp-or-spasm"],
        care="urgent",
        top={"deep-vein-thrombosis"},
    ),
    # Pulmonary embolism after a DVT: breathless with a swollen leg.
    dict(
        id="pulmonary-embolism",
        symptoms=["breathless-or-chest-pain", "calf-swelling-warmth", "swelling"],
        care="emergency",
        top={"deep-vein-thrombosis"},
    ),
    # Proximal hamstring tendinopathy (Goom et al. 2016): deep sit-bone pain,
    # worse sitting and running, gradual onset, months.
    dict(
        id="proximal-tendinopathy",
        symptoms=["gradual-onset", "pain-sitting", "dull-ache", "worse-with-running"],
        duration="over-6-weeks",
        severity=4,
        care="soon",
        top={"tendinopathy"},
    ),
    dict(
        id="tendinopathy-after-adding-speed-work",
        symptoms=["pain-sitting", "after-training-increase", "worse-with-running"],
        duration="2-to-6-weeks",
        care="soon",
        top={"tendinopathy"},
    ),
    # NHS Leg cramps: sudden tightening that lets go within minutes.
    dict(
        id="cramp",
        symptoms=["cramp-or-spasm", "tightness"],
        duration="under-3-days",
        care="self-care",
        top={"muscle-cramp"},
    ),
    dict(
        id="cramp-mid-sprint",
        symptoms=["cramp-or-spasm", "sudden-onset", "tightness"],
        duration="under-3-days",
        care="self-care",
        top={"muscle-cramp"},
        shown={"hamstring-strain"},
    ),
    # Overuse: a mileage jump, then a gradual dull ache worse with running.
    dict(
        id="overuse-after-mileage-jump",
        symptoms=["after-training-increase", "gradual-onset", "dull-ache", "worse-with-running"],
        duration="3-to-14-days",
        severity=3,
        care="self-care",
        top={"overuse"},
    ),
    # Risk factors alongside an injury: the injury leads, the factor is shown too.
    dict(
        id="strain-without-warm-up",
        symptoms=["sudden-onset", "sharp-pain-on-movement", "no-warm-up"],
        duration="under-3-days",
        care="self-care",
        top={"hamstring-strain"},
        shown={"inadequate-warm-up"},
    ),
    dict(
        id="weekend-warrior-strain",
        symptoms=["sudden-onset", "sharp-pain-on-movement", "unaccustomed-exercise"],
        duration="under-3-days",
        care="self-care",
        top={"hamstring-strain"},
        shown={"poor-conditioning"},
    ),
    dict(
        id="re-injury-of-old-strain",
        symptoms=["previous-hamstring-injury", "sudden-onset", "sharp-pain-on-movement"],
        duration="under-3-days",
        care="self-care",
        top={"hamstring-strain"},
        shown={"previous-injury"},
    ),
    # Severe pain (8+/10) after a strain is worth a professional look.
    dict(
        id="strain-with-severe-pain",
        symptoms=["sudden-onset", "sharp-pain-on-movement"],
        duration="under-3-days",
        severity=9,
        care="soon",
        top={"hamstring-strain"},
    ),
    # Chronic tightness without injury: flexibility, not a strain.
    dict(
        id="long-standing-tightness",
        symptoms=["tightness", "gradual-onset"],
        duration="over-6-weeks",
        care="soon",
        top={"tight-hamstrings"},
    ),
    # Weak, niggly hamstrings after an old injury: strength deficit.
    dict(
        id="weakness-after-old-injury",
        symptoms=["weakness", "worse-with-running", "previous-hamstring-injury"],
        duration="over-6-weeks",
        care="soon",
        top={"muscle-imbalance", "previous-injury"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_clinical_case(client, real_content, case):
    params = {"symptom": case["symptoms"]}
    if "duration" in case:
        params["duration"] = case["duration"]
    if "severity" in case:
        params["severity"] = case["severity"]
    response = client.get(API, params)
    assert response.status_code == 200
    body = response.json()
    ranked = [c["slug"] for c in body["causes"]]
    assert body["care_level"]["code"] == case["care"]
    assert ranked, "no cause shown"
    assert ranked[0] in case["top"], ranked
    assert case.get("shown", set()) <= set(ranked), ranked


def test_there_are_enough_cases():
    assert len(CASES) >= 15

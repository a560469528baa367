"""The clinical content review (issue 11): the wording that keeps readers safe.

These read the files in content/, so an editor's change that drops a warning
fails here before it reaches a reader.
"""

import re

import pytest
from django.conf import settings

from advice.content.readability import library_readings, median_grade, published_bodies
from advice.management.commands.reading_level import TARGET_MEDIAN

CONTENT = settings.CONTENT_DIR
SEED_FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def text_of(path):
    return (CONTENT / path).read_text(encoding="utf-8")


def test_a_pop_on_its_own_is_enough_to_get_seen_nowhere_pop_and_then_a_bruise():
    for path in CONTENT.glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bpop\b[^.\n]{0,60}\band then\b", text, re.I), path


@pytest.mark.parametrize(
    "path",
    [
        "articles/aching-back-of-thigh.md",
        "articles/back-to-running-after-a-hamstring-strain.md",
        "articles/leg-pain-after-running.md",
        "articles/running-hamstring-pain.md",
        "articles/sore-hamstrings-after-running.md",
        "articles/tight-hamstrings-and-lower-back-pain.md",
        "faqs/when-is-leg-pain-an-emergency.md",
        "faqs/when-should-i-see-a-doctor.md",
        "faqs/what-should-i-do-in-the-first-72-hours.md",
        "faqs/can-hamstring-pain-be-a-sign-of-something-serious.md",
        "faqs/running-hamstring-pain-symptoms.md",
    ],
)
def test_pages_that_list_urgent_signs_say_pop_or_bruise(path):
    text = text_of(path)
    assert re.search(r"\bpop\b[^.\n]{0,80}\bor\b", text, re.I), path


@pytest.mark.parametrize("cause", ["hamstring-strain", "hamstring-tear", "thigh-contusion"])
def test_injury_pages_send_compartment_syndrome_to_999_with_the_blood_thinner_warning(cause):
    text = text_of(f"causes/{cause}.md")
    emergency = text[text.index("  emergency:") : text.index("\n", text.index("last_reviewed"))]
    assert re.search(r"tense|compartment", emergency, re.I), cause
    assert re.search(r"blood thinner|anticoagulant", text, re.I), cause


@pytest.mark.parametrize("cause", ["delayed-onset-muscle-soreness", "poor-conditioning"])
def test_dark_urine_after_exercise_is_an_emergency_not_a_gp_visit(cause):
    text = text_of(f"causes/{cause}.md")
    emergency = text[text.index("  emergency:") : text.index("last_reviewed")]
    assert re.search(r"cola|dark", emergency, re.I), cause


@pytest.mark.parametrize(
    "path", ["remedies/see-a-doctor-or-physiotherapist.md", "symptoms/fever-or-hot-red-skin.md"]
)
def test_very_unwell_with_a_hot_leg_means_999(path):
    text = text_of(path)
    assert re.search(r"very unwell", text, re.I), path
    assert re.search(r"999|A&E", text), path


@pytest.mark.parametrize(
    "path",
    [
        "causes/overuse.md",
        "causes/tendinopathy.md",
        "faqs/can-hamstring-pain-be-a-sign-of-something-serious.md",
    ],
)
def test_serious_pathology_red_flags_are_where_readers_look(path):
    text = text_of(path).lower()
    for sign in ("night", "weight loss", "cancer", "lump"):
        assert sign in text, (path, sign)


def test_children_and_teenagers_are_covered():
    text = text_of("articles/hamstring-and-sit-bone-pain-in-children-and-teenagers.md")
    assert "X-ray" in text
    assert re.search(r"10 (to|and) 16", text)
    assert re.search(r"same[- ]day", text, re.I)
    assert re.search(r"stress fracture|spondylolysis", text, re.I)
    assert re.search(r"stress fracture|spondylolysis", text_of("causes/tight-hamstrings.md"), re.I)


def test_paracetamol_alone_is_not_offered_for_sciatica_or_back_pain():
    text = text_of("causes/referred-back-pain.md")
    assert "/remedies/paracetamol/" not in text.split("---", 2)[1]  # not in its remedies


def test_no_file_shows_readers_a_seed_file_name():
    for path in CONTENT.glob("*/*.md"):
        front, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        sources = front.split("fact_origin:")[0]  # fact_origin is for editors only
        assert not SEED_FILE_NAME.search(sources.split("sources:", 1)[-1]), path
        assert not SEED_FILE_NAME.search(body), path


@pytest.mark.django_db
def test_the_library_reads_at_grade_6_or_below(real_content):
    readings = library_readings(published_bodies())
    assert len(readings) >= 60
    assert median_grade(readings) <= TARGET_MEDIAN


def test_grade_is_higher_for_long_sentences_of_long_words():
    from advice.content.readability import grade

    plain = "The leg hurts. Rest it. Walk a bit each day. " * 10
    dense = (
        "Proximal hamstring tendinopathy characteristically presents with localised "
        "ischial tuberosity discomfort exacerbated by prolonged sitting and acceleration. "
    ) * 5
    assert grade(plain) < 3 < 12 < grade(dense)

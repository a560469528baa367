"""The real library in content/: complete, sourced, reviewed, and in our own words."""

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.html import strip_tags

from advice.models import FAQ, Article, Cause, Page, Remedy, Symptom, Topic

SEED_TOOL = Path(settings.BASE_DIR).parent / "shared" / "tools" / "seed_overlap.py"

# The checker depends on exactly this vocabulary (issue 3).
SYMPTOM_CARE_LEVELS = {
    "sudden-onset": "self-care", "gradual-onset": "self-care", "pop-at-injury": "urgent",
    "after-training-increase": "self-care", "unaccustomed-exercise": "self-care",
    "no-warm-up": "self-care", "previous-hamstring-injury": "self-care",
    "tightness": "self-care", "dull-ache": "self-care", "soreness-24-72h": "self-care",
    "sharp-pain-on-movement": "self-care", "pain-sitting": "self-care",
    "cramp-or-spasm": "self-care", "weakness": "self-care",
    "hard-to-straighten-leg": "self-care", "pain-walking": "self-care",
    "cannot-bear-weight": "urgent", "worse-with-running": "self-care",
    "swelling": "self-care", "bruising": "self-care", "large-bruise": "urgent",
    "lump-or-gap": "urgent", "lower-back-pain": "self-care",
    "pain-spreading-down-leg": "soon", "numbness-or-tingling": "soon", "foot-drop": "urgent",
    "calf-swelling-warmth": "urgent", "breathless-or-chest-pain": "emergency",
    "saddle-numbness-or-bladder-changes": "emergency", "fever-or-hot-red-skin": "urgent",
    # Red flags and risk factors from the clinical-safety review (issue 10).
    "tense-swollen-thigh": "emergency", "dark-urine-after-exercise": "emergency",
    "very-unwell-with-hot-leg": "emergency", "cold-pale-leg": "emergency",
    "both-legs-numb-or-weak": "emergency", "night-or-rest-pain": "soon",
    "weight-loss-or-cancer-history": "soon", "growing-lump": "soon",
    "blood-thinners": "self-care", "clot-risk": "self-care", "direct-blow": "self-care",
}  # fmt: skip

REQUIRED_CAUSES = [
    "overuse", "hamstring-strain", "hamstring-tear", "muscle-imbalance", "tight-hamstrings",
    "poor-running-form", "inadequate-warm-up", "delayed-onset-muscle-soreness",
    "poor-conditioning", "previous-injury", "tendinopathy", "referred-back-pain",
]  # fmt: skip

# Everything the seed articles recommend, as words a remedy page must contain.
SEED_REMEDY_TOPICS = [
    "relative rest", "ice", "compression", "elevat", "heat", "30 seconds", "bounc",
    "leg swings", "high knees", "butt kicks", "walking lunges", "leg circles",
    "hip rotations", "cool-down", "hamstring curls", "romanian deadlift",
    "single-leg deadlift", "bridge", "lunges", "kettlebell", "nordic", "foam roll",
    "massage", "kinesiology tape", "compression garment", "swimming", "cycling",
    "cadence", "stride", "lean", "shoulders", "surface", "shoes", "yoga", "pilates",
    "physiotherap", "ibuprofen", "naproxen", "pharmacist", "surgery", "avulsion",
]  # fmt: skip

# Every question the seeds answer, plus the ones issue 3 adds, as FAQ title patterns.
SEED_FAQ_QUESTIONS = [
    r"why .*sore after running", r"prevent", r"stretch before or after",
    r"how long .*(heal|take)", r"run on sore", r"heat or ice", r"see a doctor",
    r"what is running hamstring pain", r"symptoms", r"how is .* treated",
    r"something serious", r"tight hamstrings cause .*back pain", r"massage",
    r"strain from .*(doms|soreness)", r"lactic acid", r"rest before running",
    r"painkillers", r"emergency",
]  # fmt: skip


@pytest.mark.django_db
def test_the_library_imports_cleanly(capsys):
    call_command("import_content", str(settings.CONTENT_DIR))
    out = capsys.readouterr().out
    assert re.match(r"created \d+, updated 0, unchanged 0, removed 0\.\n$", out), out


@pytest.mark.django_db
def test_counts_meet_the_minimums(real_content):
    assert Cause.objects.count() >= 12
    assert Remedy.objects.count() >= 18
    assert Article.objects.count() >= 6
    assert FAQ.objects.count() >= 18
    assert Page.objects.filter(slug__in=["about", "editorial-policy"]).count() == 2


@pytest.mark.django_db
def test_symptom_vocabulary_and_care_levels(real_content):
    # Every symptom the clinical spec names has exactly its level (editors may add more).
    levels = dict(Symptom.objects.values_list("slug", "care_level"))
    assert {slug: levels.get(slug) for slug in SYMPTOM_CARE_LEVELS} == SYMPTOM_CARE_LEVELS


@pytest.mark.django_db
@pytest.mark.parametrize("slug", REQUIRED_CAUSES)
def test_required_cause_has_weighted_symptoms_remedies_and_care(real_content, slug):
    cause = Cause.objects.get(slug=slug)
    weights = list(cause.symptom_links.values_list("weight", flat=True))
    assert weights and all(1 <= weight <= 3 for weight in weights)
    assert cause.remedies.exists()
    assert cause.care_cards()


@pytest.mark.django_db
def test_strain_and_tear_pages_give_grades_and_recurrence(real_content):
    for slug in ("hamstring-strain", "hamstring-tear"):
        body = Cause.objects.get(slug=slug).body.lower()
        assert "grade 1" in body and "grade 2" in body and "grade 3" in body, slug
    assert "third" in Cause.objects.get(slug="hamstring-strain").body.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("phrase", SEED_REMEDY_TOPICS)
def test_every_seed_remedy_is_covered(real_content, phrase):
    assert Remedy.objects.filter(Q(title__icontains=phrase) | Q(body__icontains=phrase)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", SEED_FAQ_QUESTIONS)
def test_every_seed_question_has_an_faq(real_content, pattern):
    titles = [title.lower() for title in FAQ.objects.values_list("title", flat=True)]
    assert any(re.search(pattern, title) for title in titles), pattern


@pytest.mark.django_db
def test_seed_articles_themes_have_articles(real_content):
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert {
        "aching-back-of-thigh",
        "sore-hamstrings-after-running",
        "tight-hamstrings-and-lower-back-pain",
        "leg-pain-after-running",
        "running-hamstring-pain",
        "back-to-running-after-a-hamstring-strain",
    } <= slugs


@pytest.mark.django_db
def test_myths_are_corrected(real_content):
    doms = Cause.objects.get(slug="delayed-onset-muscle-soreness").body.lower()
    assert "lactic acid" in doms and "hour" in doms
    first_aid = strip_tags(Remedy.objects.get(slug="price-first-aid").body_html).lower()
    assert all(word in first_aid for word in ("heat", "alcohol", "massage"))
    for slug in ("heat-therapy", "sports-massage"):
        assert "first-72-hours" in Remedy.objects.get(slug=slug).avoid_phases
    assert FAQ.objects.filter(slug__contains="calf-or-shin").exists()


@pytest.mark.django_db
def test_every_item_has_sources_and_a_review_within_a_year(real_content):
    for model in (Page, Symptom, Remedy, Cause, Article, FAQ):
        for item in model.objects.all():
            urls = [source.get("url", "") for source in item.sources]
            assert any(url.startswith("https://") for url in urls), item
            assert (
                item.last_reviewed < item.next_review <= item.last_reviewed + timedelta(days=366)
            ), item
    assert all(
        Remedy.objects.get(pk=pk).caution_list for pk in Remedy.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_every_internal_link_resolves(real_content):
    href = re.compile(r'href="(/[^"#]*)')
    for model in (Page, Remedy, Cause, Article, FAQ):
        for item in model.objects.all():
            for path in href.findall(item.body_html):
                try:
                    resolve(path.split("?")[0])
                except Resolver404:
                    pytest.fail(f"{model.__name__} {item.slug} links to {path}")


@pytest.mark.django_db
def test_articles_and_faqs_are_filed_under_topics(real_content):
    assert Topic.objects.count() >= 4
    assert not FAQ.objects.filter(topic__isnull=True).exists()


@pytest.mark.skipif(not SEED_TOOL.exists(), reason="../shared/tools/seed_overlap.py not present")
def test_no_sentences_are_copied_from_the_seeds():
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), str(settings.CONTENT_DIR)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 shared runs" in result.stdout


@pytest.mark.django_db
def test_every_remedy_says_what_to_do_and_first_aid_comes_first(real_content):
    """The checker's "What to do now" shows each remedy's action; first aid leads."""
    remedies = list(Remedy.objects.published())
    assert all(remedy.action for remedy in remedies), [r.slug for r in remedies if not r.action]
    first_aid = [r for r in remedies if "first-72-hours" in r.phases]
    assert min(first_aid, key=lambda r: r.order).slug == "price-first-aid"
    tape = Remedy.objects.get(slug="kinesiology-tape-and-compression")
    assert tape.order > Remedy.objects.get(slug="price-first-aid").order

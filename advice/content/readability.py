"""How easy the library is to read: the Flesch-Kincaid grade of each item's text.

Health information should be readable at about a reading age of 11 to 12
(US grade 6 or lower; the NHS aims for a reading age of 9 to 11). Syllables
come from pyphen's hyphenation dictionary (the one LibreOffice uses) checked
against vowel groups; the formula is the standard Flesch-Kincaid grade.
"""

import re
import statistics
from dataclasses import dataclass

import pyphen

from advice.memo import per_process

from .schema import KIND_ORDER, KINDS

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n|\n(?=\s*[-*]\s)")
MIN_WORDS = 40  # shorter texts (a symptom's one line) give no meaningful grade


@dataclass(frozen=True)
class Reading:
    label: str
    words: int
    grade: float


@per_process
def _dictionary():
    return pyphen.Pyphen(lang="en_GB")


def plain_text(markdown_text):
    """The words a reader reads: links, emphasis and table pipes stripped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    text = re.sub(r"^\s{0,3}#+\s*(.*)$", r"\1.", text, flags=re.MULTILINE)  # a heading ends
    text = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", "", text, flags=re.MULTILINE)  # table rules
    return re.sub(r"[*_`|>]", " ", text)


VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word):
    """Syllables in ``word``: the larger of two estimates.

    Hyphenation never splits off a word's last syllable or two ("physio-ther-
    ap-ist"), so it undercounts; vowel groups overcount silent letters
    ("sore" has two). Taking the larger errs towards calling text harder.
    """
    word = word.lower()
    by_hyphenation = len(_dictionary().positions(word)) + 1
    by_vowels = len(VOWEL_GROUPS.findall(word.removesuffix("e") or word))
    return max(1, by_hyphenation, by_vowels)


def grade(text):
    """The Flesch-Kincaid grade of ``text``, or None when it is too short to judge."""
    words = WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    sentences = max(1, len([s for s in SENTENCE_END.split(text) if WORD.search(s)]))
    syllable_count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59


def library_readings(items):
    """A Reading for each (label, markdown) pair long enough to judge, hardest first."""
    readings = []
    for label, markdown_text in items:
        text = plain_text(markdown_text)
        value = grade(text)
        if value is not None:
            readings.append(Reading(label, len(WORD.findall(text)), round(value, 1)))
    return sorted(readings, key=lambda reading: -reading.grade)


def median_grade(readings):
    return statistics.median(reading.grade for reading in readings) if readings else 0.0


def published_bodies():
    """(label, markdown) of every published item with a body: what readers read."""
    for name in KIND_ORDER:
        kind = KINDS[name]
        if kind.body == "none":
            continue
        for slug, body in kind.model.objects.published().values_list("slug", "body"):
            yield f"{name}/{slug}", body

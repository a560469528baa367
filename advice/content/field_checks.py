"""Checking an item's front-matter values against its kind.

``check_keys`` turns plain data (what YAML gives for a file, or what an admin
form gathers) into a record (see ``schema``), filling in defaults, and
reports every key that is unknown, missing, of the wrong type or out of the
range the database can hold. The file import and the admin both call it, so
both accept exactly the same values.
"""

import re
from datetime import date
from urllib.parse import urlsplit

from advice.care import CARD_BY_KEY
from advice.triage import CARD_CONDITION_SEPARATOR, condition_problems

from .problems import shown as _shown

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField, on every database
LINE_MAX = 500  # one entry of a list of text lines
SOURCE_KEYS = {"title": True, "publisher": True, "year": False, "url": False}  # key -> required
SOURCE_TEXT_MAX = 300
URL_MAX = 500
YEAR_RANGE = (1900, 2100)
SINGULAR = {
    "topics": "topic",
    "synonyms": "synonym",
    "pages": "page",
    "symptoms": "symptom",
    "triage-rules": "triage rule",
    "remedies": "remedy",
    "causes": "cause",
    "articles": "article",
    "faqs": "FAQ",
    "running-stages": "running stage",
}
# A running stage's exercise: key -> required. Sets are a count; reps and progress are text.
EXERCISE_KEYS = {"remedy": True, "sets": True, "reps": True, "progress": True}
EXERCISE_SETS = (1, 10)
EXERCISE_TEXT_MAX = 300


def check_keys(kind, data, problems):
    """The record of ``data`` for ``kind``; every problem goes to ``problems``."""
    record = {}
    known = {key.name for key in kind.keys}
    for name in data:
        if name not in known:
            problems.add(f"unknown key {_shown(name)} for {kind.name}; see content/README.md", name)
    for key in kind.keys:
        value = data.get(key.name)
        if value is None or (value == "" and not key.required):
            if key.required:
                problems.add(f"missing required key {key.name!r}", key.name)
            record[key.name] = key.default_value()
            continue
        record[key.name] = _check_value(key, value, problems)
    return record


def check_slug(slug, max_length, problems, key="slug"):
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.add(
            f"{_shown(slug)} is not a valid slug (lower-case letters, digits and hyphens)", key
        )
    elif len(slug) > max_length:
        problems.add(f"the slug is longer than {max_length} characters", key)


def _check_value(key, value, problems):
    def wrong(message, at=None):
        problems.add(f"{key.name!r} {message}", key.name, at)
        return key.default_value()

    return _VALUE_CHECKS[key.type](key, value, wrong)


def character_problem(text):
    """What is wrong with ``text``'s characters for every database, or "".

    PostgreSQL refuses NUL in text, and no database can store half of a
    UTF-16 surrogate pair (YAML's "\\ud800" escape makes one).
    """
    match = BAD_CHARACTER.search(text)
    if match is None:
        return ""
    if match.group() == "\x00":
        return "contains a NUL character"
    return "contains an invalid character (half of a UTF-16 surrogate pair)"


def _one_line_text(value, max_length):
    """The problem with ``value`` as one line of text, or None."""
    if not isinstance(value, str):
        return f"must be text, not {_type_name(value)}"
    if character_problem(value):
        return character_problem(value)
    if "\n" in value.strip():
        return "must be one line"
    if max_length and len(value.strip()) > max_length:
        return f"must be at most {max_length} characters (it has {len(value.strip())})"
    return None


def _check_text(key, value, wrong):
    if not isinstance(value, str):
        return wrong(f"must be text, not {_type_name(value)}")
    if character_problem(value):
        return wrong(character_problem(value))
    if key.required and not value.strip():
        return wrong("must not be empty")
    if key.max_length and len(value.strip()) > key.max_length:
        return wrong(f"must be at most {key.max_length} characters (it has {len(value.strip())})")
    return value.strip()


def _check_bool(key, value, wrong):
    if not isinstance(value, bool):
        return wrong(f"must be true or false, not {_type_name(value)}")
    return value


def _check_int(key, value, wrong):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SMALL_INT_MAX:
        return wrong(f"must be a whole number from 0 to {SMALL_INT_MAX}")
    return value


def _check_date(key, value, wrong):
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return wrong(f"must be a date written YYYY-MM-DD, not {_shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        return wrong(f"is not a real date ({value}: {error})")


def _check_choice(key, value, wrong):
    if value not in key.choices:
        return wrong(f"must be one of {', '.join(key.choices)}, not {_shown(value)}")
    return value


def _check_text_list(key, value, wrong):
    if not isinstance(value, list):
        return wrong(f"must be a list, not {_type_name(value)}")
    if key.required and not value:
        return wrong("must list at least one entry")
    result = []
    for index, entry in enumerate(value):
        problem = _one_line_text(entry, LINE_MAX)
        if problem or not entry.strip():
            wrong(f"entries must each be one line of text: entry {index + 1} "
                  f"{problem or 'is empty'}", at=index)  # fmt: skip
        else:
            result.append(entry.strip())
    return result


def _check_choice_list(key, value, wrong):
    if not isinstance(value, list):
        return wrong(f"must be a list, not {_type_name(value)}")
    if key.required and not value:
        return wrong("must list at least one entry")
    for index, entry in enumerate(value):
        if entry not in key.choices:
            wrong(f"entries must be one of {', '.join(key.choices)}, not {_shown(entry)}", index)
    if len(set(map(str, value))) != len(value):
        return wrong("lists the same value twice")
    return [entry for entry in value if entry in key.choices]


def _check_ref(key, value, wrong):
    if not isinstance(value, str) or not SLUG.match(value):
        return wrong(f"must be a {SINGULAR[key.target]} slug, not {_shown(value)}")
    return value


def _check_ref_list(key, value, wrong):
    if not isinstance(value, list):
        return wrong(f"must be a list of slugs, not {_type_name(value)}")
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not SLUG.match(entry):
            wrong(f"entries must be slugs, not {_shown(entry)}", index)
    if len(set(map(str, value))) != len(value):
        return wrong("lists the same slug twice")
    # The authors' order is kept: it is the order readers see.
    return [entry for entry in value if isinstance(entry, str) and SLUG.match(entry)]


def _check_weights(key, value, wrong):
    if not isinstance(value, dict) or not value:
        return wrong("must map symptom slugs to weights 1 to 3, e.g. 'sudden-onset: 3'")
    weights = {}
    for slug, weight in value.items():
        if not isinstance(slug, str) or not SLUG.match(slug):
            wrong(f"has {_shown(slug)}, which is not a symptom slug", slug)
        elif isinstance(weight, bool) or weight not in (1, 2, 3):
            wrong(f"weight for {_shown(slug)} must be 1, 2 or 3, not {_shown(weight)}", slug)
        else:
            weights[slug] = weight
    return weights


def _check_care(key, value, wrong):
    levels = ", ".join(CARD_BY_KEY)
    if not isinstance(value, dict) or not value:
        return wrong(f"must map one or more of {levels} to lists of text")
    cards = {}
    for level, entries in value.items():
        if level not in CARD_BY_KEY:
            wrong(f"card {_shown(level)} must be one of {levels}", level)
        elif not isinstance(entries, list) or not entries:
            wrong(f"card {level!r} must be a list of one-line conditions", level)
        else:
            checked = [
                _check_card_entry(entry, lambda m, lv=level: wrong(m, lv)) for entry in entries
            ]
            if all(checked):
                cards[level] = checked
    return {level: cards[level] for level in CARD_BY_KEY if level in cards}


def _check_card_entry(entry, wrong):
    """A card entry: a line of text, or {text, when} with a condition for the checker."""
    text, when = (
        (entry.get("text"), entry.get("when")) if isinstance(entry, dict) else (entry, None)
    )
    if isinstance(entry, dict) and set(entry) - {"text", "when"}:
        return wrong("card entries are text, or a mapping with 'text' and 'when'")
    problem = _one_line_text(text, LINE_MAX)
    if problem or not text.strip() or CARD_CONDITION_SEPARATOR.strip() in text:
        return wrong(
            f"card entries must be one line of text without '|': {problem or _shown(text)}"
        )
    if isinstance(entry, dict):
        problems = condition_problems(when)
        if problems:
            return wrong(f"the condition of {_shown(text.strip())} {problems[0]}")
        return {"text": text.strip(), "when": when}
    return text.strip()


def _check_condition(key, value, wrong):
    problems = condition_problems(value)
    for problem in problems:
        wrong(problem)
    return value if not problems else key.default_value()


def _check_sources(key, value, wrong):
    if not isinstance(value, list) or not value:
        return wrong("must list at least one source: title, publisher, year and url")
    sources = []
    for index, entry in enumerate(value):
        source = _check_source(entry, lambda message, i=index: wrong(message, i), index)
        if source:
            sources.append(source)
    if sources and len(sources) == len(value) and not any("url" in source for source in sources):
        wrong("needs at least one source with a 'url' that readers can follow")
    return sources


def _check_source(entry, wrong, index):
    where = f"source {index + 1}"
    if not isinstance(entry, dict):
        return wrong(f"{where} must be a mapping with title, publisher, year and url")
    for name in entry:
        if name not in SOURCE_KEYS:
            return wrong(f"{where} has unknown key {_shown(name)} (use {', '.join(SOURCE_KEYS)})")
    for name, required in SOURCE_KEYS.items():
        if required and not entry.get(name):
            return wrong(f"{where} needs a {name!r}")
    source = {}
    for name in ("title", "publisher"):
        problem = _one_line_text(entry[name], SOURCE_TEXT_MAX)
        if problem:
            return wrong(f"{where}: {name!r} {problem}")
        source[name] = entry[name].strip()
    if entry.get("year") is not None:
        year = entry["year"]
        if (
            isinstance(year, bool)
            or not isinstance(year, int)
            or not (YEAR_RANGE[0] <= year <= YEAR_RANGE[1])
        ):
            return wrong(f"{where}: 'year' must be a year such as 2024, not {_shown(year)}")
        source["year"] = year
    if entry.get("url") is not None:
        url = entry["url"]
        problem = _one_line_text(url, URL_MAX)
        if problem or urlsplit(url.strip()).scheme != "https" or not urlsplit(url).netloc:
            return wrong(f"{where}: 'url' must be a full https:// address, not {_shown(url)}")
        source["url"] = url.strip()
    return source


def _check_checks(key, value, wrong):
    """A running stage's checks: [{id, text}], ids unique slugs, texts one line each."""
    if not isinstance(value, list) or not value:
        return wrong("must list at least one check, each with an 'id' and a 'text'")
    checks, ids = [], set()
    for index, entry in enumerate(value):
        where = f"check {index + 1}"
        if not isinstance(entry, dict) or set(entry) != {"id", "text"}:
            wrong(f"{where} must be a mapping with exactly 'id' and 'text'", index)
            continue
        if not isinstance(entry["id"], str) or not SLUG.match(entry["id"]):
            wrong(f"{where}: 'id' must be a slug (lower-case letters, digits, hyphens)", index)
            continue
        if entry["id"] in ids:
            wrong(f"{where}: 'id' {entry['id']!r} is used twice in this stage", index)
            continue
        problem = _one_line_text(entry["text"], LINE_MAX)
        if problem:
            wrong(f"{where}: 'text' {problem}", index)
            continue
        ids.add(entry["id"])
        checks.append({"id": entry["id"], "text": entry["text"].strip()})
    return checks if len(checks) == len(value) else key.default_value()


def _check_exercises(key, value, wrong):
    """A running stage's exercises: [{remedy, sets, reps, progress}]."""
    if not isinstance(value, list):
        return wrong(f"must be a list, not {_type_name(value)}")
    exercises = []
    for index, entry in enumerate(value):
        exercise = _check_exercise(entry, lambda message, i=index: wrong(message, i), index)
        if exercise:
            exercises.append(exercise)
    return exercises if len(exercises) == len(value) else key.default_value()


def _check_exercise(entry, wrong, index):
    where = f"exercise {index + 1}"
    names = ", ".join(EXERCISE_KEYS)
    if not isinstance(entry, dict):
        return wrong(f"{where} must be a mapping with {names}")
    for name in entry:
        if name not in EXERCISE_KEYS:
            return wrong(f"{where} has unknown key {_shown(name)} (use {names})")
    for name in EXERCISE_KEYS:
        if entry.get(name) in (None, ""):
            return wrong(f"{where} needs a {name!r}")
    if not isinstance(entry["remedy"], str) or not SLUG.match(entry["remedy"]):
        return wrong(f"{where}: 'remedy' must be a remedy's slug, not {_shown(entry['remedy'])}")
    sets = entry["sets"]
    low, high = EXERCISE_SETS
    if isinstance(sets, bool) or not isinstance(sets, int) or not low <= sets <= high:
        return wrong(f"{where}: 'sets' must be a whole number from {low} to {high}")
    exercise = {"remedy": entry["remedy"], "sets": sets}
    for name in ("reps", "progress"):
        text = entry[name]
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)  # "reps: 10" is a count written as a number
        problem = _one_line_text(text, EXERCISE_TEXT_MAX)
        if problem:
            return wrong(f"{where}: {name!r} {problem}")
        exercise[name] = text.strip()
    return exercise


_VALUE_CHECKS = {
    "text": _check_text,
    "bool": _check_bool,
    "int": _check_int,
    "date": _check_date,
    "choice": _check_choice,
    "text_list": _check_text_list,
    "choice_list": _check_choice_list,
    "ref": _check_ref,
    "ref_list": _check_ref_list,
    "weights": _check_weights,
    "care": _check_care,
    "sources": _check_sources,
    "condition": _check_condition,
    "checks": _check_checks,
    "exercises": _check_exercises,
}


def _type_name(value):
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        str: "text",
    }.get(type(value), type(value).__name__)

"""Checking the front-matter keys of one content file against its kind.

``check_keys`` turns the parsed YAML into a record (see ``schema``), filling
in defaults, and reports every key that is unknown, missing or of the wrong
type or value, each at its own line.
"""

import re
from datetime import date

from .problems import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CARE_CARD_LEVELS = ("non-urgent", "urgent", "emergency")
SINGULAR = {
    "topics": "topic",
    "pages": "page",
    "symptoms": "symptom",
    "remedies": "remedy",
    "causes": "cause",
    "articles": "article",
    "faqs": "FAQ",
}


def check_keys(kind, path, data, lines, problems):
    record = {}
    known = {key.name for key in kind.keys}
    for name in data:
        if name not in known:
            problems.append(
                Problem(
                    path,
                    lines.get(name, 2),
                    f"unknown key {name!r} for {kind.name}; see content/README.md",
                )
            )
    for key in kind.keys:
        if key.name not in data or data[key.name] is None:
            if key.required:
                problems.append(
                    Problem(path, lines.get(key.name, 2), f"missing required key {key.name!r}")
                )
            record[key.name] = key.default_value()
            continue
        record[key.name] = _check_value(key, path, data[key.name], lines, problems)
    return record


def _check_value(key, path, value, lines, problems):
    line = lines.get(key.name, 2)

    def wrong(message):
        problems.append(Problem(path, line, f"{key.name!r} {message}"))
        return key.default_value()

    checker = _VALUE_CHECKS[key.type]
    return checker(key, value, wrong, path, lines, problems)


def _check_text(key, value, wrong, *_):
    if not isinstance(value, str):
        return wrong(f"must be text, not {_type_name(value)}")
    if key.required and not value.strip():
        return wrong("must not be empty")
    return value.strip()


def _check_bool(key, value, wrong, *_):
    if not isinstance(value, bool):
        return wrong(f"must be true or false, not {_type_name(value)}")
    return value


def _check_int(key, value, wrong, *_):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return wrong("must be a whole number, 0 or more")
    return value


def _check_date(key, value, wrong, *_):
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return wrong(f"must be a date written YYYY-MM-DD, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        return wrong(f"is not a real date ({value}: {error})")


def _check_choice(key, value, wrong, *_):
    if value not in key.choices:
        return wrong(f"must be one of {', '.join(key.choices)}, not {value!r}")
    return value


def _check_text_list(key, value, wrong, path, lines, problems):
    if not isinstance(value, list):
        return wrong(f"must be a list, not {_type_name(value)}")
    if key.required and not value:
        return wrong("must list at least one entry")
    result = []
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not entry.strip() or "\n" in entry.strip():
            problems.append(
                Problem(
                    path,
                    lines.get((key.name, index), lines[key.name]),
                    f"each entry of {key.name!r} must be one line of text",
                )
            )
        else:
            result.append(entry.strip())
    return result


def _check_choice_list(key, value, wrong, path, lines, problems):
    if not isinstance(value, list):
        return wrong(f"must be a list, not {_type_name(value)}")
    if key.required and not value:
        return wrong("must list at least one entry")
    for index, entry in enumerate(value):
        if entry not in key.choices:
            problems.append(
                Problem(
                    path,
                    lines.get((key.name, index), lines[key.name]),
                    f"{key.name!r} entries must be one of {', '.join(key.choices)}, not {entry!r}",
                )
            )
    if len(set(value)) != len(value):
        return wrong("lists the same value twice")
    return [entry for entry in value if entry in key.choices]


def _check_ref(key, value, wrong, *_):
    if not isinstance(value, str) or not SLUG.match(value):
        return wrong(f"must be a {SINGULAR[key.target]} slug, not {value!r}")
    return value


def _check_ref_list(key, value, wrong, path, lines, problems):
    if not isinstance(value, list):
        return wrong(f"must be a list of slugs, not {_type_name(value)}")
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not SLUG.match(entry):
            problems.append(
                Problem(
                    path,
                    lines.get((key.name, index), lines[key.name]),
                    f"{key.name!r} entries must be slugs, not {entry!r}",
                )
            )
    if len(set(value)) != len(value):
        return wrong("lists the same slug twice")
    return sorted(entry for entry in value if isinstance(entry, str) and SLUG.match(entry))


def _check_weights(key, value, wrong, path, lines, problems):
    if not isinstance(value, dict) or not value:
        return wrong("must map symptom slugs to weights 1 to 3, e.g. 'sudden-onset: 3'")
    weights = {}
    for slug, weight in value.items():
        line = lines.get((key.name, slug), lines[key.name])
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(Problem(path, line, f"{slug!r} is not a symptom slug"))
        elif isinstance(weight, bool) or weight not in (1, 2, 3):
            problems.append(
                Problem(path, line, f"weight for {slug!r} must be 1, 2 or 3, not {weight!r}")
            )
        else:
            weights[slug] = weight
    return dict(sorted(weights.items()))


def _check_care(key, value, wrong, path, lines, problems):
    if not isinstance(value, dict) or not value:
        return wrong(f"must map one or more of {', '.join(CARE_CARD_LEVELS)} to lists of text")
    cards = {}
    for level, conditions in value.items():
        line = lines.get((key.name, level), lines[key.name])
        if level not in CARE_CARD_LEVELS:
            problems.append(
                Problem(
                    path, line, f"care card {level!r} must be one of {', '.join(CARE_CARD_LEVELS)}"
                )
            )
        elif (
            not isinstance(conditions, list)
            or not conditions
            or not all(
                isinstance(entry, str) and entry.strip() and "\n" not in entry.strip()
                for entry in conditions
            )
        ):
            problems.append(
                Problem(path, line, f"care card {level!r} must be a list of one-line conditions")
            )
        else:
            cards[level] = [entry.strip() for entry in conditions]
    return {level: cards[level] for level in CARE_CARD_LEVELS if level in cards}


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

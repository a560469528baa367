"""The rules every content item follows, whether it comes from a file or the admin.

``check_item`` turns one item's plain data into a record and checks it on its
own; ``check_references`` checks it against everything else (the
``catalogue``: kind -> {slug: published}). The file import (``tree``) and the
admin forms (``forms``) both call these, so anything one accepts the other
accepts too, with the same message.
"""

import re
from datetime import date, timedelta

from django.contrib.staticfiles import finders

from advice.triage import When

from .field_checks import (
    BAD_CHARACTER,
    SINGULAR,
    character_problem,
    check_keys,
    check_slug,
)
from .links import broken_links, find_internal_links, item_path, link_target, reserved_page_slug
from .problems import BODY, shown
from .schema import normalise_body

LEVEL_ONE_HEADING = re.compile(r"^# ", re.MULTILINE)
# A synonym is something a reader types: words, with spaces, hyphens or apostrophes.
SEARCH_PHRASE = re.compile("^[^\\W_]+(?:[ '\u2019-]+[^\\W_]+)*$")
MAX_REVIEW_INTERVAL = timedelta(days=366)
# One sentence: a capital first, one full stop at the end and none in between.
ACTION = re.compile(r"^[A-Z][^.!?]*[^.!?\s]\.$")
ILLUSTRATION_TYPES = (".svg", ".png", ".webp")
# Limits far beyond any real item (the longest body is under 10,000 characters)
# that keep hostile markdown from stalling the renderer: Python-Markdown
# recurses once per level of list nesting and slows quadratically with
# unclosed '[' brackets.
MAX_BODY_CHARACTERS = 200_000
MAX_INDENT = 40
MAX_BRACKETS = 1000


def check_item(kind, slug, data, body, problems, body_line=1):
    """The record of one item, with every problem it has on its own."""
    check_slug(slug, kind.slug_max_length, problems)
    if kind.name == "pages" and isinstance(slug, str):
        reason = reserved_page_slug(slug)
        if reason:
            problems.add(f"a page cannot be called {slug!r}: {reason}", "slug")
    record = check_keys(kind, data, problems)
    if kind.body != "none":
        record["body"] = normalise_body(body)
    _check_body(kind, body, problems, body_line)
    _check_review_dates(record, problems)
    _check_phases(record, problems)
    _check_illustration(record, problems)
    _check_action(record, problems)
    if kind.name == "synonyms":
        _check_synonyms(record, problems)
    return record


def _check_body(kind, body, problems, body_line):
    if kind.body == "none":
        if body.strip():
            problems.add(f"{kind.name} have no body; remove the text after the front matter", BODY)
        return
    if character_problem(body):
        line = body_line + body.count("\n", 0, BAD_CHARACTER.search(body).start())
        problems.add(f"the body {character_problem(body)}", BODY, line=line)
    check_body_size(body, problems, body_line)
    if kind.body == "required" and not body.strip():
        problems.add("body is empty; write the text after the front matter", BODY)
    for match in LEVEL_ONE_HEADING.finditer(body):
        line = body_line + body.count("\n", 0, match.start())
        problems.add("use '##' for headings; '#' is the page title", BODY, line=line)


def check_body_size(body, problems, body_line):
    if len(body) > MAX_BODY_CHARACTERS:
        problems.add(
            f"the body has {len(body):,} characters; the most an item may have is "
            f"{MAX_BODY_CHARACTERS:,}",
            BODY,
        )
        return
    brackets = 0
    for number, line in enumerate(body.split("\n")):
        where = body_line + number
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            problems.add(
                f"the line is indented by {indent} spaces; at most {MAX_INDENT} "
                "(lists nest a few levels deep, not dozens)",
                BODY,
                line=where,
            )
            return
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            problems.add(
                f"the body has more than {MAX_BRACKETS} '[' characters; "
                "links need one each, so this cannot be right",
                BODY,
                line=where,
            )
            return


def _check_review_dates(record, problems):
    reviewed, due = record.get("last_reviewed"), record.get("next_review")
    if not isinstance(reviewed, date) or not isinstance(due, date):
        return
    if due <= reviewed:
        problems.add("'next_review' must be after 'last_reviewed'", "next_review")
    elif due - reviewed > MAX_REVIEW_INTERVAL:
        problems.add("'next_review' must be within a year of 'last_reviewed'", "next_review")


def _check_phases(record, problems):
    overlap = set(record.get("phases") or []) & set(record.get("avoid_phases") or [])
    if overlap:
        problems.add(
            f"'avoid_phases' repeats {', '.join(sorted(overlap))} from 'phases'", "avoid_phases"
        )


def _check_illustration(record, problems):
    path = record.get("illustration")
    if not path:
        return
    if not path.endswith(ILLUSTRATION_TYPES) or ".." in path or not finders.find(path):
        problems.add(
            f"'illustration' must name a drawing under static/ ({', '.join(ILLUSTRATION_TYPES)}), "
            f"not {path!r}",
            "illustration",
        )
    if not record.get("illustration_alt"):
        problems.add("'illustration_alt' must say what the drawing shows", "illustration_alt")


def _check_action(record, problems):
    """A remedy's action is one short sentence: a capital letter, a verb, a full stop."""
    action = record.get("action")
    if action and not ACTION.match(action):
        problems.add(
            "'action' must be one sentence that starts with a capital letter and ends "
            "with a full stop, such as 'Rest the leg for 2 to 3 days.'",
            "action",
        )


def _check_synonyms(record, problems):
    seen = set()
    for key in ("words", "means"):
        for index, entry in enumerate(record.get(key) or []):
            if not SEARCH_PHRASE.match(entry):
                problems.add(
                    f"{key!r} entry {entry!r} must be a word or phrase: letters and digits, "
                    "with spaces, hyphens or apostrophes between words",
                    key,
                    at=index,
                )
            elif entry.casefold() in seen:
                problems.add(f"{entry!r} is listed more than once", key, at=index)
            seen.add(entry.casefold())


def check_references(kind, record, catalogue, problems, body_line=1):
    """Problems with what the item points at: unknown items and broken links."""
    for key in kind.keys:
        for at, slug in _references(key, record[key.name]):
            if slug not in catalogue.get(key.target, {}):
                problems.add(
                    f"{key.name!r} refers to unknown {SINGULAR[key.target]} {shown(slug)}",
                    key.name,
                    at=at,
                )
    if kind.body != "none":
        published = record.get("published", True)
        for line, message in broken_links(record["body"], catalogue, published):
            problems.add(message, BODY, line=body_line + line - 1)


def _references(key, value):
    """(where, slug) for each item ``value`` refers to; where finds the line."""
    if key.type == "exercises" and value:
        return [(index, exercise["remedy"]) for index, exercise in enumerate(value)]
    return [(slug, slug) for slug in _referenced_slugs(key, value)]


def _referenced_slugs(key, value):
    if key.type == "ref":
        return [value] if value else []
    if key.type in ("ref_list", "weights"):
        return list(value or ())
    if key.type == "condition" and value:
        return sorted(When.from_value(value).symptoms())
    if key.type == "care" and value:
        conditions = [entry["when"] for entries in value.values() for entry in entries
                      if isinstance(entry, dict)]  # fmt: skip
        return sorted({slug for when in conditions for slug in When.from_value(when).symptoms()})
    return []


def links_that_would_break(kind, slug, catalogue, bodies):
    """Where other items link to ``kind``/``slug`` and would break with ``catalogue``.

    For a rename, an unpublish or a delete in the admin: ``catalogue`` is the
    site as it would be after the change, ``bodies`` yields (kind, item slug,
    title, published, body) of the items that might link here. Returns
    messages naming each linking item and line.
    """
    messages = []
    for other_kind, other_slug, title, published, body in bodies:
        for link in find_internal_links(body):
            try:
                target = link_target(link.path)
            except ValueError:
                continue
            if target is None or (target.kind, target.slug) != (kind.name, slug):
                continue
            state = catalogue.get(kind.name, {}).get(slug)
            if state is None or (published and not state):
                messages.append(
                    f"{SINGULAR[other_kind]} {title!r} ({other_slug}) links to "
                    f"{item_path(kind, slug)} on line {link.line}"
                )
    return messages

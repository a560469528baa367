"""Reading and validating the markdown content tree.

``read_tree(root)`` parses every file under ``content/<kind>/`` into a record
(see ``schema``) and checks it against the rules the site relies on. Every
problem is collected, each as ``path:line: message``, so that an editor sees
them all in one run; nothing here touches the database.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .field_checks import SINGULAR, SLUG, check_keys
from .front_matter import FrontMatterError, parse_front_matter
from .links import broken_links
from .problems import Problem
from .schema import KIND_ORDER, KINDS, normalise_body

LEVEL_ONE_HEADING = re.compile(r"^# ", re.MULTILINE)
MAX_REVIEW_INTERVAL = timedelta(days=366)


@dataclass
class ParsedItem:
    kind: str
    slug: str
    path: Path
    record: dict
    lines: dict  # front-matter key -> line number; (key, index-or-subkey) -> line
    body_line: int


@dataclass
class ContentTree:
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # Files too broken to parse still exist: references to them are not
    # reported again, so each mistake is reported once, where it is.
    unparsed: set = field(default_factory=set)  # (kind, slug)

    def slugs(self):
        slugs = {kind: set() for kind in KINDS}
        for kind, slug in [(item.kind, item.slug) for item in self.items] + list(self.unparsed):
            slugs[kind].add(slug)
        return slugs

    def of_kind(self, kind):
        return [item for item in self.items if item.kind == kind]


def read_tree(root):
    """Parse and validate every content file under ``root``."""
    root = Path(root)
    tree = ContentTree()
    if not root.is_dir():
        tree.problems.append(Problem(root, 0, "content folder not found"))
        return tree
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if folder.name not in KINDS and not folder.name.startswith("."):
            tree.problems.append(
                Problem(
                    folder, 0, f"unknown content folder; expected one of {', '.join(KIND_ORDER)}"
                )
            )
    for kind in KIND_ORDER:
        for path in sorted((root / kind).rglob("*.md")):
            _read_file(tree, kind, path)
    _check_duplicates(tree)
    _check_references(tree)
    tree.problems.sort(key=lambda problem: (str(problem.path), problem.line))
    return tree


def _read_file(tree, kind, path):
    problems = []
    item = parse_file(kind, path, problems)
    tree.problems.extend(problems)
    if item is None:
        tree.unparsed.add((kind, path.stem))
    else:
        tree.items.append(item)


def parse_file(kind_name, path, problems):
    """Parse one file into a ParsedItem, appending to ``problems`` what is wrong."""
    kind = KINDS[kind_name]
    slug = path.stem
    if not SLUG.match(slug):
        problems.append(
            Problem(
                path,
                1,
                f"file name {path.name!r} is not a valid slug "
                f"(lower-case letters, digits and hyphens)",
            )
        )
        return None
    try:
        parsed = parse_front_matter(path.read_bytes())
    except FrontMatterError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    for line, key in parsed.duplicate_keys:
        problems.append(Problem(path, line, f"duplicate key {key!r}"))
    data, lines, body, body_start = parsed.data, parsed.lines, parsed.body, parsed.body_start
    record = check_keys(kind, path, data, lines, problems)
    if kind.body != "none":
        record["body"] = normalise_body(body)
    _validate_body(kind, path, body, body_start, problems)
    _validate_item_rules(path, record, lines, problems)
    return ParsedItem(
        kind=kind_name,
        slug=slug,
        path=path,
        record=record,
        lines=lines,
        body_line=body_start + _count_leading_blank_lines(body),
    )


def _count_leading_blank_lines(body):
    for count, line in enumerate(body.split("\n")):
        if line.strip():
            return count
    return 0


# --- Whole-item rules -------------------------------------------------------


def _validate_body(kind, path, body, body_line, problems):
    if kind.body == "none":
        if body.strip():
            problems.append(
                Problem(
                    path,
                    body_line,
                    f"{kind.name} have no body; remove the text after the front matter",
                )
            )
        return
    if kind.body == "required" and not body.strip():
        problems.append(
            Problem(path, body_line, "body is empty; write the text after the front matter")
        )
    for match in LEVEL_ONE_HEADING.finditer(body):
        line = body_line + body.count("\n", 0, match.start())
        problems.append(Problem(path, line, "use '##' for headings; '#' is the page title"))


def _validate_item_rules(path, record, lines, problems):
    """Rules that span several keys."""
    for message, key in review_date_problems(record):
        problems.append(Problem(path, lines.get(key, 2), message))
    overlap = set(record.get("phases") or []) & set(record.get("avoid_phases") or [])
    if overlap:
        problems.append(
            Problem(
                path,
                lines.get("avoid_phases", 2),
                f"'avoid_phases' repeats {', '.join(sorted(overlap))} from 'phases'",
            )
        )


def review_date_problems(record):
    """(message, key) for review dates that are out of order or too far apart."""
    reviewed, due = record.get("last_reviewed"), record.get("next_review")
    if not isinstance(reviewed, date) or not isinstance(due, date):
        return []
    if due <= reviewed:
        return [("'next_review' must be after 'last_reviewed'", "next_review")]
    if due - reviewed > MAX_REVIEW_INTERVAL:
        return [("'next_review' must be within a year of 'last_reviewed'", "next_review")]
    return []


# --- Cross-file rules -------------------------------------------------------


def _check_duplicates(tree):
    seen = {}
    unique = []
    for item in tree.items:
        first = seen.get((item.kind, item.slug))
        if first:
            tree.problems.append(
                Problem(item.path, 1, f"duplicate slug {item.slug!r}: also used by {first.path}")
            )
        else:
            seen[(item.kind, item.slug)] = item
            unique.append(item)
    tree.items = unique


def _check_references(tree):
    slugs = tree.slugs()
    for item in tree.items:
        kind = KINDS[item.kind]
        for key in kind.keys:
            for slug in _referenced_slugs(key, item.record[key.name]):
                if slug not in slugs[key.target]:
                    line = item.lines.get((key.name, slug), item.lines.get(key.name, 2))
                    tree.problems.append(
                        Problem(
                            item.path,
                            line,
                            f"{key.name!r} refers to unknown {SINGULAR[key.target]} {slug!r}",
                        )
                    )
        if kind.body != "none":
            for line, message in broken_links(item.record["body"], slugs):
                tree.problems.append(Problem(item.path, item.body_line + line - 1, message))


def _referenced_slugs(key, value):
    if key.type == "ref":
        return [value] if value else []
    if key.type in ("ref_list", "weights"):
        return list(value)
    return []

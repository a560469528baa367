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

import yaml

from .links import broken_links
from .schema import KIND_ORDER, KINDS, normalise_body

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEVEL_ONE_HEADING = re.compile(r"^# ", re.MULTILINE)
MAX_REVIEW_INTERVAL = timedelta(days=366)
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


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


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


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is our error with a line."""


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str
)


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
    text = _read_text(path, problems)
    if text is None:
        return None
    split = _split_front_matter(path, text, problems)
    if split is None:
        return None
    front, body, body_start = split
    data, lines = _load_yaml(path, front, problems)
    if data is None:
        return None
    record = _validate_keys(kind, path, data, lines, problems)
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


def _read_text(path, problems):
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(path, line, "file is not UTF-8 text; save it as UTF-8"))
        return None


def _split_front_matter(path, text, problems):
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "file must start with '---' and YAML front matter"))
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    problems.append(Problem(path, 1, "front matter is not closed with a second '---' line"))
    return None


def _load_yaml(path, front, problems):
    """The front matter as a dict, and the file line of every key and list item."""
    loader = _FrontMatterLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(path, 2, "front matter is empty"))
            return None, None
        if not isinstance(node, yaml.MappingNode):
            problems.append(
                Problem(path, node.start_mark.line + 2, "front matter must be 'key: value' lines")
            )
            return None, None
        lines = _node_lines(path, node, problems)
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(path, line, f"broken YAML: {reason}"))
        return None, None
    finally:
        loader.dispose()
    return data, lines


def _node_lines(path, mapping, problems):
    def line_of(node):
        return node.start_mark.line + 2  # +1 for 1-based, +1 for the opening '---'

    lines = {}
    for key_node, value_node in mapping.value:
        key = key_node.value
        if key in lines:
            problems.append(Problem(path, line_of(key_node), f"duplicate key {key!r}"))
        lines[key] = line_of(key_node)
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = line_of(item)
                if isinstance(item, yaml.ScalarNode):
                    lines.setdefault((key, item.value), line_of(item))
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, sub_value in value_node.value:
                lines[(key, sub_key.value)] = line_of(sub_key)
                if isinstance(sub_value, yaml.SequenceNode):
                    for index, item in enumerate(sub_value.value):
                        lines[(key, sub_key.value, index)] = line_of(item)
    return lines


# --- Key validation ---------------------------------------------------------


def _validate_keys(kind, path, data, lines, problems):
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

"""Writing the database back to the content tree, faithfully.

The export exists so that an edit made in the admin can be reviewed as a
``git diff`` and committed, so it changes as little as it can:

- An item is written only if its record changed since its file was last read
  or written (its hash differs from ``imported_hash``). Exporting an unchanged
  database changes no file.
- An existing file is edited in its own layout. Its front matter is loaded
  with ruamel.yaml's round-trip mode, which keeps key order, quoting,
  comments and list layout; only the keys whose value changed are set, and
  lists and mappings are edited entry by entry. Links to other items are
  stored as sets, so the authors' order of ``causes`` and ``remedies`` stays.
  The body is replaced only if it changed.
- A file that changed on disk since it was last read is never overwritten:
  the item is listed as changed on both sides.
- A new item gets the canonical layout described in content/README.md.
"""

import io
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml as pyyaml
from reversion.models import Version
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from .field_checks import SOURCE_KEYS
from .front_matter import split_front_matter
from .schema import (
    KIND_ORDER,
    KINDS,
    matches_stored_hash,
    prefetch_for,
    record_from_instance,
    record_hash,
)
from .tree import ParsedItem, parse_bytes, parse_file

# Lists indented under their key ("  - item"), as in every file in content/.
CANONICAL_INDENT = (2, 4, 2)  # ruamel's mapping, sequence and offset
# The layouts tried, in order, to find the one a file is written in.
INDENTS = (CANONICAL_INDENT, (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0))
QUOTED_STYLES = (
    DoubleQuotedScalarString,
    SingleQuotedScalarString,
    LiteralScalarString,
    FoldedScalarString,
)


@dataclass
class ExportReport:
    written: list = field(default_factory=list)  # paths of existing files edited
    created: list = field(default_factory=list)  # paths of new files
    removed: list = field(default_factory=list)  # paths deleted by --prune
    unchanged: int = 0
    conflicts: list = field(default_factory=list)  # paths changed on disk and in the database
    unreadable: list = field(default_factory=list)  # the first Problem of each broken file
    orphans: list = field(default_factory=list)  # files with no item, kept without --prune


def export_content(root, *, prune=False):
    """Write what changed in the database to ``root``; return an ExportReport."""
    root = Path(root)
    report = ExportReport()
    for kind_name in KIND_ORDER:
        kind = KINDS[kind_name]
        folder = root / kind_name
        folder.mkdir(parents=True, exist_ok=True)
        paths = {path.stem: path for path in sorted(folder.rglob("*.md"))}
        for obj in prefetch_for(kind, kind.model.objects.order_by("slug")):
            _export_item(kind, obj, paths.pop(obj.slug, None) or folder / f"{obj.slug}.md", report)
        deleted = _deleted_slugs(kind) if prune and paths else frozenset()
        for slug, path in paths.items():
            if slug in deleted:
                path.unlink()
                report.removed.append(path)
            else:
                report.orphans.append(path)
    return report


def _deleted_slugs(kind):
    """The slugs of this kind's items that were in the database and were deleted.

    --prune removes only their files: a file with no item may also be a new
    one nobody has imported yet, and that is an author's work. The history
    (django-reversion) keeps the last version of every deleted item.
    """
    return frozenset(
        version.field_dict.get("slug") for version in Version.objects.get_deleted(kind.model)
    )


def _export_item(kind, obj, path, report):
    record = record_from_instance(kind, obj)
    new_hash = record_hash(kind, record)
    if not path.exists():
        path.write_text(item_to_text(kind, record), encoding="utf-8")
        report.created.append(path)
        _remember(kind, obj, new_hash)
        return
    if matches_stored_hash(kind, record, obj.imported_hash):  # as when the file was last read
        report.unchanged += 1
        _remember(kind, obj, new_hash)  # in the current form, if stored in an older one
        return
    item = parse_file(kind.name, path)
    problems = list(item.problems if isinstance(item, ParsedItem) else item)
    if problems:
        report.unreadable.append(problems[0])
        return
    file_hash = record_hash(kind, item.record)
    if file_hash == new_hash:  # the file already says this
        report.unchanged += 1
    elif not matches_stored_hash(kind, item.record, obj.imported_hash):
        # Edited on disk (or, if new here, written there).
        report.conflicts.append(path)
        return
    else:
        text = update_text(kind, path.read_bytes().decode("utf-8"), item.record, record)
        if not _holds(kind, path, text, new_hash):  # cannot happen; never write a wrong file
            text = item_to_text(kind, record)
        path.write_bytes(text.encode("utf-8"))
        report.written.append(path)
    _remember(kind, obj, new_hash)


def _holds(kind, path, text, expected_hash):
    """Whether ``text`` imports as the record with ``expected_hash``."""
    item = parse_bytes(kind.name, path, text.encode("utf-8"))
    return isinstance(item, ParsedItem) and record_hash(kind, item.record) == expected_hash


def _remember(kind, obj, new_hash):
    """The file now holds this record: a later import or export starts from it."""
    if obj.imported_hash != new_hash:
        kind.model.objects.filter(pk=obj.pk).update(imported_hash=new_hash)


# --- New files: the canonical layout ------------------------------------------


def item_to_text(kind, record):
    """A new file: the kind's keys in their documented order, defaults left out."""
    front = CommentedMap()
    for key in kind.keys:
        value = record[key.name]
        if key.required or value != key.default_value():
            front[key.name] = _plain(value)
    body = record.get("body", "")
    return f"---\n{_dump(front, CANONICAL_INDENT)}---\n" + (f"{body}\n" if body else "")


def _plain(value):
    if isinstance(value, dict):
        if value and set(value) <= set(SOURCE_KEYS):  # PostgreSQL's jsonb reorders keys
            value = {name: value[name] for name in SOURCE_KEYS if name in value}
        return CommentedMap((name, _plain(item)) for name, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(_plain(item) for item in value)
    if isinstance(value, str) and _READ_BACK.resolve(pyyaml.ScalarNode, value, (True, False)) != (
        "tag:yaml.org,2002:str"
    ):
        # ruamel writes YAML 1.2, where "yes", "on" or "1e3" are text; the
        # import reads YAML 1.1, where they are not. Quote them.
        return DoubleQuotedScalarString(value)
    return value


_READ_BACK = pyyaml.resolver.Resolver()


# --- Existing files: change only what changed -----------------------------------


def update_text(kind, text, old, new):
    """``text`` (a file whose record is ``old``) edited to hold record ``new``."""
    newline = "\r\n" if "\r\n" in text else "\n"
    front, body, _ = split_front_matter(text)
    changed = [key for key in kind.keys if not _same(key, old[key.name], new[key.name])]
    if changed:
        indent = _layout_of(front)
        data = _yaml(indent).load(front)
        for key in changed:
            _set_key(kind, data, key, new[key.name])
        front = _dump(data, indent)
    elif not front.endswith("\n"):
        front += "\n"
    if "body" in new and old.get("body") != new["body"]:
        body = f"{new['body']}\n" if new["body"] else ""
    result = f"---\n{front}---\n{body}"
    return result.replace("\n", newline) if newline != "\n" else result


def _same(key, old, new):
    if key.type == "ref_list":  # stored as a set: the file's order is the authors'
        return sorted(old) == sorted(new)
    return old == new


def _set_key(kind, data, key, value):
    if value in ("", [], {}) and not key.required:
        data.pop(key.name, None)
        return
    if key.name not in data:
        data.insert(_insert_position(kind, data, key), key.name, _plain(value))
        return
    current = data[key.name]
    if key.type == "ref_list" and isinstance(current, list):
        value = [slug for slug in current if slug in value] + [
            slug for slug in value if slug not in current
        ]
    data[key.name] = _merged(current, value)


def _insert_position(kind, data, key):
    """After the last key that comes before ``key`` in the kind's documented order."""
    names = [other.name for other in kind.keys]
    before = names[: names.index(key.name)]
    present = [index for index, name in enumerate(data) if name in before]
    return present[-1] + 1 if present else len(data)


def _merged(current, value):
    """``value``, built by editing ``current`` in place where their shapes agree."""
    if isinstance(current, CommentedMap) and isinstance(value, dict):
        for name in [name for name in current if name not in value]:
            del current[name]
        for name, item in value.items():
            if name in current:
                if current[name] != item:
                    current[name] = _merged(current[name], item)
            else:
                current[name] = _plain(item)
        return current
    if isinstance(current, CommentedSeq) and isinstance(value, list):
        _merge_list(current, value)
        return current
    for style in QUOTED_STYLES:
        if isinstance(current, style) and isinstance(value, str):
            return style(value)
    return _plain(value)


def _merge_list(current, value):
    """Edit ``current`` into ``value`` entry by entry, keeping untouched entries as written."""
    matcher = SequenceMatcher(None, [_key(item) for item in current], [_key(i) for i in value])
    for tag, start, end, new_start, new_end in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        replacements = value[new_start:new_end]
        if tag == "replace" and end - start == len(replacements):
            for offset, item in enumerate(replacements):
                current[start + offset] = _merged(current[start + offset], item)
            continue
        for index in reversed(range(start, end)):
            del current[index]
        for offset, item in enumerate(replacements):
            current.insert(start + offset, _plain(item))


def _key(item):
    return repr(sorted(item.items())) if isinstance(item, dict) else repr(item)


# --- ruamel.yaml set-up ---------------------------------------------------------


def _yaml(indent):
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(data, indent):
    stream = io.StringIO()
    _yaml(indent).dump(data, stream)
    return stream.getvalue()


def _layout_of(front):
    """The indentation ``front`` is written in: the first that reproduces it exactly."""
    for indent in INDENTS:
        if _dump(_yaml(indent).load(front), indent) == front:
            return indent
    return CANONICAL_INDENT

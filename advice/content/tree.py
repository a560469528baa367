"""Reading and validating the markdown content tree.

``read_tree(root)`` parses every file under ``content/<kind>/`` into a record
(see ``schema``) and checks it with the shared ``rules``. Every problem is
collected, each as ``path:line: message``, so that an editor sees them all in
one run; nothing here touches the database.

Only regular files inside the content folder are read: a symbolic link (which
could point anywhere, or nowhere) is a problem, and so is a file larger than
any real item, reported before it is read into memory.
"""

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .front_matter import FrontMatterError, parse_front_matter
from .problems import BODY, Problem, Problems, shown
from .rules import check_item, check_references
from .schema import KIND_ORDER, KINDS, count_leading_blank_lines
from .workers import Workers

# The longest real item is under 10 KB; anything this large is a mistake.
MAX_FILE_BYTES = 256 * 1024


@dataclass
class ParsedItem:
    kind: str
    slug: str
    path: Path
    record: dict
    problems: Problems  # knows the file's lines, for reporting cross-file problems
    body_line: int


@dataclass
class ContentTree:
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # Files too broken to parse still exist: references to them are not
    # reported again, so each mistake is reported once, where it is.
    unparsed: set = field(default_factory=set)  # (kind, slug)

    def catalogue(self):
        """kind -> {slug: published}, for checking references and links."""
        catalogue = {kind: {} for kind in KINDS}
        for kind, slug in self.unparsed:
            catalogue[kind][slug] = True
        for item in self.items:
            catalogue[item.kind][item.slug] = item.record.get("published", True)
        return catalogue

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
    files = [(kind, path) for kind in KIND_ORDER for path in _markdown_files(tree, root / kind)]
    for (kind, path), item in zip(files, _parse_all(files), strict=True):
        _add_parsed(tree, kind, path, item)
    _check_duplicates(tree)
    _check_references(tree)
    tree.problems.sort(key=lambda problem: (str(problem.path), problem.line))
    return tree


def _markdown_files(tree, folder):
    """The ``.md`` files under ``folder``, never following a symbolic link out of it."""
    if folder.is_symlink():
        tree.problems.append(Problem(folder, 0, SYMLINK))
        return []
    found = []
    # os.walk does not descend into linked folders; they are reported instead.
    for directory, folders, files in os.walk(folder):
        for name in folders:
            if os.path.islink(os.path.join(directory, name)):
                tree.problems.append(Problem(Path(directory, name), 0, SYMLINK))
            elif name.endswith(".md"):  # read, and reported, as a file
                found.append(Path(directory, name))
        found += [Path(directory, name) for name in files if name.endswith(".md")]
    return sorted(found)


SYMLINK = "symbolic links are not allowed in the content folder; copy the file in instead"


def read_content_file(path):
    """The bytes of the content file at ``path``, or a FrontMatterError saying why not.

    Checked before reading: a link (which may point outside the content
    folder, or nowhere), anything but a regular file, and an oversized file.
    """
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise FrontMatterError(1, SYMLINK)
        if not stat.S_ISREG(info.st_mode):
            raise FrontMatterError(1, "not a regular file; a content file must be a plain file")
        if info.st_size > MAX_FILE_BYTES:
            raise FrontMatterError(1, _too_big(info.st_size))
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FrontMatterError(1, f"cannot be read: {error.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew after lstat()
        raise FrontMatterError(1, _too_big(len(raw)))
    return raw


def _too_big(size):
    return f"the file is {size:,} bytes; content files must be under {MAX_FILE_BYTES:,} bytes"


# Forked: a worker starts with Django and the content schema loaded; it reads
# files only, never the database connection it inherits.
PARSE_WORKERS = Workers(chunk=100, at_least=500, start_method="fork")


def _parse_all(files):
    """``parse_file`` of each (kind, path), in order: many by worker processes."""
    return list(PARSE_WORKERS.map(_parse, files))


def _parse(file):
    kind, path = file
    return parse_file(kind, path)


def _add_parsed(tree, kind, path, item):
    if isinstance(item, Problems):
        tree.problems.extend(item)
        tree.unparsed.add((kind, path.stem))
    else:
        tree.problems.extend(item.problems)
        tree.items.append(item)


def parse_file(kind_name, path):
    """A ParsedItem (its ``problems`` may be non-empty), or Problems if it cannot be parsed."""
    try:
        raw = read_content_file(path)
    except FrontMatterError as error:
        problems = Problems(path)
        problems.add(error.message, line=error.line)
        return problems
    return parse_bytes(kind_name, path, raw)


def parse_bytes(kind_name, path, raw):
    """Like ``parse_file``, for the bytes ``raw`` of the file at ``path``."""
    kind = KINDS[kind_name]
    try:
        parsed = parse_front_matter(raw)
    except FrontMatterError as error:
        problems = Problems(path)
        problems.add(error.message, line=error.line)
        return problems
    body_line = parsed.body_start + count_leading_blank_lines(parsed.body)
    problems = Problems(path, {**parsed.lines, BODY: body_line, "slug": 1})
    for line, key in parsed.duplicate_keys:
        problems.add(f"duplicate key {shown(key)}", key, line=line)
    record = check_item(kind, path.stem, parsed.data, parsed.body, problems, parsed.body_start)
    return ParsedItem(kind_name, path.stem, path, record, problems, body_line)


def _check_duplicates(tree):
    seen = {}
    unique = []
    for item in tree.items:
        first = seen.get((item.kind, item.slug))
        if first:
            message = f"duplicate slug {shown(item.slug)}: also used by {first.path}"
            tree.problems.append(Problem(item.path, 1, message))
        else:
            seen[(item.kind, item.slug)] = item
            unique.append(item)
    tree.items = unique


def _check_references(tree):
    catalogue = tree.catalogue()
    for item in tree.items:
        found = Problems(item.path, item.problems.lines, default_line=2)
        check_references(KINDS[item.kind], item.record, catalogue, found, item.body_line)
        tree.problems.extend(found)

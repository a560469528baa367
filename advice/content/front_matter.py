"""Splitting a content file into YAML front matter and a markdown body.

Besides the data, the parser returns the file line of every key, list item
and sub-key, so that every validation message can point at its line.

Content files are trusted no more than any other input: the parser refuses
YAML anchors and aliases (an "alias bomb" of a few hundred bytes expands to
gigabytes), nesting deeper than any key needs, and numbers too long to be
meant, each as a problem on its line rather than an exception.

The YAML is scanned by libyaml (PyYAML's C parser) when PyYAML has it, which
is about ten times faster than the pure-Python scanner that used to dominate
an import; the checks above run on its events all the same. Should libyaml
find the front matter broken, it is parsed again by the pure-Python loader,
so every error message and line is exactly the one that loader gives.
"""

from dataclasses import dataclass, field

import yaml


class FrontMatterError(Exception):
    """The file cannot be read as front matter at all."""

    def __init__(self, line, message):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class FrontMatter:
    data: dict
    lines: dict  # key -> line; (key, index or sub-key or value) -> line
    body: str
    body_start: int  # the file line where the body starts
    duplicate_keys: list = field(default_factory=list)  # (line, key)


# The deepest key a file needs is seven levels (care -> card -> entry -> when ->
# alternatives -> condition -> slug list); ten leaves room and stops a nesting bomb.
MAX_DEPTH = 10
# Longer than any number a key takes (and Python refuses ints over 4,300 digits).
MAX_NUMBER_LENGTH = 20


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and deep nesting, and leaves dates
    as text (so that a bad date is our error, with a line)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = _line_of_mark(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError(
                line, "YAML aliases ('*name') are not allowed; write the value out in full"
            )
        if getattr(event, "anchor", None) is not None:
            raise FrontMatterError(
                line, "YAML anchors ('&name') are not allowed; write each value out in full"
            )
        if self._depth >= MAX_DEPTH:
            raise FrontMatterError(line, f"values are nested more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        if len(node.value) > MAX_NUMBER_LENGTH:
            raise FrontMatterError(
                _line_of(node), f"a number {len(node.value)} characters long cannot be right"
            )
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)

if yaml.__with_libyaml__:

    class _FastLoader(yaml.cyaml.CParser, _Loader):
        """``_Loader`` reading libyaml's events: the C parser scans and parses, and
        ``_Loader``'s own composer (with its checks) builds the nodes."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._depth = 0

        # The C parser also composes nodes, without the checks: use the Python composer.
        get_single_node = yaml.composer.Composer.get_single_node

    _LOADERS = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADERS = (_Loader,)


def parse_front_matter(raw):
    """Parse a file's bytes; raise FrontMatterError if it cannot be parsed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FrontMatterError(line, "file is not UTF-8 text; save it as UTF-8") from None
    front, body, body_start = split_front_matter(text)
    data, lines, duplicates = _load(front)
    return FrontMatter(
        data=data, lines=lines, body=body, body_start=body_start, duplicate_keys=duplicates
    )


def split_front_matter(text):
    """(front matter, body, the body's first line) of a file's text."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if lines[0].strip() != "---":
        raise FrontMatterError(1, "file must start with '---' and YAML front matter")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(1, "front matter is not closed with a second '---' line")


def _load(front):
    for loader_class in _LOADERS[:-1]:
        try:
            return _load_with(loader_class, front)
        except (FrontMatterError, yaml.YAMLError):
            pass  # the reference loader below says exactly what is wrong, and where
    return _load_with(_LOADERS[-1], front)


def _load_with(loader_class, front):
    loader = None
    try:
        loader = loader_class(front)
        node = loader.get_single_node()
        if node is None:
            raise FrontMatterError(2, "front matter is empty")
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(_line_of(node), "front matter must be 'key: value' lines")
        lines, duplicates = _node_lines(node)
        return loader.construct_document(node), lines, duplicates
    except yaml.reader.ReaderError as error:
        line = front.count("\n", 0, error.position) + 2
        raise FrontMatterError(
            line,
            f"the front matter contains the character U+{error.character:04X}, "
            "which YAML does not allow; remove it",
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise FrontMatterError(_line_of_mark(mark), f"broken YAML: {reason}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _line_of_mark(mark):
    return mark.line + 2 if mark else 2  # +1 for 1-based, +1 for the opening '---'


def _line_of(node):
    return _line_of_mark(node.start_mark)


def _node_lines(mapping):
    lines, duplicates = {}, []
    for key_node, value_node in mapping.value:
        key = _plain_key(key_node)
        if key in lines:
            duplicates.append((_line_of(key_node), key))
        lines[key] = _line_of(key_node)
        if isinstance(value_node, yaml.SequenceNode):
            _sequence_lines(lines, (key,), value_node)
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, sub_value in value_node.value:
                lines[(key, _plain_key(sub_key))] = _line_of(sub_key)
                if isinstance(sub_value, yaml.SequenceNode):
                    _sequence_lines(lines, (key, sub_key.value), sub_value)
    return lines, duplicates


def _plain_key(node):
    if not isinstance(node, yaml.ScalarNode):
        raise FrontMatterError(_line_of(node), "a key must be a plain name, not a list or mapping")
    return node.value


def _sequence_lines(lines, prefix, sequence):
    for index, item in enumerate(sequence.value):
        lines[(*prefix, index)] = _line_of(item)
        if isinstance(item, yaml.ScalarNode):
            lines.setdefault((*prefix, item.value), _line_of(item))

"""Splitting a content file into YAML front matter and a markdown body.

Besides the data, the parser returns the file line of every key, list item
and sub-key, so that every validation message can point at its line.
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


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is our error with a line."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def parse_front_matter(raw):
    """Parse a file's bytes; raise FrontMatterError if it cannot be parsed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FrontMatterError(line, "file is not UTF-8 text; save it as UTF-8") from None
    front, body, body_start = _split(text)
    data, lines, duplicates = _load(front)
    return FrontMatter(
        data=data, lines=lines, body=body, body_start=body_start, duplicate_keys=duplicates
    )


def _split(text):
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if lines[0].strip() != "---":
        raise FrontMatterError(1, "file must start with '---' and YAML front matter")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(1, "front matter is not closed with a second '---' line")


def _load(front):
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FrontMatterError(2, "front matter is empty")
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(_line_of(node), "front matter must be 'key: value' lines")
        lines, duplicates = _node_lines(node)
        return loader.construct_document(node), lines, duplicates
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise FrontMatterError(_line_of_mark(mark), f"broken YAML: {reason}") from None
    finally:
        loader.dispose()


def _line_of_mark(mark):
    return mark.line + 2 if mark else 2  # +1 for 1-based, +1 for the opening '---'


def _line_of(node):
    return _line_of_mark(node.start_mark)


def _node_lines(mapping):
    lines, duplicates = {}, []
    for key_node, value_node in mapping.value:
        key = key_node.value
        if key in lines:
            duplicates.append((_line_of(key_node), key))
        lines[key] = _line_of(key_node)
        if isinstance(value_node, yaml.SequenceNode):
            _sequence_lines(lines, (key,), value_node)
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, sub_value in value_node.value:
                lines[(key, sub_key.value)] = _line_of(sub_key)
                if isinstance(sub_value, yaml.SequenceNode):
                    _sequence_lines(lines, (key, sub_key.value), sub_value)
    return lines, duplicates


def _sequence_lines(lines, prefix, sequence):
    for index, item in enumerate(sequence.value):
        lines[(*prefix, index)] = _line_of(item)
        if isinstance(item, yaml.ScalarNode):
            lines.setdefault((*prefix, item.value), _line_of(item))

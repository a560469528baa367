"""Problems found in content, and where they are.

A problem belongs to a front-matter key (``key``) and, in a file, to a line.
The file import prints ``path:line: message``; the admin shows the same
message on the form field for ``key``. Both collect problems through
``Problems``, so the rules that find them are written once.
"""

from dataclasses import dataclass
from pathlib import Path

BODY = "body"  # the key of problems in the markdown body


@dataclass(frozen=True)
class Problem:
    path: Path | None
    line: int
    message: str
    key: str = ""  # the front-matter key it is about; BODY for the body; "" for the item

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class Problems:
    """Collects problems for one item, finding each one's line where it can.

    ``lines`` maps a key, or ``(key, index-or-sub-key)``, to its file line;
    in the admin there are no lines and it is empty.
    """

    def __init__(self, path=None, lines=None, default_line=2):
        self.path = path
        self.lines = lines or {}
        self.default_line = default_line
        self.found = []

    def add(self, message, key="", at=None, line=None):
        if line is None:
            line = self.line_of(key, at)
        self.found.append(Problem(self.path, line, message, key))

    def line_of(self, key, at=None):
        if at is not None and (key, at) in self.lines:
            return self.lines[(key, at)]
        return self.lines.get(key, self.default_line)

    def __bool__(self):
        return bool(self.found)

    def __iter__(self):
        return iter(self.found)


def shown(value, limit=60):
    """A value quoted for a message, cut short so that a huge value cannot flood it."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

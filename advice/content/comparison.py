"""Two stored states of an item side by side, as editors read them: the history's
and the sign-off's "what changed"."""

import difflib
from dataclasses import dataclass

from .history import label
from .problems import BODY


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


def compare(old, new):
    """(changed fields side by side, the body's unified line diff) between two states."""
    fields = [
        FieldChange(label(name), as_text(old.get(name)), as_text(new.get(name)))
        for name in new
        if name != BODY and old.get(name) != new[name]
    ]
    body = list(
        difflib.unified_diff(
            (old.get(BODY) or "").splitlines(),
            (new.get(BODY) or "").splitlines(),
            "before",
            "after",
            lineterm="",
        )
    )
    return fields, body[2:]  # without the ---/+++ header lines


def as_text(value):
    """A value as an editor reads it: one entry per line."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, list):
        return "\n".join(as_text(item) for item in value)
    if isinstance(value, dict):
        if {"title", "publisher"} <= set(value):  # a source
            return " | ".join(str(value[part]) for part in ("title", "publisher", "year", "url")
                              if part in value)  # fmt: skip
        return "\n".join(f"{name}: {as_text(item)}" for name, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)

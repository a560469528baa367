"""The vocabulary of a reader's answers, and conditions over them.

Triage rules and the criteria on causes' care cards are written by editors as
*conditions* ("a pop, or severe pain after a sudden injury"); the content
pipeline checks them and the checker evaluates them, both with this module,
so a condition means the same thing on a cause page and in a result.

A condition is a mapping with one or more of the keys below, all of which
must hold; ``when`` may also be a list of such mappings, any one of which
will do ("a pop, or severe pain"):

- ``any_of``: symptom slugs, at least one ticked;
- ``all_of``: symptom slugs, every one ticked;
- ``none_of``: symptom slugs, none ticked;
- ``severity_at_least``: pain score 0 to 10 (not met when the reader did not say);
- ``durations``: duration codes (not met when the reader did not say);
- ``ages``: age-band codes (not met when the reader did not say).
"""

from dataclasses import dataclass

from django.db.models import TextChoices


class Duration(TextChoices):
    UNDER_3_DAYS = "under-3-days", "Less than 3 days"
    DAYS_3_TO_14 = "3-to-14-days", "3 to 14 days"
    WEEKS_2_TO_6 = "2-to-6-weeks", "2 to 6 weeks"
    OVER_6_WEEKS = "over-6-weeks", "More than 6 weeks"


class AgeBand(TextChoices):
    UNDER_16 = "under-16", "Under 16"
    FROM_16_TO_24 = "16-to-24", "16 to 24"
    FROM_25_TO_64 = "25-to-64", "25 to 64"
    OVER_65 = "65-or-over", "65 or over"


def answer_label(choices, code):
    """How the pages show an answer (``Duration`` or ``AgeBand``): "" if not given."""
    return choices(code).label if code else ""


SEVERITY_MIN, SEVERITY_MAX = 0, 10
SYMPTOM_KEYS = ("any_of", "all_of", "none_of")
CODE_KEYS = {"durations": Duration, "ages": AgeBand}
CONDITION_KEYS = (*SYMPTOM_KEYS, "severity_at_least", *CODE_KEYS)


@dataclass(frozen=True)
class Condition:
    any_of: frozenset = frozenset()
    all_of: frozenset = frozenset()
    none_of: frozenset = frozenset()
    severity_at_least: int | None = None
    durations: frozenset = frozenset()
    ages: frozenset = frozenset()

    @classmethod
    def from_mapping(cls, mapping):
        """From a mapping already checked by ``condition_problems``."""
        values = {key: frozenset(mapping.get(key, ())) for key in (*SYMPTOM_KEYS, *CODE_KEYS)}
        return cls(**values, severity_at_least=mapping.get("severity_at_least"))

    def met_by(self, ticked, severity=None, duration=None, age=None):
        """Whether answers meet the condition; ``ticked`` is a set of symptom slugs."""
        if self.any_of and not self.any_of & ticked:
            return False
        if not self.all_of <= ticked or self.none_of & ticked:
            return False
        if self.severity_at_least is not None and (
            severity is None or severity < self.severity_at_least
        ):
            return False
        if self.durations and duration not in self.durations:
            return False
        return not self.ages or age in self.ages

    def symptoms(self):
        """Every symptom the condition names (for checking they exist)."""
        return self.any_of | self.all_of | self.none_of

    def signs_ticked(self, ticked):
        """The ticked symptoms the condition asks for (``none_of`` asks for absence)."""
        return (self.any_of | self.all_of) & ticked


@dataclass(frozen=True)
class When:
    """One or more conditions, any of which will do."""

    conditions: tuple

    @classmethod
    def from_value(cls, value):
        """From a mapping, or a list of mappings, already checked by ``condition_problems``."""
        mappings = value if isinstance(value, list) else [value]
        return cls(tuple(Condition.from_mapping(mapping) for mapping in mappings))

    def met_by(self, ticked, severity=None, duration=None, age=None):
        return any(c.met_by(ticked, severity, duration, age) for c in self.conditions)

    def symptoms(self):
        return frozenset().union(*(condition.symptoms() for condition in self.conditions))

    def signs_meeting(self, ticked, severity=None, duration=None, age=None):
        """The ticked symptoms by which the answers meet the condition, from every
        alternative they meet (empty when they meet none, or when those they meet
        name no symptom, such as severe pain alone)."""
        return frozenset().union(
            *(
                condition.signs_ticked(ticked)
                for condition in self.conditions
                if condition.met_by(ticked, severity, duration, age)
            )
        )


def condition_problems(value):
    """Messages for what is wrong with a condition (or a list of them); [] when good."""
    if isinstance(value, list) and value:
        return [problem for mapping in value for problem in _mapping_problems(mapping)]
    return _mapping_problems(value)


def _mapping_problems(value):
    if not isinstance(value, dict) or not value:
        return [f"must be a condition with one or more of {', '.join(CONDITION_KEYS)}"]
    problems = []
    for key, entry in value.items():
        if key not in CONDITION_KEYS:
            problems.append(f"has unknown condition {key!r} (use {', '.join(CONDITION_KEYS)})")
        elif key == "severity_at_least":
            if not _is_severity(entry):
                problems.append("'severity_at_least' must be a whole number from 0 to 10")
        elif (
            not isinstance(entry, list)
            or not entry
            or not all(isinstance(item, str) for item in entry)
        ):
            problems.append(f"{key!r} must be a list of codes")
        elif key in CODE_KEYS and set(entry) - set(CODE_KEYS[key].values):
            allowed = ", ".join(CODE_KEYS[key].values)
            problems.append(f"{key!r} must list codes from {allowed}")
    return problems


def _is_severity(value):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and SEVERITY_MIN <= value <= SEVERITY_MAX
    )


def format_condition(value):
    """A condition (or a list of them) as the one line editors write in the admin."""
    if isinstance(value, list):
        return " or ".join(format_condition(mapping) for mapping in value)
    mapping = value
    parts = []
    for key in CONDITION_KEYS:
        if key in mapping:
            value = mapping[key]
            parts.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return "; ".join(parts)


def parse_condition(text):
    """The condition of an admin line such as ``any_of: pop-at-injury; severity_at_least: 8``.

    Alternatives are joined with `` or ``. Shape errors are left for
    ``condition_problems`` to report, as for a file.
    """
    alternatives = [part for part in text.split(" or ") if part.strip()]
    if len(alternatives) > 1:
        return [_parse_mapping(part) for part in alternatives]
    return _parse_mapping(text)


def _parse_mapping(text):
    mapping = {}
    for part in filter(None, (part.strip() for part in text.split(";"))):
        key, _, value = part.partition(":")
        key, value = key.strip(), value.strip()
        if key == "severity_at_least":
            # ASCII digits only, and few: int() refuses "²" and 5,000-digit strings.
            number = value.isascii() and value.isdigit() and len(value) < 10
            mapping[key] = int(value) if number else value
        else:
            mapping[key] = [item.strip() for item in value.split(",") if item.strip()]
    return mapping


# --- Care-card entries -------------------------------------------------------
# A card entry is a line of text for readers, optionally with the condition
# under which it applies. Files write it as a mapping {text, when}; the
# database and the admin keep it as one line: "text | if <condition>".

CARD_CONDITION_SEPARATOR = " | if "


def card_line(text, when=None):
    return f"{text}{CARD_CONDITION_SEPARATOR}{format_condition(when)}" if when else text


def split_card_line(line):
    """(text, condition mapping or None) of one stored card line."""
    text, separator, condition = line.partition(CARD_CONDITION_SEPARATOR)
    return (text.strip(), parse_condition(condition)) if separator else (line.strip(), None)

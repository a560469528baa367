"""Form fields that show structured content the way editors think of it.

Symptom weights as rows of full labels, sources as one citation a line,
triage conditions as one line: each turns what the editor typed into the
plain data a content file would hold, for the content rules to check.
"""

from django import forms
from django.core.exceptions import ValidationError

from advice.models import split_lines
from advice.triage import format_condition, parse_condition

WEIGHT_CHOICES = [
    ("", "Not linked"),
    ("1", "1: sometimes"),
    ("2", "2: often"),
    ("3", "3: typical and telling"),
]
SOURCE_FORMAT = "Title | Publisher | Year | https://address"


class WeightsWidget(forms.Widget):
    """One row per symptom: its full label and a weight to choose."""

    template_name = "admin/advice/weights_widget.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.symptoms = []  # (slug, title, care level label), set by the form

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        context["rows"] = [
            {
                "name": f"{name}__{slug}",
                "id": f"id_{name}__{slug}",
                "title": title,
                "care": care,
                "value": str(value.get(slug, "")),
                "choices": WEIGHT_CHOICES,
            }
            for slug, title, care in self.symptoms
        ]
        return context

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}__"
        return {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix)}

    def value_omitted_from_data(self, data, files, name):
        return False


class WeightsField(forms.Field):
    widget = WeightsWidget

    def to_python(self, value):
        weights = {}
        for slug, weight in (value or {}).items():
            if weight in ("", None):
                continue
            if str(weight) not in {"1", "2", "3"}:
                raise ValidationError(f"The weight for {slug!r} must be 1, 2 or 3.")
            weights[slug] = int(weight)
        return weights


class SourcesField(forms.CharField):
    """Sources as lines of ``Title | Publisher | Year | URL`` (year and URL optional)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(
                    str(source.get(part, "")) for part in ("title", "publisher", "year", "url")
                ).rstrip(" |")
                for source in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value)
        sources = []
        for number, line in enumerate(split_lines(text), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or len(parts) > 4:
                raise ValidationError(f"Line {number}: write each source as {SOURCE_FORMAT}.")
            source = dict(zip(("title", "publisher", "year", "url"), parts, strict=False))
            year = source.get("year")
            source["year"] = _number_or_text(year) if year else None
            sources.append({name: value for name, value in source.items() if value})
        return sources


class RowsField(forms.CharField):
    """A list of mappings as lines of ``a | b | ...`` (``parts`` names the columns).

    The content rules check the values, as for a file; this only splits lines.
    Whole numbers are read as numbers, so a count is checked as one.
    """

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, parts, **kwargs):
        self.parts = parts
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(str(row.get(part, "")) for part in self.parts) for row in value
            )
        return value

    def to_python(self, value):
        rows = []
        for number, line in enumerate(split_lines(super().to_python(value)), start=1):
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) != len(self.parts):
                raise ValidationError(f"Line {number}: write {' | '.join(self.parts)}.")
            rows.append(
                {part: _number_or_text(cell) for part, cell in zip(self.parts, cells, strict=True)}
            )
        return rows


def _number_or_text(text):
    """A whole number written in ASCII digits as an int, anything else as it is.

    ``str.isdigit()`` alone also accepts digits like "²", which ``int()`` refuses.
    """
    return int(text) if text.isascii() and text.isdigit() else text


class ConditionField(forms.CharField):
    """A triage condition as one line: ``any_of: pop-at-injury; severity_at_least: 8``."""

    def prepare_value(self, value):
        return format_condition(value) if isinstance(value, dict | list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return parse_condition(text) if text else None

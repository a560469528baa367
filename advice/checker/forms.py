"""The checker's form: validates the GET parameters and groups the questions.

The questions are the published symptoms, so the form is built from the data
the engine uses (``CheckerData``) rather than from the database directly.
Anything malformed (an unknown symptom, a repeated or out-of-range answer, a
huge query string) becomes a form error, never an exception.
"""

from dataclasses import dataclass

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict

from advice.care import CareLevel
from advice.memo import per_process
from advice.models import SymptomGroup
from advice.triage import SEVERITY_MAX, SEVERITY_MIN, AgeBand, Duration

from .engine.inputs import Answers

MAX_VALUE_LENGTH = 100
EXTRA_PARAMETERS = 10  # allowance beyond one value per question (e.g. tracking tags)
TOO_MANY = "Too many answers were sent. Please use the form below"

SEVERITY_CHOICES = [(str(n), str(n)) for n in range(SEVERITY_MIN, SEVERITY_MAX + 1)]


class SharedField:
    """A field no form instance changes, so every instance may use the same object.

    Django deep-copies a form's fields for each instance, in case one changes
    them. The checker builds a form on every request and never changes a field
    after building it, and that copy (the choices normalised again for each
    field and widget) was a quarter of the JSON API's time.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._frozen = True

    def __setattr__(self, name, value):
        # Sharing is only safe while nobody changes a field after building it.
        if getattr(self, "_frozen", False):
            raise AttributeError(f"{type(self).__name__} is shared by every form: build a new one")
        super().__setattr__(name, value)

    def __deepcopy__(self, memo):
        return self


class ChoiceField(SharedField, forms.ChoiceField):
    pass


class TypedChoiceField(SharedField, forms.TypedChoiceField):
    pass


class MultipleChoiceField(SharedField, forms.MultipleChoiceField):
    pass


class SymptomField(MultipleChoiceField):
    """Ticked symptoms: blank values are ignored and repeats counted once."""

    def to_python(self, value):
        return list(dict.fromkeys(v for v in super().to_python(value) if v))


@dataclass(frozen=True)
class Fieldset:
    key: str
    legend: str
    hint: str
    options: tuple  # (SymptomInfo, checked) pairs


SYMPTOM_ERRORS = {
    "required": "Choose at least one symptom that describes your pain",
    "invalid_choice": "We did not recognise one of the symptoms. Choose from the list",
}


@per_process(maxsize=8)
def symptom_field(symptoms, *, required):
    """The symptom question for one set of published symptoms (one content version)."""
    return SymptomField(
        choices=[(s.slug, s.title) for s in symptoms],
        required=required,
        error_messages=SYMPTOM_ERRORS,
    )


class CheckerForm(forms.Form):
    # The symptom question is not declared here: its choices are the published
    # symptoms, added per instance by __init__ (symptom_field).
    symptoms_required = True
    duration = ChoiceField(
        choices=Duration.choices,
        required=False,
        error_messages={"invalid_choice": "Choose how long you have had it from the list"},
    )
    age = ChoiceField(
        choices=AgeBand.choices,
        required=False,
        error_messages={"invalid_choice": "Choose your age from the list"},
    )
    severity = TypedChoiceField(
        choices=SEVERITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose how bad it is now as a number from 0 to 10"},
    )

    def __init__(self, data=None, *, symptoms, too_many=False):
        super().__init__(data)
        self.symptoms = tuple(symptoms)
        symptom = symptom_field(self.symptoms, required=self.symptoms_required)
        self.fields = {"symptom": symptom, **self.fields}
        self.too_many = too_many

    @classmethod
    def for_oversized_query(cls, symptoms):
        """A bound form for a query string too big for Django to parse at all."""
        return cls(QueryDict(), symptoms=symptoms, too_many=True)

    def full_clean(self):
        if not self.too_many:
            super().full_clean()
            return
        self._errors, self.cleaned_data = ErrorDict(), {}
        self.add_error(None, forms.ValidationError(TOO_MANY, code="too_many"))

    def clean(self):
        cleaned = super().clean()
        if self.data:
            self._check_shape()
        return cleaned

    def _check_shape(self):
        """Errors for a query string no form of ours could have sent."""
        values = [value for _, values in self.data.lists() for value in values]
        if len(values) > len(self.symptoms) + 3 + EXTRA_PARAMETERS:
            raise forms.ValidationError(TOO_MANY, code="too_many")
        if any(len(value) > MAX_VALUE_LENGTH for value in values):
            raise forms.ValidationError(
                "One of the answers was too long. Please use the form below", code="too_long"
            )
        for name, message in [
            ("duration", "Choose only one answer for how long you have had it"),
            ("severity", "Choose only one answer for how bad it is now"),
            ("age", "Choose only one answer for your age"),
        ]:
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, forms.ValidationError(message, code="repeated"))

    def answers(self):
        """The engine's input; only call on a valid form."""
        data = self.cleaned_data
        return Answers(
            tuple(data["symptom"]), data["duration"] or None, data["severity"], data["age"] or None
        )

    # --- Presentation helpers for the template --------------------------------

    def selected(self, name):
        if not self.is_bound:
            return []
        return [v for v in self.data.getlist(name) if isinstance(v, str)]

    def fieldsets(self):
        """Warning signs first, most urgent first; then the other groups in order."""
        checked = set(self.selected("symptom"))
        warning = sorted(
            (s for s in self.symptoms if s.is_red_flag),
            key=lambda s: (-CareLevel.rank(s.care_level), _group_rank(s.group), s.order, s.title),
        )
        fieldsets = [
            Fieldset(
                "warning",
                "Warning signs",
                "Tick any that apply. These need a doctor's attention, some of them urgently.",
                tuple((s, s.slug in checked) for s in warning),
            )
        ]
        for group in SymptomGroup:
            options = sorted(
                (s for s in self.symptoms if s.group == group and not s.is_red_flag),
                key=lambda s: (s.order, s.title),
            )
            if options:
                fieldsets.append(
                    Fieldset(
                        group.value,
                        group.label,
                        "",
                        tuple((s, s.slug in checked) for s in options),
                    )
                )
        return [f for f in fieldsets if f.options]

    def first_symptom_id(self):
        fieldsets = self.fieldsets()
        return f"symptom-{fieldsets[0].options[0][0].slug}" if fieldsets else "checker-form"

    def error_links(self):
        """(message, anchor id) pairs for the error summary, in page order."""
        anchors = {
            "__all__": "checker-form",
            "symptom": self.first_symptom_id(),
            "duration": f"duration-{Duration.values[0]}",
            "severity": "severity",
            "age": f"age-{AgeBand.values[0]}",
        }
        return [
            (message, anchors[name])
            for name in ("__all__", "symptom", "duration", "severity", "age")
            for message in self.errors.get(name, ())
        ]

    def duration_options(self):
        chosen = self.selected("duration")
        return [(code, label, code in chosen) for code, label in Duration.choices]

    def age_options(self):
        chosen = self.selected("age")
        return [(code, label, code in chosen) for code, label in AgeBand.choices]

    def severity_options(self):
        chosen = self.selected("severity")
        return [(value, value in chosen) for value, _ in SEVERITY_CHOICES]


def _group_rank(group):
    values = SymptomGroup.values
    return values.index(group) if group in values else len(values)

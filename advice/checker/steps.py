"""The stepped checker: which question is asked on which page, and the URLs between them.

The questions are asked one topic per page (the GOV.UK and NHS question-page
pattern): the emergency and urgent signs first, then the reader's own pain,
then how long, how bad and their age, then "check your answers" and the
result. Every answer lives in the URL, never on the server: each page's form
carries the answers of the other pages as hidden fields, so Back, Forward,
bookmarks and shared links all show the same answers.

This module decides presentation and flow only. What the answers mean (care
level, causes, remedies) is the engine's, from the same ``CheckerForm``
parameters as the one-page form and the JSON API.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.http import QueryDict

from advice.care import CareLevel
from advice.models import SymptomGroup, item_url
from advice.triage import AgeBand, Duration, answer_label

from .forms import SEVERITY_CHOICES, CheckerForm, MultipleChoiceField

SIGNS, PAIN, DETAILS = "signs", "pain", "details"
NONE_OF_THESE = "none"
# Flow parameters, besides the answers: "none of these signs", "came from
# check your answers", and the name of the Continue button.
SIGNS_PARAM, CHANGE_PARAM, NEXT_PARAM = "signs", "change", "next"
FIRST_STEP_LEVELS = (CareLevel.EMERGENCY, CareLevel.URGENT)


@dataclass(frozen=True)
class Step:
    slug: str
    number: int
    title: str  # the page's question, its <h1>
    short: str  # the step's name on "check your answers"


STEPS = (
    Step(SIGNS, 1, "Do you have any of these?", "Urgent signs"),
    Step(PAIN, 2, "About your pain", "About your pain"),
    Step(DETAILS, 3, "How long, how bad, and your age", "How long, how bad, and your age"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
# Which page asks each parameter (for error links and "Change" links).
FIELD_STEP = {"duration": DETAILS, "severity": DETAILS, "age": DETAILS, SIGNS_PARAM: SIGNS}


def on_first_step(symptom):
    """Whether a sign is asked on the first page: an emergency or urgent sign that is not
    part of describing the pain itself (a pop or a large bruise is asked with the pain)."""
    return symptom.group == SymptomGroup.OTHER and symptom.care_level in FIRST_STEP_LEVELS


def step_of_symptom(symptom):
    return SIGNS if on_first_step(symptom) else PAIN


# --- The answers a URL carries ---------------------------------------------------


@dataclass(frozen=True)
class Given:
    """The answers in a query string, keeping only values that are valid on their own.

    Pages carry these forward (as hidden fields and in links); anything
    malformed is reported by the form and never repeated back.
    """

    symptoms: tuple  # SymptomInfo, in the order the questions are asked
    signs_none: bool = False
    duration: str = ""
    severity: str = ""
    age: str = ""
    change: bool = False

    @classmethod
    def from_query(cls, params, symptoms):
        chosen = set(params.getlist("symptom"))

        def one(name, allowed):
            values = params.getlist(name)
            return values[0] if len(values) == 1 and values[0] in allowed else ""

        return cls(
            symptoms=tuple(s for s in symptoms if s.slug in chosen),
            signs_none=NONE_OF_THESE in params.getlist(SIGNS_PARAM),
            duration=one("duration", Duration.values),
            severity=one("severity", [value for value, _ in SEVERITY_CHOICES]),
            age=one("age", AgeBand.values),
            change=bool(params.get(CHANGE_PARAM)),
        )

    def on_step(self, slug):
        return tuple(s for s in self.symptoms if step_of_symptom(s) == slug)

    @property
    def signs_answered(self):
        return self.signs_none or bool(self.on_step(SIGNS))

    @property
    def most_urgent_sign(self):
        """The most urgent level among the ticked signs' own levels (a floor for the result)."""
        return max(
            (s.care_level for s in self.symptoms), key=CareLevel.rank, default=CareLevel.SELF_CARE
        )

    def pairs(self, *, leave_out=(), change=None):
        """(name, value) pairs in a stable order, without the parameters in ``leave_out``."""
        pairs = []
        if self.signs_none:
            pairs.append((SIGNS_PARAM, NONE_OF_THESE))
        pairs += [("symptom", s.slug) for s in self.symptoms]
        pairs += [(name, getattr(self, name)) for name in ("duration", "severity", "age")]
        if self.change if change is None else change:
            pairs.append((CHANGE_PARAM, "1"))
        return [(name, value) for name, value in pairs if value and name not in leave_out]

    def query(self, **kwargs):
        pairs = self.pairs(**kwargs)
        return f"?{urlencode(pairs)}" if pairs else ""

    def answer_pairs(self):
        """The answers alone: what the result, the summary and the API read."""
        return self.pairs(change=False)

    @cached_property
    def answers_query(self):
        """The query string of the answers alone, which most of the links below share."""
        return self.query(change=False)

    # URLs for this set of answers
    def step_url(self, slug, change=None):
        return item_url("advice:checker_step", slug) + self.query(change=change)

    def check_url(self):
        return item_url("advice:checker_check") + self.answers_query

    def result_url(self):
        return item_url("advice:checker") + self.answers_query

    def summary_url(self):
        return item_url("advice:checker_summary") + self.answers_query

    def reminder_url(self):
        return item_url("advice:checker_reminder") + self.answers_query


# --- One page's form ---------------------------------------------------------------


class StepForm(CheckerForm):
    """The checker form for one page: the same parameters, checked for that page.

    Unanswered questions are not errors until the reader presses Continue on
    the page that asks them; malformed values always are.
    """

    symptoms_required = False
    signs = MultipleChoiceField(
        choices=[(NONE_OF_THESE, "No, I do not have any of these")],
        required=False,
        error_messages={"invalid_choice": "We did not recognise that answer. Choose from the list"},
    )

    def __init__(self, data=None, *, symptoms, step, too_many=False):
        super().__init__(data, symptoms=symptoms, too_many=too_many)
        self.step = STEP_BY_SLUG[step]
        self.submitted = bool(data) and NEXT_PARAM in data

    @classmethod
    def for_oversized_query(cls, symptoms, step):
        return cls(QueryDict(), symptoms=symptoms, step=step, too_many=True)

    @property
    def given(self):
        return Given.from_query(self.data, self.symptoms)

    def clean(self):
        cleaned = super().clean()
        if not self.submitted or self.errors:
            return cleaned
        given = self.given
        if self.step.slug == SIGNS:
            if not given.signs_answered:
                self.add_error(
                    "signs",
                    'Select the signs you have, or select "No, I do not have any of these"',
                )
            elif given.signs_none and given.on_step(SIGNS):
                self.add_error(
                    "signs",
                    'Select either the signs you have, or "No, I do not have any of these", '
                    "not both",
                )
        elif self.step.slug == PAIN and not given.symptoms:
            self.add_error("symptom", "Select at least one thing that describes your pain")
        return cleaned

    def next_url(self):
        """Where Continue leads once this page's answers are good."""
        given = self.given
        if given.most_urgent_sign == CareLevel.EMERGENCY:
            return given.result_url()  # no more questions: call 999 now
        if given.change or self.step.slug == DETAILS:
            return given.check_url()
        following = STEPS[self.step.number]  # number is 1-based: this is the next step
        return given.step_url(following.slug)

    def back_url(self):
        given = self.given
        if given.change:
            return given.check_url()
        if self.step.number == 1:
            return item_url("advice:checker")
        return given.step_url(STEPS[self.step.number - 2].slug)

    def carried(self):
        """Hidden (name, value) pairs: the answers that other pages ask."""
        on_this_page = {SIGNS: {SIGNS_PARAM}, DETAILS: {"duration", "severity", "age"}}
        leave_out = on_this_page.get(self.step.slug, set())
        mine = {s.slug for s in self.given.on_step(self.step.slug)}
        return [
            (name, value)
            for name, value in self.given.pairs(leave_out=leave_out)
            if not (name == "symptom" and value in mine)
        ]

    # --- What the page shows -----------------------------------------------------

    def first_step_signs(self):
        checked = {s.slug for s in self.given.symptoms}
        signs = sorted(
            (s for s in self.symptoms if on_first_step(s)),
            key=lambda s: (-CareLevel.rank(s.care_level), s.order, s.title),
        )
        return [(s, s.slug in checked) for s in signs]

    def pain_fieldsets(self):
        checked = {s.slug for s in self.given.symptoms}
        groups = []
        for group in SymptomGroup:
            options = sorted(
                (s for s in self.symptoms if s.group == group and not on_first_step(s)),
                key=lambda s: (s.order, s.title),
            )
            if options:
                groups.append((group, [(s, s.slug in checked) for s in options]))
        return groups

    def error_links(self):
        """(message, href) pairs: a field on this page by its id, another page by its URL."""
        given = self.given
        anchors = {
            "signs": "#" + self._first_sign_id(),
            "symptom": "#" + self._first_pain_id(),
            "duration": f"#duration-{Duration.values[0]}",
            "severity": "#severity",
            "age": f"#age-{AgeBand.values[0]}",
            "__all__": "#checker-form",
        }
        # Symptoms are asked on the first two pages; anything else on one page.
        symptom_page = self.step.slug if self.step.slug in (SIGNS, PAIN) else PAIN
        links = []
        for name in ("__all__", "signs", "symptom", "duration", "severity", "age"):
            page = symptom_page if name == "symptom" else FIELD_STEP.get(name, self.step.slug)
            href = anchors[name]
            if page != self.step.slug:
                href = given.step_url(page) + href
            links += [(message, href) for message in self.errors.get(name, ())]
        return links

    def _first_sign_id(self):
        signs = self.first_step_signs()
        return f"symptom-{signs[0][0].slug}" if signs else f"signs-{NONE_OF_THESE}"

    def _first_pain_id(self):
        if self.step.slug == SIGNS:
            return self._first_sign_id()
        groups = self.pain_fieldsets()  # on the pain page, or linked to from another
        return f"symptom-{groups[0][1][0][0].slug}" if groups else "checker-form"


def check_rows(given):
    """The rows of "check your answers": (question, answers, change URL)."""
    not_given = ["Not given"]
    signs = [s.title for s in given.on_step(SIGNS)]
    if not signs:
        signs = ["No, none of these"] if given.signs_none else ["Not answered"]
    pain = [s.title for s in given.on_step(PAIN)] or ["Nothing selected"]
    return [
        ("Emergency and urgent signs", signs, given.step_url(SIGNS, change=True)),
        ("About your pain", pain, given.step_url(PAIN, change=True)),
        (
            "How long you have had it",
            [answer_label(Duration, given.duration)] if given.duration else not_given,
            given.step_url(DETAILS, change=True) + "#duration-fieldset",
        ),
        (
            "How bad it is now",
            [f"{given.severity} out of 10"] if given.severity else not_given,
            given.step_url(DETAILS, change=True) + "#severity",
        ),
        (
            "Your age",
            [answer_label(AgeBand, given.age)] if given.age else not_given,
            given.step_url(DETAILS, change=True) + "#age-fieldset",
        ),
    ]

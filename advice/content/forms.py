"""Forms: the editors' admin forms (the checker's form lives in checker_forms)."""

from django import forms
from django.core.exceptions import ValidationError

from advice.models import Phase

from .links import broken_links
from .schema import KIND_ORDER, KINDS, kind_for_model
from .tree import LEVEL_ONE_HEADING, review_date_problems


def existing_slugs():
    """Every content slug in the database, by kind, for checking links."""
    return {
        name: set(KINDS[name].model.objects.values_list("slug", flat=True)) for name in KIND_ORDER
    }


class ContentItemForm(forms.ModelForm):
    """Checks an admin edit by the same rules as the import."""

    def clean(self):
        cleaned = super().clean()
        self._check_review_dates(cleaned)
        self._check_body(cleaned.get("body") or "")
        return cleaned

    def _check_review_dates(self, cleaned):
        for message, key in review_date_problems(cleaned):
            self.add_error(key, message.replace(f"'{key}'", "This date"))

    def _check_body(self, body):
        errors = []
        if LEVEL_ONE_HEADING.search(body):
            errors.append("Use '##' for headings; '#' is the page title.")
        slugs = existing_slugs()
        if self.instance.pk is None and self.cleaned_data.get("slug"):
            slugs[kind_for_model(self._meta.model).name].add(self.cleaned_data["slug"])
        errors += [f"Line {line}: {message}." for line, message in broken_links(body, slugs)]
        if errors:
            self.add_error("body", [ValidationError(error) for error in errors])


class RemedyForm(ContentItemForm):
    phases = forms.MultipleChoiceField(
        choices=Phase.choices, widget=forms.CheckboxSelectMultiple, help_text="When it helps."
    )
    avoid_phases = forms.MultipleChoiceField(
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="When not to use it.",
    )

    def clean(self):
        cleaned = super().clean()
        overlap = set(cleaned.get("phases") or []) & set(cleaned.get("avoid_phases") or [])
        if overlap:
            self.add_error("avoid_phases", "A phase cannot be both recommended and avoided.")
        return cleaned

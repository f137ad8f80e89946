"""Forms of the assessment workflow and cycles: validation and normalising only.

The sheet forms are built from one assessment's pinned rubric version, so a level that is
not a level, an indicator of another version, a text too long or a field missing from the
POST is a form error before any service runs, and nothing is saved.
"""

import re

from django import forms

from assessments.models import AssessmentCycle
from assessments.selectors import AssessmentSheet
from assessments.services import RatingInput
from coordinators.form_helpers import VersionedFormMixin

TEXT_MAX_LENGTH = 5000
NOTES_MAX_LENGTH = 10000
RATING_KEY = re.compile(r"(?P<kind>[a-z_]+)_(?P<pk>\d+)")


class SheetForm(forms.Form):
    """A level and a text per indicator of one rubric version, and the version counter the
    page was read at (optimistic locking)."""

    level_prefix = "level"
    text_prefix = "text"
    text_label = "Note"

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, sheet: AssessmentSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        choices = [(level.value, level.name) for level in sheet.levels]
        for item in sheet.indicators:
            self.fields[self.level_name(item.pk)] = forms.TypedChoiceField(
                label=item.indicator.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the levels shown."},
            )
            self.fields[self.text_name(item.pk)] = forms.CharField(
                label=self.text_label,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def level_name(self, indicator_id: int) -> str:
        return f"{self.level_prefix}_{indicator_id}"

    def text_name(self, indicator_id: int) -> str:
        return f"{self.text_prefix}_{indicator_id}"

    def clean(self):
        cleaned = super().clean()
        prefixes = {self.level_prefix, self.text_prefix}
        foreign = [
            key
            for key in self.data
            if (match := RATING_KEY.fullmatch(key))
            and match["kind"] in prefixes
            and key not in self.fields
        ]
        if foreign:
            raise forms.ValidationError(
                "This form names an indicator that is not part of this assessment's rubric "
                "version. Reload the page and try again; nothing was saved.",
                code="foreign_indicator",
            )
        missing = [
            item.indicator.name
            for item in self.sheet.indicators
            if self.text_name(item.pk) not in self.data
        ]
        if missing:
            raise forms.ValidationError(
                "The form arrived incomplete (nothing for %(names)s). Reload the page and try "
                "again; nothing was saved.",
                code="incomplete",
                params={"names": ", ".join(missing[:3]) + ("…" if len(missing) > 3 else "")},
            )
        return cleaned

    def ratings(self) -> dict[int, RatingInput]:
        return {
            item.pk: RatingInput(
                level=self.cleaned_data[self.level_name(item.pk)],
                text=self.cleaned_data[self.text_name(item.pk)],
            )
            for item in self.sheet.indicators
        }

    def initial_from_ratings(self, level_field: str, text_field: str) -> dict:
        initial = {}
        for item in self.sheet.indicators:
            if item.rating is not None:
                initial[self.level_name(item.pk)] = getattr(item.rating, level_field)
                initial[self.text_name(item.pk)] = getattr(item.rating, text_field)
        return initial


class SelfAssessmentForm(SheetForm):
    level_prefix = "level"
    text_prefix = "evidence"
    text_label = "Evidence: what shows this?"


class ReviewForm(SheetForm):
    level_prefix = "supervisor_level"
    text_prefix = "note"
    text_label = "Your note"

    coaching_notes = forms.CharField(
        label="Coaching conversation notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you talked about: strengths, gaps, the context of the school site.",
    )
    next_steps = forms.CharField(
        label="Agreed next steps",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The coordinator sees these once the review is finalized.",
    )
    return_note = forms.CharField(
        label="Note to the coordinator (needed to return it)",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what to change; the coordinator sees this note and gets it by email.",
    )

    def __init__(self, *args, returning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.returning = returning

    def clean_return_note(self):
        note = self.cleaned_data["return_note"]
        if self.returning and not note:
            raise forms.ValidationError(
                "Write a note saying what to change; the coordinator needs it to revise."
            )
        return note


class CycleForm(VersionedFormMixin, forms.ModelForm):
    review_window_days = forms.IntegerField(
        label="Review window (days)",
        min_value=1,
        max_value=120,
        initial=14,
        help_text="Days a director has to review a submission before it is flagged as overdue "
        "and reminded.",
    )

    class Meta:
        model = AssessmentCycle
        fields = ["name", "opens_on", "due_on", "closes_on", "review_window_days"]
        labels = {
            "opens_on": "Opens on",
            "due_on": "Self-assessments due on",
            "closes_on": "Closes on",
        }
        help_texts = {
            "name": "For example “2026–27 Fall”.",
            "closes_on": "After this date coordinators can no longer change their assessments.",
        }
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = AssessmentCycle.objects.filter(organization=self.organization, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another cycle already has this name.")
        return name

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on, closes_on = (cleaned.get(f) for f in ("opens_on", "due_on", "closes_on"))
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date must be on or after the opening date.")
        if due_on and closes_on and closes_on < due_on:
            self.add_error("closes_on", "The closing date must be on or after the due date.")
        return cleaned

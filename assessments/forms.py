"""Forms of the assessment workflow and cycles: validation and normalising only.

The sheet forms are built from one assessment's pinned rubric version, so a level that is
not a level, an indicator of another version, a text too long or a field missing from the
POST is a form error before any service runs, and nothing is saved.
"""

import copy
import functools
import re

from django import forms

from assessments.models import AssessmentCycle, PrincipalFeedbackSettings
from assessments.selectors import AssessmentSheet
from assessments.services import NextStepInput, PrincipalRatingInput, RatingInput
from assessments.services.workflow import ACKNOWLEDGEMENT_MAX_CHARS
from coordinators.form_helpers import CountedTextarea, VersionedFormMixin

TEXT_MAX_LENGTH = 5000
NEXT_STEP_MAX_LENGTH = 1000
NEXT_STEPS_MAX = 30
NEXT_STEPS_BLANK_ROWS = 3
NOTES_MAX_LENGTH = 10000
# A state written into a cycle's name ("2026–27 Fall (open)") goes stale the day it changes.
STATE_IN_NAME = re.compile(r"[(\[]\s*(planned|open|opened|closed|draft)\s*[)\]]", re.IGNORECASE)
RATING_KEY = re.compile(r"(?P<kind>[a-z_]+)_(?P<pk>\d+)")


def too_long(what: str) -> str:
    """The refusal of a text over its limit; the page shows the whole text back with it."""
    what = what.replace("%", "%%")
    return (
        f"The text for “{what}” has %(show_value)s characters and at most %(limit_value)s "
        "fit. Nothing was cut: shorten it here and save again."
    )


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
        levels = tuple((level.value, level.name) for level in sheet.levels)
        indicators = tuple((item.pk, item.indicator.name) for item in sheet.indicators)
        # Each form its own copy of each field, as Django's forms have, made from fields built
        # once per rubric version: building thirty-eight fields took a sixth of a matrix page.
        for name, field in _sheet_fields(type(self), levels, indicators).items():
            self.fields[name] = copy.copy(field)

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

    def all_errors(self) -> list[str]:
        """Every error of the form in words, first to last (a background save shows the first)."""
        return [str(e) for field_errors in self.errors.values() for e in field_errors]

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


@functools.lru_cache(maxsize=64)
def _sheet_fields(form_class: type[SheetForm], levels: tuple, indicators: tuple) -> dict:
    """The level and text fields of ``form_class`` for one rubric version's ``levels`` (value,
    name) and ``indicators`` (id, name), in page order. Kept per process, keyed by the words
    themselves, so a renamed indicator or level builds new ones; the pages write their own
    inputs, so no request changes a field or its widget."""
    fields = {}
    for pk, name in indicators:
        fields[f"{form_class.level_prefix}_{pk}"] = forms.TypedChoiceField(
            label=name,
            choices=list(levels),
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose one of the levels shown."},
        )
        fields[f"{form_class.text_prefix}_{pk}"] = forms.CharField(
            label=form_class.text_label,
            required=False,
            max_length=TEXT_MAX_LENGTH,
            widget=CountedTextarea(attrs={"rows": 2}),
            error_messages={"max_length": too_long(name)},
        )
    return fields


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
        widget=CountedTextarea(attrs={"rows": 5}),
        help_text="What you talked about: strengths, gaps, the context of the school site.",
    )
    return_note = forms.CharField(
        label="Note to the coordinator (needed to return it)",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=CountedTextarea(attrs={"rows": 3}),
        help_text="Say what to change; the coordinator sees this note and gets it by email.",
    )

    def __init__(self, *args, returning: bool = False, steps_initial=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.returning = returning
        self.steps = next_steps_formset(self.data if self.is_bound else None, steps_initial)

    def is_valid(self) -> bool:
        return super().is_valid() & self.steps_valid()

    def steps_valid(self) -> bool:
        """The next steps, when the page sent them (a body without them leaves them as they
        are)."""
        return not self.steps_sent() or self.steps.is_valid()

    def steps_sent(self) -> bool:
        return not self.is_bound or f"{self.steps.prefix}-TOTAL_FORMS" in self.data

    def all_errors(self) -> list[str]:
        errors = super().all_errors()
        if self.steps_sent() and self.is_bound:
            errors += [str(e) for e in self.steps.non_form_errors()]
            errors += [str(e) for row in self.steps.errors for es in row.values() for e in es]
        return errors

    def next_steps(self) -> list[NextStepInput] | None:
        """The next steps typed, blank rows left out; None when the body had none."""
        if not self.steps_sent():
            return None
        return [
            NextStepInput(row["text"], row.get("owner") or "", row.get("due_on"))
            for row in (form.cleaned_data for form in self.steps.forms)
            if row.get("text")
        ]

    def clean_return_note(self):
        note = self.cleaned_data["return_note"]
        if self.returning and not note:
            raise forms.ValidationError(
                "Write a note saying what to change; the coordinator needs it to revise."
            )
        return note


class NextStepForm(forms.Form):
    """One agreed next step: what, optionally who and by when. A row left blank is no step."""

    text = forms.CharField(
        label="Next step", required=False, max_length=NEXT_STEP_MAX_LENGTH, strip=True
    )
    owner = forms.CharField(label="Who (optional)", required=False, max_length=120)
    due_on = forms.DateField(
        label="By when (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text") and (cleaned.get("owner") or cleaned.get("due_on")):
            self.add_error("text", "Say what the step is, or clear its other fields.")
        return cleaned


NextStepFormSet = forms.formset_factory(
    NextStepForm,
    extra=NEXT_STEPS_BLANK_ROWS,
    max_num=NEXT_STEPS_MAX,
    validate_max=True,
    absolute_max=NEXT_STEPS_MAX + NEXT_STEPS_BLANK_ROWS,
)


def next_steps_formset(data, items, *, prefix: str = "step") -> NextStepFormSet:
    """The next steps of one conversation as a list of rows: the saved ``items`` (any
    NextStepItem rows) then a few blank ones to add more."""
    initial = [{"text": i.text, "owner": i.owner, "due_on": i.due_on} for i in items]
    return NextStepFormSet(data, initial=initial, prefix=prefix)


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
        if STATE_IN_NAME.search(name):
            raise forms.ValidationError(
                "Leave the state out of the name: the cycle's state (planned, open or closed) is "
                "shown beside it everywhere and changes, the name does not."
            )
        return name

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on, closes_on = (cleaned.get(f) for f in ("opens_on", "due_on", "closes_on"))
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date must be on or after the opening date.")
        if due_on and closes_on and closes_on < due_on:
            self.add_error("closes_on", "The closing date must be on or after the due date.")
        return cleaned


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleDatesForm(VersionedFormMixin, forms.ModelForm):
    """New due and closing dates for reopening a closed cycle or extending an open one, with
    the reason the history records. The services check the dates against the cycle."""

    reason = forms.CharField(
        label="Why (kept in the cycle's history)",
        max_length=80,
        required=False,
        help_text="For example “Snow days in February”.",
    )

    class Meta:
        model = AssessmentCycle
        fields = ["due_on", "closes_on"]
        labels = {"due_on": "Self-assessments due on", "closes_on": "Closes on"}
        widgets = {"due_on": DATE_INPUT, "closes_on": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        due_on, closes_on = cleaned.get("due_on"), cleaned.get("closes_on")
        if due_on and closes_on and closes_on < due_on:
            self.add_error("closes_on", "The closing date must be on or after the due date.")
        return cleaned


class AcknowledgementForm(forms.Form):
    """ "I have read this review", with an optional response the director reads."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    response = forms.CharField(
        label="Your response (optional)",
        required=False,
        max_length=ACKNOWLEDGEMENT_MAX_CHARS,
        widget=CountedTextarea(attrs={"rows": 3}),
        help_text="Your director reads it beside the review. It does not change any level.",
        error_messages={"max_length": too_long("Your response")},
    )


# The principal's feedback ---------------------------------------------------------------------

PRINCIPAL_COMMENT_MAX_LENGTH = 2000
PRINCIPAL_OVERALL_MAX_LENGTH = 5000


class PrincipalFeedbackForm(forms.Form):
    """The principal's page: a level for every School site indicator (required), a comment
    on each, an overall comment and, when the organization asks, a few words on the
    coordinator's collaboration."""

    overall_comment = forms.CharField(
        label="Anything else about the school site and this coordinator's work there?",
        required=False,
        max_length=PRINCIPAL_OVERALL_MAX_LENGTH,
        widget=CountedTextarea(attrs={"rows": 4}),
        error_messages={"max_length": too_long("Anything else")},
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        choices = [(level.value, level.name) for level in page.levels]
        for item in page.indicators:
            pk = item.indicator.pk
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=item.indicator.name,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the level that fits best.",
                    "invalid_choice": "Choose one of the levels shown.",
                },
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label="Your comment (optional)",
                required=False,
                max_length=PRINCIPAL_COMMENT_MAX_LENGTH,
                widget=CountedTextarea(attrs={"rows": 2}),
                error_messages={"max_length": too_long(item.indicator.name)},
            )
        if page.ask_about_collaboration:
            self.fields["collaboration"] = forms.CharField(
                label="How does the coordinator work with you and your staff? In your own words.",
                required=False,
                max_length=PRINCIPAL_OVERALL_MAX_LENGTH,
                widget=CountedTextarea(attrs={"rows": 4}),
                error_messages={"max_length": too_long("Collaboration")},
            )

    def rows(self):
        """Each indicator with its level options (and their descriptors) and comment field."""
        for item in self.page.indicators:
            pk = item.indicator.pk
            level_field = self[f"level_{pk}"]
            chosen = level_field.value()
            yield {
                "indicator": item.indicator,
                "level_field": level_field,
                "comment_field": self[f"comment_{pk}"],
                "options": [
                    {
                        "value": level.value,
                        "name": level.name,
                        "text": item.descriptors.get(level.value, ""),
                        "id": f"{level_field.auto_id}_{level.value}",
                        "checked": chosen is not None and str(chosen) == str(level.value),
                    }
                    for level in self.page.levels
                ],
            }

    def ratings(self) -> dict[int, PrincipalRatingInput]:
        return {
            item.indicator.pk: PrincipalRatingInput(
                level=self.cleaned_data[f"level_{item.indicator.pk}"],
                comment=self.cleaned_data[f"comment_{item.indicator.pk}"],
            )
            for item in self.page.indicators
        }


class PrincipalFeedbackSettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PrincipalFeedbackSettings
        fields = ["coordinators_may_send", "ask_about_collaboration"]

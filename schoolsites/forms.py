"""The forms of the school-site app: a school's principal contact, an agreement's terms and
goals, its reviews, and the principal's signature."""

from __future__ import annotations

from django import forms

from coordinators.form_helpers import CountedTextarea, IdField, VersionedFormMixin
from coordinators.models import CoordinatorProfile
from schoolsites.models import GoalResult, PartnershipAgreement, PrincipalContact
from schoolsites.services import MAX_GOALS, TERM_FIELDS, GoalInput

GOAL_NUMBERS = range(1, MAX_GOALS + 1)


class PrincipalContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PrincipalContact
        fields = ["name", "email"]
        labels = {"name": "Principal's name", "email": "Principal's email"}
        help_texts = {"email": "Feedback requests and the agreement's signature link go here."}


class CoordinatorChoiceField(forms.ModelChoiceField):
    """One of the school's coordinators, by name (a coordinator at several schools by name and
    team, so two namesakes stay apart)."""

    default_error_messages = {
        "invalid_choice": "Choose one of the coordinators who work at this school."
    }

    def label_from_instance(self, obj: CoordinatorProfile) -> str:
        return f"{obj.user.display_name} ({obj.team.name})" if obj.team else obj.user.display_name


class AgreementForm(VersionedFormMixin, forms.ModelForm):
    """The terms of an agreement and up to MAX_GOALS shared goals, each with an optional
    measure and target; and, for whoever runs the school's agreements (``coordinators``: the
    school's coordinators they may choose from), the coordinator the agreement is with, the
    only one chosen already."""

    class Meta:
        model = PartnershipAgreement
        fields = list(TERM_FIELDS)
        help_texts = {
            "role_covers": "One item a line, for example “Family engagement nights”.",
            "role_excludes": "One item a line, for example “Lunch duty”.",
            "meeting_cadence": "For example “Every other Tuesday, 30 minutes”.",
            "meeting_schedule": "Dates or a pattern, one a line.",
        }
        widgets = {
            "role_covers": CountedTextarea(attrs={"rows": 4}),
            "role_excludes": CountedTextarea(attrs={"rows": 4}),
            "meeting_schedule": CountedTextarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, goals: list[GoalInput] = (), coordinators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if coordinators is not None:
            self._coordinator_field(coordinators)
        for number in GOAL_NUMBERS:
            self.fields[f"goal_{number}"] = forms.CharField(
                label=f"Goal {number}", max_length=300, required=False
            )
            self.fields[f"measure_{number}"] = forms.CharField(
                label=f"Measure of goal {number} (optional)", max_length=200, required=False
            )
            self.fields[f"target_{number}"] = forms.CharField(
                label=f"Target of goal {number} (optional)", max_length=200, required=False
            )
        for number, goal in zip(GOAL_NUMBERS, goals, strict=False):
            self.initial.setdefault(f"goal_{number}", goal.outcome)
            self.initial.setdefault(f"measure_{number}", goal.measure)
            self.initial.setdefault(f"target_{number}", goal.target)

    def _coordinator_field(self, coordinators) -> None:
        """A select of the coordinators (none when nobody works at the school: the agreement
        is then with the principal alone until someone does)."""
        choosable = list(coordinators)
        if not choosable:
            return
        field = CoordinatorChoiceField(
            queryset=coordinators,
            label="The coordinator",
            empty_label="Choose the coordinator" if len(choosable) > 1 else None,
            help_text="Who this agreement is with: they sign it, with their director.",
        )
        self.fields = {"coordinator": field, **self.fields}
        current = self.instance.coordinator_id if self.instance.pk else None
        self.initial.setdefault(
            "coordinator", current or (choosable[0].pk if len(choosable) == 1 else None)
        )

    def chosen_coordinator(self):
        """The coordinator chosen, or ``None`` when the form offers no choice."""
        return self.cleaned_data.get("coordinator") if "coordinator" in self.fields else None

    @property
    def chooses_coordinator(self) -> bool:
        return "coordinator" in self.fields

    def goal_rows(self):
        """(number, goal, measure, target) bound fields, for the template's table."""
        return [
            (number, self[f"goal_{number}"], self[f"measure_{number}"], self[f"target_{number}"])
            for number in GOAL_NUMBERS
        ]

    def clean(self):
        cleaned = super().clean()
        for number in GOAL_NUMBERS:
            if not cleaned.get(f"goal_{number}") and (
                cleaned.get(f"measure_{number}") or cleaned.get(f"target_{number}")
            ):
                self.add_error(f"goal_{number}", "Say the goal its measure and target belong to.")
        return cleaned

    def goals(self) -> list[GoalInput]:
        data = self.cleaned_data
        return [
            GoalInput(data[f"goal_{n}"], data[f"measure_{n}"], data[f"target_{n}"])
            for n in GOAL_NUMBERS
            if data.get(f"goal_{n}")
        ]

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in TERM_FIELDS}


class AgreementReviewForm(VersionedFormMixin, forms.Form):
    """The mid-year note and, for each goal, the end-of-year result and a note."""

    mid_year_note = forms.CharField(
        label="Mid-year review",
        max_length=4000,
        required=False,
        widget=CountedTextarea(attrs={"rows": 4}),
        help_text="Where the agreement stands halfway through the year.",
    )

    def __init__(self, *args, agreement: PartnershipAgreement, **kwargs):
        self.agreement = agreement
        self.goal_list = list(agreement.goals.all())
        super().__init__(*args, **kwargs)
        self.initial.setdefault("mid_year_note", agreement.mid_year_note)
        for goal in self.goal_list:
            self.fields[f"result_{goal.pk}"] = forms.ChoiceField(
                label=f"Result: {goal.outcome}",
                choices=[("", "Not reviewed yet"), *GoalResult.choices],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=f"Note on “{goal.outcome}”",
                max_length=2000,
                required=False,
                widget=CountedTextarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(f"result_{goal.pk}", goal.result)
            self.initial.setdefault(f"note_{goal.pk}", goal.result_note)

    def versioned_row(self):
        return self.agreement

    def goal_rows(self):
        return [
            (goal, self[f"result_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goal_list
        ]

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            goal.pk: (self.cleaned_data[f"result_{goal.pk}"], self.cleaned_data[f"note_{goal.pk}"])
            for goal in self.goal_list
        }


class PrincipalSignatureForm(forms.Form):
    """The principal signs by typing their name and saying they agree."""

    name = forms.CharField(label="Your full name", max_length=200)
    agree = forms.BooleanField(
        label="I have read this agreement and sign it on behalf of the school.", required=True
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Type your name to sign.")
        return name


class FeedbackRequestForm(forms.Form):
    """Whom to ask for their view of one of the assessment's schools."""

    school = IdField(widget=forms.HiddenInput)
    principal_name = forms.CharField(label="Principal's name", max_length=200)
    principal_email = forms.EmailField(label="Principal's email address", max_length=254)

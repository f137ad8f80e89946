"""Forms of check-ins, team cadences, coaching actions and the mentoring programme."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from assessments.forms import next_steps_formset
from assessments.services import NextStepInput
from coordinators.form_helpers import CountedTextarea, ModelMultipleChoiceField, VersionedFormMixin
from coordinators.models import CoordinatorProfile, User
from coordinators.pickers import PickerChoiceField
from coordinators.tenure import day_words
from growth.check_in_services import MAX_COACHING_ACTIONS, GoalTouched
from growth.forms import DATE_INPUT, NOTES_MAX_LENGTH, notes_field
from growth.models import CareerStage, CheckIn, CoachingAction, Goal, MentoringProgramme
from rubrics.vocabulary import DEFAULT_CATEGORY_NAMES, DEFAULT_LEVEL_NAMES

PROGRESS_MAX_LENGTH = 2000
NO_CHANGE = ""


class CheckInForm(VersionedFormMixin, forms.ModelForm):
    """A check-in: the day, who took part, the goals it touched (progress and an optional new
    status per goal), notes (optionally private), coaching actions and next steps."""

    notes = notes_field(
        label="What you discussed",
        rows=5,
        help_text="Mark it private to keep it between you and the coordinator: others, the "
        "org admin included, see only that a private note exists.",
    )

    class Meta:
        model = CheckIn
        fields = ["held_on", "participants", "notes", "notes_private", "coaching_actions"]
        labels = {
            "held_on": "Day of the check-in",
            "participants": "Who took part (optional)",
            "notes_private": "Private: only me and the coordinator can read the notes",
            "coaching_actions": "Coaching that happened",
        }
        help_texts = {"participants": "Besides you and the coordinator, for example the principal."}
        widgets = {
            "held_on": DATE_INPUT,
            "coaching_actions": forms.CheckboxSelectMultiple,
        }
        field_classes = {"coaching_actions": ModelMultipleChoiceField}

    def __init__(self, *args, profile: CoordinatorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        actions = CoachingAction.objects.filter(organization_id=profile.organization_id)
        chosen = list(self.instance.coaching_actions.all()) if self.instance.pk else []
        self.fields["coaching_actions"].queryset = actions.filter(
            pk__in=[a.pk for a in actions if a.active or a in chosen]
        )
        self.fields["coaching_actions"].required = False
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
        touched = {n.goal_id: n for n in self.instance.goal_notes.all()} if self.instance.pk else {}
        self.goals = list(
            Goal.objects.filter(coordinator=profile).filter(pk__in=touched)
            | Goal.objects.filter(coordinator=profile, status="open")
        )
        self.goals.sort(key=lambda g: (g.target_date, g.pk))
        self.goal_rows = []
        for goal in self.goals:
            note = touched.get(goal.pk)
            words = (
                f"{DEFAULT_CATEGORY_NAMES.get(goal.category_key, goal.category_key)} to "
                f"{DEFAULT_LEVEL_NAMES.get(goal.target_level, goal.target_level)} by "
                f"{day_words(goal.target_date)}"
            )
            progress = f"goal_{goal.pk}_progress"
            status = f"goal_{goal.pk}_status"
            self.fields[progress] = forms.CharField(
                label=f"Progress on {words}",
                required=False,
                max_length=PROGRESS_MAX_LENGTH,
                widget=CountedTextarea(attrs={"rows": 2}),
                initial=note.progress if note else "",
            )
            self.fields[status] = forms.ChoiceField(
                label=f"Status of {words} (now {goal.get_status_display().lower()})",
                required=False,
                choices=[(NO_CHANGE, "No change"), *Goal.Status.choices],
                initial=note.new_status if note else NO_CHANGE,
            )
            self.goal_rows.append((goal, words, self[progress], self[status]))
        steps = list(self.instance.next_step_items.all()) if self.instance.pk else []
        self.steps = next_steps_formset(self.data if self.is_bound else None, steps)

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Log a check-in once it happened: a day up to today.")
        return day

    def is_valid(self) -> bool:
        return super().is_valid() & (not self.steps_sent() or self.steps.is_valid())

    def steps_sent(self) -> bool:
        """A body without the next-step rows leaves the steps as they are."""
        return not self.is_bound or f"{self.steps.prefix}-TOTAL_FORMS" in self.data

    def edited_fields(self):
        return [name for name in super().edited_fields() if not name.startswith("goal_")]

    def goals_touched(self) -> list[GoalTouched]:
        data = self.cleaned_data
        return [
            GoalTouched(
                goal=goal,
                progress=data.get(f"goal_{goal.pk}_progress") or "",
                new_status=data.get(f"goal_{goal.pk}_status") or "",
            )
            for goal in self.goals
        ]

    def next_steps(self) -> list[NextStepInput] | None:
        if not self.steps_sent():
            return None
        return [
            NextStepInput(row["text"], row.get("owner") or "", row.get("due_on"))
            for row in (form.cleaned_data for form in self.steps.forms)
            if row.get("text")
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "participants": data.get("participants") or "",
            "notes": data.get("notes") or "",
            "notes_private": bool(data.get("notes_private")),
            "coaching_actions": list(data.get("coaching_actions") or []),
            "goals": self.goals_touched(),
            "next_steps": self.next_steps(),
        }


class CoachingActionsForm(forms.Form):
    actions = forms.CharField(
        label="Coaching actions, one per line",
        required=False,
        max_length=MAX_COACHING_ACTIONS * 81,
        widget=CountedTextarea(attrs={"rows": 8}),
        help_text="A check-in can record which of these happened. An action taken off the list "
        "stays on the check-ins that already name it.",
    )

    def clean_actions(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["actions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError("Keep at least one coaching action.")
        if len(lines) > MAX_COACHING_ACTIONS:
            raise forms.ValidationError(f"Keep the list short: at most {MAX_COACHING_ACTIONS}.")
        too_long = [line for line in lines if len(line) > 80]
        if too_long:
            raise forms.ValidationError(
                f"Keep each action under 80 characters: {too_long[0][:40]}…"
            )
        return lines


class CadenceForm(forms.Form):
    every_days = forms.IntegerField(
        label="Check-in every (days)",
        required=False,
        min_value=7,
        max_value=365,
        help_text="Blank for no cadence.",
    )


class ProgrammeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MentoringProgramme
        fields = ["mentor_stages", "capacity", "starts_on", "ends_on"]
        labels = {
            "mentor_stages": "Career stages whose people may mentor",
            "capacity": "Mentees each mentor can take",
            "starts_on": "Programme starts on",
            "ends_on": "Programme ends on",
        }
        help_texts = {
            "mentor_stages": "People who offered to mentor (on My mentees) may mentor too, "
            "whatever their stage.",
        }
        widgets = {
            "mentor_stages": forms.CheckboxSelectMultiple,
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
        }
        field_classes = {"mentor_stages": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor_stages"].queryset = CareerStage.objects.filter(
            organization_id=self.instance.organization_id
        ).order_by("order")
        self.fields["mentor_stages"].required = False
        self.fields["capacity"] = forms.IntegerField(
            label="Mentees each mentor can take", min_value=1, max_value=20
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The programme ends before it starts.")
        return cleaned


class MatchForm(forms.Form):
    """Confirming a suggested mentor: the period and what the match is for."""

    mentor = PickerChoiceField(
        source="people",
        label="Mentor",
        empty_label=None,
        help_text="Anyone of your organization, also outside the suggestions.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE_INPUT)
    ends_on = forms.DateField(label="Ends on (optional)", required=False, widget=DATE_INPUT)
    goals = ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals the mentoring serves",
    )
    notes = forms.CharField(
        label="What the match is for (optional)",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=CountedTextarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, profile: CoordinatorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        mentor = self.fields["mentor"]
        mentor.queryset = User.objects.filter(
            organization_id=profile.organization_id, is_active=True
        ).exclude(pk=profile.user_id)
        mentor.exclude = profile.user_id  # the picker does not offer them as their own mentor
        self.fields["goals"].queryset = Goal.objects.filter(
            coordinator=profile, status="open"
        ).order_by("target_date")
        self.fields["goals"].label_from_instance = lambda g: (
            f"{g.get_category_key_display()} to "
            f"{DEFAULT_LEVEL_NAMES.get(g.target_level, g.target_level)} by "
            f"{day_words(g.target_date)}"
        )
        if not self.fields["goals"].queryset.exists():
            del self.fields["goals"]  # no open goal to serve: nothing to choose

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The match ends before it starts.")
        return cleaned

"""Forms of the growth path: validation and normalising only."""

from django import forms
from django.utils import timezone

from coordinators.form_helpers import CountedTextarea, ModelMultipleChoiceField, VersionedFormMixin
from coordinators.models import CoordinatorProfile
from coordinators.tenure import day_words
from growth.models import (
    CareerPosition,
    CareerStage,
    Goal,
    NetworkScope,
    Support,
    SupportCatalogEntry,
    SupportKind,
)
from rubrics.models import CategoryKey, Indicator, Level
from rubrics.vocabulary import DEFAULT_LEVEL_NAMES, MAX_LEVEL, MIN_LEVEL

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Notes are a few sentences; the limit keeps a pasted document from being stored.
NOTES_MAX_LENGTH = 5000


def notes_field(label="Notes", rows=3, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=CountedTextarea(attrs={"rows": rows}),
        **kwargs,
    )


def level_choices(version_filter: dict) -> list[tuple[int, str]]:
    """(value, "Proficient (2)") for the levels of one rubric version, else the defaults."""
    names = dict(Level.objects.filter(**version_filter).values_list("value", "name"))
    defaults = {1: "Novice", 2: "Proficient", 3: "Expert"}
    return [
        (value, f"{names.get(value) or defaults[value]} ({value})")
        for value in range(MIN_LEVEL, MAX_LEVEL + 1)
    ]


class GoalForm(VersionedFormMixin, forms.ModelForm):
    """A growth goal of one coordinator; indicators and level names come from the current
    rubric of their role family."""

    notes = notes_field()

    class Meta:
        model = Goal
        fields = [
            "category_key",
            "indicator",
            "target_level",
            "target_date",
            "status",
            "notes",
            "supports",
        ]
        labels = {
            "category_key": "Category",
            "indicator": "Indicator (optional)",
            "target_level": "Target level",
            "notes": "Notes",
            "supports": "Supports that serve this goal",
        }
        help_texts = {
            "indicator": "Narrow the goal to one indicator of the category, or leave it on the "
            "whole category.",
            "target_date": "When you mean to review it together.",
        }
        widgets = {
            "target_date": DATE_INPUT,
            "notes": CountedTextarea(attrs={"rows": 3}),
            "supports": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }
        field_classes = {"supports": ModelMultipleChoiceField}

    def __init__(self, *args, profile: CoordinatorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        current = {
            "version__rubric__role_family_id": profile.role_family_id,
            "version__state": "published",
        }
        indicators = Indicator.objects.filter(
            category__version__rubric__role_family_id=profile.role_family_id,
            category__version__state="published",
        ).select_related("category")
        if self.instance.indicator_id:
            indicators = indicators | Indicator.objects.filter(pk=self.instance.indicator_id)
        indicators = list(indicators.order_by("category__order", "order"))
        self.fields["indicator"].queryset = Indicator.objects.filter(
            pk__in=[i.pk for i in indicators]
        ).select_related("category")
        groups: dict[str, list] = {}
        for indicator in indicators:
            groups.setdefault(indicator.category.name, []).append((indicator.pk, indicator.name))
        self.fields["indicator"].choices = [("", "The whole category"), *groups.items()]
        self.fields["target_level"] = forms.TypedChoiceField(
            label="Target level", coerce=int, choices=level_choices(current), initial=2
        )
        self.fields["supports"].queryset = Support.objects.filter(coordinator=profile).order_by(
            "title"
        )
        self.fields["supports"].required = False
        if not self.fields["supports"].queryset.exists():
            self.fields[
                "supports"
            ].help_text = "No supports yet; add them from the growth page and tick them here."

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        if self.instance.pk is None and value < timezone.localdate():
            raise forms.ValidationError("A new goal needs a target date from today on.")
        return value

    def clean(self):
        cleaned = super().clean()
        indicator, key = cleaned.get("indicator"), cleaned.get("category_key")
        if indicator and key and indicator.category.key != key:
            self.add_error(
                "indicator",
                f"“{indicator.name}” is in {indicator.category.name}; choose an indicator of "
                "the goal's category or none.",
            )
        return cleaned

    def service_fields(self) -> dict:
        """The goal's fields as goal_create and goal_update take them."""
        data = self.cleaned_data
        return {name: data.get(name) for name in self.Meta.fields} | {
            "notes": data.get("notes") or "",
            "supports": data.get("supports") or [],
        }


class SupportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Support
        fields = ["kind", "title", "network_scope", "starts_on", "hours", "notes"]
        labels = {
            "kind": "Kind of support",
            "network_scope": "Network",
            "starts_on": "Date (start, course or event)",
            "hours": "Hours",
        }
        help_texts = {
            "network_scope": "For a network: local, regional, university or national.",
            "hours": "For professional development: the course's or event's hours.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "starts_on": DATE_INPUT,
            "notes": CountedTextarea(attrs={"rows": 3}),
        }

    notes = notes_field()
    goals = ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals this support serves",
    )

    def __init__(self, *args, profile: CoordinatorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["network_scope"].choices = [("", "—")] + list(NetworkScope.choices)
        # Mentoring is a mentoring match (the suggested mentors of the growth plan), not a
        # support.
        self.fields["kind"].choices = [
            (value, label) for value, label in SupportKind.choices if value != SupportKind.MENTORING
        ]
        self.fields[
            "kind"
        ].help_text = "A mentor is matched from the suggested mentors of the growth plan."
        self.fields["title"].required = False
        self.fields["goals"].queryset = Goal.objects.filter(coordinator=profile).order_by(
            "target_date"
        )
        levels = dict(
            Level.objects.filter(
                version__rubric__role_family_id=profile.role_family_id,
                version__state="published",
            ).values_list("value", "name")
        )
        self.fields["goals"].label_from_instance = lambda g: (
            f"{g.get_category_key_display()} to "
            f"{levels.get(g.target_level) or DEFAULT_LEVEL_NAMES[g.target_level]} by "
            f"{day_words(g.target_date)}"
        )
        if self.instance.pk:
            self.fields["goals"].initial = list(self.instance.goals.values_list("pk", flat=True))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == SupportKind.NETWORK:
            if not cleaned.get("network_scope"):
                self.add_error("network_scope", "Say which kind of network.")
        else:
            cleaned["network_scope"] = ""
        if kind and not cleaned.get("title"):
            self.add_error("title", "Give the support a title, such as the course or event.")
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.Meta.fields} | {
            "network_scope": data.get("network_scope") or "",
            "notes": data.get("notes") or "",
            "title": data.get("title") or "",
        }


class PromotionForm(forms.Form):
    to_stage = forms.ModelChoiceField(queryset=CareerStage.objects.none(), label="New stage")
    effective_on = forms.DateField(label="Effective from", widget=DATE_INPUT)
    note = notes_field(label="Note", help_text="Why, in a sentence or two; kept in the history.")

    def __init__(self, *args, profile: CoordinatorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["to_stage"].queryset = CareerStage.objects.filter(
            organization_id=profile.organization_id
        ).exclude(pk=CareerPosition.of(profile).stage_id or 0)
        self.fields["effective_on"].initial = timezone.localdate()

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Record a promotion on or after the day it takes effect.")
        if self.profile.role_start_date and value < self.profile.role_start_date:
            raise forms.ValidationError("That date is before this person started in the role.")
        return value


class CareerStageForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CareerStage
        fields = [
            "title",
            "order",
            "expected_years_from",
            "expected_years_to",
            "min_coordinator",
            "min_site",
            "min_organization",
            "min_development",
        ]
        labels = {
            "order": "Position in the trajectory",
            "expected_years_from": "Usually reached after (years in role)",
            "expected_years_to": "Usually left by (years in role)",
        }
        help_texts = {"order": "1 is the first stage; each stage has its own position."}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Families may name levels differently; the choices say the number too.
        choices = level_choices(
            {"version__rubric__organization_id": organization.pk, "version__state": "published"}
        )
        for key in CategoryKey.values:
            self.fields[f"min_{key}"] = forms.TypedChoiceField(
                label=f"Minimum level in {CategoryKey(key).label}",
                coerce=int,
                choices=choices,
                initial=self.fields[f"min_{key}"].initial,
            )
        self.fields["order"].min_value = 1

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        clash = CareerStage.objects.filter(organization=self.organization, title__iexact=title)
        if clash.exclude(pk=self.instance.pk or 0).exists():
            raise forms.ValidationError("Another stage already has this title.")
        return title

    def clean_order(self):
        order = self.cleaned_data["order"]
        clash = CareerStage.objects.filter(organization=self.organization, order=order)
        taken = clash.exclude(pk=self.instance.pk or 0).first()
        if taken:
            raise forms.ValidationError(
                f"{taken.title} is at position {order}; choose another position or move it first."
            )
        return order

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("expected_years_from"), cleaned.get("expected_years_to")
        if start is not None and end is not None and end < start:
            self.add_error("expected_years_to", "This must be at or after the first year.")
        return cleaned


class CatalogueEntryForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SupportCatalogEntry
        fields = ["category_key", "level", "kind", "title", "description", "network_scope", "hours"]
        labels = {
            "category_key": "Category",
            "level": "Recommended for people at",
            "network_scope": "Network",
        }
        widgets = {"description": CountedTextarea(attrs={"rows": 3})}

    description = notes_field(label="Description")

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["level"] = forms.TypedChoiceField(
            label="Recommended for people at",
            coerce=int,
            choices=level_choices(
                {"version__rubric__organization_id": organization.pk, "version__state": "published"}
            ),
        )
        self.fields["network_scope"].choices = [("", "—")] + list(NetworkScope.choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == SupportKind.NETWORK and not cleaned.get("network_scope"):
            self.add_error("network_scope", "Say which kind of network.")
        if cleaned.get("kind") != SupportKind.NETWORK:
            cleaned["network_scope"] = ""
        key, level, title = cleaned.get("category_key"), cleaned.get("level"), cleaned.get("title")
        if key and level and title:
            clash = SupportCatalogEntry.objects.filter(
                organization=self.organization, category_key=key, level=level, title__iexact=title
            ).exclude(pk=self.instance.pk or 0)
            if clash.exists():
                self.add_error("title", "The catalogue already has this support for this level.")
        return cleaned

    def save(self, commit=True):
        self.instance.organization = self.organization
        return super().save(commit=commit)

"""Forms of the rubric editor: validation and normalising only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.form_helpers import (
    CountedTextarea,
    ModelMultipleChoiceField,
    VersionedFormMixin,
    int_or_none,
)
from coordinators.models import CoordinatorProfile, RoleFamily
from rubrics.defaults import DEFAULT_RUBRICS
from rubrics.models import Category, Indicator, Level
from rubrics.services import IndicatorInput
from rubrics.vocabulary import plural_noun

DEFAULT_PREFIX = "default:"
# A descriptor or a category description is a paragraph; the defaults are under 300 characters.
TEXT_MAX_LENGTH = 5000
FAMILY_PREFIX = "family:"


class RoleFamilyNameMixin:
    """A family name is unique within the organization (the database says so too)."""

    organization = None
    instance_pk = None

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = RoleFamily.objects.filter(organization=self.organization, name__iexact=name)
        if self.instance_pk:
            clash = clash.exclude(pk=self.instance_pk)
        if clash.exists():
            raise forms.ValidationError("Your organization already has a role family by this name.")
        return name


class RoleFamilyCreateForm(RoleFamilyNameMixin, forms.Form):
    name = forms.CharField(
        max_length=200, help_text="For example “Instructional coach” or “Partnership staff”."
    )
    source = forms.ChoiceField(
        label="Start its rubric from",
        help_text="The new family gets a copy that you can then change without touching the "
        "original.",
    )

    def __init__(self, *args, organization, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        choices = [
            (
                f"{FAMILY_PREFIX}{family.pk}",
                f"A copy of “{family.name}” (current version v{family.current_version[0]})",
            )
            for family in families
            if family.current_version
        ]
        choices += [
            (
                f"{DEFAULT_PREFIX}{index}",
                f"The default rubric for {plural_noun(data['family'].lower())}",
            )
            for index, data in enumerate(DEFAULT_RUBRICS)
        ]
        self.fields["source"].choices = choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create role family"))

    def clean_source(self):
        value = self.cleaned_data["source"]
        if value.startswith(DEFAULT_PREFIX):
            return ("default", DEFAULT_RUBRICS[int(value.removeprefix(DEFAULT_PREFIX))])
        family_pk = int(value.removeprefix(FAMILY_PREFIX))
        return ("family", family_pk)


class RoleFamilyRenameForm(VersionedFormMixin, RoleFamilyNameMixin, forms.ModelForm):
    class Meta:
        model = RoleFamily
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = self.instance.organization
        self.instance_pk = self.instance.pk
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save name"))


class RoleFamilyAssignForm(forms.Form):
    """Move the people ticked on the page into one role family."""

    profiles = ModelMultipleChoiceField(
        queryset=CoordinatorProfile.objects.none(),
        error_messages={"required": "Tick at least one person to move."},
    )
    role_family = forms.ModelChoiceField(
        queryset=RoleFamily.objects.none(), label="Move the ticked people to"
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profiles"].queryset = CoordinatorProfile.objects.filter(
            organization=organization
        )
        self.fields["role_family"].queryset = RoleFamily.objects.filter(organization=organization)


class LockedForm(forms.Form):
    """Every editing form carries the draft's lock_version it was read at."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LevelNamesForm(LockedForm):
    def __init__(self, *args, levels: list[Level], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[f"level_{level.value}"] = forms.CharField(
                label=f"Level {level.value}",
                max_length=Level._meta.get_field("name").max_length,
                initial=level.name,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        names = [(cleaned.get(f"level_{level.value}") or "").strip() for level in self.levels]
        present = [n.lower() for n in names if n]
        if len(set(present)) != len(present):
            raise forms.ValidationError("Two levels cannot have the same name.")
        return cleaned

    @property
    def names(self) -> dict[int, str]:
        return {
            level.value: self.cleaned_data.get(f"level_{level.value}", "") for level in self.levels
        }


class CategoryEditForm(LockedForm):
    """One category of a draft on one screen: its name and description, every indicator's name
    and a descriptor per level, and one blank row for a new indicator.

    Field names: ``category-name``, ``category-description``, ``ind-<pk>-name``,
    ``ind-<pk>-d<level value>``, ``new-name``, ``new-d<level value>``. A submit button named
    ``action`` may add ``up:<pk>``, ``down:<pk>`` or ``remove:<pk>`` to the save.
    """

    def __init__(
        self,
        *args,
        category: Category,
        indicators: list[Indicator],
        levels: list[Level],
        cells: dict[tuple[int, int], str],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.category = category
        self.indicators = indicators
        self.levels = levels
        name_length = Indicator._meta.get_field("name").max_length
        self.fields["category-name"] = forms.CharField(
            label="Category name",
            max_length=Category._meta.get_field("name").max_length,
            initial=category.name,
            required=False,
        )
        self.fields["category-description"] = forms.CharField(
            label="What this category is about",
            max_length=TEXT_MAX_LENGTH,
            widget=CountedTextarea(attrs={"rows": 2}),
            initial=category.description,
            required=False,
        )
        for position, indicator in enumerate(indicators, start=1):
            self.fields[f"ind-{indicator.pk}-name"] = forms.CharField(
                label=f"Indicator {position} name",
                max_length=name_length,
                initial=indicator.name,
                required=False,
            )
            for level in levels:
                self.fields[f"ind-{indicator.pk}-d{level.value}"] = forms.CharField(
                    label=level.name or f"Level {level.value}",
                    max_length=TEXT_MAX_LENGTH,
                    widget=CountedTextarea(attrs={"rows": 5}),
                    initial=cells.get((indicator.pk, level.value), ""),
                    required=False,
                )
        self.fields["new-name"] = forms.CharField(
            label="New indicator name", max_length=name_length, required=False
        )
        for level in levels:
            self.fields[f"new-d{level.value}"] = forms.CharField(
                label=level.name or f"Level {level.value}",
                max_length=TEXT_MAX_LENGTH,
                widget=CountedTextarea(attrs={"rows": 4}),
                required=False,
            )
        self.fields["action"] = forms.CharField(required=False, widget=forms.HiddenInput)

    # Rows for the template ----------------------------------------------------------------

    @property
    def name_field(self):
        return self["category-name"]

    @property
    def description_field(self):
        return self["category-description"]

    def indicator_rows(self):
        for position, indicator in enumerate(self.indicators, start=1):
            yield {
                "indicator": indicator,
                "position": position,
                "name": self[f"ind-{indicator.pk}-name"],
                "cells": [self[f"ind-{indicator.pk}-d{level.value}"] for level in self.levels],
                "first": position == 1,
                "last": position == len(self.indicators),
            }

    def new_row(self):
        return {
            "name": self["new-name"],
            "cells": [self[f"new-d{level.value}"] for level in self.levels],
        }

    # What was typed, for a page that cannot save it --------------------------------------

    def typed_fields(self) -> list[dict]:
        """Every text field with where it goes, what was sent and what is stored: the page
        that refuses a save shows the changed ones and carries them all on."""
        labels = {
            "category-name": "Category name",
            "category-description": "What this category is about",
        }
        for row in self.indicator_rows():
            where = f"Indicator {row['position']} ({row['indicator'].name})"
            labels[row["name"].html_name] = f"Indicator {row['position']}: name"
            for field in row["cells"]:
                labels[field.html_name] = f"{where} at {field.label}"
        labels["new-name"] = "New indicator: name"
        for field in self.new_row()["cells"]:
            labels[field.html_name] = f"New indicator at {field.label}"
        fields = []
        for name, label in labels.items():
            typed = self.data.get(name, "")
            stored = self.fields[name].initial or ""
            changed = typed.strip() != stored.strip()
            fields.append(
                {"name": name, "label": label, "typed": typed, "stored": stored, "changed": changed}
            )
        return fields

    # Cleaned data for the service ---------------------------------------------------------

    def clean_action(self):
        value = self.cleaned_data.get("action") or ""
        if not value:
            return None
        verb, _, pk = value.partition(":")
        known = {i.pk for i in self.indicators}
        if verb not in {"up", "down", "remove"} or int_or_none(pk) not in known:
            raise forms.ValidationError("That indicator is no longer in this category.")
        return verb, int(pk)

    def clean(self):
        cleaned = super().clean()
        new_name = (cleaned.get("new-name") or "").strip()
        new_texts = [(cleaned.get(f"new-d{lv.value}") or "").strip() for lv in self.levels]
        if any(new_texts) and not new_name:
            self.add_error("new-name", "Give the new indicator a name.")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        items = [
            IndicatorInput(
                pk=indicator.pk,
                name=data.get(f"ind-{indicator.pk}-name", ""),
                descriptors={
                    lv.value: data.get(f"ind-{indicator.pk}-d{lv.value}", "") for lv in self.levels
                },
            )
            for indicator in self.indicators
        ]
        items.append(
            IndicatorInput(
                pk=None,
                name=data.get("new-name", ""),
                descriptors={lv.value: data.get(f"new-d{lv.value}", "") for lv in self.levels},
            )
        )
        action = data.get("action")
        move = remove = None
        if action:
            verb, pk = action
            if verb == "remove":
                remove = pk
            else:
                move = (pk, -1 if verb == "up" else 1)
        return {
            "lock_version": data["lock_version"],
            "name": data.get("category-name", ""),
            "description": data.get("category-description", ""),
            "indicators": items,
            "move": move,
            "remove": remove,
        }


def category_text_fields(indicators: list[Indicator], levels: list[Level]) -> list[str]:
    """The names of the category editor's text fields for these indicators, in the same order
    for any two versions whose category has as many indicators (a draft and the version it
    was copied from)."""
    names = ["category-name", "category-description", "new-name"]
    names += [f"new-d{level.value}" for level in levels]
    for indicator in indicators:
        names.append(f"ind-{indicator.pk}-name")
        names += [f"ind-{indicator.pk}-d{level.value}" for level in levels]
    return names

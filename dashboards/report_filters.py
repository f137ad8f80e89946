"""The reports' filters, all in the URL so a report can be bookmarked and shared: a range of
cycles, role family, school level and setting, and for some reports how to split or group the
people. A value that does not fit is ignored and said beside its field, never a server
error."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from coordinators.models import CoordinatorProfile, SchoolLevel, SchoolSetting
from dashboards.filters import WrittenSelect

ProfileSchool = CoordinatorProfile.schools.through

RETENTION_SPLITS = [
    ("mentored", "Mentored or not"),
    ("school_level", "School level"),
    ("setting", "Setting"),
    ("stage", "Career stage"),
    ("", "Nobody split out"),
]
CALIBRATION_GROUPS = [("director", "Director"), ("team", "Team")]


@dataclass(frozen=True)
class ReportScope:
    """What the filters chose, cleaned: ids are those the organization has."""

    cycle_from: int | None = None
    cycle_to: int | None = None
    role_family: int | None = None
    school_level: str = ""
    setting: str = ""
    split: str = "mentored"
    group: str = "director"
    pre_post: str = ""  # a support group ("kind:pd", "entry:7") whose before and after to show

    @property
    def narrows_people(self) -> bool:
        """Whether ``profiles`` keeps fewer than the organization's people: else a report need
        not name them (the read model's rows of the organization are its people's)."""
        return bool(self.role_family or self.school_level or self.setting)

    def profiles(self, profiles: QuerySet[CoordinatorProfile]) -> QuerySet[CoordinatorProfile]:
        """``profiles`` narrowed to the role family, school level and setting chosen."""
        if self.role_family:
            profiles = profiles.filter(role_family_id=self.role_family)
        for field_name, value in (("level", self.school_level), ("setting", self.setting)):
            if value:
                profiles = profiles.filter(
                    Exists(
                        ProfileSchool.objects.filter(
                            coordinatorprofile=OuterRef("pk"), **{f"school__{field_name}": value}
                        )
                    )
                )
        return profiles

    def cycles_between(self, cycles: list) -> list:
        """The cycles (oldest first) from the first chosen to the last chosen, both included;
        chosen the wrong way round, the range is read the right way round."""
        ids = [cycle.pk for cycle in cycles]
        ends = [ids.index(pk) for pk in (self.cycle_from, self.cycle_to) if pk in ids]
        first = ends[0] if self.cycle_from in ids else 0
        last = ends[-1] if self.cycle_to in ids else len(ids) - 1
        first, last = min(first, last), max(first, last)
        return cycles[first : last + 1]


class ReportFilterForm(forms.Form):
    cycle_from = forms.TypedChoiceField(label="From cycle", coerce=int, required=False)
    cycle_to = forms.TypedChoiceField(label="To cycle", coerce=int, required=False)
    role_family = forms.TypedChoiceField(label="Role family", coerce=int, required=False)
    school_level = forms.ChoiceField(
        label="School level", choices=[("", "Any level"), *SchoolLevel.choices], required=False
    )
    setting = forms.ChoiceField(
        label="Setting", choices=[("", "Any setting"), *SchoolSetting.choices], required=False
    )
    split = forms.ChoiceField(label="Split by", choices=RETENTION_SPLITS, required=False)
    group = forms.ChoiceField(label="Figures per", choices=CALIBRATION_GROUPS, required=False)
    pre_post = forms.ChoiceField(label="Before and after", required=False)

    def __init__(self, data=None, *, cycles=(), role_families=(), groups=(), fields=(), **kwargs):
        super().__init__(data or None, **kwargs)
        self.fields["pre_post"].choices = [("", "No support chosen"), *groups]
        cycle_choices = [(str(c.pk), c.name) for c in cycles]
        self.fields["cycle_from"].choices = [("", "The first"), *cycle_choices]
        self.fields["cycle_to"].choices = [("", "The latest"), *cycle_choices]
        self.fields["role_family"].choices = [
            ("", "Every role family"),
            *((str(pk), name) for pk, name in role_families),
        ]
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        for name, field in self.fields.items():
            field.widget = WrittenSelect(attrs=field.widget.attrs, choices=field.choices)
            field.widget.attrs["class"] = "form-select"
            if self.is_bound and name in self.errors:
                field.widget.attrs["class"] += " is-invalid"
                field.widget.attrs["aria-describedby"] = f"id_{name}-error"

    def scope(self) -> ReportScope:
        """The valid values; an invalid one counts as not chosen."""
        if not self.is_bound:
            return ReportScope()
        self.is_valid()
        data = self.cleaned_data
        chosen = {}
        for name in self.fields:
            value = data.get(name)
            if name in ("split", "group") and name not in self.errors and name in self.data:
                chosen[name] = value or ""
            elif value not in (None, ""):
                chosen[name] = value
        return ReportScope(**chosen)

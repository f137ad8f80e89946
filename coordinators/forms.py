"""Forms of the org admin's schools, teams and people: validation and normalising only.
Every choice is scoped to the admin's organization, so an id of another
organization is a wrong choice, never a server error."""

from dataclasses import replace
from datetime import date, timedelta

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Exists, OuterRef, Q

from coordinators.form_helpers import VersionedFormMixin
from coordinators.models import (
    CoordinatorProfile,
    LeavingReason,
    Membership,
    Organization,
    Role,
    RoleFamily,
    School,
    SchoolLevel,
    SchoolSetting,
    Team,
    User,
)
from coordinators.pickers import PickerChoiceField, PickerFilter, PickerMultipleChoiceField
from coordinators.services import ADDRESS_UNUSABLE, PersonDetails

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMAIL_IN_ORGANIZATION = "{name} in your organization already has this email address."


def one_line(text: str) -> str:
    """Runs of spaces, tabs and line breaks become one space."""
    return " ".join(text.split())


def email_problem(email: str, organization: Organization, *, except_pk=None) -> str | None:
    """Why this address cannot be a (new) person's login, or None. Logins are unique across
    the whole site, but whose it is may only be told within the organization."""
    clash = User.objects.filter(email__iexact=email)
    if except_pk is not None:
        clash = clash.exclude(pk=except_pk)
    other = clash.only("organization_id", "first_name", "last_name", "email").first()
    if other is None:
        return None
    if other.organization_id == organization.pk:
        return EMAIL_IN_ORGANIZATION.format(name=other.display_name)
    # Says nothing about where the address is used: other organizations stay invisible.
    return ADDRESS_UNUSABLE


# Schools and teams ------------------------------------------------------------------------


MONTHS = [
    (1, "January"),
    (2, "February"),
    (3, "March"),
    (4, "April"),
    (5, "May"),
    (6, "June"),
    (7, "July"),
    (8, "August"),
    (9, "September"),
    (10, "October"),
    (11, "November"),
    (12, "December"),
]


class OrganizationSettingsForm(VersionedFormMixin, forms.ModelForm):
    """The organization's school-year start: agreements, principal contacts and reports are
    per school year."""

    school_year_start_month = forms.TypedChoiceField(
        label="The school year starts in", coerce=int, choices=MONTHS
    )

    class Meta:
        model = Organization
        fields = ["school_year_start_month", "school_year_start_day"]
        labels = {"school_year_start_day": "On day"}
        help_texts = {
            "school_year_start_day": "A day past the month's end counts as its last day "
            "(29 February is the 28th in a common year)."
        }

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("school_year_start_day")
        if day is not None and not 1 <= day <= 31:
            self.add_error("school_year_start_day", "A day of the month: 1 to 31.")
        return cleaned


class SchoolForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "level", "setting"]
        labels = {"name": "School name", "level": "School level"}
        help_texts = {"setting": "Dashboards and the overview filter by level and setting."}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        clash = (
            School.objects.filter(organization=self.organization, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if clash is not None:
            where = "" if clash.active else " (deactivated: reactivate it from the list instead)"
            raise forms.ValidationError(
                f"Your organization already has a school by this name{where}."
            )
        return name


class TeamForm(VersionedFormMixin, forms.ModelForm):
    """A team's name and director: someone of the organization holding the director role."""

    class Meta:
        model = Team
        fields = ["name", "director"]
        labels = {"name": "Team name"}

    director = PickerChoiceField(
        source="directors", label="Director", required=False, empty_label="No director yet"
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        directors = Q(
            organization=organization,
            is_active=True,
            memberships__role=Role.DIRECTOR,
        )
        if self.instance.director_id:
            directors |= Q(organization=organization, pk=self.instance.director_id)
        field = self.fields["director"]
        field.queryset = User.objects.filter(directors).distinct()
        field.help_text = (
            "The director reviews this team's assessments and sees its dashboard. Only people "
            "holding the Director role are listed: give someone that role on their person page "
            "first."
        )

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        clash = Team.objects.filter(organization=self.organization, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError("Your organization already has a team by this name.")
        return name


# People -----------------------------------------------------------------------------------

ONLY_FOR_COORDINATORS = ("team", "schools", "role_start_date", "job_title")
PROFILE_FIELDS = ("role_family", *ONLY_FOR_COORDINATORS)
PROFILE_INTRO = (
    '<p class="form-text mt-0">Only for people with the Coordinator role: what they are '
    "assessed as, where they work and since when.</p>"
)


def role_family_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Role family",
        queryset=RoleFamily.objects.none(),
        help_text="Decides which rubric their assessments use.",
        **kwargs,
    )


def role_start_date_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        label="First day in this role",
        widget=DATE_INPUT,
        help_text="Tenure counts from here (career stages, long-tenure flag).",
        **kwargs,
    )


class PersonDetailsForm(forms.Form):
    """A person's login and name and, for a coordinator, their profile (role family, team,
    school sites, start date, job title). ``person`` is None for a new person."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They log in with it; a new person gets an email here to choose a password.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role_family = role_family_field(required=False)
    team = PickerChoiceField(
        source="teams", label="Team", required=False, empty_label="No team yet"
    )
    schools = PickerMultipleChoiceField(
        source="schools",
        label="School sites",
        required=False,
        chosen_label="Chosen school sites",
    )
    role_start_date = role_start_date_field(required=False)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    account_fields: tuple = ("email", Row(Column("first_name"), Column("last_name")))
    with_profile = True

    def __init__(
        self, *args, organization: Organization, actor: User, person: User | None = None, **kwargs
    ):
        self.organization, self.actor, self.person = organization, actor, person
        self.profile = _profile_of(person)
        if person is not None:
            kwargs["initial"] = {
                **person_initial(person, self.profile),
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        if self.with_profile:
            self._profile_choices(organization)
        else:
            for name in PROFILE_FIELDS:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form tag has the token
        self.helper.layout = Layout(Fieldset("Account", *self.account_fields))
        if self.with_profile:
            self.helper.layout.append(
                Fieldset(
                    "Coordinator profile",
                    HTML(PROFILE_INTRO),
                    "role_family",
                    "team",
                    "schools",
                    Row(Column("role_start_date"), Column("job_title")),
                )
            )

    def _profile_choices(self, organization: Organization) -> None:
        families = RoleFamily.objects.filter(organization=organization).order_by("name")
        self.fields["role_family"].queryset = families
        self.fields["role_family"].empty_label = "Choose a role family"
        self.fields["team"].queryset = Team.objects.filter(organization=organization)
        # The school sites a person has keep counting after the school is deactivated.
        schools = Q(organization=organization, active=True)
        if self.profile is not None:
            schools |= Q(organization=organization, profiles=self.profile)
        self.fields["schools"].queryset = School.objects.filter(schools).distinct()
        if self.person is None and not self.is_bound:
            first = families.first()
            self.initial.setdefault("role_family", first.pk if first else None)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        problem = email_problem(
            email, self.organization, except_pk=self.person.pk if self.person else None
        )
        if problem:
            raise forms.ValidationError(problem)
        return email

    def clean_first_name(self):
        return one_line(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return one_line(self.cleaned_data["last_name"])

    def clean_job_title(self):
        return one_line(self.cleaned_data["job_title"])

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("first_name")
            and not cleaned.get("last_name")
            and "first_name" in cleaned
        ):
            self.add_error("first_name", "Give a first or last name.")
        return cleaned

    def require_profile(self, cleaned: dict) -> None:
        """A coordinator's profile needs a role family and a start date."""
        for name, message in (
            ("role_family", "A coordinator needs a role family."),
            ("role_start_date", "A coordinator needs the first day in their role."),
        ):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role_family=data.get("role_family"),
            team=data.get("team"),
            schools=tuple(data.get("schools") or ()),
            role_start_date=data.get("role_start_date"),
            job_title=data.get("job_title", ""),
        )


class PersonCreateForm(PersonDetailsForm):
    """A new person with their roles (and, for a coordinator, their profile)."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Coordinators self-assess; directors review their team; org admins run the "
        "programme. Someone may hold several roles.",
        error_messages={"required": "Choose at least one role."},
    )
    account_fields = (*PersonDetailsForm.account_fields, "roles")

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("roles")
        if roles is None:
            return cleaned
        if Role.COORDINATOR in roles:
            self.require_profile(cleaned)
        else:
            for name in ONLY_FOR_COORDINATORS:
                if cleaned.get(name):
                    self.add_error(
                        name,
                        "Only coordinators have a team, school sites, start date and job title "
                        "here: tick the Coordinator role or leave this empty.",
                    )
        return cleaned


LEAVING_FIELDS = ("left_on", "leaving_reason")


class PersonEditForm(VersionedFormMixin, PersonDetailsForm):
    """An existing person's login and name and, while they hold the Coordinator role, their
    profile, including the day they left the organization and why. Roles are not part of it:
    each is added or removed on its own (PersonRoleForm), so a form opened earlier can never
    bring a removed role back."""

    left_on = forms.DateField(
        label="Left the organization on",
        widget=DATE_INPUT,
        required=False,
        help_text="Leave empty while they work here. With a day, they leave the dashboards "
        "and new cycles; the retention report counts them from it.",
    )
    leaving_reason = forms.ChoiceField(
        label="Reason for leaving",
        choices=[("", "Still here"), *LeavingReason.choices],
        required=False,
    )

    def __init__(self, *args, person: User, **kwargs):
        self.with_profile = person.memberships.filter(role=Role.COORDINATOR).exists()
        super().__init__(*args, person=person, **kwargs)
        if self.with_profile:
            self.helper.layout.append(
                Fieldset("Leaving", Row(Column("left_on"), Column("leaving_reason")))
            )
        else:
            for name in LEAVING_FIELDS:
                del self.fields[name]

    def versioned_row(self):
        return self.person

    def clean(self):
        cleaned = super().clean()
        if self.with_profile:
            self.require_profile(cleaned)
            self._check_leaving(cleaned)
        return cleaned

    def _check_leaving(self, cleaned: dict) -> None:
        """A day needs a reason; a reason needs a day, except "not recorded" (a person who
        left before days were kept)."""
        left_on, reason = cleaned.get("left_on"), cleaned.get("leaving_reason")
        if "left_on" in self.errors:
            return
        if left_on and not reason:
            self.add_error("leaving_reason", "Choose why they left (or “Not recorded”).")
        elif reason and not left_on and reason != LeavingReason.NOT_RECORDED:
            self.add_error("left_on", "Give the day they left the organization.")
        elif left_on and left_on > date.today() + timedelta(days=366):
            self.add_error("left_on", "Give a day within the next year.")
        elif left_on and cleaned.get("role_start_date") and left_on < cleaned["role_start_date"]:
            self.add_error("left_on", "They cannot leave before their first day in the role.")

    def details(self) -> PersonDetails:
        details = super().details()
        if not self.with_profile:
            return details
        return replace(
            details,
            left_on=self.cleaned_data.get("left_on"),
            leaving_reason=self.cleaned_data.get("leaving_reason") or "",
        )


class PersonRoleForm(forms.Form):
    """One role to add or remove; adding the Coordinator role to someone who never had a
    profile also starts it, with a role family and a start date."""

    role = forms.ChoiceField(choices=Role.choices)
    role_family = role_family_field(required=False)
    role_start_date = role_start_date_field(required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_family"].queryset = RoleFamily.objects.filter(
            organization=organization
        ).order_by("name")
        self.fields["role_family"].empty_label = "Choose a role family"


def _profile_of(person: User | None) -> CoordinatorProfile | None:
    if person is None:
        return None
    try:
        return person.profile
    except CoordinatorProfile.DoesNotExist:
        return None


def person_initial(person: User, profile: CoordinatorProfile | None) -> dict:
    initial = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
    }
    if profile is not None:
        initial.update(
            role_family=profile.role_family_id,
            team=profile.team_id,
            schools=list(profile.schools.values_list("pk", flat=True)),
            role_start_date=profile.role_start_date,
            job_title=profile.job_title,
            left_on=profile.left_on,
            leaving_reason=profile.leaving_reason,
        )
    return initial


# List filters (all in the URL, so a filtered list can be bookmarked) ------------------------

ACTIVE_CHOICES = [("yes", "Active"), ("no", "Deactivated"), ("all", "Active and deactivated")]


def search_widget(placeholder: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets; a value that does not fit is left out and
    named beside its field (the filter_field include says so). Unset, ``active`` is "yes"."""

    active = django_filters.ChoiceFilter(
        label="Status", choices=ACTIVE_CHOICES, empty_label=None, method="filter_active"
    )
    active_field = "is_active"

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("active"):
            data["active"] = "yes"
        super().__init__(data, *args, **kwargs)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "styled", False):
            for name, field in form.fields.items():
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = css
                if form.is_bound and not form.is_valid() and name in form.errors:
                    field.widget.attrs["class"] += " is-invalid"
                    field.widget.attrs["aria-describedby"] = f"id_{name}-error"
            form.styled = True
        return form

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list beyond the default (active only)."""
        self.form.is_valid()
        data = self.form.cleaned_data
        return any(v not in (None, "") for k, v in data.items() if k != "active") or (
            data.get("active") not in (None, "", "yes")
        )

    def filter_active(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(**{self.active_field: True})
        if value == "no":
            return queryset.filter(**{self.active_field: False})
        return queryset


class SchoolFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label="Name", max_length=100, method="filter_name", widget=search_widget("School name")
    )
    level = django_filters.ChoiceFilter(
        label="Level", choices=SchoolLevel.choices, empty_label="Any level"
    )
    setting = django_filters.ChoiceFilter(
        label="Setting", choices=SchoolSetting.choices, empty_label="Any setting"
    )
    active_field = "active"

    class Meta:
        model = School
        fields = []

    def filter_name(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(name__icontains=word)
        return queryset


NO_TEAM = "none"


class PersonFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label="Name or email",
        max_length=100,
        method="filter_name",
        widget=search_widget("Name or email"),
    )
    role = django_filters.ChoiceFilter(
        label="Role", choices=Role.choices, empty_label="Any role", method="filter_role"
    )
    team = PickerFilter(
        label="Team",
        method="filter_team",
        source="teams",
        empty_label="Any team",
        words={NO_TEAM: "No team"},
        hint="Type “No team” for coordinators without one.",
    )
    family = django_filters.ChoiceFilter(
        label="Role family", empty_label="Any role family", field_name="profile__role_family_id"
    )

    class Meta:
        model = User
        fields = []

    def __init__(self, data=None, queryset=None, *, organization_id, families=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["team"].extra["queryset"] = Team.objects.filter(
            organization_id=organization_id
        )
        self.filters["family"].extra["choices"] = [(str(f.pk), f.name) for f in families]

    def filter_name(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        return queryset.filter(Exists(Membership.objects.filter(user=OuterRef("pk"), role=value)))

    def filter_team(self, queryset, name, value):
        if value == NO_TEAM:
            return queryset.filter(profile__isnull=False, profile__team__isnull=True)
        return queryset.filter(profile__team_id=value)

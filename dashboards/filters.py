"""The team dashboard's filters, all in the URL so a view can be bookmarked and shared.

Filters on the coordinators themselves (team, school, school level, setting, name) narrow the
queryset; the cycle picks which assessments the rows read; flag, status and sort apply to
the computed rows (see selectors.team.rows_filtered_and_sorted). A value that does not fit is
ignored and reported beside its field, never a server error.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from coordinators.form_helpers import IdFilter
from coordinators.models import CoordinatorProfile, SchoolLevel, SchoolSetting, Team
from coordinators.pickers import PickerFilter
from dashboards.flags import FLAG_LABELS
from dashboards.selectors.common import CATEGORY_KEYS, STATUS_LABELS

SORT_COLUMNS = ("name", "team", "status", "flags", *CATEGORY_KEYS)
SORT_CHOICES = [(f"{prefix}{key}", key) for key in SORT_COLUMNS for prefix in ("", "-")]

ProfileSchool = CoordinatorProfile.schools.through
PEOPLE_FILTERS = ("team", "school", "school_level", "setting", "q")


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `` name="value"`` each, ``name`` alone for True."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class WrittenSelect(forms.Select):
    """A select written from format strings with the HTML of Django's select.html and
    select_option.html: the dashboard's filter bar draws some forty options, and through the
    form renderer's templates they cost about as much as the page's hundred heatmap rows."""

    def render(self, name, value, attrs=None, renderer=None):
        # What get_context and optgroups work out, without a dict per option.
        chosen = self.format_value(value)
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(select_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, [(option_value, option_label)]
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for subvalue, sublabel in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in chosen
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"'
                    f"{' selected' if selected else ''}>{conditional_escape(sublabel)}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class WrittenInputMixin:
    """An input written from a format string with the HTML of Django's input.html and
    attrs.html (the filter bar's search box and hidden fields), for the reason of
    ``WrittenSelect``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"'
            + ("" if shown is None else f' value="{conditional_escape(str(shown))}"')
            + f"{_attrs(widget['attrs'])}>"
        )


class WrittenTextInput(WrittenInputMixin, forms.TextInput):
    pass


class WrittenHiddenInput(WrittenInputMixin, forms.HiddenInput):
    pass


WRITTEN_WIDGETS = {
    forms.Select: WrittenSelect,
    forms.TextInput: WrittenTextInput,
    forms.HiddenInput: WrittenHiddenInput,
}


def _not_a_queryset_filter(queryset, name, value):
    """For filters applied to the computed rows, not the profiles."""
    return queryset


class DashboardFilterSet(django_filters.FilterSet):
    cycle = django_filters.ChoiceFilter(
        label="Cycle", method=_not_a_queryset_filter, empty_label=None
    )
    team = PickerFilter(label="Team", field_name="team_id", source="teams", empty_label="All teams")
    school_level = django_filters.ChoiceFilter(
        label="School level",
        choices=SchoolLevel.choices,
        method="filter_school_level",
        empty_label="Any level",
    )
    setting = django_filters.ChoiceFilter(
        label="Setting",
        choices=SchoolSetting.choices,
        method="filter_setting",
        empty_label="Any setting",
    )
    flag = django_filters.ChoiceFilter(
        label="Flag",
        choices=list(FLAG_LABELS.items()),
        method=_not_a_queryset_filter,
        empty_label="Any or none",
    )
    status = django_filters.ChoiceFilter(
        label="This cycle",
        choices=list(STATUS_LABELS.items()),
        method=_not_a_queryset_filter,
        empty_label="Any state",
    )
    q = django_filters.CharFilter(
        label="Name",
        method="filter_name",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name or email", "autocomplete": "off"}
        ),
    )
    school = IdFilter(method="filter_school", widget=forms.HiddenInput)
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method=_not_a_queryset_filter, widget=forms.HiddenInput
    )

    class Meta:
        model = CoordinatorProfile
        fields = []

    def __init__(self, data=None, queryset=None, *, cycles=(), teams=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["cycle"].extra["choices"] = [(str(c.pk), c.name) for c in cycles]
        # The teams in the dashboard's reach: the picker's own scope (teams_choosable_by); a
        # queryset of them stays unread until a team is asked for.
        if not isinstance(teams, QuerySet):
            teams = Team.objects.filter(pk__in=[team.pk for team in teams])
        self.filters["team"].extra["queryset"] = teams

    @property
    def form(self):
        """The filter form with Bootstrap classes on its widgets (rendered by hand in a row:
        a GET filter bar needs none of crispy's layout, and the heatmap renders faster)."""
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                widget = field.widget
                if type(widget) in WRITTEN_WIDGETS:  # the same HTML, written faster
                    widget.__class__ = WRITTEN_WIDGETS[type(widget)]
                if not isinstance(widget, forms.HiddenInput):
                    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                    widget.attrs["class"] = css
            if form.is_bound and not form.is_valid():
                for name in form.errors:
                    if name in form.fields:
                        attrs = form.fields[name].widget.attrs
                        attrs["class"] = attrs.get("class", "") + " is-invalid"
                        attrs["aria-describedby"] = f"id_{name}-error"
            form.styled = True
        return form

    def value(self, name: str) -> str:
        """A cleaned value as a string ('' when absent or invalid)."""
        if not self.is_bound:
            return ""
        self.form.is_valid()
        value = self.form.cleaned_data.get(name)
        return "" if value in (None, "") else str(value)

    def school_is_invalid(self) -> bool:
        """Whether the school the request names was left out (the filter bar says so)."""
        return self.is_bound and "school" in self.form.errors

    def narrows_people(self) -> bool:
        """Whether a filter keeps only some of the coordinators in reach (the cycle, flag,
        status and sort apply to their rows)."""
        return any(self.value(name) for name in PEOPLE_FILTERS)

    def filter_school_level(self, queryset, name, value):
        return queryset.filter(
            Exists(
                ProfileSchool.objects.filter(coordinatorprofile=OuterRef("pk"), school__level=value)
            )
        )

    def filter_setting(self, queryset, name, value):
        return queryset.filter(
            Exists(
                ProfileSchool.objects.filter(
                    coordinatorprofile=OuterRef("pk"), school__setting=value
                )
            )
        )

    def filter_school(self, queryset, name, value):
        return queryset.filter(
            Exists(ProfileSchool.objects.filter(coordinatorprofile=OuterRef("pk"), school_id=value))
        )

    def filter_name(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
        return queryset


def sort_links(params: QueryDict, current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (the other filters kept, back to the
    first page), and its aria-sort state."""
    links = {}
    for key in SORT_COLUMNS:
        ascending = current == key
        descending = current == f"-{key}"
        query = params.copy()
        query["sort"] = f"-{key}" if ascending else key
        query.pop("page", None)
        links[key] = {
            "url": f"?{query.urlencode()}",
            "aria_sort": "ascending" if ascending else "descending" if descending else "none",
        }
    return links

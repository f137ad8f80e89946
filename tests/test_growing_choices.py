"""No form lists every person, school site or team of the organization: a choice among rows
that grow with the organization is a picker (coordinators/pickers.py), which renders only
what is chosen and searches the rest through a paged endpoint. Checked for every form class
of every app, so a new `<select>` of everyone fails here."""

import django_filters
import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django_filters import ModelMultipleChoiceFilter

from coordinators.models import CoordinatorProfile, School, Team, User
from coordinators.pickers import PickerFieldMixin, PickerFilter
from tests.test_text_limits import APPS, project_form_classes

GROWING = (User, CoordinatorProfile, School, Team)
# Fields whose page lists the rows itself, a page at a time, never the field's choices.
PAGED_ON_THEIR_PAGE = {
    # People ticked on a page of 50 (templates/rubrics/role_family_people.html).
    "rubrics.forms.RoleFamilyAssignForm.profiles",
}


def choices_of_growing_rows():
    for cls in project_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            queryset = getattr(field, "queryset", None)
            if isinstance(field, forms.ModelChoiceField) and queryset is not None:
                where = f"{cls.__module__}.{cls.__name__}.{name}"
                if issubclass(queryset.model, GROWING) and where not in PAGED_ON_THEIR_PAGE:
                    yield pytest.param(field, id=where)


@pytest.mark.parametrize("field", list(choices_of_growing_rows()))
def test_a_choice_among_growing_rows_is_a_picker(field):
    assert isinstance(field, PickerFieldMixin)


def test_there_are_such_choices_to_check():
    assert len(list(choices_of_growing_rows())) >= 4


# Filter bars: a filter set's form is made when a page renders, so its filters are read here.


def project_filtersets():
    project_form_classes()  # imports every forms and filters module of the project
    seen, stack = set(), [django_filters.FilterSet]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in APPS),
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def chosen_model(filterset, filter_) -> type | None:
    """The model whose rows a filter offers as choices: a model choice filter's, or the model a
    choice filter's field points at (``team_id`` on a coordinator's profile: teams)."""
    if isinstance(filter_, django_filters.ModelChoiceFilter | ModelMultipleChoiceFilter):
        queryset = filter_.extra.get("queryset")
        return getattr(queryset, "model", None)
    if isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        try:
            field = filterset._meta.model._meta.get_field(filter_.field_name)
        except (FieldDoesNotExist, AttributeError):
            return None
        return field.related_model
    return None


def filters_of_growing_rows():
    for cls in project_filtersets():
        for name, filter_ in cls.base_filters.items():
            if isinstance(filter_, PickerFilter):
                yield pytest.param(filter_, id=f"{cls.__module__}.{cls.__name__}.{name}")
                continue
            model = chosen_model(cls, filter_)
            if model is not None and issubclass(model, GROWING):
                yield pytest.param(filter_, id=f"{cls.__module__}.{cls.__name__}.{name}")


@pytest.mark.parametrize("filter_", list(filters_of_growing_rows()))
def test_a_filter_among_growing_rows_is_a_picker(filter_):
    assert isinstance(filter_, PickerFilter)


def test_the_filters_checked_include_the_dashboards_team():
    ids = [param.id for param in filters_of_growing_rows()]
    assert "dashboards.filters.DashboardFilterSet.team" in ids
    assert "coordinators.forms.PersonFilterSet.team" in ids


def test_a_team_choice_filter_would_be_caught():
    class TeamsListed(django_filters.FilterSet):
        team = django_filters.ChoiceFilter(field_name="team_id")

        class Meta:
            model = CoordinatorProfile
            fields = []

    assert chosen_model(TeamsListed, TeamsListed.base_filters["team"]) is Team

"""The dashboard's filter bar writes its fields from format strings (the filter_field tag, and
its inputs' widgets) rather than through the template language, for speed: byte for byte the
HTML of components/filter_field.html and of Django's widget templates, with text to escape."""

import pytest
from django import forms
from django.http import QueryDict
from django.template import engines
from django.utils.html import escape

from coordinators.models import Team
from dashboards.filters import DashboardFilterSet, WrittenHiddenInput, WrittenTextInput
from dashboards.read_model import Ref
from dashboards.templatetags.filter_bar import (
    BAR_FIELDS,
    HIDDEN_FIELDS,
    dashboard_filter_fields,
    filter_field,
)

NASTY = '<b>Ann</b> & "O\'Neil"'


@pytest.mark.parametrize("value", [None, "", "plain", NASTY, 3])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"type": "search", "placeholder": NASTY, "autocomplete": "off", "maxlength": 100},
        {"class": "form-control is-invalid", "required": True, "disabled": False},
    ],
)
@pytest.mark.parametrize(
    ("written", "plain"),
    [(WrittenTextInput, forms.TextInput), (WrittenHiddenInput, forms.HiddenInput)],
)
def test_a_written_input_is_the_html_of_django_s(written, plain, value, attrs):
    html_attrs = {"id": "id_x"}
    assert written(attrs=dict(attrs)).render("x", value, html_attrs) == plain(
        attrs=dict(attrs)
    ).render("x", value, html_attrs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "flag=bogus&status=finalized&q=" + NASTY, "school=x&sort=-name&setting=urban&team=9"],
    ids=["empty", "errors and text to escape", "hidden fields"],
)
def test_each_filter_field_is_the_html_of_its_include(query):
    data = QueryDict(query) if query else None
    form = DashboardFilterSet(data, queryset=None).form
    include = engines["django"].from_string(
        '{% include "components/filter_field.html" with field=field %}'
    )
    for name in form.fields:
        field = form[name]
        assert filter_field(field) == include.render({"field": field}), name


@pytest.mark.django_db
def test_a_bar_without_filters_is_what_its_form_writes_for_each_set_of_cycles(org, team):
    """With no filter asked for, the bar's fields are written once per set of cycles: the same
    HTML as the request's own form draws, and another set of cycles draws its own."""
    teams = Team.objects.filter(organization=org)
    for cycles in ([Ref(3, "2025–26 Fall"), Ref(1, NASTY)], [Ref(7, "2026–27 Spring")]):
        for _ in range(2):  # the second time from what was written the first
            written = dashboard_filter_fields(
                DashboardFilterSet(None, queryset=None, cycles=cycles, teams=teams)
            )
            form = DashboardFilterSet(None, queryset=None, cycles=cycles, teams=teams).form
            assert written == {
                **{name: filter_field(form[name]) for name in BAR_FIELDS},
                **{name: str(form[name]) for name in HIDDEN_FIELDS},
            }
            assert set(written) == set(form.fields)
            for cycle in cycles:
                assert (
                    f'<option value="{cycle.pk}">{escape(cycle.name)}</option>'
                    in (written["cycle"])
                )

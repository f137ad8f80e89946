"""The dashboard's filter bar writes its fields from format strings (the filter_field tag, and
its inputs' widgets) rather than through the template language, for speed: byte for byte the
HTML of components/filter_field.html and of Django's widget templates, with text to escape."""

import pytest
from django import forms
from django.http import QueryDict
from django.template import engines

from dashboards.filters import DashboardFilterSet, WrittenHiddenInput, WrittenTextInput
from dashboards.templatetags.filter_bar import filter_field

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

"""The overview's charts, flag totals, level distribution and trend headings, and the
dashboard filter bar's selects, are written from format strings rather than through the
template language, for speed: byte for byte the HTML of the templates they replaced (kept here
as the reference), with text to escape."""

from collections import Counter

import pytest
from django import forms
from django.template import engines

from dashboards.charts import Column, Segment, stacked_bars
from dashboards.filters import WrittenSelect
from dashboards.selectors.common import CATEGORY_KEYS
from dashboards.selectors.overview import Overview
from dashboards.templatetags.overview_tables import (
    distribution_table,
    flag_total_items,
    level_headings,
    stacked_bar_chart,
)

NASTY = '<b>Ann</b> & "O\'Neil"'


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def chart():
    return stacked_bars(
        [
            Column(
                "2024–25 Fall",
                [Segment("chart-level-1", 3, f"{NASTY}: 3 of 5"), Segment("chart-level-2", 2, "2")],
            ),
            Column("Empty", [Segment("chart-level-1", 0, "none")]),
            Column(
                f"Spring {NASTY}",
                [Segment("chart-level-1", 1, "1"), Segment("chart-level-3", 7, "7 of 8")],
                mark=f"Rubric v2 {NASTY}",
            ),
            Column("Later one", [Segment("chart-level-2", 4, "4")], mark="Rubric v3"),
        ]
    )


@pytest.mark.parametrize(
    "extra",
    [{}, {"description": f"Read me {NASTY}"}, {"no_versions": True}],
    ids=["plain", "description", "no versions"],
)
def test_a_chart_is_the_html_of_its_template(extra):
    legend = [("chart-level-1", NASTY), ("chart-level-2", "Proficient")]
    include = render(
        "{% load l10n %}{% localize off %}{% include 'dashboards/includes/stacked_bar_chart.html'"
        " with chart=chart chart_id=chart_id title=title legend=legend description=description"
        " no_versions=no_versions %}{% endlocalize %}",
        chart=chart(),
        chart_id="trend-x",
        title=f"Title {NASTY}",
        legend=legend,
        description=extra.get("description", ""),
        no_versions=extra.get("no_versions", False),
    )
    written = stacked_bar_chart(chart(), "trend-x", f"Title {NASTY}", legend, **extra)
    assert written == include


def overview():
    names = {1: "Novice", 2: f"Proficient {NASTY}", 3: "Expert"}
    return Overview(
        coordinators=7,
        level_names=names,
        distribution={key: Counter({1: 2, 3: 4, None: 1}) for key in CATEGORY_KEYS},
        category_names={key: f"{key} {NASTY}" for key in CATEGORY_KEYS},
        flags_by_team=[],
        flags_by_school=[],
        completion_by_team=[],
        flag_totals=Counter({"site_gap": 1, "stalled": 3}),
    )


class Cycle:
    pk = 12


def test_the_flag_totals_are_the_html_of_their_template():
    template = (
        "{% for code, label, count in overview.flag_total_list %}\n"
        '    <li class="list-inline-item mb-2"><a class="btn btn-outline-dark btn-sm" '
        'href="{{ dashboard_url }}?cycle={{ cycle.pk }}&amp;flag={{ code }}">'
        '{% include "components/flag_badge.html" with code=code label=label %} {{ count }}'
        '<span class="visually-hidden"> coordinator{{ count|pluralize }}</span></a></li>\n'
        "    {% endfor %}"
    )
    for cycle in (Cycle(), None):
        context = {"overview": overview(), "cycle": cycle, "dashboard_url": "/dashboard/"}
        assert flag_total_items(overview().flag_total_list(), cycle, "/dashboard/") == render(
            template, **context
        )


def test_the_level_distribution_is_the_html_of_its_template():
    template = (
        '<thead><tr><th scope="col">Category</th>{% for value, name in overview.level_columns %}'
        '<th scope="col">{% if value %}{% include "components/level_badge.html" with value=value'
        " name=name %}{% else %}{{ name }}{% endif %}</th>{% endfor %}</tr></thead>\n"
        "    <tbody>\n"
        "    {% for name, counts in overview.distribution_table %}\n"
        '    <tr><th scope="row">{{ name }}</th>\n'
        "      {% for value, count, percent in counts %}<td>{{ count }} "
        '<span class="text-body-secondary small">({{ percent }}%)</span></td>{% endfor %}\n'
        "    </tr>\n"
        "    {% endfor %}\n"
        "    </tbody>"
    )
    assert distribution_table(overview()) == render(template, overview=overview())


def test_the_trend_level_headings_are_the_html_of_their_template():
    names = {1: "Novice", 2: NASTY, 3: "Expert"}
    template = (
        '{% for value, level in names.items %}<th scope="col">'
        '{% include "components/level_badge.html" with value=value name=level %}</th>{% endfor %}'
    )
    assert level_headings(names) == render(template, names=names)


CHOICES = [("", "Any <level>"), ("a", NASTY), (3, "Three"), ("Group & co", [("g1", "One")])]


@pytest.mark.parametrize("value", ["", "a", "3", "g1", "nothing of these"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"class": "form-select"},
        {"class": "form-select is-invalid", "aria-describedby": "id_x-error", "required": True},
        {"disabled": False, "data-x": 'a"b'},
    ],
)
def test_a_written_select_is_the_html_of_django_s(value, attrs):
    plain = forms.Select(attrs=attrs, choices=CHOICES)
    written = WrittenSelect(attrs=attrs, choices=CHOICES)
    html_attrs = {"id": "id_x"}
    assert written.render("x", value, html_attrs) == plain.render("x", value, html_attrs)

"""The overview's charts, flag totals, level distribution, trend section and flag count
tables, and the dashboard filter bar's selects, are written from format strings rather than
through the template language, for speed: byte for byte the HTML of the templates they
replaced (kept here as the reference), with text to escape."""

from collections import Counter

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import engines

from assessments.models import AssessmentCycle
from dashboards.charts import Column, Segment, stacked_bars
from dashboards.filters import WrittenSelect
from dashboards.selectors.common import CATEGORY_KEYS, Ref
from dashboards.selectors.overview import TEAMS_PER_PAGE, Overview
from dashboards.selectors.trends import CycleTrend, OrganizationTrend
from dashboards.templatetags.overview_tables import (
    distribution_table,
    flag_count_table,
    flag_total_items,
    level_headings,
    stacked_bar_chart,
    trend_section,
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
        team_page=Paginator([], TEAMS_PER_PAGE).get_page(1),
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


# The table of flag counts per team or site, as dashboards/includes/flag_count_table.html
# wrote it (the rows were a tag already).
FLAG_COUNT_TABLE = (
    '{% load overview_tables %}\n<div class="table-responsive">\n'
    '<table class="table table-sm table-striped align-middle flag-count-table">\n'
    '  <caption class="visually-hidden">{{ caption }}</caption>\n'
    '  <thead><tr><th scope="col">{% if param == "team" %}Team{% else %}School site{% endif %}'
    '</th>{% for code, label in flag_labels %}<th scope="col" class="flag-count-heading">'
    "{{ label }}</th>{% endfor %}</tr></thead>\n"
    "  <tbody>\n"
    "  {% flag_count_rows groups param cycle dashboard_url %}\n"
    "  </tbody>\n"
    "</table>\n"
    "</div>\n"
)


@pytest.mark.parametrize("param", ["team", "school"])
def test_a_flag_count_table_is_the_html_of_its_template(param):
    groups = Overview.flag_table(
        [(Ref(3, NASTY), Counter({"site_gap": 2, "overdue": 1})), (None, Counter({"stalled": 4}))]
    )
    labels = [("site_gap", f"Site {NASTY}"), ("overdue", "Overdue"), ("stalled", "Stalled")]
    for cycle in (Cycle(), None):
        context = {
            "groups": groups,
            "param": param,
            "caption": f"Per {NASTY}",
            "flag_labels": labels,
            "cycle": cycle,
            "dashboard_url": "/dashboard/",
        }
        written = flag_count_table(groups, param, f"Per {NASTY}", labels, cycle, "/dashboard/")
        assert written == render(FLAG_COUNT_TABLE, **context)


# The trend section as templates/dashboards/overview.html wrote it.
TREND_SECTION = """{% load overview_tables %}{% if trend.cycles|length > 1 %}
  <p class="text-body-secondary">Every cycle opened so far, oldest first: how far its assessments got, and the agreed levels of the finalized ones in each category. A dashed line marks the cycle where a new rubric version came in; levels on either side were rated against different words.</p>
  <div class="row g-3 mb-3 align-items-start">
    <div class="col-lg-6">{% stacked_bar_chart trend.completion_chart "trend-completion" "Completion: assessments by state" trend.state_legend %}</div>
    <div class="col-lg-6"><div class="table-responsive">
      <table class="table table-sm align-middle trend-table">
        <caption>Completion: assessments by state, per cycle</caption>
        <thead><tr><th scope="col">Cycle and rubric</th>{% for state, label in trend.state_columns %}<th scope="col">{{ label }}</th>{% endfor %}<th scope="col">Finalized share</th></tr></thead>
        <tbody>
        {% trend_rows trend.state_rows "percent" %}
        </tbody>
      </table>
    </div></div>
  </div>
  {% for key, name, chart, rows in trend.category_charts %}
  <div class="row g-3 mb-3 align-items-start">
    <div class="col-lg-6">{% with "trend-"|add:key as chart_id %}{% stacked_bar_chart chart chart_id name|add:": finalized levels" trend.level_legend %}{% endwith %}</div>
    <div class="col-lg-6"><div class="table-responsive">
      <table class="table table-sm align-middle trend-table">
        <caption>{{ name }}: finalized assessments at each level, per cycle</caption>
        <thead><tr><th scope="col">Cycle and rubric</th>{% level_headings trend.level_names %}<th scope="col">Finalized</th></tr></thead>
        <tbody>
        {% trend_rows rows %}
        </tbody>
      </table>
    </div></div>
  </div>
  {% endfor %}
  {% else %}
  <p class="text-body-secondary">The trend appears once a second cycle has opened: each cycle's completion and levels, side by side.</p>
  {% endif %}"""  # noqa: E501


def trend(n_cycles: int) -> OrganizationTrend:
    cycles = []
    for i in range(n_cycles):
        cycle = CycleTrend(
            cycle=AssessmentCycle(pk=i + 1, name=f"Cycle {i} {NASTY}"),
            states=Counter({"finalized": 3 * i, "submitted": 2, "draft": i % 2}),
            levels={key: Counter({1: i, 2: 2, 3: i % 3}) for key in CATEGORY_KEYS[: 1 + i % 4]},
            versions_text=f"v{1 + i // 2}",
        )
        if i == 2:
            cycle.version_mark, cycle.version_mark_words = "Rubric v2", f"Rubric {NASTY} v2"
        cycles.append(cycle)
    return OrganizationTrend(
        cycles=cycles,
        level_names={1: "Novice", 2: f"Proficient {NASTY}", 3: "Expert"},
        category_names={key: f"{key} {NASTY}" for key in CATEGORY_KEYS},
        several_families=False,
    )


@pytest.mark.parametrize("n_cycles", [0, 1, 2, 5])
def test_the_trend_section_is_the_html_of_its_template(n_cycles):
    shown = trend(n_cycles)
    assert trend_section(shown) == render(
        "{% load l10n %}{% localize off %}" + TREND_SECTION + "{% endlocalize %}", trend=shown
    )

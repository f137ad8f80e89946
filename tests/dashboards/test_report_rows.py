"""A report table's rows come from one tag (dashboards/templatetags/report_rows.py) rather
than the template language, for speed: the same HTML as the row markup it replaced in
templates/dashboards/report.html, kept here as the reference, for each report, with and
without filters, cells linked to people or not, and text to escape."""

import pytest
from django.template import engines

from dashboards.charts import Column, Segment, stacked_bars
from dashboards.report_tables import TableCell
from dashboards.templatetags.report_rows import report_chart, report_rows

REFERENCE = (
    "{% for row in rows %}\n"
    "        <tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row">{{ cell.text }}</th>{% elif cell.people %}<td><a href="'
    "{% if slug == 'impact' %}{% url 'dashboards:report-impact-people' %}"
    "{% elif slug == 'retention' %}{% url 'dashboards:report-retention-people' %}"
    "{% else %}{% url 'dashboards:report-calibration-people' %}{% endif %}"
    "?{% if query %}{{ query }}&amp;{% endif %}cell={{ cell.people|urlencode:'' }}\" "
    'aria-label="{{ cell.text }}: the people behind this number">{{ cell.text }}</a></td>'
    "{% else %}<td>{{ cell.text }}</td>{% endif %}{% endfor %}</tr>\n"
    "        {% endfor %}"
)

NASTY = '<b>Ann</b> & "O\'Neil"'
ROWS = [
    [TableCell(NASTY), TableCell(12, "entry:4|site|2|with|rose"), TableCell(None), TableCell(0)],
    [TableCell("Mentoring"), TableCell("fewer than 5"), TableCell(7, "7|people & <more>")],
    [TableCell(2024), TableCell(3.5, "kind:pd|coordinator|1|without|same")],
]


@pytest.mark.parametrize("slug", ["impact", "retention", "calibration"])
@pytest.mark.parametrize("query", ["", "cycle_from=3&group=team", 'split=<x>&a="b"'])
def test_the_tag_writes_the_rows_the_template_wrote(slug, query):
    expected = (
        engines["django"]
        .from_string(REFERENCE)
        .render({"rows": ROWS, "slug": slug, "query": query})
    )
    assert report_rows(ROWS, slug, query) == expected
    assert NASTY not in expected  # escaped


def chart_with_everything():
    return stacked_bars(
        [
            Column("2023 <Autumn> & co", [Segment("chart-level-1", 3, "3 fell <x>")], mark="v2"),
            Column("Spring", [Segment("chart-level-2", 0, "none")]),
            Column(
                "2024-25",
                [Segment("chart-level-2", 2, "2 same"), Segment("chart-level-3", 5, "5 rose")],
                mark="v3 & more",
            ),
            Column("Last one here", [Segment("chart-level-3", 1, "1")], mark="v4"),
        ]
    )


@pytest.mark.parametrize("description", ["", "Each bar is a <group> & its people"])
@pytest.mark.parametrize("no_versions", [True, False])
def test_the_chart_tag_writes_the_chart_the_include_wrote(description, no_versions):
    context = {
        "chart": chart_with_everything(),
        "chart_id": "chart-levels-site",
        "title": 'Levels "site" & <more>',
        "legend": [("chart-level-1", "Fell <a bit>"), ("chart-level-3", "Rose & stayed")],
        "description": description,
        "no_versions": no_versions,
    }
    expected = (
        engines["django"]
        .from_string(
            "{% load l10n %}{% localize off %}"
            '{% include "dashboards/includes/stacked_bar_chart.html" %}{% endlocalize %}'
        )
        .render(context)
    )
    assert report_chart(**context) == expected


@pytest.mark.parametrize("slug", ["impact", "retention", "calibration"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"cycle_from": "2", "role_family": "5", "school_level": "middle", "group": "team"},
        {"cycle_to": "999", "setting": "<nowhere>", "split": "stage", "pre_post": "entry:7"},
    ],
)
def test_the_filters_are_written_as_djangos_select_writes_them(slug, data, monkeypatch):
    """Each filter, chosen, left empty or invalid (with its error), is the HTML Django's own
    select template writes, including names to escape."""
    from django import forms

    from dashboards.filters import WrittenSelect
    from dashboards.report_filters import ReportFilterForm
    from dashboards.selectors.reports import REPORT_FILTERS

    class Cycle:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    form = ReportFilterForm(
        data,
        cycles=[Cycle(1, "2023–24"), Cycle(2, NASTY)],
        role_families=[(5, NASTY), (6, "Assistant principals")],
        groups=[("kind:pd", "Professional development"), ("entry:7", "“A & B”")],
        fields=REPORT_FILTERS[slug],
    )
    written = [str(field) for field in form]
    monkeypatch.setattr(WrittenSelect, "render", forms.Select.render)  # Django's own writing
    assert written == [str(field) for field in form]
    if data.get("cycle_from") and "cycle_from" in form.fields:
        assert '<option value="2" selected>' in written[0]
